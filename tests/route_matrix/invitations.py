"""Route x role matrix for the organiser's invitation page: organisers only (the role check
comes first, so an unlisted event is 403 for others here too, as on its edit page)."""

from __future__ import annotations

from eventapp.privacy.consents import record_consent
from eventapp.privacy.models import ConsentKind
from tests.factories import make_event, make_user
from tests.route_matrix import Route, World

ORGANISERS = {"organiser": 200, "admin": 200, "anonymous": 302, "default": 403}
ORGANISER_POSTS = {"organiser": 302, "admin": 302, "anonymous": 302, "default": 403}


def build(session, world: World) -> None:
    world.invite_event = make_event(session)
    world.invite_unlisted = make_event(session, is_public=False)
    record_consent(session, make_user(session), ConsentKind.INVITATIONS, True, source="matrix")


def _invite(world: World) -> str:
    return f"/calendar/events/{world.invite_event.uid}/invite"


ROUTES = [
    Route("calendar.event_invite", "GET", _invite, ORGANISERS),
    Route("calendar.event_invite", "POST", _invite, ORGANISER_POSTS),
    Route(
        "calendar.event_invite",
        "GET",
        lambda w: f"/calendar/events/{w.invite_unlisted.uid}/invite",
        ORGANISERS,
        note="unlisted event: shows why it cannot be sent",
    ),
]
