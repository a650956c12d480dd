"""Route x role matrix for the goals dashboard: organisers and admins only."""

from __future__ import annotations

from tests.route_matrix import Route, World

ORGANISERS = {"organiser": 200, "admin": 200, "anonymous": 302, "default": 403}


def build(session, world: World) -> None:
    """The dashboard reads every area's data; the other areas' worlds are enough."""


ROUTES = [
    Route("goals.index", "GET", lambda w: "/goals/", ORGANISERS),
    Route(
        "goals.index",
        "GET",
        lambda w: "/goals/?from_year=2024&to_year=2026",
        ORGANISERS,
        note="a chosen period",
    ),
    Route("goals.export_csv", "GET", lambda w: "/goals/export/labs/list.csv", ORGANISERS),
    Route(
        "goals.export_csv",
        "GET",
        lambda w: "/goals/export/participation/municipalities.csv",
        ORGANISERS,
    ),
]
