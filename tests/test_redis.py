"""Redis (``REDIS_URL``) shares rate limits and the public feed cache between processes.

Against the local Redis server (``EVENTAPP_TEST_REDIS_URL``, default database 15 of
127.0.0.1:6379); skipped locally when it is not running, failed in CI. Every test uses its
own key prefix and removes its keys, so runs in parallel do not meet.

Each sharing test has its negative control: the same steps with the in-process default
show that without Redis the second process does not see the first one's counts or renders.
"""

from __future__ import annotations

import http.client
import urllib.parse
import uuid
from datetime import timedelta

import pytest

from eventapp import cache, create_app
from eventapp.database import utcnow
from eventapp.extensions import db
from tests.backing_services import require_redis
from tests.calendar import signup_rush
from tests.factories import make_event

LOGIN_LIMIT = 3


@pytest.fixture
def redis_url():
    return require_redis()


@pytest.fixture
def prefix(redis_url):
    """A key prefix of this test's own; its keys are deleted afterwards."""
    import redis

    value = f"eventapp-test-{uuid.uuid4().hex[:12]}:"
    yield value
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"*{value}*"))
    if keys:
        client.delete(*keys)


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    """A migrated SQLite file of this module's own: two apps must see each other's commits,
    which the rolled-back test database cannot give."""
    url = f"sqlite:///{tmp_path_factory.mktemp('redis') / 'redis.sqlite'}"
    signup_rush.migrate(url)
    return url


def _app(database: str, **config):
    app = create_app(signup_rush.app_config(database, **config))
    return app


# --- configuration ----------------------------------------------------------------------------


def test_redis_url_becomes_the_rate_limit_storage(database, redis_url):
    app = _app(database, REDIS_URL=redis_url)
    assert app.config["RATELIMIT_STORAGE_URI"] == redis_url
    assert cache.store(app).shared


def test_an_explicit_rate_limit_storage_wins(database, redis_url):
    app = _app(database, REDIS_URL=redis_url, RATELIMIT_STORAGE_URI="redis://10.0.0.9:6379/3")
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://10.0.0.9:6379/3"


def test_without_redis_everything_stays_in_the_process(database):
    app = _app(database)
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert not cache.store(app).shared


# --- the feed cache ---------------------------------------------------------------------------


def _feed(app):
    response = app.test_client().get("/calendar.ics")
    assert response.status_code == 200
    return response


def _add_event(app, title: str) -> None:
    with app.app_context():
        make_event(db.session, title=title, starts_at=utcnow() + timedelta(days=3))
        db.session.commit()
        db.session.remove()


def test_feed_cache_is_shared_and_follows_changes(database, redis_url, prefix):
    first = _app(database, REDIS_URL=redis_url, CACHE_KEY_PREFIX=prefix)
    second = _app(database, REDIS_URL=redis_url, CACHE_KEY_PREFIX=prefix)
    _add_event(first, "Delad frukost")
    rendered = _feed(first)
    served = _feed(second)
    assert served.data == rendered.data
    assert served.headers["ETag"] == rendered.headers["ETag"]
    assert second.extensions["eventapp.feed_cache"].renders == 0  # it came from Redis
    assert first.extensions["eventapp.feed_cache"].renders == 1

    # A change made through either process is in the next answer of both.
    _add_event(second, "Ny kvällsträff")
    for app in (first, second):
        body = _feed(app).data.decode()
        assert "Ny kvällsträff" in body
    assert (
        first.extensions["eventapp.feed_cache"].renders
        + second.extensions["eventapp.feed_cache"].renders
        == 2
    )


def test_negative_control_without_redis_each_process_renders(database):
    first, second = _app(database), _app(database)
    _add_event(first, "Egen frukost")
    assert _feed(first).data == _feed(second).data
    assert second.extensions["eventapp.feed_cache"].renders == 1


def test_feed_still_works_when_redis_is_down(database, caplog):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    app = _app(database, REDIS_URL=f"redis://127.0.0.1:{closed_port}/0")
    _add_event(app, "Utan Redis")
    assert "Utan Redis" in _feed(app).data.decode()
    assert "Redis cache unavailable" in caplog.text


# --- rate limits across processes -------------------------------------------------------------


def _failed_logins(servers, attempts: int) -> list[int]:
    """Wrong passwords for one account, alternating between the servers."""
    statuses = []
    body = urllib.parse.urlencode({"email": "ingen@example.org", "password": "fel-lösenord"})
    for number in range(attempts):
        server = servers[number % len(servers)]
        connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
        try:
            connection.request(
                "POST",
                "/auth/login",
                body=body.encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
        finally:
            connection.close()
    return statuses


def _limited(database, tmp_path, overrides):
    env = {
        "EVENTAPP_RATELIMIT_ENABLED": "true",
        "EVENTAPP_LOGIN_LIMIT_PER_IP": f"{LOGIN_LIMIT} per minute",
        "EVENTAPP_LOGIN_LIMIT_PER_ACCOUNT": f"{LOGIN_LIMIT} per minute",
        **overrides,
    }
    first = signup_rush.gunicorn(database, tmp_path, workers=1, threads=1, env_overrides=env)
    second = signup_rush.gunicorn(database, tmp_path, workers=1, threads=1, env_overrides=env)
    return first, second


@pytest.mark.slow
def test_rate_limit_holds_across_two_processes(database, redis_url, prefix, tmp_path):
    first, second = _limited(
        database,
        tmp_path,
        {"EVENTAPP_REDIS_URL": redis_url, "EVENTAPP_RATELIMIT_KEY_PREFIX": prefix},
    )
    with first as one, second as two:
        statuses = _failed_logins([one, two], LOGIN_LIMIT + 1)
    # Three refusals of the password spread over two servers, then the limit: shared.
    assert statuses == [200] * LOGIN_LIMIT + [429]


@pytest.mark.slow
def test_negative_control_memory_limits_are_per_process(database, tmp_path):
    first, second = _limited(database, tmp_path, {})
    with first as one, second as two:
        statuses = _failed_logins([one, two], LOGIN_LIMIT + 1)
    # Each process saw at most two attempts: nobody is limited yet.
    assert 429 not in statuses
