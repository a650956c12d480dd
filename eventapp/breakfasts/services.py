"""Breakfast rules: generating occurrences from a series' rule, changing one occurrence or
the rest of the series, whole-series sign-up, and check-in at the door.

Dates come from the rule in Europe/Stockholm wall-clock time (07:30 stays 07:30 across
summer time) and each is turned into UTC on its own. Occurrences are generated only up to
the horizon (``BREAKFAST_HORIZON_MONTHS`` ahead) and never past the series' end, so a
series without an end date is still a bounded list. Changing, moving and cancelling go
through the calendar's ``update_event``/``cancel_event`` so SEQUENCE, seats and mails stay
right. Services flush, never commit.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from eventapp.auth.models import Organisation, User
from eventapp.breakfasts.models import (
    BreakfastOccurrence,
    BreakfastSeries,
    Frequency,
    HostNetwork,
    OccurrenceChange,
)
from eventapp.calendar import services as calendar
from eventapp.calendar.models import (
    ACTIVE_SIGNUP_STATUSES,
    Attendance,
    Event,
    EventKind,
    EventStatus,
    Signup,
    SignupStatus,
)
from eventapp.calendar.services import EventDetails, EventError
from eventapp.database import utcnow
from eventapp.i18n import STOCKHOLM, LocalTimeError, combine_local
from eventapp.regions import OrganisationType

DEFAULT_HORIZON_MONTHS = 12
# However the horizon is configured, never generate more than this many months ahead.
HORIZON_MONTHS_MAX = 36


class BreakfastError(EventError):
    """A breakfast rule refused the change; ``message`` is safe to show."""


# --- the rule -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """When a series meets, in Stockholm wall-clock time."""

    frequency: Frequency
    weekday: int  # Monday = 0
    local_time: time
    duration_minutes: int = 90
    week_of_month: int | None = None  # monthly only: 1-4, or -1 for the last


@dataclass(frozen=True)
class SeriesDetails:
    """What an organiser enters for a series (or for the rest of it from a date on)."""

    network: HostNetwork
    title: str
    description: str
    place: str
    address: str
    municipality: str
    capacity: int | None
    is_public: bool
    rule: Rule
    start_date: date
    end_date: date | None = None


def rule_of(series: BreakfastSeries) -> Rule:
    return Rule(
        frequency=Frequency(series.frequency),
        weekday=series.weekday,
        local_time=series.local_time,
        duration_minutes=series.duration_minutes,
        week_of_month=series.week_of_month,
    )


def today_in_stockholm(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(STOCKHOLM).date()


def horizon_end(today: date, months: int) -> date:
    """The last day occurrences may be generated for (inclusive)."""
    months = max(1, min(int(months), HORIZON_MONTHS_MAX))
    return today + relativedelta(months=months)


def occurrence_dates(rule: Rule, start: date, until: date) -> list[date]:
    """Every date of ``rule`` from ``start`` to ``until`` (both inclusive), in order.

    Every-other-week counts its weeks from the first matching date on or after ``start``.
    """
    if until < start:
        return []
    dtstart = datetime.combine(start, time.min)
    limit = datetime.combine(until, time.min)
    if rule.frequency == Frequency.MONTHLY:
        if rule.week_of_month is None:
            raise BreakfastError(_l("Choose which week of the month."))
        days = rrule(
            MONTHLY,
            dtstart=dtstart,
            until=limit,
            byweekday=weekday(rule.weekday)(rule.week_of_month),
        )
    else:
        interval = 2 if rule.frequency == Frequency.BIWEEKLY else 1
        # rrule counts every other week from dtstart's week; anchor on the first meeting day
        # so a start on a Friday does not silently drop the following Wednesday.
        first = start + timedelta(days=(rule.weekday - start.weekday()) % 7)
        dtstart = datetime.combine(first, time.min)
        days = rrule(
            WEEKLY, dtstart=dtstart, until=limit, interval=interval, byweekday=rule.weekday
        )
    return [moment.date() for moment in days]


def local_start(day: date, clock: time) -> datetime:
    """The UTC-aware start of a breakfast at ``clock`` on ``day``; DST traps are refused."""
    try:
        return combine_local(day, clock, STOCKHOLM)
    except LocalTimeError as error:
        if error.kind == "gap":
            message = _l(
                "%(time)s does not exist on %(date)s: the clocks go forward from 02:00 to "
                "03:00 that night. Choose another time.",
                time=clock.strftime("%H:%M"),
                date=format_date(day, "d MMMM yyyy"),
            )
        else:
            message = _l(
                "%(time)s happens twice on %(date)s: the clocks go back from 03:00 to 02:00 "
                "that night. Choose another time.",
                time=clock.strftime("%H:%M"),
                date=format_date(day, "d MMMM yyyy"),
            )
        raise BreakfastError(message) from None


def _times(day: date, rule: Rule) -> tuple[datetime, datetime]:
    starts_at = local_start(day, rule.local_time)
    return starts_at, starts_at + timedelta(minutes=rule.duration_minutes)


def _check_dates(days: Iterable[date], rule: Rule) -> None:
    for day in days:
        _times(day, rule)


# --- creating and extending -----------------------------------------------------------------


def _new_occurrence(
    session: Session, series: BreakfastSeries, day: date, organiser: User | None
) -> BreakfastOccurrence:
    starts_at, ends_at = _times(day, rule_of(series))
    event = Event(
        kind=EventKind.BREAKFAST,
        title=series.title,
        description=series.description,
        place=series.place,
        address=series.address,
        municipality=series.municipality,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=series.capacity,
        is_public=series.is_public,
        organiser=organiser,
    )
    occurrence = BreakfastOccurrence(event=event, series=series, original_date=day)
    session.add_all([event, occurrence])
    return occurrence


def generate_occurrences(
    session: Session,
    series: BreakfastSeries,
    *,
    today: date,
    horizon_months: int = DEFAULT_HORIZON_MONTHS,
    now: datetime | None = None,
    include_past: bool = False,
) -> list[BreakfastOccurrence]:
    """Create the missing occurrences of ``series`` up to the horizon; return the new ones.

    Idempotent: a date that already has a current occurrence (planned, moved, skipped or
    cancelled) is left alone, and a partial unique index refuses a duplicate from a
    concurrent run. Dates that have already started are not created (``include_past`` is
    for demo history and tests).
    """
    now = now or utcnow()
    if series.is_ended and series.end_date is None:
        return []
    first = series.rule_start if include_past else max(series.rule_start, today)
    last = horizon_end(today, horizon_months)
    if series.end_date is not None:
        last = min(last, series.end_date)
    rule = rule_of(series)
    wanted = occurrence_dates(rule, first, last)
    existing = set(
        session.scalars(
            select(BreakfastOccurrence.original_date).where(
                BreakfastOccurrence.series_id == series.id,
                BreakfastOccurrence.superseded_at.is_(None),
            )
        )
    )
    organiser = series.created_by
    created = []
    for day in wanted:
        if day in existing:
            continue
        starts_at, _ = _times(day, rule)
        if starts_at <= now and not include_past:
            continue
        try:
            with session.begin_nested():
                occurrence = _new_occurrence(session, series, day, organiser)
                session.flush()
        except IntegrityError:
            continue  # a concurrent run made this date first
        created.append(occurrence)
    return created


def create_series(
    session: Session,
    details: SeriesDetails,
    actor: User,
    *,
    horizon_months: int = DEFAULT_HORIZON_MONTHS,
    now: datetime | None = None,
) -> BreakfastSeries:
    """Create a series and its occurrences up to the horizon; refuse DST-trap times."""
    now = now or utcnow()
    today = today_in_stockholm(now)
    if details.start_date < today:
        raise BreakfastError(_l("The first date cannot be in the past."))
    if details.end_date is not None and details.end_date < details.start_date:
        raise BreakfastError(_l("The last date must be on or after the first date."))
    last = horizon_end(today, horizon_months)
    if details.end_date is not None:
        last = min(last, details.end_date)
    days = occurrence_dates(details.rule, details.start_date, last)
    if not days:
        raise BreakfastError(_l("The rule gives no dates between the first and the last date."))
    _check_dates(days, details.rule)
    series = BreakfastSeries(created_by=actor)
    _apply_details(series, details)
    series.rule_start = details.start_date
    session.add(series)
    session.flush()
    generate_occurrences(session, series, today=today, horizon_months=horizon_months, now=now)
    return series


def _apply_details(series: BreakfastSeries, details: SeriesDetails) -> None:
    series.network = details.network
    series.title = details.title
    series.description = details.description
    series.place = details.place
    series.address = details.address
    series.municipality = details.municipality
    series.capacity = details.capacity
    series.is_public = details.is_public
    series.frequency = details.rule.frequency
    series.weekday = details.rule.weekday
    series.week_of_month = (
        details.rule.week_of_month if details.rule.frequency == Frequency.MONTHLY else None
    )
    series.local_time = details.rule.local_time
    series.duration_minutes = details.rule.duration_minutes
    series.end_date = details.end_date


def extend_all_series(
    session: Session, *, horizon_months: int = DEFAULT_HORIZON_MONTHS, now: datetime | None = None
) -> int:
    """Generate missing occurrences of every running series up to the horizon (the
    periodic job); return how many were created. Running it twice creates nothing more."""
    now = now or utcnow()
    today = today_in_stockholm(now)
    running = session.scalars(
        select(BreakfastSeries)
        .where(BreakfastSeries.ended_at.is_(None))
        .order_by(BreakfastSeries.id)
        .options(selectinload(BreakfastSeries.created_by))
    ).all()
    created = 0
    for series in running:
        try:
            created += len(
                generate_occurrences(
                    session, series, today=today, horizon_months=horizon_months, now=now
                )
            )
        except BreakfastError:
            # A new date in a DST trap (02:30 on the last Sunday of March): that series
            # waits for an organiser; the others still extend.
            continue
    return created


# --- one occurrence -------------------------------------------------------------------------


def _details_of(event: Event, **changes) -> EventDetails:
    details = EventDetails(
        kind=event.kind,
        title=event.title,
        description=event.description,
        place=event.place,
        address=event.address,
        municipality=event.municipality,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        capacity=event.capacity,
        is_public=event.is_public,
    )
    return replace(details, **changes)


def _require_future(occurrence: BreakfastOccurrence, now: datetime) -> None:
    if occurrence.event.is_cancelled:
        raise BreakfastError(_l("This breakfast is already cancelled."))
    if occurrence.event.starts_at <= now:
        raise BreakfastError(_l("This breakfast has already started; it cannot be changed."))


SKIP_REASON = _l("This breakfast is skipped; the series continues as usual.")


def skip_occurrence(
    session: Session, occurrence: BreakfastOccurrence, actor: User, now: datetime | None = None
) -> BreakfastOccurrence:
    """Leave out one date (a holiday): its event is cancelled, the series goes on."""
    now = now or utcnow()
    _require_future(occurrence, now)
    calendar.cancel_event(session, occurrence.event, str(SKIP_REASON), actor)
    occurrence.change = OccurrenceChange.SKIPPED
    session.flush()
    return occurrence


def cancel_occurrence(
    session: Session,
    occurrence: BreakfastOccurrence,
    reason: str,
    actor: User,
    now: datetime | None = None,
) -> BreakfastOccurrence:
    """Call off one date with a reason that everyone signed up gets by e-mail."""
    now = now or utcnow()
    _require_future(occurrence, now)
    calendar.cancel_event(session, occurrence.event, reason, actor)
    occurrence.change = OccurrenceChange.CANCELLED
    session.flush()
    return occurrence


def move_occurrence(
    session: Session,
    occurrence: BreakfastOccurrence,
    *,
    day: date,
    clock: time,
    duration_minutes: int,
    place: str,
    address: str,
    now: datetime | None = None,
) -> BreakfastOccurrence:
    """Give one date another day, time or place; the same event (UID) with a higher
    SEQUENCE, so calendars replace it and everyone signed up is told."""
    now = now or utcnow()
    _require_future(occurrence, now)
    starts_at = local_start(day, clock)
    if starts_at <= now:
        raise BreakfastError(_l("The new time must be in the future."))
    details = _details_of(
        occurrence.event,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=duration_minutes),
        place=place,
        address=address,
    )
    calendar.update_event(session, occurrence.event, details)
    occurrence.change = OccurrenceChange.MOVED
    session.flush()
    return occurrence


# --- the rest of the series -----------------------------------------------------------------


@dataclass
class SeriesEdit:
    """What changing the rest of a series did, for the organiser's message."""

    updated: list[BreakfastOccurrence] = field(default_factory=list)
    cancelled: list[BreakfastOccurrence] = field(default_factory=list)
    created: list[BreakfastOccurrence] = field(default_factory=list)
    # Occurrences changed by hand (moved, skipped, cancelled) are left exactly as they are.
    kept_overrides: list[BreakfastOccurrence] = field(default_factory=list)


