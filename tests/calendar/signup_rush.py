"""A real-stack rush on one event: gunicorn with several workers, a migrated database and
many clients signing up at the same moment. Used by test_signup_concurrency.py and by
bench/signup_rush.py.

Clients are signed in through pre-created server-side login sessions (the same rows a real
login writes) and a session cookie signed with the server's key, so 100 clients do not pay
for 100 Argon2 hashes. The server runs with ENVIRONMENT=testing and CSRF off (EVENTAPP_*
environment variables).
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
SECRET_KEY = "rush-secret-key-that-is-long-enough-0123456789"
COOKIE_NAME = "eventapp_session"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_config(database_url: str, **overrides) -> dict:
    config = {
        "ENVIRONMENT": "testing",
        "SECRET_KEY": SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "MAIL_SEND_AFTER_REQUEST": False,
    }
    config.update(overrides)
    return config


def migrate(database_url: str) -> None:
    from flask_migrate import upgrade

    from eventapp import create_app
    from eventapp.extensions import db

    app = create_app(app_config(database_url))
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory, revision="heads")
        db.engine.dispose()


@dataclass
class RushWorld:
    event_uid: str
    event_id: int
    cookies: list[str]


def seed(database_url: str, clients: int, capacity: int) -> RushWorld:
    """Create one event and ``clients`` signed-in people; return their cookies."""
    from eventapp import create_app
    from eventapp.auth.services import start_login_session
    from eventapp.extensions import db
    from tests.factories import make_event, make_user

    app = create_app(app_config(database_url))
    with app.app_context(), app.test_request_context():
        event = make_event(db.session, capacity=capacity, title="Rusning")
        serializer = app.session_interface.get_signing_serializer(app)
        cookies = []
        for _ in range(clients):
            user = make_user(db.session)
            token = start_login_session(db.session, user, "rush")
            cookies.append(serializer.dumps({"_user_id": token, "_fresh": False}))
        db.session.commit()
        world = RushWorld(str(event.uid), event.id, cookies)
        db.session.remove()
        db.engine.dispose()
    return world


@dataclass
class Gunicorn:
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def host(self) -> str:
        return "127.0.0.1"


@contextmanager
def gunicorn(
    database_url: str,
    tmp: Path,
    *,
    workers: int = 4,
    threads: int = 4,
    naive: bool = False,
    env_overrides: dict[str, str] | None = None,
) -> Iterator[Gunicorn]:
    """Run the app under gunicorn (gthread workers) until the block ends.

    ``env_overrides`` sets or replaces EVENTAPP_* variables (e.g. Redis, rate limits on)."""
    port = free_port()
    env = dict(os.environ)
    env.update(
        {
            "EVENTAPP_ENVIRONMENT": "testing",
            "EVENTAPP_SECRET_KEY": SECRET_KEY,
            "EVENTAPP_SQLALCHEMY_DATABASE_URI": database_url,
            "EVENTAPP_WTF_CSRF_ENABLED": "false",
            "EVENTAPP_RATELIMIT_ENABLED": "false",
            "EVENTAPP_MAIL_TRANSPORT": "file",
            "EVENTAPP_MAIL_FILE_DIR": str(tmp / "mail"),
            "EVENTAPP_MAIL_SEND_AFTER_REQUEST": "false",
            "EVENTAPP_SIGNUP_NAIVE_CHECK_THEN_INSERT": "true" if naive else "false",
        }
    )
    env.update(env_overrides or {})
    log = tmp / f"gunicorn-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(GUNICORN),
                "--workers",
                str(workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(threads),
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                "--log-level",
                "warning",
                "eventapp:create_app()",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Gunicorn(port, process, log)
    try:
        _wait_until_ready(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(server: Gunicorn, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{server.log.read_text()[-3000:]}")
        connection = http.client.HTTPConnection(server.host, server.port, timeout=2)
        try:
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not become ready:\n{server.log.read_text()[-3000:]}")


@dataclass
class RushResult:
    statuses: list[int] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall: float = 0.0

    @property
    def per_second(self) -> float:
        return len(self.statuses) / self.wall if self.wall else 0.0

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else 0.0


def rush(
    server: Gunicorn,
    requests: list[tuple[str, str, bytes | None, str | None]],
) -> RushResult:
    """Send every (method, path, body, cookie) from its own thread, all released at once."""
    result = RushResult()
    lock = threading.Lock()
    barrier = threading.Barrier(len(requests) + 1)

    def client(method: str, path: str, body: bytes | None, cookie: str | None) -> None:
        connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if cookie:
            headers["Cookie"] = f"{COOKIE_NAME}={cookie}"
        try:
            connection.connect()
            barrier.wait()
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            with lock:
                result.statuses.append(response.status)
                result.latencies.append(elapsed)
        except Exception as error:  # noqa: BLE001 - every failure is reported by the caller
            with lock:
                result.errors.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=request) for request in requests]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    result.wall = time.perf_counter() - started
    return result


def signup_requests(world: RushWorld) -> list[tuple[str, str, bytes, str]]:
    body = urllib.parse.urlencode({"show_in_participant_list": ""}).encode()
    path = f"/calendar/events/{world.event_uid}/signup"
    return [("POST", path, body, cookie) for cookie in world.cookies]


@dataclass
class Outcome:
    confirmed: int
    waitlisted: int
    seats_taken: int
    positions: list[int]


def outcome(database_url: str, world: RushWorld) -> Outcome:
    """Read back what the database holds for the event."""
    from sqlalchemy import select

    from eventapp import create_app
    from eventapp.calendar import services
    from eventapp.calendar.models import Event, Signup, SignupStatus
    from eventapp.extensions import db

    app = create_app(app_config(database_url))
    with app.app_context():
        event = db.session.get(Event, world.event_id)
        rows = db.session.scalars(select(Signup).where(Signup.event_id == event.id)).all()
        waiting = [row for row in rows if row.status == SignupStatus.WAITLISTED]
        positions = sorted(services.waitlist_position(db.session, row) for row in waiting)
        result = Outcome(
            confirmed=sum(row.status == SignupStatus.CONFIRMED for row in rows),
            waitlisted=len(waiting),
            seats_taken=event.seats_taken,
            positions=positions,
        )
        db.session.remove()
        db.engine.dispose()
    return result


def python() -> str:
    return sys.executable
