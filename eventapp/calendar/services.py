"""Calendar rules: creating, changing and cancelling events, finding upcoming ones, and the
sign-up engine (seats, waiting list, cancellation, promotion, attendance, reminders) that
every kind of event uses.

Seats are never overbooked, whatever the concurrency: a seat is taken only by the atomic
``UPDATE events SET seats_taken = seats_taken + 1 WHERE id = :id AND seats_taken < capacity``
(its row count decides confirmed or waiting list), the CHECK ``seats_taken <= capacity``
backs it up, and a partial unique index allows one active sign-up per person and event.
``SELECT ... FOR UPDATE`` is not used: SQLite ignores it. On SQLite a POST request starts
with BEGIN IMMEDIATE (see ``eventapp.database``), so writers take turns; on PostgreSQL the
conditional UPDATE waits for a concurrent one on the same row and re-checks its condition.
"""

from __future__ import annotations

import logging
import time as time_module
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from flask import current_app
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager, selectinload

from eventapp.auth.models import User
from eventapp.calendar.models import (
    ACTIVE_SIGNUP_STATUSES,
    Attendance,
    Event,
    EventKind,
    EventStatus,
    Signup,
    SignupStatus,
)
from eventapp.database import utcnow
from eventapp.errors import DomainError
from eventapp.i18n import STOCKHOLM

log = logging.getLogger(__name__)


class EventError(DomainError):
    """A calendar rule refused the change."""


@dataclass(frozen=True)
class SignupWindow:
    """When sign-up opens and closes and until when a confirmed seat may be cancelled.

    ``None`` means: open at once, close at the start, cancel until the start.
    """

    opens_at: datetime | None = None
    closes_at: datetime | None = None
    cancellation_deadline: datetime | None = None


@dataclass(frozen=True)
class EventDetails:
    """What an organiser enters for an event; times are aware datetimes."""

    kind: EventKind
    title: str
    description: str
    place: str
    address: str
    municipality: str | None
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    is_public: bool = True
    # None leaves the event's sign-up window as it is (the general event form has no
    # window fields; the labs session form has).
    signup_window: SignupWindow | None = None


# A change to any of these means calendar clients must replace their copy (RFC 5545 SEQUENCE).
_SEQUENCED_FIELDS = ("starts_at", "ends_at", "place", "address")


@dataclass(frozen=True)
class EventChange:
    """A change of time, place or status, for records that hang off the event (pitch slots)."""

    event: Event
    old_starts_at: datetime
    old_ends_at: datetime
    cancelled: bool = False

    @property
    def shift(self) -> timedelta:
        return self.event.starts_at - self.old_starts_at


# Blueprints built on the calendar (boards) register what must follow an event's change:
# a check that may refuse the new details with an EventError, and a handler run after the
# change (move their own records, mail their own people). The calendar never imports them.
EventChangeCheck = Callable[[Session, Event, "EventDetails"], None]
EventChangeHandler = Callable[[Session, EventChange], None]
EVENT_CHANGE_CHECKS: list[EventChangeCheck] = []
EVENT_CHANGE_HANDLERS: list[EventChangeHandler] = []


def register_event_dependents(check: EventChangeCheck, handler: EventChangeHandler) -> None:
    """Run ``check`` before and ``handler`` after every change of an event's time or status."""
    if check not in EVENT_CHANGE_CHECKS:
        EVENT_CHANGE_CHECKS.append(check)
    if handler not in EVENT_CHANGE_HANDLERS:
        EVENT_CHANGE_HANDLERS.append(handler)


def _check_times(details: EventDetails) -> None:
    if details.starts_at.tzinfo is None or details.ends_at.tzinfo is None:
        raise EventError(_l("Times must carry a time zone."))
    if details.ends_at <= details.starts_at:
        raise EventError(_l("The event must end after it starts."))
    window = details.signup_window
    if window is None:
        return
    for moment in (window.opens_at, window.closes_at, window.cancellation_deadline):
        if moment is not None and moment.tzinfo is None:
            raise EventError(_l("Times must carry a time zone."))
    if window.opens_at and window.closes_at and window.closes_at <= window.opens_at:
        raise EventError(_l("Registration must close after it opens."))
    if window.opens_at and window.opens_at >= details.starts_at:
        raise EventError(_l("Registration must open before the event starts."))
    if window.closes_at and window.closes_at > details.starts_at:
        raise EventError(_l("The sign-up deadline cannot be after the start."))
    if window.cancellation_deadline and window.cancellation_deadline > details.starts_at:
        raise EventError(_l("The cancellation deadline cannot be after the start."))