DROPPED_REASON = _l("The breakfast series was changed and no longer meets on this date.")


def edit_series_from(
    session: Session,
    series: BreakfastSeries,
    details: SeriesDetails,
    actor: User,
    *,
    horizon_months: int = DEFAULT_HORIZON_MONTHS,
    now: datetime | None = None,
) -> SeriesEdit:
    """Change the series from ``details.start_date`` on: dates that still occur keep their
    event (same UID, updated in place, participants told), dates that no longer occur are
    cancelled, new dates are created. Earlier dates are untouched.

    Occurrences moved, skipped or cancelled by hand are kept as they are (an organiser
    decided about that date on purpose) and listed in the result so the organiser can
    check them; their dates are not generated again.
    """
    now = now or utcnow()
    today = today_in_stockholm(now)
    from_date = details.start_date
    if series.is_ended:
        raise BreakfastError(_l("The series has ended and cannot be changed."))
    if from_date <= today:
        raise BreakfastError(_l("Changes can apply from tomorrow at the earliest."))
    if details.end_date is not None and details.end_date < from_date:
        raise BreakfastError(_l("The last date must be on or after the first date."))
    last = horizon_end(today, horizon_months)
    if details.end_date is not None:
        last = min(last, details.end_date)
    new_days = occurrence_dates(details.rule, from_date, last)
    _check_dates(new_days, details.rule)

    result = SeriesEdit()
    current = session.scalars(
        select(BreakfastOccurrence)
        .where(
            BreakfastOccurrence.series_id == series.id,
            BreakfastOccurrence.superseded_at.is_(None),
            BreakfastOccurrence.original_date >= from_date,
        )
        .order_by(BreakfastOccurrence.original_date)
        .options(selectinload(BreakfastOccurrence.event))
    ).all()
    wanted = set(new_days)
    for occurrence in current:
        if occurrence.is_override:
            result.kept_overrides.append(occurrence)
            continue
        if occurrence.original_date in wanted and not occurrence.event.is_cancelled:
            starts_at, ends_at = _times(occurrence.original_date, details.rule)
            event_details = _details_of(
                occurrence.event,
                title=details.title,
                description=details.description,
                place=details.place,
                address=details.address,
                municipality=details.municipality,
                starts_at=starts_at,
                ends_at=ends_at,
                capacity=details.capacity,
                is_public=details.is_public,
            )
            try:
                calendar.update_event(session, occurrence.event, event_details)
            except EventError as error:
                raise BreakfastError(
                    _l(
                        "%(date)s: %(problem)s",
                        date=format_date(occurrence.original_date, "d MMMM yyyy"),
                        problem=error.message,
                    )
                ) from None
            result.updated.append(occurrence)
            continue
        if not occurrence.event.is_cancelled:
            calendar.cancel_event(session, occurrence.event, str(DROPPED_REASON), actor)
        occurrence.superseded_at = now
        result.cancelled.append(occurrence)
    session.flush()

    _apply_details(series, details)
    series.network = details.network
    series.rule_start = from_date
    session.flush()
    session.expire(series, ["occurrences"])
    result.created = generate_occurrences(
        session, series, today=today, horizon_months=horizon_months, now=now
    )
    return result


