"""Retention: remove or anonymise personal data whose period has run out (`flask purge`).

Each rule names a data category, the config key of its period (in days) and what happens.
The privacy notice lists the same rules with the same numbers, read from the same config,
so the page and the purge cannot disagree. Running it twice changes nothing the second time:
every rule only selects rows that still hold the data it removes.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from eventapp.auth.models import LoginSession, Role, User, UserRole
from eventapp.awards.models import AwardCycle, Dossier, Nomination
from eventapp.boards.models import ApplicationStatus, BoardSession, PitchApplication
from eventapp.calendar.feed_models import FeedToken
from eventapp.calendar.models import Event, EventInvitation, Signup
from eventapp.database import utcnow
from eventapp.mail import OutboxMessage, queue_mail
from eventapp.privacy.services import REMOVED_TEXT, delete_account

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionRule:
    key: str
    config_key: str
    category: Any  # lazy strings for the privacy notice
    action: Any


RULES: tuple[RetentionRule, ...] = (
    RetentionRule(
        "unconfirmed_accounts",
        "RETENTION_UNCONFIRMED_ACCOUNT_DAYS",
        _l("Accounts whose e-mail address was never confirmed"),
        _l("anonymised %(days)d days after registration"),
    ),
    RetentionRule(
        "inactive_accounts",
        "RETENTION_INACTIVE_ACCOUNT_DAYS",
        _l("Accounts not used (no sign-in, and for guests no event)"),
        _l(
            "anonymised %(days)d days after the last use, with an e-mail a month before; "
            "administrators are kept"
        ),
    ),
    RetentionRule(
        "sent_mail",
        "RETENTION_SENT_MAIL_DAYS",
        _l("E-mails we sent you (the outbox)"),
        _l("deleted %(days)d days after sending"),
    ),
    RetentionRule(
        "login_sessions",
        "RETENTION_LOGIN_SESSION_DAYS",
        _l("Sign-ins (time and browser) and revoked calendar feed links"),
        _l("deleted %(days)d days after they ended"),
    ),
    RetentionRule(
        "signup_details",
        "RETENTION_SIGNUP_DETAILS_DAYS",
        _l("Sign-up details (cancellation reasons, being shown in participant lists)"),
        _l("removed %(days)d days after the event; the attendance itself is kept for statistics"),
    ),
    RetentionRule(
        "accessibility_needs",
        "RETENTION_ACCESSIBILITY_NEEDS_DAYS",
        _l("Accessibility needs you told a business board"),
        _l("deleted %(days)d days after the board"),
    ),
    RetentionRule(
        "closed_applications",
        "RETENTION_CLOSED_APPLICATION_DAYS",
        _l("Business board applications that were declined or withdrawn"),
        _l("the text is deleted %(days)d days after the decision; the count is kept"),
    ),
    RetentionRule(
        "event_invitations",
        "RETENTION_EVENT_INVITATION_DAYS",
        _l("That we e-mailed you an invitation to an event"),
        _l("deleted %(days)d days after the event"),
    ),
    RetentionRule(
        "nominator_contact",
        "RETENTION_NOMINATOR_CONTACT_DAYS",
        _l("Nominators' names and e-mail addresses in award nominations"),
        _l("deleted %(days)d days after the jury's scoring closed"),
    ),
)


def periods(config: Mapping[str, Any]) -> dict[str, timedelta]:
    return {rule.key: timedelta(days=int(config[rule.config_key])) for rule in RULES}


def notice_rows(config: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(category, what happens) for the privacy notice, with the configured numbers."""
    return [
        (str(rule.category), str(rule.action) % {"days": int(config[rule.config_key])})
        for rule in RULES
    ]