def _apply_window(event: Event, window: SignupWindow | None) -> None:
    if window is None:
        return
    event.registration_opens_at = window.opens_at
    event.registration_closes_at = window.closes_at
    event.cancellation_deadline = window.cancellation_deadline


def create_event(session: Session, details: EventDetails, organiser: User) -> Event:
    """Create an event; it must start in the future."""
    _check_times(details)
    if details.starts_at <= utcnow():
        raise EventError(_l("The event must start in the future."))
    event = Event(
        kind=details.kind,
        title=details.title,
        description=details.description,
        place=details.place,
        address=details.address,
        municipality=details.municipality,
        starts_at=details.starts_at,
        ends_at=details.ends_at,
        capacity=details.capacity,
        is_public=details.is_public,
        organiser=organiser,
    )
    _apply_window(event, details.signup_window)
    session.add(event)
    session.flush()
    return event


def update_event(
    session: Session, event: Event, details: EventDetails, *, move_dependents: bool = True
) -> Event:
    """Change an event; bump SEQUENCE when its time or place changes, and tell people.

    The capacity changes with a conditional UPDATE, so it can never drop below the seats
    that concurrent sign-ups hold; a raise promotes people from the waiting list in order.
    A change of time or place mails everyone signed up once (confirmed people with an
    updated METHOD:REQUEST invite) and runs the registered dependents (pitch slots move
    with their board). ``move_dependents=False`` is for a blueprint that moves its own
    records in the same call (the board's own edit page).
    """
    if event.is_cancelled:
        raise EventError(_l("A cancelled event cannot be changed."))
    _check_times(details)
    moved = details.starts_at != event.starts_at
    if moved and details.starts_at <= utcnow():
        raise EventError(_l("The event must start in the future."))
    if move_dependents:
        for check in EVENT_CHANGE_CHECKS:
            check(session, event, details)
    old_starts_at, old_ends_at = event.starts_at, event.ends_at
    if details.capacity != event.capacity:
        _change_capacity(session, event, details.capacity)
    changed = any(getattr(event, name) != getattr(details, name) for name in _SEQUENCED_FIELDS)
    for name in (
        "kind",
        "title",
        "description",
        "place",
        "address",
        "municipality",
        "starts_at",
        "ends_at",
        "is_public",
    ):
        setattr(event, name, getattr(details, name))
    _apply_window(event, details.signup_window)
    if changed:
        event.sequence += 1
    session.flush()
    promoted = {signup.id for signup in promote_from_waitlist(session, event)}
    if changed:
        # The people just promoted already got an invite with the new details.
        for signup in active_signups(session, event):
            if signup.id in promoted:
                continue
            _notify(
                session, signup, "event_changed", key=f"event-changed:{signup.id}:{event.sequence}"
            )
        if move_dependents:
            change = EventChange(event, old_starts_at, old_ends_at)
            for handler in EVENT_CHANGE_HANDLERS:
                handler(session, change)
    return event


def _change_capacity(session: Session, event: Event, capacity: int | None) -> None:
    """Set the capacity unless fewer seats than are confirmed; refuse with the number."""
    statement = update(Event.__table__).where(Event.__table__.c.id == event.id)
    if capacity is not None:
        statement = statement.where(Event.__table__.c.seats_taken <= capacity)
    result = session.execute(statement.values(capacity=capacity))
    session.expire(event, ["capacity", "seats_taken"])
    if result.rowcount != 1:
        raise EventError(
            _l(
                "%(taken)d people have confirmed seats; the capacity cannot be lower than "
                "that. Cancel sign-ups first if you must reduce it.",
                taken=event.seats_taken,
            )
        )


