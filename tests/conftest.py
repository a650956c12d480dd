"""Shared fixtures: the app on SQLite and (when configured) PostgreSQL, per-test rollback,
a real local SMTP server, and helpers to sign in.

Every test that uses ``app`` runs once per database backend: SQLite always, PostgreSQL when
``EVENTAPP_TEST_POSTGRES_URL`` is set (CI sets it). Migrations run once per backend and
session; each test runs inside a transaction that is rolled back afterwards.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from flask import g
from sqlalchemy import orm
from sqlalchemy.engine import make_url

from eventapp import create_app
from eventapp.extensions import db
from tests.factories import DEFAULT_PASSWORD

POSTGRES_URL = os.environ.get("EVENTAPP_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


# --- databases ------------------------------------------------------------------------------


def _postgres_admin_url() -> str:
    url = make_url(POSTGRES_URL)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def _create_postgres_database() -> str:
    """Create a throw-away database so parallel runs never share tables."""
    import psycopg

    url = make_url(_postgres_admin_url())
    name = f"eventapp_test_{uuid.uuid4().hex[:10]}"
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(database_url: str) -> None:
    import psycopg

    url = make_url(database_url)
    name = url.database
    admin = make_url(_postgres_admin_url()).set(drivername="postgresql")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory) -> Iterator[str]:
    """An empty database per backend, migrated to the newest revision."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    else:
        url = _create_postgres_database()
    app = create_app(_base_config(url))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=app.extensions["migrate"].directory, revision="heads")
        db.engine.dispose()
    yield url
    if request.param == "postgresql":
        _drop_postgres_database(url)


@pytest.fixture
def backend(database_url) -> str:
    return "postgresql" if database_url.startswith("postgresql") else "sqlite"


# --- mail -----------------------------------------------------------------------------------


@dataclass
class SMTPServer:
    """A real SMTP server on localhost that keeps what it receives."""

    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list = field(default_factory=list)
    # A Condition works as the lock and lets wait_for() sleep until a message arrives.
    lock: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
            self.envelopes.append(envelope)
            self.lock.notify_all()
        return "250 OK"

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()
            self.envelopes.clear()

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]

    def wait_for(self, address: str, *, count: int = 1, timeout: float = 10.0) -> EmailMessage:
        """Block until ``count`` messages to ``address`` have arrived; return the newest.

        For servers that send in the background (the browser tests' live server). Fails with
        the addresses that did receive mail when nothing came within ``timeout`` seconds.
        """
        with self.lock:
            arrived = self.lock.wait_for(
                lambda: sum(m["To"] == address for m in self.messages) >= count, timeout
            )
            if not arrived:
                seen = sorted({str(m["To"]) for m in self.messages})
                raise AssertionError(
                    f"no mail to {address} within {timeout} s; mail arrived for: {seen}"
                )
            return [m for m in self.messages if m["To"] == address][-1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def _smtp_controller():
    from aiosmtpd.controller import Controller

    handler = SMTPServer("127.0.0.1", _free_port())
    controller = Controller(handler, hostname=handler.host, port=handler.port)
    controller.start()
    yield handler
    controller.stop()


@pytest.fixture
def smtp_server(_smtp_controller) -> SMTPServer:
    _smtp_controller.clear()
    return _smtp_controller


# --- the app --------------------------------------------------------------------------------


def _base_config(database_url: str, **overrides) -> dict:
    config = {
        "TESTING": True,
        "ENVIRONMENT": "testing",
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "MAIL_TRANSPORT": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": 1,  # replaced by the smtp_server fixture when a test sends mail
        "BASE_URL": "https://events.example.org",
        "SERVER_NAME": None,
    }
    config.update(overrides)
    return config


@pytest.fixture
def app_config(database_url, _smtp_controller) -> dict:
    """Override in a test module (or parametrize) to change the app's configuration."""
    return _base_config(database_url, MAIL_PORT=_smtp_controller.port)


def _fresh_request_globals() -> None:
    for name in list(vars(g)):
        delattr(g, name)


def _commit_test_setup() -> None:
    """What a test set up before a request counts as committed, as it would be in production.

    It stays inside the test's outer transaction (rolled back after the test); a view that
    rolls back a refused change then undoes only its own request's work, not the test's data.
    """
    db.session.commit()


@pytest.fixture
def app(app_config):
    """The app with every database change of the test rolled back afterwards."""
    app = create_app(app_config)
    # Requests in a test reuse this fixture's app context, and so its ``g``, where Flask-Login
    # keeps the signed-in user, Flask-Babel the locale and Flask-WTF the CSRF token. In
    # production every request has a fresh ``g``; start each test request with one too, or a
    # second client (or a copied cookie) would silently inherit the first one's user.
    app.before_request_funcs.setdefault(None, []).insert(0, _fresh_request_globals)
    app.before_request_funcs[None].insert(0, _commit_test_setup)
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original_session = db.session
        db.session = orm.scoped_session(
            orm.sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        )
        try:
            yield app
        finally:
            db.session.remove()
            db.session = original_session
            outer.rollback()
            connection.close()
            db.engine.dispose()


@pytest.fixture
def session(app):
    """The database session that views use too."""
    return db.session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = DEFAULT_PASSWORD):
        return self._client.post("/auth/login", data={"email": email, "password": password})

    def login_as(self, user, password: str = DEFAULT_PASSWORD):
        response = self.login(user.email, password)
        assert response.status_code == 302, "login failed in a test helper"
        return response

    def logout(self):
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)
