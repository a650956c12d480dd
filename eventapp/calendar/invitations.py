"""Invitations: an organiser mails one coming event to everyone who asked for invitations.

The people are those whose newest INVITATIONS consent record says given, who can be mailed
(an address, not a guest, not deleted, not disabled, the address confirmed) and who have no
active sign-up for the event yet. Each invitation is recorded as an ``EventInvitation``
row (kept until the event is over, unlike the outbox, which is purged after a few months),
so sending again mails only people who were not invited before (someone who gave the
consent since, or cancelled their sign-up). The mails go through the outbox with the key
``invitation:<event id>:<user id>``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, exists, func, insert, select
from sqlalchemy.orm import Session, lazyload

from eventapp.auth.models import User
from eventapp.calendar.models import ACTIVE_SIGNUP_STATUSES, Event, EventInvitation, Signup
from eventapp.calendar.services import EventError
from eventapp.database import utcnow
from eventapp.mail import queue_rendered_mails, render_outbox_message

log = logging.getLogger(__name__)

TEMPLATE = "mail/event_invitation.txt"


class InvitationError(EventError):
    """The event cannot be sent as an invitation; ``message`` is safe to show."""


@dataclass(frozen=True)
class InvitationCounts:
    """How many people get a mail now, and how many were invited to this event before."""

    queued: int
    already_invited: int


def invitation_key(event: Event, user: User) -> str:
    """The outbox key of one person's invitation to one event."""
    return f"invitation:{event.id}:{user.id}"


def invitation_refusal(event: Event, now: datetime | None = None) -> str | None:
    """Why the event cannot be sent as an invitation (a message to show), or None if it can."""
    if event.is_cancelled:
        return _l("The event is cancelled, so no invitations can be sent.")
    if not event.is_public:
        return _l("Only public events can be sent as invitations. This event is unlisted.")
    if event.starts_at <= (now or utcnow()):
        return _l("The event has already started, so no invitations can be sent.")
    return None


def _newest_invitation_consents():
    """Each person's newest INVITATIONS record, ranked by time (then id, for equal times)."""
    # Imported here: the privacy package imports the award models, which import the calendar.
    from eventapp.privacy.models import ConsentKind, ConsentRecord

    rank = (
        func.row_number()
        .over(
            partition_by=ConsentRecord.user_id,
            order_by=(ConsentRecord.at.desc(), ConsentRecord.id.desc()),
        )
        .label("rank")
    )
    return (
        select(ConsentRecord.user_id, ConsentRecord.given, rank)
        .where(ConsentRecord.kind == ConsentKind.INVITATIONS)
        .subquery("newest_invitation_consent")
    )


def _invited(event: Event):
    return exists().where(EventInvitation.event_id == event.id, EventInvitation.user_id == User.id)


def _recipient_conditions(event: Event, consent):
    signed_up = exists().where(
        Signup.event_id == event.id,
        Signup.user_id == User.id,
        Signup.status.in_(ACTIVE_SIGNUP_STATUSES),
    )
    return and_(
        consent.c.rank == 1,
        consent.c.given.is_(True),
        User.email.is_not(None),
        User.email != "",
        User.email_confirmed_at.is_not(None),
        User.deleted_at.is_(None),
        User.is_guest.is_(False),
        User.is_disabled.is_(False),
        ~signed_up,
    )


def recipients_query(event: Event) -> Select:
    """The SELECT of the people to invite to ``event`` and not invited yet, in id order."""
    consent = _newest_invitation_consents()
    return (
        select(User)
        .join(consent, consent.c.user_id == User.id)
        .where(_recipient_conditions(event, consent), ~_invited(event))
        .order_by(User.id)
        # The roles are not needed here; their eager load would add a query per 500 people.
        .options(lazyload(User.role_rows))
    )


def invitation_recipients(session: Session, event: Event) -> Sequence[User]:
    """Everyone to invite to ``event`` now, in one query whatever their number."""
    return session.scalars(recipients_query(event)).all()


def invitation_counts(session: Session, event: Event) -> InvitationCounts:
    """How many people a send would mail now, and how many of them were invited before.

    One query: the people who may be invited, joined to the invitations already sent.
    """
    consent = _newest_invitation_consents()
    total, invited = session.execute(
        select(func.count(User.id), func.count(EventInvitation.id))
        .select_from(User)
        .join(consent, consent.c.user_id == User.id)
        .outerjoin(
            EventInvitation,
            and_(EventInvitation.event_id == event.id, EventInvitation.user_id == User.id),
        )
        .where(_recipient_conditions(event, consent))
    ).one()
    return InvitationCounts(queued=total - invited, already_invited=invited)


def _lock_event(session: Session, event: Event) -> None:
    """Make two sends of the same event take turns, so the second finds the first's keys,
    and reload the event so a cancellation committed meanwhile is seen.

    PostgreSQL takes the row lock; SQLite ignores FOR UPDATE but already runs one writing
    request at a time (BEGIN IMMEDIATE, see ``eventapp.database``).
    """
    session.execute(
        select(Event)
        .where(Event.id == event.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def send_invitations(
    session: Session, event: Event, sender: User, *, now: datetime | None = None
) -> InvitationCounts:
    """Queue an invitation to ``event`` for every recipient not invited to it before.

    Raises ``InvitationError`` for a cancelled, unlisted or past event. ``sender`` is the
    organiser who sends; the mails come from the site's address.
    """
    _lock_event(session, event)
    refusal = invitation_refusal(event, now)
    if refusal is not None:
        raise InvitationError(refusal)
    already_invited = invitation_counts(session, event).already_invited
    now = now or utcnow()
    recipients = invitation_recipients(session, event)
    # Rendered one by one (each in the person's language), inserted in one batch each.
    messages = [
        render_outbox_message(
            dedup_key=invitation_key(event, user),
            to=user.email,
            subject=_l("Invitation: %(title)s", title=event.title),
            template=TEMPLATE,
            locale=user.locale,
            event=event,
            user=user,
            sender=sender,
        )
        for user in recipients
    ]
    queue_rendered_mails(session, messages)
    if recipients:
        session.execute(
            insert(EventInvitation),
            [{"event_id": event.id, "user_id": user.id, "invited_at": now} for user in recipients],
        )
    queued = len(recipients)
    # Counts and ids only, never addresses.
    log.info(
        "invitations to event %d by user %d: %d queued, %d already invited",
        event.id,
        sender.id,
        queued,
        already_invited,
    )
    return InvitationCounts(queued=queued, already_invited=already_invited)