def cancel_event(session: Session, event: Event, reason: str, actor: User) -> Event:
    """Cancel an event, keeping it (with its reason) so calendars can show it cancelled.

    Everyone signed up (confirmed or waiting) is told by e-mail; confirmed participants get
    a METHOD:CANCEL invite so the event leaves their calendar. Their sign-ups stay as they
    were, as a record of who had signed up.
    """
    if event.is_cancelled:
        raise EventError(_l("The event is already cancelled."))
    event.status = EventStatus.CANCELLED
    event.cancelled_at = utcnow()
    event.cancellation_reason = reason
    event.sequence += 1
    session.flush()
    for signup in active_signups(session, event):
        _notify(session, signup, "event_cancelled", key=f"event-cancelled:{signup.id}")
    change = EventChange(event, event.starts_at, event.ends_at, cancelled=True)
    for handler in EVENT_CHANGE_HANDLERS:
        handler(session, change)
    return event


def upcoming_events_query(
    *,
    kind: EventKind | None = None,
    municipality: str | None = None,
    include_unlisted: bool = False,
    now: datetime | None = None,
) -> Select:
    """Scheduled events that have not ended, soonest first, optionally filtered."""
    now = now or utcnow()
    query = (
        select(Event)
        .where(Event.status == EventStatus.SCHEDULED, Event.ends_at > now)
        .order_by(Event.starts_at, Event.id)
    )
    if not include_unlisted:
        query = query.where(Event.is_public.is_(True))
    if kind is not None:
        query = query.where(Event.kind == kind)
    if municipality:
        query = query.where(Event.municipality == municipality)
    return query


def upcoming_events(session: Session, limit: int, **filters) -> Sequence[Event]:
    return session.scalars(upcoming_events_query(**filters).limit(limit)).all()


# --- the sign-up engine ---------------------------------------------------------------------


class SignupError(EventError):
    """A sign-up rule refused the action; ``message`` is safe to show."""


@dataclass(frozen=True)
class SignupOutcome:
    signup: Signup
    # 1-based waiting-list position at the time of signing up; None when confirmed.
    position: int | None

    @property
    def confirmed(self) -> bool:
        return self.signup.status == SignupStatus.CONFIRMED


def signup_closed_reason(event: Event, now: datetime | None = None) -> str | None:
    """Why nobody can sign up right now, or None when sign-up is open.

    Deadlines are instants: sign-up is open while ``now`` is before ``registration_closes_at``
    (a deadline of 23:59 Swedish time refuses at 23:59:00). Shown in Europe/Stockholm.
    """
    now = now or utcnow()
    if event.is_cancelled:
        return str(_l("This event is cancelled."))
    if now >= event.starts_at:
        return str(_l("Sign-up has closed: the event has already started."))
    if event.registration_opens_at is not None and now < event.registration_opens_at:
        return str(
            _l(
                "Sign-up opens %(when)s.",
                when=format_datetime(event.registration_opens_at, "d MMMM yyyy HH:mm"),
            )
        )
    if event.registration_closes_at is not None and now >= event.registration_closes_at:
        return str(_l("Sign-up has closed: the deadline has passed."))
    return None


def can_cancel_own(signup: Signup, now: datetime | None = None) -> bool:
    """May the participant cancel this sign-up themselves now?

    A waiting-list place holds no seat, so leaving the list is allowed until the start; a
    confirmed seat only until the cancellation deadline.
    """
    now = now or utcnow()
    if not signup.is_active or signup.event.is_cancelled or now >= signup.event.starts_at:
        return False
    deadline = signup.event.cancellation_deadline
    return not (
        signup.status == SignupStatus.CONFIRMED and deadline is not None and now >= deadline
    )


def active_signup(session: Session, event: Event, user: User) -> Signup | None:
    return session.scalar(
        select(Signup).where(
            Signup.event_id == event.id,
            Signup.user_id == user.id,
            Signup.status.in_(ACTIVE_SIGNUP_STATUSES),
        )
    )


def _waitlist_order():
    return (Signup.created_at, Signup.id)


def waitlist_position(session: Session, signup: Signup) -> int | None:
    """The 1-based place on the waiting list, computed from (created_at, id)."""
    if signup.status != SignupStatus.WAITLISTED:
        return None
    ahead = session.scalar(
        select(func.count(Signup.id)).where(
            Signup.event_id == signup.event_id,
            Signup.status == SignupStatus.WAITLISTED,
            or_(
                Signup.created_at < signup.created_at,
                and_(Signup.created_at == signup.created_at, Signup.id < signup.id),
            ),
        )
    )
    return int(ahead or 0) + 1


