"""Route x role matrix for the directory: the list is public, a member manages their own
organisation's listing, organisers see every organisation and mark social enterprises.

The matrix's users belong to no organisation, so their listing page explains how to add one
and withdrawing has nothing to withdraw (404)."""

from __future__ import annotations

from tests.factories import make_organisation
from tests.route_matrix import Route, World

EVERYONE = {"default": 200}
SIGNED_IN = {"anonymous": 302, "default": 200}
ORGANISERS = {"organiser": 200, "admin": 200, "anonymous": 302, "default": 403}
ORGANISER_POSTS = {"organiser": 302, "admin": 302, "anonymous": 302, "default": 403}


def build(session, world: World) -> None:
    world.directory_organisation = make_organisation(session, name="Matrisens förening")


ROUTES = [
    Route("directory.index", "GET", lambda w: "/organisations/", EVERYONE),
    Route("directory.mine", "GET", lambda w: "/organisations/mine", SIGNED_IN),
    Route(
        "directory.mine",
        "POST",
        lambda w: "/organisations/mine",
        SIGNED_IN,
        data=lambda w: {"mission": "Arbetsträning.", "consent": "y"},
        note="no organisation yet: the page explains",
    ),
    Route(
        "directory.withdraw",
        "POST",
        lambda w: "/organisations/mine/withdraw",
        {"anonymous": 302, "default": 404},
        note="no organisation to withdraw",
    ),
    Route("directory.manage", "GET", lambda w: "/organisations/manage", ORGANISERS),
    Route(
        "directory.mark",
        "POST",
        lambda w: f"/organisations/{w.directory_organisation.id}/social",
        ORGANISER_POSTS,
        data=lambda w: {"marked": "1"},
    ),
]