def end_series(
    session: Session,
    series: BreakfastSeries,
    last_date: date,
    actor: User,
    *,
    now: datetime | None = None,
) -> list[BreakfastOccurrence]:
    """End the series after ``last_date``: later occurrences (also moved ones) are
    cancelled and nothing more is generated. Returns the cancelled occurrences."""
    now = now or utcnow()
    today = today_in_stockholm(now)
    if series.is_ended:
        raise BreakfastError(_l("The series has already ended."))
    if last_date < today - timedelta(days=1):
        raise BreakfastError(_l("The last date cannot be before yesterday."))
    if last_date < series.rule_start:
        last_date = max(series.rule_start - timedelta(days=1), last_date)
    cancelled = []
    reason = str(_l("The breakfast series has ended."))
    for occurrence in series.occurrences:
        if occurrence.superseded_at is not None or occurrence.event.is_cancelled:
            continue
        local_day = occurrence.event.starts_at.astimezone(STOCKHOLM).date()
        if max(occurrence.original_date, local_day) <= last_date:
            continue
        if occurrence.event.starts_at <= now:
            continue
        calendar.cancel_event(session, occurrence.event, reason, actor)
        occurrence.change = OccurrenceChange.CANCELLED
        cancelled.append(occurrence)
    series.end_date = max(last_date, series.rule_start)
    series.ended_at = now
    session.flush()
    return cancelled


