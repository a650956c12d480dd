"""The route x role matrix: every Route of every area module, for every role.

A new endpoint fails ``test_every_endpoint_is_in_the_matrix`` until an area module of
``tests/route_matrix/`` lists it with the status each role must get.
"""

from __future__ import annotations

import pytest

from eventapp.auth.services import start_login_session
from tests.factories import make_user
from tests.route_matrix import ROLES, World, all_areas, all_routes

# Roles beside entrepreneur (which everyone holds); the admin is an organiser too.
EXTRA_ROLES = {
    "anonymous": (),
    "entrepreneur": (),
    "juror": ("juror",),
    "panelist": ("panelist",),
    "organiser": ("organiser",),
    "admin": ("organiser", "admin"),
}


def build_world(session) -> World:
    """One user per role in ``world.users``, then every area's objects."""
    world = World()
    world.users = {role: make_user(session, roles=EXTRA_ROLES[role]) for role in ROLES}
    for area in all_areas():
        area.build(session, world)
    session.flush()
    return world


def sign_in(client, session, user) -> None:
    """A real server-side login session for ``user`` in this client's cookie.

    Cheaper than the login form (no Argon2 check per route), and a fresh one per route, so a
    route that signs out or changes the password does not affect the next route.
    """
    token = start_login_session(session, user, "route matrix")
    with client.session_transaction() as flask_session:
        flask_session.clear()
        flask_session["_user_id"] = token
        flask_session["_fresh"] = True


def test_every_endpoint_is_in_the_matrix(app):
    listed = {(route.endpoint, route.method) for route in all_routes()}
    missing = sorted(
        f"{rule.endpoint} {method} {rule.rule}"
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
        if (rule.endpoint, method) not in listed
    )
    assert not missing, "endpoints missing from tests/route_matrix/: " + ", ".join(missing)


def test_the_matrix_lists_no_unknown_endpoints(app):
    known = {rule.endpoint for rule in app.url_map.iter_rules()}
    unknown = sorted({route.endpoint for route in all_routes()} - known)
    assert not unknown, unknown


@pytest.mark.parametrize("role", ROLES)
def test_routes_for_role(app, session, role):
    world = build_world(session)
    world.role = role  # some areas pick "the signed-in role's own object" by it
    failures = []
    for route in all_routes():
        client = app.test_client()
        if role != "anonymous":
            sign_in(client, session, world.users[role])
        url = route.url(world)
        data = route.data(world) if route.data else {}
        response = client.open(url, method=route.method, data=data)
        expected = route.expected(role)
        if response.status_code != expected:
            failures.append(
                f"{route.endpoint} {route.method} {url} {route.note}: "
                f"got {response.status_code}, expected {expected}"
            )
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ["entrepreneur", "juror", "panelist"])
def test_login_required_pages_send_anonymous_visitors_to_sign_in(app, session, role):
    """Where the matrix expects 302 for anonymous and 200 for a signed-in role, the 302 goes
    to the login page (not somewhere that merely happens to redirect)."""
    world = build_world(session)
    for route in all_routes():
        if route.method != "GET" or route.expected("anonymous") != 302:
            continue
        if route.expected(role) != 200:
            continue
        response = app.test_client().get(route.url(world))
        assert response.status_code == 302
        assert response.location.startswith("/auth/login?next="), route
