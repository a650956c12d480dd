"""The outbox: mail is written in the same transaction as the change that causes it.

``queue_mail`` adds a row (flush only). After the request has committed, ``send_outbox``
sends what is pending over SMTP, or into ``instance/mail/`` in development. Each message has
a unique ``dedup_key`` so the same notice is never queued twice, and a worker claims a row
with a conditional UPDATE before sending, so two workers never send the same row.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import Flask, current_app, render_template
from flask_babel import force_locale
from sqlalchemy import CheckConstraint, Integer, LargeBinary, String, Text, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from eventapp.database import UTCDateTime, utcnow
from eventapp.extensions import db

log = logging.getLogger(__name__)

SUBJECT_MAX = 250
CLAIM_TIMEOUT = timedelta(minutes=10)


class OutboxMessage(db.Model):
    """One e-mail waiting to be sent, or sent."""

    __tablename__ = "outbox_messages"
    __table_args__ = (CheckConstraint("attempts >= 0", name="attempts_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Identifies the notice ("password-reset:42:2026-11-26T10:00"): queued at most once.
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(SUBJECT_MAX))
    body_text: Mapped[str] = mapped_column(Text)
    # Optional iCalendar part; ``ics_method`` is the METHOD (REQUEST, CANCEL) it carries.
    ics_data: Mapped[bytes | None] = mapped_column(LargeBinary)
    ics_method: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.dedup_key!r} sent={self.sent_at is not None}>"


def queue_mail(
    session: Session,
    *,
    dedup_key: str,
    to: str,
    subject: str,
    template: str,
    locale: str = "sv",
    ics_data: bytes | None = None,
    ics_method: str | None = None,
    **context,
) -> OutboxMessage | None:
    """Render a text mail in the recipient's language and add it to the outbox.

    Returns None when a message with the same ``dedup_key`` is already queued or sent, or
    when there is no address (a guest at the door or a deleted account is never mailed).
    """
    if not to:
        return None
    existing = session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedup_key == dedup_key))
    if existing is not None:
        return None
    message = render_outbox_message(
        dedup_key=dedup_key,
        to=to,
        subject=subject,
        template=template,
        locale=locale,
        ics_data=ics_data,
        ics_method=ics_method,
        **context,
    )
    session.add(message)
    session.flush()
    return message


def queue_rendered_mails(session: Session, messages: list[OutboxMessage]) -> None:
    """Insert rendered outbox rows in one batch (an executemany, no row fetched back).

    The caller guarantees none of their keys is queued yet (the unique key would refuse
    the whole batch otherwise).
    """
    if not messages:
        return
    session.execute(
        insert(OutboxMessage),
        [
            {
                "dedup_key": message.dedup_key,
                "to_address": message.to_address,
                "subject": message.subject,
                "body_text": message.body_text,
                "ics_data": message.ics_data,
                "ics_method": message.ics_method,
                "created_at": utcnow(),
                "attempts": 0,
            }
            for message in messages
        ],
    )


def render_outbox_message(
    *,
    dedup_key: str,
    to: str,
    subject: str,
    template: str,
    locale: str = "sv",
    ics_data: bytes | None = None,
    ics_method: str | None = None,
    **context,
) -> OutboxMessage:
    """The outbox row of one mail, rendered in the recipient's language, not yet added.

    For a send-out to many people whose caller already knows none of them was mailed
    (invitations): they are added together and inserted in one batch.
    """
    with force_locale(locale):
        body = render_template(template, **context)
        subject = str(subject)
    return OutboxMessage(
        dedup_key=dedup_key[:200],
        to_address=to,
        subject=subject[:SUBJECT_MAX],
        body_text=body,
        ics_data=ics_data,
        ics_method=ics_method,
    )


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    """Build the MIME message; header values go through EmailMessage, never concatenation."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = format_datetime(message.created_at)
    email["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip(">"))
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body_text)
    if message.ics_data:
        method = message.ics_method or "PUBLISH"
        # Calendar clients read the MIME method= to decide how to treat the invite; it must
        # equal the METHOD inside the file.
        email.add_alternative(
            message.ics_data.decode("utf-8"),
            subtype="calendar",
            params={"method": method},
        )
        email.add_attachment(
            message.ics_data,
            maintype="application",
            subtype="ics",
            filename="invite.ics",
        )
    return email


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0


def send_outbox(app: Flask, limit: int = 100) -> SendReport:
    """Send pending messages; each row is claimed first so parallel workers never double-send."""
    report = SendReport()
    session = db.session
    now = utcnow()
    pending_ids = session.scalars(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.attempts < app.config["MAIL_MAX_ATTEMPTS"],
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    session.commit()
    for message_id in pending_ids:
        claimed = session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.sent_at.is_(None),
                (OutboxMessage.claimed_at.is_(None))
                | (OutboxMessage.claimed_at < now - CLAIM_TIMEOUT),
            )
            .values(claimed_at=utcnow(), attempts=OutboxMessage.attempts + 1)
        ).rowcount
        session.commit()
        if not claimed:
            continue
        message = session.get(OutboxMessage, message_id)
        try:
            email = build_email(message, app.config["MAIL_DEFAULT_SENDER"])
        except ValueError as error:
            # A malformed message (a line break in an address) never becomes sendable: give
            # up on it at once instead of stopping the whole run on every retry.
            log.error("mail %s cannot be built: %s", message_id, error)
            message.claimed_at = None
            message.attempts = app.config["MAIL_MAX_ATTEMPTS"]
            message.last_error = f"{type(error).__name__}: {error}"[:500]
            report.failed += 1
            session.commit()
            continue
        try:
            deliver(app, email)
        except (OSError, smtplib.SMTPException) as error:
            log.warning("mail %s not sent: %s", message_id, type(error).__name__)
            message.claimed_at = None
            message.last_error = f"{type(error).__name__}: {error}"[:500]
            report.failed += 1
        else:
            message.sent_at = utcnow()
            message.last_error = None
            report.sent += 1
        session.commit()
    return report


def deliver(app: Flask, email: EmailMessage) -> None:
    """Hand one message to the configured transport."""
    if app.config["MAIL_TRANSPORT"] == "file":
        folder = Path(app.config.get("MAIL_FILE_DIR") or Path(app.instance_path) / "mail")
        folder.mkdir(parents=True, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
        (folder / f"{stamp}.eml").write_bytes(bytes(email))
        return
    config = app.config
    context = ssl.create_default_context()
    if config["MAIL_USE_SSL"]:
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            config["MAIL_SERVER"],
            config["MAIL_PORT"],
            timeout=config["MAIL_TIMEOUT"],
            context=context,
        )
    else:
        smtp = smtplib.SMTP(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
        )
    with smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls(context=context)
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(email)


def send_after_request(app: Flask) -> None:
    """In development, send the outbox once the response is done (after the commit)."""
    if not app.config["MAIL_SEND_AFTER_REQUEST"]:
        return

    @app.teardown_request
    def _send_pending(exc):
        if exc is not None:
            return
        try:
            send_outbox(current_app._get_current_object())
        except Exception:  # noqa: BLE001 - mail trouble must never break a page
            log.exception("sending the outbox after the request failed")
            db.session.rollback()