def purge(
    session: Session, config: Mapping[str, Any], now: datetime | None = None
) -> dict[str, int]:
    """Apply every retention rule at ``now``; return how many rows each rule changed."""
    now = now or utcnow()
    period = periods(config)
    report = {
        "unconfirmed_accounts": _anonymise(
            session, _unconfirmed(now - period["unconfirmed_accounts"]), now
        ),
        "inactive_accounts": _anonymise(session, _inactive(now - period["inactive_accounts"]), now),
        "inactive_warnings": _warn_inactive(session, config, period["inactive_accounts"], now),
        "sent_mail": _delete_count(
            session,
            delete(OutboxMessage).where(
                or_(
                    OutboxMessage.sent_at < now - period["sent_mail"],
                    # Given up on: never sent, and old enough that it never will be.
                    and_(
                        OutboxMessage.sent_at.is_(None),
                        OutboxMessage.attempts >= int(config.get("MAIL_MAX_ATTEMPTS", 5)),
                        OutboxMessage.created_at < now - period["sent_mail"],
                    ),
                )
            ),
        ),
        "login_sessions": _purge_sessions(session, config, now - period["login_sessions"]),
        "signup_details": _update_count(
            session,
            update(Signup)
            .where(
                Signup.event_id.in_(
                    select(Event.id).where(Event.starts_at < now - period["signup_details"])
                ),
                or_(
                    Signup.cancellation_reason.is_not(None),
                    Signup.show_in_participant_list.is_(True),
                ),
            )
            .values(cancellation_reason=None, show_in_participant_list=False),
        ),
        "accessibility_needs": _update_count(
            session,
            update(PitchApplication)
            .where(
                PitchApplication.board_id.in_(
                    select(BoardSession.id)
                    .join(Event, BoardSession.event_id == Event.id)
                    .where(Event.ends_at < now - period["accessibility_needs"])
                ),
                PitchApplication.accessibility_needs != "",
            )
            .values(accessibility_needs=""),
        ),
        "closed_applications": _update_count(
            session,
            update(PitchApplication)
            .where(
                PitchApplication.status.in_(
                    [ApplicationStatus.DECLINED.value, ApplicationStatus.WITHDRAWN.value]
                ),
                func.coalesce(
                    PitchApplication.withdrawn_at,
                    PitchApplication.decided_at,
                    PitchApplication.updated_at,
                )
                < now - period["closed_applications"],
                PitchApplication.idea != REMOVED_TEXT,
            )
            .values(
                organisation_name=REMOVED_TEXT,
                idea=REMOVED_TEXT,
                social_impact=REMOVED_TEXT,
                other_wish="",
                accessibility_needs="",
                decline_message=None,
            ),
        ),
        "event_invitations": _delete_count(
            session,
            delete(EventInvitation).where(
                EventInvitation.event_id.in_(
                    select(Event.id).where(Event.ends_at < now - period["event_invitations"])
                )
            ),
        ),
        "nominator_contact": _update_count(
            session,
            update(Nomination)
            .where(
                Nomination.dossier_id.in_(
                    select(Dossier.id)
                    .join(AwardCycle, Dossier.cycle_id == AwardCycle.id)
                    .where(AwardCycle.scoring_close_on < (now - period["nominator_contact"]).date())
                ),
                Nomination.nominator_email != "",
            )
            .values(nominator_name=REMOVED_TEXT, nominator_email=""),
        ),
    }
    session.flush()
    log.info("purge: %s", ", ".join(f"{key}={count}" for key, count in report.items()))
    return report


def _unconfirmed(cutoff: datetime):
    return select(User).where(
        User.deleted_at.is_(None),
        User.is_guest.is_(False),
        User.email_confirmed_at.is_(None),
        User.created_at < cutoff,
    )


def _inactive(cutoff: datetime):
    last_event = (
        select(func.max(Event.starts_at))
        .join(Signup, Signup.event_id == Event.id)
        .where(Signup.user_id == User.id)
        .scalar_subquery()
    )
    admins = select(UserRole.user_id).where(UserRole.role == Role.ADMIN)
    return select(User).where(
        User.deleted_at.is_(None),
        User.id.not_in(admins),
        or_(
            # People with an account: the last sign-in (or registration, if never).
            and_(
                User.is_guest.is_(False),
                User.email_confirmed_at.is_not(None),
                func.coalesce(User.last_login_at, User.created_at) < cutoff,
            ),
            # Guests recorded at the door: their last event (or when they were recorded).
            and_(User.is_guest.is_(True), func.coalesce(last_event, User.created_at) < cutoff),
        ),
    )


def _warn_inactive(
    session: Session, config: Mapping[str, Any], period: timedelta, now: datetime
) -> int:
    """Mail people whose account will be anonymised within the warning period.

    The key names the last sign-in, so each stretch of inactivity is warned about once.
    """
    warning = timedelta(days=int(config.get("RETENTION_INACTIVE_WARNING_DAYS", 30)))
    users = session.scalars(_inactive(now - period + warning).order_by(User.id)).all()
    base_url = str(config.get("BASE_URL", "")).rstrip("/")
    queued = 0
    for user in users:
        if user.is_guest or not user.can_receive_mail:
            continue
        last_use = user.last_login_at or user.created_at
        message = queue_mail(
            session,
            dedup_key=f"inactive-warning:{user.id}:{last_use:%Y%m%d%H%M%S}",
            to=user.email,
            subject=_l("Your account will be deleted unless you sign in"),
            template="privacy/inactive_warning.txt",
            locale=user.locale,
            user=user,
            deletion_at=max(last_use + period, now),
            login_url=f"{base_url}/auth/login",
        )
        queued += message is not None
    return queued


def _anonymise(session: Session, query, now: datetime) -> int:
    users = session.scalars(query.order_by(User.id)).all()
    for user in users:
        delete_account(session, user, actor=user, now=now)
    return len(users)


def _purge_sessions(session: Session, config: Mapping[str, Any], cutoff: datetime) -> int:
    idle = config.get("SESSION_IDLE_TIMEOUT", timedelta(days=14))
    ended = or_(
        LoginSession.revoked_at < cutoff,
        # Never revoked, but idle so long that it stopped working: ended at last use + idle.
        LoginSession.last_seen_at < cutoff - idle,
    )
    count = _delete_count(session, delete(LoginSession).where(ended))
    return count + _delete_count(session, delete(FeedToken).where(FeedToken.revoked_at < cutoff))


def _delete_count(session: Session, statement) -> int:
    return session.execute(statement.execution_options(synchronize_session=False)).rowcount or 0


def _update_count(session: Session, statement) -> int:
    return session.execute(statement.execution_options(synchronize_session=False)).rowcount or 0
