"""Runs the lab routes of tests/route_matrix/labs.py for every role, on every backend."""

import pytest

from tests.factories import make_user
from tests.route_matrix import ROLES, World
from tests.route_matrix import labs as matrix


def test_every_lab_endpoint_and_method_is_in_the_matrix(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("labs."):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert any(
                    r.endpoint == rule.endpoint and r.method == method for r in matrix.ROUTES
                ), f"{rule.endpoint} {method} is not in the matrix"


@pytest.mark.parametrize("role", ROLES)
def test_lab_routes_for_role(client, auth, session, role):
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
