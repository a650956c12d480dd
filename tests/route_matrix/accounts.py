"""Route x role matrix for the account administration: admins only.

The POST gives the matrix's person the juror role (a change the admin may make), so the
admin is sent back to the account's page."""

from __future__ import annotations

from tests.factories import make_user
from tests.route_matrix import Route, World

ADMINS = {"admin": 200, "anonymous": 302, "default": 403}
ADMIN_POSTS = {"admin": 302, "anonymous": 302, "default": 403}


def build(session, world: World) -> None:
    world.accounts_person = make_user(session)


def _account(world: World) -> str:
    return f"/admin/accounts/{world.accounts_person.id}"


ROUTES = [
    Route("accounts.index", "GET", lambda w: "/admin/accounts", ADMINS),
    Route(
        "accounts.index",
        "GET",
        lambda w: "/admin/accounts?q=person&role=juror&status=active&page=2",
        ADMINS,
        note="searched and filtered",
    ),
    Route("accounts.edit", "GET", _account, ADMINS),
    Route(
        "accounts.edit",
        "POST",
        _account,
        ADMIN_POSTS,
        data=lambda w: {"roles": ["juror"]},
        note="makes the person a juror",
    ),
]
