"""Through the real stack: gunicorn with 4 workers x 4 threads, 100 clients signing up for
10 seats at the same moment, on SQLite and (when configured) PostgreSQL.

The negative control runs the same rush with the testing-only naive check-then-insert path.
On PostgreSQL it overbooks, which proves the harness can see overbooking. On SQLite it does
NOT: every POST starts with BEGIN IMMEDIATE, which serialises writers, so even the naive
code holds; the test asserts exactly that rather than pretending otherwise.
"""

from __future__ import annotations

import pytest

from tests.calendar import signup_rush
from tests.conftest import POSTGRES_URL, _create_postgres_database, _drop_postgres_database

pytestmark = pytest.mark.slow

CLIENTS = 100
SEATS = 10
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


@pytest.fixture(params=BACKENDS)
def rush_database(request, tmp_path):
    """A fresh migrated database per run (not the rolled-back test database)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'rush.sqlite'}"
    else:
        url = _create_postgres_database()
    signup_rush.migrate(url)
    yield request.param, url
    if request.param == "postgresql":
        _drop_postgres_database(url)


def _run(url, tmp_path, *, naive: bool):
    world = signup_rush.seed(url, CLIENTS, SEATS)
    with signup_rush.gunicorn(url, tmp_path, naive=naive) as server:
        result = signup_rush.rush(server, signup_rush.signup_requests(world))
        log = server.log
    return world, result, log


def test_rush_never_overbooks(rush_database, tmp_path):
    backend, url = rush_database
    world, result, log = _run(url, tmp_path, naive=False)
    assert not result.errors, result.errors[:5]
    assert len(result.statuses) == CLIENTS
    assert not [s for s in result.statuses if s >= 500], log.read_text()[-3000:]
    assert set(result.statuses) == {302}
    seen = signup_rush.outcome(url, world)
    assert seen.confirmed == SEATS
    assert seen.waitlisted == CLIENTS - SEATS
    assert seen.seats_taken == seen.confirmed
    assert seen.positions == list(range(1, CLIENTS - SEATS + 1))


def test_negative_control_naive_check_then_insert(rush_database, tmp_path):
    backend, url = rush_database
    world, result, log = _run(url, tmp_path, naive=True)
    assert not result.errors, result.errors[:5]
    assert not [s for s in result.statuses if s >= 500], log.read_text()[-3000:]
    seen = signup_rush.outcome(url, world)
    if backend == "postgresql":
        # The race is real: concurrent transactions all saw a free seat.
        assert seen.confirmed > SEATS
        assert seen.seats_taken != seen.confirmed
    else:
        # BEGIN IMMEDIATE serialises SQLite writers, so even the naive path cannot race.
        assert seen.confirmed == SEATS
        assert seen.seats_taken == seen.confirmed
