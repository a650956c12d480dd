"""PostgreSQL and Redis for the tests that need the real thing.

Locally a missing service skips those tests with a reason; in CI (``CI`` set) it fails
them, so a broken CI image can never turn into a green run with the checks left out.
"""

from __future__ import annotations

import os

import pytest

from tests.conftest import POSTGRES_URL

REDIS_URL = os.environ.get("EVENTAPP_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run this test)")
    pytest.skip(reason)


def require_postgres() -> str:
    """The admin URL of the test PostgreSQL server, or skip (fail in CI)."""
    if not POSTGRES_URL:
        _missing("PostgreSQL not configured: set EVENTAPP_TEST_POSTGRES_URL")
    return POSTGRES_URL


def require_redis() -> str:
    """The URL of a Redis database the tests may fill and empty, or skip (fail in CI)."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        _missing(f"Redis not reachable at {REDIS_URL}: {error}")
    return REDIS_URL
