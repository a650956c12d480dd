"""The outbox: written with the change, sent after commit over real SMTP, never twice."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from eventapp import mail
from eventapp.auth import services as auth_services
from eventapp.auth.models import User
from eventapp.database import utcnow
from eventapp.mail import OutboxMessage, queue_mail, send_outbox
from tests.factories import make_user


def _queue(session, key: str = "test:1", to: str = "asa@example.org", **context):
    user = make_user(session, email=to, name="Åsa Öberg") if "user" not in context else None
    return queue_mail(
        session,
        dedup_key=key,
        to=to,
        subject="Bekräfta din e-postadress",
        template="mail/confirm_email.txt",
        locale="sv",
        user=context.get("user", user),
        confirm_url="https://events.example.org/auth/confirm/abc",
    )


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(OutboxMessage))


def test_outbox_row_is_part_of_the_changes_transaction(app, session):
    tokens = auth_services.Tokens(app.config["SECRET_KEY"])
    arguments = dict(
        name="Åsa",
        email="asa@example.org",
        password="correct horse battery",
        locale="sv",
        tokens=tokens,
        base_url="https://events.example.org",
    )
    auth_services.register(session, **arguments)
    assert _count(session) == 1
    session.rollback()
    assert _count(session) == 0
    assert session.scalar(select(func.count()).select_from(User)) == 0

    auth_services.register(session, **arguments)
    session.commit()
    assert _count(session) == 1
    assert session.scalar(select(func.count()).select_from(User)) == 1


def test_nothing_is_sent_before_the_commit(app, session, smtp_server):
    """send-mail in another process only sees committed rows; here: rolled back, not sent."""
    _queue(session)
    session.rollback()
    assert send_outbox(app).sent == 0
    assert smtp_server.messages == []


def test_send_outbox_delivers_over_smtp(app, session, smtp_server):
    message = _queue(session)
    session.commit()
    report = send_outbox(app)
    assert (report.sent, report.failed) == (1, 0)
    [received] = smtp_server.messages
    assert received["To"] == "asa@example.org"
    assert received["Subject"] == "Bekräfta din e-postadress"
    assert received["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert received["Message-ID"]
    assert received["Auto-Submitted"] == "auto-generated"
    body = received.get_body(("plain",)).get_content()
    assert "Åsa Öberg" in body
    assert "https://events.example.org/auth/confirm/abc" in body
    assert message.sent_at is not None
    assert message.attempts == 1


def test_smtp_down_keeps_the_row_pending_and_counts_the_attempt(app, session, smtp_server):
    message = _queue(session)
    session.commit()
    app.config["MAIL_PORT"] = _closed_port()
    report = send_outbox(app)
    assert (report.sent, report.failed) == (0, 1)
    session.refresh(message)
    assert message.sent_at is None
    assert message.claimed_at is None
    assert message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error

    # The server is back: the next run sends it.
    app.config["MAIL_PORT"] = smtp_server.port
    assert send_outbox(app).sent == 1
    session.refresh(message)
    assert (message.attempts, message.last_error) == (2, None)
    assert len(smtp_server.messages) == 1


def test_a_message_that_keeps_failing_stops_after_max_attempts(app, session, smtp_server):
    message = _queue(session)
    session.commit()
    app.config["MAIL_PORT"] = _closed_port()
    for _ in range(app.config["MAIL_MAX_ATTEMPTS"] + 2):
        send_outbox(app)
    session.refresh(message)
    assert message.attempts == app.config["MAIL_MAX_ATTEMPTS"]


def test_dedup_key_prevents_a_second_row(session):
    first = _queue(session, key="reset:1")
    second = _queue(session, key="reset:1", to="asa2@example.org")
    assert first is not None and second is None
    assert _count(session) == 1


def test_dedup_key_is_unique_in_the_database(session):
    session.add(
        OutboxMessage(dedup_key="k", to_address="a@example.org", subject="s", body_text="b")
    )
    session.flush()
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(
            OutboxMessage(dedup_key="k", to_address="b@example.org", subject="s", body_text="b")
        )
        session.flush()


def test_two_runs_never_send_the_same_row_twice(app, session, smtp_server):
    _queue(session, key="a")
    _queue(session, key="b", to="karin@example.org")
    session.commit()
    assert send_outbox(app).sent == 2
    assert send_outbox(app).sent == 0
    assert len(smtp_server.messages) == 2


def test_a_run_that_starts_while_another_is_sending_skips_its_row(
    app, session, smtp_server, monkeypatch
):
    """Interleave two workers: the second starts while the first is inside deliver()."""
    _queue(session)
    session.commit()
    real_deliver = mail.deliver
    inner_reports = []

    def deliver_while_another_worker_runs(app_, email):
        if not inner_reports:
            inner_reports.append(send_outbox(app_))
        real_deliver(app_, email)

    monkeypatch.setattr(mail, "deliver", deliver_while_another_worker_runs)
    outer = send_outbox(app)
    assert outer.sent == 1
    assert inner_reports[0].sent == 0
    assert len(smtp_server.messages) == 1


def test_a_stale_claim_is_retried(app, session, smtp_server):
    message = _queue(session)
    message.claimed_at = utcnow() - timedelta(hours=1)  # a worker died mid-send
    fresh = _queue(session, key="other", to="karin@example.org")
    fresh.claimed_at = utcnow()  # a worker is sending this one right now
    session.commit()
    assert send_outbox(app).sent == 1
    assert [m["To"] for m in smtp_server.messages] == ["asa@example.org"]


def test_file_transport_writes_eml_files(app, session, smtp_server, tmp_path):
    app.config.update(MAIL_TRANSPORT="file", MAIL_FILE_DIR=str(tmp_path))
    _queue(session)
    session.commit()
    assert send_outbox(app).sent == 1
    [path] = tmp_path.glob("*.eml")
    written = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert written["To"] == "asa@example.org"
    assert "Åsa Öberg" in written.get_body(("plain",)).get_content()
    assert smtp_server.messages == []


def test_mail_is_rendered_in_the_recipients_language(app, session, smtp_server):
    user = make_user(session, email="en@example.org", locale="en", name="Ann")
    session.commit()
    client = app.test_client()
    client.post("/auth/reset", data={"email": user.email})
    send_outbox(app)
    [message] = smtp_server.to("en@example.org")
    assert "password" in message["Subject"].lower()
    assert "Hello Ann" in message.get_body(("plain",)).get_content()


def test_headers_are_never_built_from_strings(app, session, smtp_server):
    user = make_user(session, name="Name\r\nBcc: x@evil.example")
    session.commit()
    _queue(session, key="x", user=user)
    session.commit()
    send_outbox(app)
    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == ["asa@example.org"]
    assert smtp_server.messages[0]["Bcc"] is None


def test_a_malformed_message_is_given_up_without_stopping_the_run(app, session, smtp_server):
    evil = _queue(session, key="evil", to="asa@example.org\r\nBcc: x@evil.example")
    _queue(session, key="good", to="karin@example.org")
    session.commit()
    report = send_outbox(app)
    assert (report.sent, report.failed) == (1, 1)
    assert [str(m["To"]) for m in smtp_server.messages] == ["karin@example.org"]
    session.refresh(evil)
    assert evil.sent_at is None
    assert evil.attempts == app.config["MAIL_MAX_ATTEMPTS"]
    assert send_outbox(app).failed == 0  # not retried


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
