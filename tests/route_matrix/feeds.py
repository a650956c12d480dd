"""Route x role matrix for the calendar feeds, downloads, calendar page and export."""

from __future__ import annotations

from eventapp.calendar.feed_queries import FeedFilter
from eventapp.calendar.feed_services import (
    create_selection_link,
    renew_personal_link,
    selection_links,
)
from tests.factories import make_event, make_user
from tests.route_matrix import Route, World

EVERYONE = {"default": 200}
ORGANISERS = {"organiser": 200, "admin": 200, "anonymous": 302, "default": 403}
ORGANISER_POSTS = {"organiser": 302, "admin": 302, "anonymous": 302, "default": 403}
SIGNED_IN_POSTS = {"anonymous": 302, "default": 302}
UNLISTED = {"organiser": 200, "admin": 200, "default": 404}


def build(session, world: World) -> None:
    world.feed_event = make_event(session)
    world.feed_unlisted = make_event(session, is_public=False)
    owner = make_user(session, "organiser")
    world.feed_personal_token = renew_personal_link(session, make_user(session))
    world.feed_selection_token = create_selection_link(session, owner, FeedFilter(mine=True))
    world.feed_other_link = selection_links(session, owner)[0].id
    # The matrix's own organiser and admin each have a saved link they may revoke.
    world.feed_links = {}
    for role in ("organiser", "admin"):
        create_selection_link(session, world.users[role], FeedFilter(include_unlisted=True))
        world.feed_links[role] = selection_links(session, world.users[role])[0].id


def _own_link(world: World) -> int:
    """The signed-in role's own link (``world.role`` is set by the runner), else another's."""
    return world.feed_links.get(getattr(world, "role", ""), world.feed_other_link)


ROUTES = [
    Route("feeds.public_feed", "GET", lambda w: "/calendar.ics", EVERYONE),
    Route("feeds.public_feed", "GET", lambda w: "/calendar.ics?municipality=Falun", EVERYONE),
    Route("feeds.kind_feed", "GET", lambda w: "/calendar/breakfasts.ics", EVERYONE),
    Route(
        "feeds.private_feed",
        "GET",
        lambda w: f"/calendar/private/{w.feed_personal_token}.ics",
        EVERYONE,
        note="the token is the credential",
    ),
    Route(
        "feeds.private_feed",
        "GET",
        lambda w: f"/calendar/private/{w.feed_selection_token}.ics",
        EVERYONE,
    ),
    Route(
        "feeds.private_feed",
        "GET",
        lambda w: "/calendar/private/" + "A" * 43 + ".ics",
        {"default": 404},
    ),
    Route(
        "feeds.event_file",
        "GET",
        lambda w: f"/calendar/events/{w.feed_event.uid}/event.ics",
        EVERYONE,
    ),
    Route(
        "feeds.event_file",
        "GET",
        lambda w: f"/calendar/events/{w.feed_unlisted.uid}/event.ics",
        UNLISTED,
        note="unlisted event",
    ),
    Route("feeds.calendar_page", "GET", lambda w: "/calendar/", EVERYONE),
    Route("feeds.calendar_page", "GET", lambda w: "/calendar/?view=list&kind=labs", EVERYONE),
    Route("feeds.personal_link_new", "POST", lambda w: "/calendar/private-link", SIGNED_IN_POSTS),
    Route(
        "feeds.personal_link_revoke",
        "POST",
        lambda w: "/calendar/private-link/revoke",
        SIGNED_IN_POSTS,
    ),
    Route("feeds.export_page", "GET", lambda w: "/calendar/export", ORGANISERS),
    Route("feeds.export_ics", "GET", lambda w: "/calendar/export.ics?unlisted=y", ORGANISERS),
    Route("feeds.export_csv", "GET", lambda w: "/calendar/export.csv?mine=y", ORGANISERS),
    Route(
        "feeds.selection_link_new",
        "POST",
        lambda w: "/calendar/export/links",
        ORGANISER_POSTS,
        data=lambda w: {"kind": "labs", "mine": "y"},
    ),
    Route(
        "feeds.selection_link_revoke",
        "POST",
        lambda w: f"/calendar/export/links/{_own_link(w)}/revoke",
        ORGANISER_POSTS,
        note="own link",
    ),
    Route(
        "feeds.selection_link_revoke",
        "POST",
        lambda w: f"/calendar/export/links/{w.feed_other_link}/revoke",
        {"organiser": 404, "admin": 404, "anonymous": 302, "default": 403},
        note="someone else's link",
    ),
]