def waitlist_positions(session: Session, signups: Sequence[Signup]) -> dict[int, int]:
    """``waitlist_position`` for many sign-ups in one query: {signup id: 1-based place}."""
    # Always one query, also when nobody waits (a page's query count stays fixed).
    event_ids = {s.event_id for s in signups if s.status == SignupStatus.WAITLISTED}
    place = (
        func.row_number()
        .over(partition_by=Signup.event_id, order_by=_waitlist_order())
        .label("place")
    )
    ranked = (
        select(Signup.id, place)
        .where(Signup.event_id.in_(event_ids), Signup.status == SignupStatus.WAITLISTED)
        .subquery()
    )
    wanted = {s.id for s in signups}
    return {
        signup_id: int(position)
        for signup_id, position in session.execute(select(ranked.c.id, ranked.c.place))
        if signup_id in wanted
    }


def _take_seat(session: Session, event: Event) -> bool:
    """Atomically take one seat if one is free; True when it was taken."""
    table = Event.__table__
    result = session.execute(
        update(table)
        .where(
            table.c.id == event.id,
            or_(table.c.capacity.is_(None), table.c.seats_taken < table.c.capacity),
        )
        .values(seats_taken=table.c.seats_taken + 1)
    )
    session.expire(event, ["seats_taken"])
    return result.rowcount == 1


def _bump_sequence(session: Session, event: Event) -> None:
    table = Event.__table__
    session.execute(
        update(table).where(table.c.id == event.id).values(sequence=table.c.sequence + 1)
    )
    session.expire(event, ["sequence"])


def _free_seat(session: Session, event: Event) -> None:
    table = Event.__table__
    session.execute(
        update(table)
        .where(table.c.id == event.id, table.c.seats_taken > 0)
        .values(seats_taken=table.c.seats_taken - 1)
    )
    session.expire(event, ["seats_taken"])


def sign_up(
    session: Session,
    event: Event,
    user: User,
    *,
    show_in_participant_list: bool = False,
    now: datetime | None = None,
    naive_check_then_insert: bool = False,
) -> SignupOutcome:
    """Give ``user`` a confirmed seat if one is free, else a place on the waiting list.

    A second active sign-up by the same person (double click, two tabs) is refused by the
    partial unique index inside a SAVEPOINT, so the caller's transaction survives and the
    person gets a friendly message. ``naive_check_then_insert`` is the testing-only negative
    control of the concurrency test: it counts, then inserts, and can overbook.
    """
    now = now or utcnow()
    reason = signup_closed_reason(event, now)
    if reason is not None:
        raise SignupError(reason)
    if active_signup(session, event, user) is not None:
        raise SignupError(_l("You are already signed up for this event."))
    try:
        with session.begin_nested():
            if naive_check_then_insert:
                confirmed = _naive_take_seat(session, event)
            else:
                confirmed = _take_seat(session, event)
            signup = Signup(
                event=event,
                user=user,
                status=SignupStatus.CONFIRMED if confirmed else SignupStatus.WAITLISTED,
                created_at=now,
                confirmed_at=now if confirmed else None,
                show_in_participant_list=show_in_participant_list,
            )
            session.add(signup)
            session.flush()
    except IntegrityError:
        # The savepoint rolled back the seat too; the other request holds the sign-up.
        session.expire(event, ["seats_taken"])
        raise SignupError(_l("You are already signed up for this event.")) from None
    if confirmed:
        _notify(session, signup, "confirmed", key=f"signup-confirmed:{signup.id}")
        return SignupOutcome(signup, None)
    position = waitlist_position(session, signup)
    _notify(session, signup, "waitlisted", key=f"signup-waitlisted:{signup.id}", position=position)
    return SignupOutcome(signup, position)


# Organisers at the door may start marking this long before the start at the latest.
ATTENDANCE_EARLY = timedelta(hours=1)

# How long the naive path waits between its check and its write: it widens the race window
# so the negative control reliably shows what the conditional UPDATE prevents.
NAIVE_RACE_WINDOW = 0.05


