"""Route x role matrix for the foundation: main, auth and the calendar's event pages.

Covers the endpoints of the ``main.`` and ``auth.`` blueprints and the calendar's event pages
(``calendar.event_*``); the calendar's sign-up pages are in ``signups.py``. ``awards.index``
and every other ``awards.*`` endpoint belong to ``awards.py``.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from eventapp.auth.services import Tokens, _password_fingerprint
from eventapp.database import utcnow
from eventapp.i18n import STOCKHOLM
from tests.factories import DEFAULT_PASSWORD, make_event, make_user
from tests.route_matrix import Route, World

EVERYONE = {"default": 200}
EVERYONE_POSTS = {"default": 302}
ANONYMOUS_ONLY = {"anonymous": 200, "default": 302}  # signed-in people are sent home
SIGNED_IN = {"anonymous": 302, "default": 200}
SIGNED_IN_POSTS = {"default": 302}
ORGANISERS = {"organiser": 200, "admin": 200, "anonymous": 302, "default": 403}
ORGANISER_POSTS = {"organiser": 302, "admin": 302, "anonymous": 302, "default": 403}
UNLISTED = {"organiser": 200, "admin": 200, "default": 404}

NEW_PASSWORD = "a brand new passphrase"


def build(session, world: World) -> None:
    tokens = Tokens(current_app.config["SECRET_KEY"])
    world.event = make_event(session, title="Matrisevenemang")
    world.event_to_cancel = make_event(session, title="Ska ställas in")
    world.unlisted_event = make_event(session, title="Olistat", is_public=False)
    unconfirmed = make_user(session, confirmed=False)
    world.confirm_token = tokens.make(
        "confirm", {"uid": unconfirmed.id, "email": unconfirmed.email}
    )
    forgetful = make_user(session)
    world.reset_token = tokens.make(
        "reset", {"uid": forgetful.id, "fp": _password_fingerprint(forgetful)}
    )


def event_form(title: str = "Nytt matrisevenemang") -> dict:
    day = (utcnow().astimezone(STOCKHOLM) + timedelta(days=20)).date().isoformat()
    return {
        "kind": "other",
        "title": title,
        "place": "Kupolen",
        "municipality": "Borlänge",
        "start_date": day,
        "start_time": "10:00",
        "end_date": day,
        "end_time": "12:00",
        "is_public": "y",
    }


def _event(world: World) -> str:
    return f"/calendar/events/{world.event.uid}"


ROUTES = [
    # main
    Route("main.index", "GET", lambda w: "/", EVERYONE),
    Route("main.index", "GET", lambda w: "/?kind=lab&municipality=Mora", EVERYONE),
    Route("main.healthz", "GET", lambda w: "/healthz", EVERYONE),
    Route("main.readyz", "GET", lambda w: "/readyz", EVERYONE),
    Route(
        "main.set_language",
        "POST",
        lambda w: "/language",
        EVERYONE_POSTS,
        data=lambda w: {"language": "sv", "next": "/"},
    ),
    # auth
    Route("auth.register", "GET", lambda w: "/auth/register", ANONYMOUS_ONLY),
    Route(
        "auth.register",
        "POST",
        lambda w: "/auth/register",
        EVERYONE_POSTS,
        data=lambda w: {
            "name": "Ny Person",
            "email": "matrix.new@example.org",
            "password": DEFAULT_PASSWORD,
            "password_confirm": DEFAULT_PASSWORD,
        },
    ),
    Route("auth.check_mail", "GET", lambda w: "/auth/check-mail", EVERYONE),
    Route("auth.confirm", "GET", lambda w: f"/auth/confirm/{w.confirm_token}", EVERYONE_POSTS),
    Route("auth.resend_confirmation", "GET", lambda w: "/auth/confirm", EVERYONE),
    Route(
        "auth.resend_confirmation",
        "POST",
        lambda w: "/auth/confirm",
        EVERYONE_POSTS,
        data=lambda w: {"email": "nobody@example.org"},
    ),
    Route("auth.login", "GET", lambda w: "/auth/login", ANONYMOUS_ONLY),
    Route(
        "auth.login",
        "POST",
        lambda w: "/auth/login",
        ANONYMOUS_ONLY,
        data=lambda w: {"email": "nobody@example.org", "password": "wrong password"},
        note="wrong password: the form again for visitors, home for the signed-in",
    ),
    Route("auth.logout", "POST", lambda w: "/auth/logout", SIGNED_IN_POSTS),
    Route("auth.reset_request", "GET", lambda w: "/auth/reset", EVERYONE),
    Route(
        "auth.reset_request",
        "POST",
        lambda w: "/auth/reset",
        EVERYONE_POSTS,
        data=lambda w: {"email": "nobody@example.org"},
    ),
    Route("auth.reset_password", "GET", lambda w: f"/auth/reset/{w.reset_token}", EVERYONE),
    Route("auth.reset_password", "GET", lambda w: "/auth/reset/forged", EVERYONE_POSTS),
    Route(
        "auth.reset_password",
        "POST",
        lambda w: f"/auth/reset/{w.reset_token}",
        EVERYONE_POSTS,
        data=lambda w: {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
    ),
    Route("auth.change_password", "GET", lambda w: "/auth/password", SIGNED_IN),
    Route(
        "auth.change_password",
        "POST",
        lambda w: "/auth/password",
        SIGNED_IN_POSTS,
        data=lambda w: {
            "current_password": DEFAULT_PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    ),
    Route("auth.profile", "GET", lambda w: "/auth/profile", SIGNED_IN),
    Route(
        "auth.profile",
        "POST",
        lambda w: "/auth/profile",
        SIGNED_IN_POSTS,
        data=lambda w: {"name": "Nytt Namn", "locale": "sv", "org_type": "other"},
    ),
    # calendar: the event pages
    Route("calendar.event_detail", "GET", _event, EVERYONE),
    Route(
        "calendar.event_detail",
        "GET",
        lambda w: f"/calendar/events/{w.unlisted_event.uid}",
        UNLISTED,
        note="unlisted event",
    ),
    Route("calendar.event_new", "GET", lambda w: "/calendar/events/new", ORGANISERS),
    Route(
        "calendar.event_new",
        "POST",
        lambda w: "/calendar/events/new",
        ORGANISER_POSTS,
        data=lambda w: event_form(),
    ),
    Route("calendar.event_edit", "GET", lambda w: _event(w) + "/edit", ORGANISERS),
    Route(
        "calendar.event_edit",
        "GET",
        lambda w: f"/calendar/events/{w.unlisted_event.uid}/edit",
        ORGANISERS,
        note="unlisted event: 403 by role before the object is looked up",
    ),
    Route(
        "calendar.event_edit",
        "POST",
        lambda w: _event(w) + "/edit",
        ORGANISER_POSTS,
        data=lambda w: event_form("Ändrat matrisevenemang"),
    ),
    Route("calendar.event_cancel", "GET", lambda w: _event(w) + "/cancel", ORGANISERS),
    Route(
        "calendar.event_cancel",
        "POST",
        lambda w: f"/calendar/events/{w.event_to_cancel.uid}/cancel",
        ORGANISER_POSTS,
        data=lambda w: {"reason": "Sjukdom"},
    ),
    Route(
        "calendar.event_edit",
        "GET",
        lambda w: "/calendar/events/6f1c1f0e-0000-4000-8000-000000000000/edit",
        {"organiser": 404, "admin": 404, "anonymous": 302, "default": 403},
        note="no such event",
    ),
]