def set_coordinators(session: Session, series: BreakfastSeries, users: Sequence[User]) -> None:
    """Name who may manage the series and its check-in besides the organisers."""
    series.coordinators = list(dict.fromkeys(users))
    session.flush()


# --- sign-up and the door -------------------------------------------------------------------


@dataclass
class SeriesSignup:
    confirmed: list[Event] = field(default_factory=list)
    waitlisted: list[Event] = field(default_factory=list)
    already: list[Event] = field(default_factory=list)
    closed: list[Event] = field(default_factory=list)


def upcoming_occurrences(
    session: Session, series: BreakfastSeries, now: datetime | None = None
) -> Sequence[BreakfastOccurrence]:
    """Current occurrences that have not ended yet (cancelled ones included), by start."""
    now = now or utcnow()
    return session.scalars(
        select(BreakfastOccurrence)
        .join(Event, Event.id == BreakfastOccurrence.event_id)
        .where(
            BreakfastOccurrence.series_id == series.id,
            BreakfastOccurrence.superseded_at.is_(None),
            Event.ends_at > now,
        )
        .order_by(Event.starts_at, Event.id)
        .options(selectinload(BreakfastOccurrence.event))
    ).all()


def sign_up_for_series(
    session: Session, series: BreakfastSeries, user: User, now: datetime | None = None
) -> SeriesSignup:
    """Sign ``user`` up for every future occurrence through the shared engine: a seat where
    one is free, a waiting-list place where it is full. Each stays cancellable on its own;
    dates already signed up for or closed are passed over, so pressing twice is harmless."""
    now = now or utcnow()
    result = SeriesSignup()
    mine = set(
        session.scalars(
            select(Signup.event_id)
            .join(BreakfastOccurrence, BreakfastOccurrence.event_id == Signup.event_id)
            .where(
                BreakfastOccurrence.series_id == series.id,
                Signup.user_id == user.id,
                Signup.status.in_(ACTIVE_SIGNUP_STATUSES),
            )
        )
    )
    for occurrence in upcoming_occurrences(session, series, now):
        event = occurrence.event
        if event.is_cancelled:
            continue
        if event.id in mine:
            result.already.append(event)
            continue
        if calendar.signup_closed_reason(event, now) is not None:
            result.closed.append(event)
            continue
        try:
            outcome = calendar.sign_up(session, event, user, now=now)
        except calendar.SignupError:
            result.already.append(event)
            continue
        (result.confirmed if outcome.confirmed else result.waitlisted).append(event)
    return result


