"""Route x role matrix for the calendar's sign-up pages: signed-in people sign up and cancel
their own; only organisers see lists, export them, cancel others and mark attendance."""

from __future__ import annotations

from datetime import timedelta

from eventapp.calendar import services
from eventapp.database import utcnow
from tests.factories import make_event, make_user
from tests.route_matrix import Route, World

SIGNED_IN_POSTS = {"anonymous": 302, "default": 302}
SIGNED_IN = {"anonymous": 302, "default": 200}
ORGANISERS = {"organiser": 200, "admin": 200, "anonymous": 302, "default": 403}
ORGANISER_POSTS = {"organiser": 302, "admin": 302, "anonymous": 302, "default": 403}
UNLISTED_POSTS = {"organiser": 302, "admin": 302, "anonymous": 302, "default": 404}


def build(session, world: World) -> None:
    world.signup_event = make_event(session, capacity=2)
    world.signup_unlisted = make_event(session, capacity=2, is_public=False)
    world.signup_today = make_event(session, starts_at=utcnow() + timedelta(minutes=30), capacity=5)
    someone = make_user(session)
    world.signup_row = services.sign_up(session, world.signup_today, someone).signup
    world.signup_to_cancel = services.sign_up(
        session, world.signup_today, make_user(session)
    ).signup


def _event(world: World) -> str:
    return f"/calendar/events/{world.signup_event.uid}"


def _today(world: World) -> str:
    return f"/calendar/events/{world.signup_today.uid}"


ROUTES = [
    Route("calendar.signup", "POST", lambda w: _event(w) + "/signup", SIGNED_IN_POSTS),
    Route(
        "calendar.signup",
        "POST",
        lambda w: f"/calendar/events/{w.signup_unlisted.uid}/signup",
        UNLISTED_POSTS,
        note="unlisted event",
    ),
    Route(
        "calendar.signup_cancel", "POST", lambda w: _event(w) + "/signup/cancel", SIGNED_IN_POSTS
    ),
    Route("calendar.my_signups", "GET", lambda w: "/calendar/my-signups", SIGNED_IN),
    Route("calendar.participants", "GET", lambda w: _today(w) + "/participants", ORGANISERS),
    Route(
        "calendar.participants_csv", "GET", lambda w: _today(w) + "/participants.csv", ORGANISERS
    ),
    Route("calendar.attendance", "GET", lambda w: _today(w) + "/attendance", ORGANISERS),
    Route(
        "calendar.attendance_mark",
        "POST",
        lambda w: f"{_today(w)}/attendance/{w.signup_row.id}",
        ORGANISER_POSTS,
        data=lambda w: {"attendance": "present"},
    ),
    Route(
        "calendar.signup_cancel_by_organiser",
        "GET",
        lambda w: f"{_today(w)}/signups/{w.signup_to_cancel.id}/cancel",
        ORGANISERS,
    ),
    Route(
        "calendar.signup_cancel_by_organiser",
        "POST",
        lambda w: f"{_today(w)}/signups/{w.signup_to_cancel.id}/cancel",
        ORGANISER_POSTS,
        data=lambda w: {"reason": "Fel person"},
    ),
]
