"""Runs the award routes of tests/route_matrix/awards.py for every role.

The project-wide matrix test runs them too once it exists; this keeps the award's own
permissions checked on both databases and proves every awards.* endpoint is listed.
"""

import pytest

from tests.factories import make_user
from tests.route_matrix import ROLES, World
from tests.route_matrix import awards as matrix


def test_every_award_endpoint_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    award_endpoints = {name for name in endpoints if name.startswith("awards.")}
    listed = {route.endpoint for route in matrix.ROUTES}
    assert award_endpoints == listed
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("awards."):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert any(
                    r.endpoint == rule.endpoint and r.method == method for r in matrix.ROUTES
                ), f"{rule.endpoint} {method} is not in the matrix"


@pytest.mark.parametrize("role", ROLES)
def test_award_routes_for_role(client, auth, session, role):
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
            failures.append(f"{route.method} {url}: {response.status_code}")
    assert not failures, failures


def test_the_public_sees_nothing_of_dossiers(client, session):
    world = World()
    world.users = {}
    matrix.build(session, world)
    for path in ("/awards/", "/awards/thanks", "/"):
        page = client.get(path).text
        assert "Kooperativet Hantverket" not in page
        assert "karin@hantverket.example" not in page