def occurrence_for_event(session: Session, event: Event) -> BreakfastOccurrence | None:
    return session.scalar(
        select(BreakfastOccurrence).where(BreakfastOccurrence.event_id == event.id)
    )


def _take_seat_even_if_full(session: Session, event: Event) -> bool:
    """Take one seat for someone who is physically there; if the event is full, the seat
    limit grows by one in the same atomic UPDATE. Returns True when it had to grow.

    So ``seats_taken`` keeps counting every confirmed person (the counter stays honest),
    the CHECK ``seats_taken <= capacity`` still holds, and the raised capacity records that
    the room took one more than planned.
    """
    table = Event.__table__
    full = (table.c.capacity.is_not(None)) & (table.c.seats_taken >= table.c.capacity)
    was_full = bool(event.capacity is not None and event.seats_taken >= event.capacity)
    session.execute(
        update(table)
        .where(table.c.id == event.id)
        .values(
            seats_taken=table.c.seats_taken + 1,
            capacity=case((full, table.c.seats_taken + 1), else_=table.c.capacity),
        )
    )
    session.expire(event, ["seats_taken", "capacity"])
    return was_full


def _require_door_open(event: Event, now: datetime) -> None:
    if event.is_cancelled:
        raise BreakfastError(_l("This breakfast is cancelled."))
    if not calendar.attendance_open(event, now):
        raise BreakfastError(_l("Check-in opens on the day of the breakfast."))


