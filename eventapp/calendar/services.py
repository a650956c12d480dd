"""Calendar rules: creating, changing and cancelling events, and finding upcoming ones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from eventapp.auth.models import User
from eventapp.calendar.models import Event, EventKind, EventStatus
from eventapp.database import utcnow


class EventError(Exception):
    """A rule refused the change; ``message`` is safe to show."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


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


# A change to any of these means calendar clients must replace their copy (RFC 5545 SEQUENCE).
_SEQUENCED_FIELDS = ("starts_at", "ends_at", "place", "address")


def _check_times(details: EventDetails) -> None:
    if details.starts_at.tzinfo is None or details.ends_at.tzinfo is None:
        raise EventError(_l("Times must carry a time zone."))
    if details.ends_at <= details.starts_at:
        raise EventError(_l("The event must end after it starts."))


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
    session.add(event)
    session.flush()
    return event


def update_event(session: Session, event: Event, details: EventDetails) -> Event:
    """Change an event; bump SEQUENCE when its time or place changes."""
    if event.is_cancelled:
        raise EventError(_l("A cancelled event cannot be changed."))
    _check_times(details)
    moved = details.starts_at != event.starts_at
    if moved and details.starts_at <= utcnow():
        raise EventError(_l("The event must start in the future."))
    if details.capacity is not None and details.capacity < event.seats_taken:
        raise EventError(
            _l(
                "%(taken)d seats are already taken; the capacity cannot be lower than that.",
                taken=event.seats_taken,
            )
        )
    changed = any(getattr(event, name) != getattr(details, name) for name in _SEQUENCED_FIELDS)
    for name in (
        "kind", "title", "description", "place", "address", "municipality",
        "starts_at", "ends_at", "capacity", "is_public",
    ):
        setattr(event, name, getattr(details, name))
    if changed:
        event.sequence += 1
    session.flush()
    return event


def cancel_event(session: Session, event: Event, reason: str, actor: User) -> Event:
    """Cancel an event, keeping it (with its reason) so calendars can show it cancelled."""
    if event.is_cancelled:
        raise EventError(_l("The event is already cancelled."))
    event.status = EventStatus.CANCELLED
    event.cancelled_at = utcnow()
    event.cancellation_reason = reason
    event.sequence += 1
    session.flush()
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
