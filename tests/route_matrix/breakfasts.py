"""Route x role matrix for breakfasts: everyone reads public series; organisers manage all
series, networks and the report. (Coordinators are not a role: tests/breakfasts covers
them.) Unlisted series are 404 for everyone but organisers."""

from __future__ import annotations

from eventapp.breakfasts import services
from eventapp.calendar import services as calendar
from tests.breakfasts.helpers import make_network, make_series, series_form
from tests.factories import make_user
from tests.route_matrix import Route, World

EVERYONE = {"default": 200}
SIGNED_IN_POSTS = {"anonymous": 302, "default": 302}
ORGANISERS = {"organiser": 200, "admin": 200, "anonymous": 302, "default": 403}
ORGANISER_POSTS = {"organiser": 302, "admin": 302, "anonymous": 302, "default": 403}
UNLISTED = {"organiser": 200, "admin": 200, "default": 404}


def build(session, world: World) -> None:
    organiser = make_user(session, "organiser")
    network = make_network(session, "Matrisnätverket", "Falun")
    world.breakfast_network = network
    world.breakfast_series = make_series(session, organiser, network)
    world.breakfast_unlisted = make_series(session, organiser, network, is_public=False)
    world.breakfast_coordinator = make_user(session)
    services.set_coordinators(session, world.breakfast_series, [world.breakfast_coordinator])
    participant = make_user(session)
    world.breakfast_signup = calendar.sign_up(
        session, world.breakfast_series.occurrences[0].event, participant
    ).signup
    world.breakfast_guest = make_user(session, name="Gäst Matris")


def _series(w: World) -> str:
    return f"/breakfasts/series/{w.breakfast_series.id}"


def _occurrence(w: World, index: int) -> str:
    return f"/breakfasts/occurrences/{w.breakfast_series.occurrences[index].event.uid}"


def _day(w: World, index: int) -> str:
    return w.breakfast_series.occurrences[index].original_date.isoformat()


ROUTES = [
    Route("breakfasts.index", "GET", lambda w: "/breakfasts/", EVERYONE),
    Route("breakfasts.series_detail", "GET", _series, EVERYONE),
    Route(
        "breakfasts.series_detail",
        "GET",
        lambda w: f"/breakfasts/series/{w.breakfast_unlisted.id}",
        UNLISTED,
        note="unlisted series",
    ),
    Route("breakfasts.series_signup", "POST", lambda w: _series(w) + "/signup", SIGNED_IN_POSTS),
    Route("breakfasts.series_new", "GET", lambda w: "/breakfasts/series/new", ORGANISERS),
    Route(
        "breakfasts.series_new",
        "POST",
        lambda w: "/breakfasts/series/new",
        ORGANISER_POSTS,
        data=lambda w: series_form(w.breakfast_network.id),
    ),
    Route("breakfasts.series_edit", "GET", lambda w: _series(w) + "/edit", ORGANISERS),
    Route(
        "breakfasts.series_edit",
        "POST",
        lambda w: _series(w) + "/edit",
        ORGANISER_POSTS,
        data=lambda w: series_form(
            w.breakfast_network.id, start_date=_day(w, 4), end_date=_day(w, 5), place="Nytt"
        ),
    ),
    Route("breakfasts.series_end", "GET", lambda w: _series(w) + "/end", ORGANISERS),
    Route(
        "breakfasts.series_end",
        "POST",
        lambda w: f"/breakfasts/series/{w.breakfast_unlisted.id}/end",
        {"organiser": 302, "admin": 302, "anonymous": 404, "default": 404},
        data=lambda w: {"last_date": w.breakfast_unlisted.occurrences[3].original_date.isoformat()},
        note="unlisted: 404 outside the managers",
    ),
    Route("breakfasts.coordinators", "GET", lambda w: _series(w) + "/coordinators", ORGANISERS),
    Route(
        "breakfasts.coordinators",
        "POST",
        lambda w: _series(w) + "/coordinators",
        {"organiser": 200, "admin": 200, "anonymous": 302, "default": 403},
        data=lambda w: {"email": "nobody@example.org"},
        note="unknown address: the form is shown again with an error",
    ),
    Route(
        "breakfasts.coordinator_remove",
        "POST",
        lambda w: _series(w) + f"/coordinators/{w.breakfast_coordinator.id}/remove",
        ORGANISER_POSTS,
    ),
    Route("breakfasts.occurrence_skip", "GET", lambda w: _occurrence(w, 1) + "/skip", ORGANISERS),
    Route(
        "breakfasts.occurrence_skip", "POST", lambda w: _occurrence(w, 1) + "/skip", ORGANISER_POSTS
    ),
    Route(
        "breakfasts.occurrence_cancel", "GET", lambda w: _occurrence(w, 2) + "/cancel", ORGANISERS
    ),
    Route(
        "breakfasts.occurrence_cancel",
        "POST",
        lambda w: _occurrence(w, 2) + "/cancel",
        ORGANISER_POSTS,
        data=lambda w: {"reason": "Sjukdom"},
    ),
    Route("breakfasts.occurrence_move", "GET", lambda w: _occurrence(w, 3) + "/move", ORGANISERS),
    Route(
        "breakfasts.occurrence_move",
        "POST",
        lambda w: _occurrence(w, 3) + "/move",
        ORGANISER_POSTS,
        data=lambda w: {
            "day": _day(w, 3),
            "local_time": "08:00",
            "duration_minutes": "60",
            "place": "Stadshuset",
        },
    ),
    Route("breakfasts.checkin", "GET", lambda w: _occurrence(w, 0) + "/checkin", ORGANISERS),
    Route(
        "breakfasts.checkin_mark",
        "POST",
        lambda w: _occurrence(w, 0) + f"/checkin/{w.breakfast_signup.id}",
        ORGANISER_POSTS,
        note="not the day yet: refused with a message, redirected",
    ),
    Route(
        "breakfasts.checkin_walk_in",
        "POST",
        lambda w: _occurrence(w, 0) + f"/walk-in/{w.breakfast_guest.id}",
        ORGANISER_POSTS,
    ),
    Route(
        "breakfasts.checkin_guest",
        "POST",
        lambda w: _occurrence(w, 0) + "/guest",
        {"organiser": 400, "admin": 400, "anonymous": 302, "default": 403},
        data=lambda w: {"name": "Ny Gäst"},
        note="check-in not open before the day: refused, page shown again",
    ),
    Route("breakfasts.networks", "GET", lambda w: "/breakfasts/networks", ORGANISERS),
    Route(
        "breakfasts.networks",
        "POST",
        lambda w: "/breakfasts/networks",
        ORGANISER_POSTS,
        data=lambda w: {"name": "Nytt nätverk", "municipality": "Orsa"},
    ),
    Route(
        "breakfasts.network_edit",
        "GET",
        lambda w: f"/breakfasts/networks/{w.breakfast_network.id}/edit",
        ORGANISERS,
    ),
    Route(
        "breakfasts.network_edit",
        "POST",
        lambda w: f"/breakfasts/networks/{w.breakfast_network.id}/edit",
        ORGANISER_POSTS,
        data=lambda w: {"name": "Matrisnätverket 2", "municipality": "Falun"},
    ),
    Route("breakfasts.report", "GET", lambda w: "/breakfasts/report", ORGANISERS),
    Route("breakfasts.report_csv", "GET", lambda w: "/breakfasts/report.csv", ORGANISERS),
]
