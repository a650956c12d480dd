"""Runs the sign-up routes of tests/route_matrix/signups.py for every role, on every backend."""

import pytest

from eventapp.calendar import signup_views
from tests.factories import make_user
from tests.route_matrix import ROLES, World
from tests.route_matrix import signups as matrix


def test_every_sign_up_endpoint_and_method_is_in_the_matrix(app):
    ours = {
        f"calendar.{name}"
        for name, view in vars(signup_views).items()
        if callable(view) and getattr(view, "__module__", "") == signup_views.__name__
    }
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint in ours]
    assert len({rule.endpoint for rule in rules}) >= 8
    for rule in rules:
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert any(r.endpoint == rule.endpoint and r.method == method for r in matrix.ROUTES), (
                f"{rule.endpoint} {method} is not in the matrix"
            )


@pytest.mark.parametrize("role", ROLES)
def test_sign_up_routes_for_role(client, auth, session, role):
    world = World()
    world.users = {
        name: make_user(session, None if name in ("anonymous", "entrepreneur") else name)
        for name in ROLES
    }
    matrix.build(session, world)
    if role != "anonymous":
        auth.login_as(world.users[role])
    failures = []
    for route in matrix.ROUTES:
        url = route.url(world)
        data = route.data(world) if route.data else {}
        response = client.open(url, method=route.method, data=data)
        if response.status_code != route.expected(role):
            failures.append(f"{route.method} {url} {route.note}: {response.status_code}")
    assert not failures, failures