def _naive_take_seat(session: Session, event: Event) -> bool:
    """WRONG ON PURPOSE (testing only): read the count, decide, then write it back."""
    confirmed_count = session.scalar(
        select(func.count(Signup.id)).where(
            Signup.event_id == event.id, Signup.status == SignupStatus.CONFIRMED
        )
    )
    if event.capacity is not None and confirmed_count >= event.capacity:
        return False
    time_module.sleep(NAIVE_RACE_WINDOW)
    session.execute(
        update(Event.__table__)
        .where(Event.__table__.c.id == event.id)
        .values(seats_taken=confirmed_count + 1)
    )
    session.expire(event, ["seats_taken"])
    return True


def cancel_signup(
    session: Session,
    signup: Signup,
    actor: User,
    *,
    reason: str | None = None,
    by_organiser: bool = False,
    now: datetime | None = None,
) -> Signup | None:
    """Cancel a sign-up; a freed seat goes to the first on the waiting list at once.

    Participants are held to the cancellation deadline; organisers are not (they give a
    reason instead). The status changes with a conditional UPDATE, so two cancellations of
    the same sign-up free one seat. Returns the promoted sign-up, if any.
    """
    now = now or utcnow()
    event = signup.event
    if not signup.is_active:
        raise SignupError(_l("This sign-up is already cancelled."))
    if not by_organiser and not can_cancel_own(signup, now):
        if now >= event.starts_at or event.is_cancelled:
            raise SignupError(_l("The event has started or is cancelled; it is too late."))
        raise SignupError(_l("The cancellation deadline has passed. Please contact the organiser."))
    previous = signup.status
    table = Signup.__table__
    result = session.execute(
        update(table)
        .where(table.c.id == signup.id, table.c.status == previous.value)
        .values(
            status=SignupStatus.CANCELLED.value,
            cancelled_at=now,
            cancelled_by_id=actor.id,
            cancellation_reason=reason or None,
            attendance=Attendance.UNMARKED.value,
        )
    )
    session.expire(signup)
    if result.rowcount != 1:
        raise SignupError(_l("This sign-up is already cancelled."))
    promoted = None
    if previous == SignupStatus.CONFIRMED:
        # The organiser's copy changed (one attendee fewer): a higher SEQUENCE lets the
        # person's calendar accept the CANCEL, and a later REQUEST if they sign up again.
        _bump_sequence(session, event)
        _free_seat(session, event)
        promoted_list = promote_from_waitlist(session, event, limit=1, now=now)
        promoted = promoted_list[0] if promoted_list else None
    kind = "cancelled_by_organiser" if by_organiser else "cancelled"
    _notify(
        session,
        signup,
        kind,
        key=f"signup-cancelled:{signup.id}",
        was_confirmed=previous == SignupStatus.CONFIRMED,
        reason=reason,
    )
    return promoted


def promote_from_waitlist(
    session: Session, event: Event, *, limit: int | None = None, now: datetime | None = None
) -> list[Signup]:
    """Fill free seats from the waiting list, first come first served, and tell each person.

    Each promotion takes a seat with the conditional UPDATE and flips the sign-up with
    ``WHERE status = 'waitlisted'``; if a concurrent request got there first, the seat is
    given back and the next person is tried, so nobody is promoted twice.
    """
    now = now or utcnow()
    promoted: list[Signup] = []
    if event.is_cancelled or now >= event.starts_at:
        return promoted
    table = Signup.__table__
    skipped: set[int] = set()
    while limit is None or len(promoted) < limit:
        candidate = session.scalar(
            select(Signup)
            .where(
                Signup.event_id == event.id,
                Signup.status == SignupStatus.WAITLISTED,
                Signup.id.not_in(skipped) if skipped else True,
            )
            .order_by(*_waitlist_order())
            .limit(1)
        )
        if candidate is None or not _take_seat(session, event):
            break
        flipped = session.execute(
            update(table)
            .where(table.c.id == candidate.id, table.c.status == SignupStatus.WAITLISTED.value)
            .values(status=SignupStatus.CONFIRMED.value, confirmed_at=now)
        ).rowcount
        session.expire(candidate)
        if flipped != 1:
            _free_seat(session, event)
            skipped.add(candidate.id)
            continue
        promoted.append(candidate)
        _notify(session, candidate, "promoted", key=f"signup-promoted:{candidate.id}")
    return promoted