def check_in(session: Session, signup: Signup, actor: User, now: datetime | None = None) -> Signup:
    """Mark a confirmed participant present (one tap at the door)."""
    now = now or utcnow()
    _require_door_open(signup.event, now)
    return calendar.mark_attendance(session, signup, Attendance.PRESENT, actor, now)


def check_in_walk_in(
    session: Session, event: Event, user: User, actor: User, now: datetime | None = None
) -> Signup:
    """Check in someone who came without a confirmed seat, also when the event is full.

    A confirmed sign-up is just marked present; a waiting-list place becomes a confirmed
    seat; otherwise a new confirmed sign-up is recorded. No confirmation mail: the person
    is standing there.
    """
    now = now or utcnow()
    _require_door_open(event, now)
    existing = calendar.active_signup(session, event, user)
    if existing is not None and existing.status == SignupStatus.CONFIRMED:
        return calendar.mark_attendance(session, existing, Attendance.PRESENT, actor, now)
    if existing is not None:
        table = Signup.__table__
        flipped = session.execute(
            update(table)
            .where(table.c.id == existing.id, table.c.status == SignupStatus.WAITLISTED.value)
            .values(status=SignupStatus.CONFIRMED.value, confirmed_at=now)
        ).rowcount
        session.expire(existing)
        if flipped == 1:
            _take_seat_even_if_full(session, event)
        return calendar.mark_attendance(session, existing, Attendance.PRESENT, actor, now)
    try:
        with session.begin_nested():
            _take_seat_even_if_full(session, event)
            signup = Signup(
                event=event,
                user=user,
                status=SignupStatus.CONFIRMED,
                created_at=now,
                confirmed_at=now,
                attendance=Attendance.PRESENT,
                attendance_marked_at=now,
                attendance_marked_by_id=actor.id,
            )
            session.add(signup)
            session.flush()
    except IntegrityError:
        # A second tap (or a colleague's phone) checked the same person in just now.
        session.expire(event, ["seats_taken", "capacity"])
        existing = calendar.active_signup(session, event, user)
        if existing is None:
            raise
        return calendar.mark_attendance(session, existing, Attendance.PRESENT, actor, now)
    return signup


