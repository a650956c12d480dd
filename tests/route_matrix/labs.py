"""Route x role matrix for labs: everyone reads series and sessions; organisers change them.
Unlisted sessions are 404 for everyone but organisers."""

from __future__ import annotations

from tests.factories import make_user
from tests.labs.helpers import make_lab_session, make_series, series_form, session_form
from tests.route_matrix import Route, World

EVERYONE = {"default": 200}
ORGANISERS = {"organiser": 200, "admin": 200, "anonymous": 302, "default": 403}
ORGANISER_POSTS = {"organiser": 302, "admin": 302, "anonymous": 302, "default": 403}
UNLISTED = {"organiser": 200, "admin": 200, "default": 404}


def build(session, world: World) -> None:
    organiser = make_user(session, "organiser")
    world.lab_series = make_series(session, organiser)
    world.lab_series_to_cancel = make_series(session, organiser, title="Ska ställas in")
    world.lab_session = make_lab_session(session, world.lab_series)
    world.lab_session_to_cancel = make_lab_session(session, world.lab_series)
    world.lab_unlisted = make_lab_session(session, world.lab_series, is_public=False)


def _series(world: World) -> str:
    return f"/labs/series/{world.lab_series.id}"


def _session(world: World) -> str:
    return f"/labs/sessions/{world.lab_session.event.uid}"


ROUTES = [
    Route("labs.index", "GET", lambda w: "/labs/", EVERYONE),
    Route("labs.series_detail", "GET", _series, EVERYONE),
    Route("labs.series_new", "GET", lambda w: "/labs/series/new", ORGANISERS),
    Route(
        "labs.series_new",
        "POST",
        lambda w: "/labs/series/new",
        ORGANISER_POSTS,
        data=lambda w: series_form(),
    ),
    Route("labs.series_edit", "GET", lambda w: _series(w) + "/edit", ORGANISERS),
    Route(
        "labs.series_edit",
        "POST",
        lambda w: _series(w) + "/edit",
        ORGANISER_POSTS,
        data=lambda w: series_form(title="Designtänkande 2"),
    ),
    Route("labs.series_copy", "POST", lambda w: _series(w) + "/copy", ORGANISER_POSTS),
    Route("labs.session_new", "GET", lambda w: _series(w) + "/sessions/new", ORGANISERS),
    Route(
        "labs.session_new",
        "POST",
        lambda w: _series(w) + "/sessions/new",
        ORGANISER_POSTS,
        data=lambda w: session_form(),
    ),
    Route("labs.session_detail", "GET", _session, EVERYONE),
    Route(
        "labs.session_detail",
        "GET",
        lambda w: f"/labs/sessions/{w.lab_unlisted.event.uid}",
        UNLISTED,
        note="unlisted session",
    ),
    Route("labs.session_edit", "GET", lambda w: _session(w) + "/edit", ORGANISERS),
    Route(
        "labs.session_edit",
        "POST",
        lambda w: _session(w) + "/edit",
        ORGANISER_POSTS,
        data=lambda w: session_form(title="Nytt namn"),
    ),
    Route("labs.session_copy", "GET", lambda w: _session(w) + "/copy", ORGANISERS),
    Route(
        "labs.session_copy",
        "POST",
        lambda w: _session(w) + "/copy",
        ORGANISER_POSTS,
        data=lambda w: session_form(),
    ),
    Route(
        "labs.session_cancel",
        "GET",
        lambda w: f"/labs/sessions/{w.lab_session_to_cancel.event.uid}/cancel",
        ORGANISERS,
    ),
    Route(
        "labs.session_cancel",
        "POST",
        lambda w: f"/labs/sessions/{w.lab_session_to_cancel.event.uid}/cancel",
        ORGANISER_POSTS,
        data=lambda w: {"reason": "Sjuk kursledare"},
    ),
    Route(
        "labs.series_cancel",
        "GET",
        lambda w: f"/labs/series/{w.lab_series_to_cancel.id}/cancel",
        ORGANISERS,
    ),
    Route(
        "labs.series_cancel",
        "POST",
        lambda w: f"/labs/series/{w.lab_series_to_cancel.id}/cancel",
        ORGANISER_POSTS,
        data=lambda w: {"reason": "För få anmälda"},
    ),
]