def active_signups(session: Session, event: Event) -> Sequence[Signup]:
    """Confirmed then waiting, each in sign-up order."""
    return session.scalars(
        select(Signup)
        .where(Signup.event_id == event.id, Signup.status.in_(ACTIVE_SIGNUP_STATUSES))
        .order_by(Signup.status, *_waitlist_order())
    ).all()


@dataclass(frozen=True)
class ParticipantLists:
    confirmed: Sequence[Signup]
    waitlisted: Sequence[Signup]
    cancelled: Sequence[Signup]


def participant_lists(session: Session, event: Event) -> ParticipantLists:
    """Everyone who signed up, by status; the waiting list is in promotion order."""
    rows = session.scalars(
        select(Signup)
        .where(Signup.event_id == event.id)
        .order_by(*_waitlist_order())
        # The lists and the CSV show each person and their organisation: load them at once.
        .options(selectinload(Signup.user).selectinload(User.organisation))
    ).all()
    return ParticipantLists(
        confirmed=[row for row in rows if row.status == SignupStatus.CONFIRMED],
        waitlisted=[row for row in rows if row.status == SignupStatus.WAITLISTED],
        cancelled=[row for row in rows if row.status == SignupStatus.CANCELLED],
    )


def visible_participants(session: Session, event: Event) -> Sequence[User]:
    """Confirmed participants who chose to be shown to the others."""
    return session.scalars(
        select(User)
        .join(Signup, Signup.user_id == User.id)
        .where(
            Signup.event_id == event.id,
            Signup.status == SignupStatus.CONFIRMED,
            Signup.show_in_participant_list.is_(True),
        )
        .order_by(User.name, User.id)
    ).all()


def search_confirmed(session: Session, event: Event, term: str = "") -> list[Signup]:
    """Confirmed participants whose name contains ``term``, ignoring case, literally.

    Filtered in Python rather than with LIKE: SQLite's LIKE and lower() fold ASCII only, so
    "åsa" would not find "Åsa"; one event's list is small. ``%`` and ``_`` are plain text.
    """
    rows = session.scalars(
        select(Signup)
        .join(Signup.user)
        .where(Signup.event_id == event.id, Signup.status == SignupStatus.CONFIRMED)
        .order_by(User.name, Signup.id)
        .options(contains_eager(Signup.user))
    ).all()
    needle = unicodedata.normalize("NFC", (term or "").strip()).casefold()
    if not needle:
        return list(rows)
    return [row for row in rows if needle in unicodedata.normalize("NFC", row.user.name).casefold()]


def attendance_open(event: Event, now: datetime | None = None) -> bool:
    """Attendance can be marked from the event's day (Swedish time), or an hour before it
    starts if that is earlier (an event just after midnight)."""
    now = now or utcnow()
    local_start = event.starts_at.astimezone(STOCKHOLM)
    day_start = datetime.combine(local_start.date(), datetime.min.time(), STOCKHOLM)
    opens = min(day_start, event.starts_at - ATTENDANCE_EARLY)
    return not event.is_cancelled and now >= opens


def mark_attendance(
    session: Session,
    signup: Signup,
    attendance: Attendance,
    actor: User,
    now: datetime | None = None,
) -> Signup:
    """Record whether a confirmed participant came: present, absent (no-show) or excused."""
    now = now or utcnow()
    if signup.status != SignupStatus.CONFIRMED:
        raise SignupError(_l("Attendance is only kept for confirmed participants."))
    if not attendance_open(signup.event, now):
        raise SignupError(_l("Attendance can be marked from the day of the event."))
    signup.attendance = attendance
    signup.attendance_marked_at = now if attendance != Attendance.UNMARKED else None
    signup.attendance_marked_by_id = actor.id if attendance != Attendance.UNMARKED else None
    session.flush()
    return signup