@dataclass(frozen=True)
class GuestDetails:
    name: str
    organisation: Organisation | None = None
    new_organisation_name: str | None = None
    new_organisation_type: OrganisationType | None = None
    municipality: str | None = None


def create_guest(session: Session, details: GuestDetails) -> User:
    """Record a walk-in without an account: a person in the counts who never logs in and
    is never mailed (no address, no password)."""
    organisation = details.organisation
    if organisation is None and details.new_organisation_name:
        organisation = Organisation(
            name=details.new_organisation_name,
            org_type=details.new_organisation_type or OrganisationType.OTHER,
            municipality=details.municipality or None,
        )
        session.add(organisation)
    guest = User(
        name=details.name,
        email=None,
        password_hash=None,
        is_guest=True,
        organisation=organisation,
    )
    session.add(guest)
    session.flush()
    return guest


SEARCH_LIMIT = 20


def _folded(value: str) -> str:
    return unicodedata.normalize("NFC", value).casefold()


def find_people(session: Session, term: str, limit: int = SEARCH_LIMIT) -> list[User]:
    """People (accounts and earlier guests) whose name contains ``term``, for the door.

    Matched in Python with casefold, like the calendar's attendance search: SQLite folds
    ASCII only, so "åsa" would not find "Åsa"; ``%`` and ``_`` are plain text. Only id and
    name are read for everyone, then the hits are loaded.
    """
    needle = _folded(term.strip())
    if not needle:
        return []
    rows = session.execute(
        select(User.id, User.name)
        .where(User.deleted_at.is_(None), User.is_disabled.is_(False))
        .order_by(User.name, User.id)
    ).all()
    ids = [user_id for user_id, name in rows if needle in _folded(name)][:limit]
    if not ids:
        return []
    people = session.scalars(
        select(User).where(User.id.in_(ids)).options(selectinload(User.organisation))
    ).all()
    order = {user_id: index for index, user_id in enumerate(ids)}
    return sorted(people, key=lambda person: order[person.id])


def door_list(session: Session, event: Event, term: str = "") -> list[Signup]:
    """Confirmed participants matching ``term`` (all when empty), by name."""
    return calendar.search_confirmed(session, event, term)


def waiting_at_door(session: Session, event: Event) -> list[Signup]:
    """People on the waiting list, who may turn up anyway."""
    return list(
        session.scalars(
            select(Signup)
            .where(Signup.event_id == event.id, Signup.status == SignupStatus.WAITLISTED)
            .order_by(Signup.created_at, Signup.id)
            .options(selectinload(Signup.user))
        )
    )


def managed_series(session: Session, user: User) -> Sequence[BreakfastSeries]:
    """Series the user coordinates (organisers see every series on the index anyway)."""
    return session.scalars(
        select(BreakfastSeries)
        .where(BreakfastSeries.coordinators.any(User.id == user.id))
        .order_by(BreakfastSeries.title, BreakfastSeries.id)
    ).all()


def listed_series(session: Session, *, include_unlisted: bool) -> Sequence[BreakfastSeries]:
    query = (
        select(BreakfastSeries)
        .order_by(BreakfastSeries.ended_at.is_not(None), BreakfastSeries.title, BreakfastSeries.id)
        .options(selectinload(BreakfastSeries.network))
    )
    if not include_unlisted:
        query = query.where(BreakfastSeries.is_public.is_(True))
    return session.scalars(query).all()


def is_scheduled(event: Event) -> bool:
    return event.status == EventStatus.SCHEDULED
