"""A small shared cache: in this process by default, in Redis when ``REDIS_URL`` is set.

Several gunicorn workers (or hosts) each keep their own memory; a value one of them renders
is only shared when the store is Redis. The interface is deliberately tiny (bytes in, bytes
out, a time to live) so the callers own their serialisation and nothing is unpickled from
the network.

``REDIS_URL`` (``EVENTAPP_REDIS_URL``) also becomes Flask-Limiter's storage unless
``RATELIMIT_STORAGE_URI`` was set to something other than the in-memory default, so rate
limits hold across processes too.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from typing import Protocol

from flask import Flask, current_app

EXTENSION = "eventapp.cache"
PREFIX = "eventapp:"
MEMORY_ENTRIES = 256


class Store(Protocol):
    def get(self, key: str) -> bytes | None: ...
    def set(self, key: str, value: bytes, ttl: int) -> None: ...
    def clear(self) -> None: ...


class MemoryStore:
    """A bounded LRU dictionary with expiry; one per process (and per app)."""

    shared = False

    def __init__(self, size: int = MEMORY_ENTRIES):
        self.size = size
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def set(self, key: str, value: bytes, ttl: int) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic() + ttl, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class RedisStore:
    """Keys under one prefix in a Redis database, shared by every process that uses it.

    A Redis that is down must not take pages down with it: errors count as a miss (get) or
    are dropped (set), and the caller renders as if there were no cache.
    """

    shared = True

    def __init__(self, url: str, prefix: str = PREFIX):
        import redis

        self.prefix = prefix
        # Short timeouts: a cache that answers slowly is worse than rendering again.
        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)

    def get(self, key: str) -> bytes | None:
        import redis

        try:
            return self.client.get(self.prefix + key)
        except redis.RedisError:
            current_app.logger.warning("Redis cache unavailable (get)", exc_info=True)
            return None

    def set(self, key: str, value: bytes, ttl: int) -> None:
        import redis

        try:
            self.client.set(self.prefix + key, value, ex=ttl)
        except redis.RedisError:
            current_app.logger.warning("Redis cache unavailable (set)", exc_info=True)

    def clear(self) -> None:
        """Delete this app's keys only (never FLUSHDB: the database may be shared)."""
        keys = list(self.client.scan_iter(match=self.prefix + "*", count=500))
        if keys:
            self.client.delete(*keys)


def cache_key(*parts: object) -> str:
    """A short stable key from values with a stable repr (tuples, dataclasses, dates)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def init_app(app: Flask) -> None:
    """Pick the store, and point Flask-Limiter at Redis when only REDIS_URL is given."""
    url = app.config.get("REDIS_URL")
    if url and app.config.get("RATELIMIT_STORAGE_URI", "memory://") == "memory://":
        app.config["RATELIMIT_STORAGE_URI"] = url
        # Redis down must not mean "nobody can sign in": count in memory until it is back.
        app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    prefix = app.config.get("CACHE_KEY_PREFIX") or PREFIX
    app.extensions[EXTENSION] = RedisStore(url, prefix) if url else MemoryStore()


def store(app: Flask | None = None) -> Store:
    """This app's store."""
    return (app or current_app).extensions[EXTENSION]


def clear_all(app: Flask | None = None) -> None:
    """Empty the store and the per-process caches built on it (tests, benchmarks)."""
    app = app or current_app
    store(app).clear()
    feed_cache = app.extensions.get("eventapp.feed_cache")
    if feed_cache is not None:
        feed_cache.clear()
