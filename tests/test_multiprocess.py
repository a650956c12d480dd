"""Several processes, one PostgreSQL: two gunicorn instances on different ports (two workers
each) share a database, as two hosts behind a load balancer would, and requests go to both
at the same moment. Every invariant that a single process could keep by accident must hold
through the database:

* seats are never overbooked and the seat counter equals the confirmed sign-ups;
* the waiting list is in sign-up order (created_at, id) with places 1..n, and a seat freed
  on one instance goes to the first person waiting, whichever instance they used;
* one score per juror, nomination and criterion however many saves race;
* two mail workers (``flask send-mail`` in two processes) sending the same outbox at once
  deliver every message exactly once to a real SMTP server.

PostgreSQL only (SQLite is one file on one host); skipped locally without it, failed in CI.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import threading
import urllib.parse
from collections import Counter

import pytest
from sqlalchemy import func, select, update

from eventapp import create_app
from eventapp.database import utcnow
from eventapp.extensions import db
from tests.backing_services import require_postgres
from tests.calendar import signup_rush

pytestmark = pytest.mark.slow

CLIENTS = 40
SEATS = 8
SAVES = 12
MESSAGES = 40


@pytest.fixture(scope="module")
def shared_database():
    import tests.conftest as conftest

    require_postgres()
    url = conftest._create_postgres_database()
    signup_rush.migrate(url)
    yield url
    conftest._drop_postgres_database(url)


@pytest.fixture(scope="module")
def two_servers(shared_database, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("multiprocess")
    with (
        signup_rush.gunicorn(shared_database, tmp, workers=2, threads=2) as first,
        signup_rush.gunicorn(shared_database, tmp, workers=2, threads=2) as second,
    ):
        assert first.port != second.port
        yield first, second


def _app(url: str):
    return create_app(signup_rush.app_config(url))


def _together(calls) -> list[int]:
    """Send every (server, method, path, body, cookie) from its own thread at once."""
    statuses: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(calls))

    def send(server, method, path, body, cookie):
        connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"{signup_rush.COOKIE_NAME}={cookie}",
        }
        try:
            connection.connect()
            barrier.wait()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            with lock:
                statuses.append(response.status)
        except Exception as error:  # noqa: BLE001 - reported below
            with lock:
                errors.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:5]
    return statuses


def _logs(*servers) -> str:
    return "\n".join(server.log.read_text()[-2000:] for server in servers)


def test_seats_and_waiting_list_hold_across_two_instances(shared_database, two_servers):
    from eventapp.calendar.models import Signup, SignupStatus

    first, second = two_servers
    world = signup_rush.seed(shared_database, CLIENTS, SEATS)
    path = f"/calendar/events/{world.event_uid}/signup"
    body = urllib.parse.urlencode({"show_in_participant_list": ""}).encode()
    calls = [
        (first if number % 2 else second, "POST", path, body, cookie)
        for number, cookie in enumerate(world.cookies)
    ]
    statuses = _together(calls)
    assert not [s for s in statuses if s >= 500], _logs(first, second)
    seen = signup_rush.outcome(shared_database, world)
    assert seen.confirmed == SEATS == seen.seats_taken
    assert seen.waitlisted == CLIENTS - SEATS
    assert seen.positions == list(range(1, CLIENTS - SEATS + 1))

    app = _app(shared_database)
    with app.app_context():
        waiting = db.session.scalars(
            select(Signup)
            .where(Signup.event_id == world.event_id, Signup.status == SignupStatus.WAITLISTED)
            .order_by(Signup.created_at, Signup.id)
        ).all()
        first_waiting = waiting[0].user_id
        confirmed = db.session.scalars(
            select(Signup).where(
                Signup.event_id == world.event_id, Signup.status == SignupStatus.CONFIRMED
            )
        ).all()
        leaving = [
            world.cookies[i]
            for i in range(CLIENTS)
            if _user_of(app, world, i) in {row.user_id for row in confirmed}
        ][:1]
        db.session.remove()
        db.engine.dispose()
    # A confirmed person cancels through the other instance than the one they used.
    statuses = _together([(first, "POST", path + "/cancel", b"", leaving[0])])
    assert statuses == [302]
    with app.app_context():
        promoted = db.session.scalars(
            select(Signup.user_id).where(
                Signup.event_id == world.event_id,
                Signup.status == SignupStatus.CONFIRMED,
                Signup.user_id == first_waiting,
            )
        ).all()
        db.session.remove()
        db.engine.dispose()
    assert promoted == [first_waiting]


def _user_of(app, world, index: int) -> int:
    """The user id behind a rush cookie (the login row its token points at)."""
    from eventapp.auth.services import load_login_session

    serializer = app.session_interface.get_signing_serializer(app)
    token = serializer.loads(world.cookies[index])["_user_id"]
    user = load_login_session(db.session, token, app.config["SESSION_IDLE_TIMEOUT"])
    return user.id


def test_one_score_per_juror_and_criterion_across_two_instances(shared_database, two_servers):
    from eventapp.auth.services import start_login_session
    from eventapp.awards.models import Score, ScoreSheet
    from tests.awards.jury_helpers import appoint, declare, make_jury_cycle, make_jury_dossier
    from tests.factories import make_user

    first, second = two_servers
    app = _app(shared_database)
    with app.app_context(), app.test_request_context():
        cycle = make_jury_cycle(db.session, "scoring")
        dossier = make_jury_dossier(db.session, cycle, "Samtidiga AB")
        juror = make_user(db.session, "juror")
        member = appoint(db.session, cycle, juror)
        declare(db.session, member, dossier)
        criteria = [criterion.id for criterion in cycle.criteria]
        serializer = app.session_interface.get_signing_serializer(app)
        cookie = serializer.dumps(
            {"_user_id": start_login_session(db.session, juror, "test"), "_fresh": False}
        )
        path = f"/awards/jury/{cycle.id}/nominations/{dossier.id}"
        ids = (member.id, dossier.id)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    calls = []
    for number in range(SAVES):
        form = {"action": "submit" if number % 2 else "draft"}
        for criterion in criteria:
            form[f"score_{criterion}"] = str(1 + number % 5)
            form[f"comment_{criterion}"] = f"Save {number}"
        body = urllib.parse.urlencode(form).encode()
        calls.append((first if number % 2 else second, "POST", path, body, cookie))
    statuses = _together(calls)
    assert not [s for s in statuses if s >= 500], _logs(first, second)
    assert 302 in statuses
    with app.app_context():
        sheets = db.session.scalar(
            select(func.count(ScoreSheet.id)).where(
                ScoreSheet.member_id == ids[0], ScoreSheet.dossier_id == ids[1]
            )
        )
        per_criterion = Counter(
            db.session.scalars(
                select(Score.criterion_id).where(
                    Score.member_id == ids[0], Score.dossier_id == ids[1]
                )
            ).all()
        )
        db.session.remove()
        db.engine.dispose()
    assert sheets == 1
    assert per_criterion == Counter({criterion: 1 for criterion in criteria})


def test_two_mail_workers_send_each_message_once(shared_database, smtp_server, tmp_path):
    from eventapp.mail import OutboxMessage

    app = _app(shared_database)
    with app.app_context():
        # Mail the sign-up tests queued is not this test's business.
        db.session.execute(
            update(OutboxMessage).where(OutboxMessage.sent_at.is_(None)).values(sent_at=utcnow())
        )
        db.session.add_all(
            OutboxMessage(
                dedup_key=f"multiprocess:{number}",
                to_address=f"mottagare{number}@example.org",
                subject=f"Meddelande {number}",
                body_text="Hej!",
            )
            for number in range(MESSAGES)
        )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    env = dict(os.environ)
    env.update(
        {
            "EVENTAPP_ENVIRONMENT": "testing",
            "EVENTAPP_SECRET_KEY": signup_rush.SECRET_KEY,
            "EVENTAPP_SQLALCHEMY_DATABASE_URI": shared_database,
            "EVENTAPP_MAIL_TRANSPORT": "smtp",
            "EVENTAPP_MAIL_SERVER": smtp_server.host,
            "EVENTAPP_MAIL_PORT": str(smtp_server.port),
        }
    )
    flask = str(signup_rush.ROOT / ".venv" / "bin" / "flask")
    # Both workers read the same pending ids and race to claim each row, one by one.
    workers = [
        subprocess.Popen(
            [flask, "--app", "eventapp", "send-mail"],
            cwd=signup_rush.ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for _ in range(2)
    ]
    outputs = []
    for worker in workers:
        output, _ = worker.communicate(timeout=120)
        outputs.append(output.decode())
        assert worker.returncode == 0, output.decode()
    with app.app_context():
        pending = db.session.scalar(
            select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))
        )
        db.session.remove()
        db.engine.dispose()
    assert pending == 0, outputs
    # Only this test's messages (the sign-up tests queued mail of their own before).
    received = Counter(
        str(message["To"])
        for message in smtp_server.messages
        if str(message["To"]).startswith("mottagare")
    )
    assert received == Counter({f"mottagare{number}@example.org": 1 for number in range(MESSAGES)})