def my_signups(session: Session, user: User, now: datetime | None = None):
    """A person's sign-ups split into upcoming and past, newest event last / first."""
    now = now or utcnow()
    rows = session.scalars(
        select(Signup)
        .join(Signup.event)
        .where(Signup.user_id == user.id)
        .order_by(Event.starts_at, Signup.created_at, Signup.id)
        .options(contains_eager(Signup.event))
    ).all()
    upcoming = [row for row in rows if row.event.ends_at > now]
    past = [row for row in rows if row.event.ends_at <= now]
    past.reverse()
    return upcoming, past


def send_reminders(session: Session, now: datetime | None = None) -> int:
    """Queue a reminder to every confirmed participant of tomorrow's events (Swedish days).

    Idempotent: the outbox key is per sign-up and event date, so a second run queues nothing
    (a moved event gets a fresh reminder for its new day).
    """
    now = now or utcnow()
    tomorrow = now.astimezone(STOCKHOLM).date() + timedelta(days=1)
    start = datetime.combine(tomorrow, datetime.min.time(), STOCKHOLM)
    end = datetime.combine(tomorrow + timedelta(days=1), datetime.min.time(), STOCKHOLM)
    signups = session.scalars(
        select(Signup)
        .join(Signup.event)
        .where(
            Signup.status == SignupStatus.CONFIRMED,
            Event.status == EventStatus.SCHEDULED,
            Event.starts_at >= start,
            Event.starts_at < end,
        )
        .order_by(Signup.id)
    ).all()
    queued = 0
    for signup in signups:
        key = f"signup-reminder:{signup.id}:{tomorrow.isoformat()}"
        if _notify(session, signup, "reminder", key=key) is not None:
            queued += 1
    return queued


# --- e-mail ---------------------------------------------------------------------------------

# Lazy, so queue_mail renders each subject in the recipient's language.
_SUBJECTS = {
    "confirmed": lambda title: _l("Your seat is confirmed: %(title)s", title=title),
    "waitlisted": lambda title: _l("You are on the waiting list: %(title)s", title=title),
    "promoted": lambda title: _l("You got a seat: %(title)s", title=title),
    "cancelled": lambda title: _l("Your sign-up is cancelled: %(title)s", title=title),
    "cancelled_by_organiser": lambda title: _l("Your sign-up is cancelled: %(title)s", title=title),
    "event_cancelled": lambda title: _l("Cancelled: %(title)s", title=title),
    "event_changed": lambda title: _l("New time or place: %(title)s", title=title),
    "reminder": lambda title: _l("Reminder: %(title)s tomorrow", title=title),
}


def _organiser_identity(event: Event) -> tuple[str, str]:
    """The ORGANIZER of the invite: the event's organiser, else the sender address."""
    if event.organiser is not None:
        return event.organiser.email, event.organiser.name
    name, address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    return address, name


def _invite(event: Event, signup: Signup, method: str) -> bytes:
    from eventapp.calendar.ical import build_invite

    organiser_email, organiser_name = _organiser_identity(event)
    return build_invite(
        event,
        method=method,
        attendee_email=signup.user.email,
        attendee_name=signup.user.name,
        organiser_email=organiser_email,
        organiser_name=organiser_name,
        url=f"{current_app.config['BASE_URL'].rstrip('/')}/calendar/events/{event.uid}",
    )


def _notify(session: Session, signup: Signup, kind: str, *, key: str, **context):
    """Queue the e-mail of ``kind`` for the person behind ``signup``, with an invite if due."""
    from eventapp.mail import queue_mail

    event, user = signup.event, signup.user
    ics_method = None
    held_seat = context.get("was_confirmed") or (
        kind == "event_cancelled" and signup.status == SignupStatus.CONFIRMED
    )
    if kind in ("confirmed", "promoted") or (
        kind == "event_changed" and signup.status == SignupStatus.CONFIRMED
    ):
        ics_method = "REQUEST"
    elif kind in ("cancelled", "cancelled_by_organiser", "event_cancelled") and held_seat:
        ics_method = "CANCEL"
    ics_data = _invite(event, signup, ics_method) if ics_method else None
    return queue_mail(
        session,
        dedup_key=key,
        to=user.email,
        subject=_SUBJECTS[kind](event.title),
        template=f"mail/signup_{kind}.txt",
        locale=user.locale,
        ics_data=ics_data,
        ics_method=ics_method,
        event=event,
        signup=signup,
        user=user,
        **context,
    )
