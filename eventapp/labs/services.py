"""Lab rules: series with defaults, sessions as calendar events, copy and cancel."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, contains_eager

from eventapp.auth.models import User
from eventapp.calendar import services as calendar_services
from eventapp.calendar.models import TITLE_MAX, Event, EventKind, EventStatus
from eventapp.calendar.services import EventDetails
from eventapp.database import utcnow
from eventapp.errors import DomainError
from eventapp.labs.models import LabSeries, LabSession
from eventapp.paging import Paged


class LabError(DomainError):
    """A lab rule refused the change."""


@dataclass(frozen=True)
class SeriesDetails:
    title: str
    description: str
    target_group: str
    facilitator: str
    default_capacity: int | None
    default_place: str
    default_address: str
    municipality: str | None


_SERIES_FIELDS = tuple(SeriesDetails.__dataclass_fields__)


def create_series(session: Session, details: SeriesDetails, organiser: User) -> LabSeries:
    """Create a lab series."""
    series = LabSeries(created_by=organiser, **{n: getattr(details, n) for n in _SERIES_FIELDS})
    session.add(series)
    session.flush()
    return series


def update_series(session: Session, series: LabSeries, details: SeriesDetails) -> LabSeries:
    """Change a series; its existing sessions keep their own place and seats."""
    if series.is_cancelled:
        raise LabError(_l("A cancelled series cannot be changed."))
    for name in _SERIES_FIELDS:
        setattr(series, name, getattr(details, name))
    session.flush()
    return series


def copy_series(session: Session, series: LabSeries, organiser: User) -> LabSeries:
    """Start a new series from an existing one's texts and defaults (without its sessions)."""
    copy = LabSeries(created_by=organiser, **{n: getattr(series, n) for n in _SERIES_FIELDS})
    copy.title = str(_l("Copy of %(title)s", title=series.title))[:TITLE_MAX]
    session.add(copy)
    session.flush()
    return copy


def cancel_series(session: Session, series: LabSeries, reason: str, actor: User) -> list[Event]:
    """Cancel a series and every session that has not started; participants are told."""
    if series.is_cancelled:
        raise LabError(_l("The series is already cancelled."))
    now = utcnow()
    cancelled = []
    for lab_session in series.sessions:
        event = lab_session.event
        if not event.is_cancelled and event.starts_at > now:
            calendar_services.cancel_event(session, event, reason, actor)
            cancelled.append(event)
    series.is_cancelled = True
    series.cancelled_at = now
    session.flush()
    return cancelled


def create_session(
    session: Session, series: LabSeries, details: EventDetails, organiser: User
) -> LabSession:
    """Add a session to a series: a new lab Event with its own seats."""
    if series.is_cancelled:
        raise LabError(_l("A cancelled series cannot get new sessions."))
    event = calendar_services.create_event(session, replace(details, kind=EventKind.LAB), organiser)
    lab_session = LabSession(series=series, event=event)
    session.add(lab_session)
    session.flush()
    return lab_session


def update_session(session: Session, lab_session: LabSession, details: EventDetails) -> Event:
    """Change a session through the calendar rules (capacity, SEQUENCE, promotion)."""
    return calendar_services.update_event(
        session, lab_session.event, replace(details, kind=EventKind.LAB)
    )


def cancel_session(session: Session, lab_session: LabSession, reason: str, actor: User) -> Event:
    """Cancel a session through the calendar rules (everyone signed up is told)."""
    return calendar_services.cancel_event(session, lab_session.event, reason, actor)


SERIES_PER_PAGE = 20


@dataclass(frozen=True)
class SeriesListing(Paged):
    """One page of the labs list: each series with its next public session (or None)."""

    items: list[tuple[LabSeries, LabSession | None]]
    page: int
    pages: int
    total: int


def series_page(
    session: Session, page: int = 1, *, per_page: int = SERIES_PER_PAGE, now: datetime | None = None
) -> SeriesListing:
    """A page of lab series: those with a coming session first (soonest first), then the
    others newest first, cancelled ones last.

    Three statements whatever the number of series or sessions: the list grows with the
    years, so neither every series nor every coming session is loaded, only this page's.
    """
    now = now or utcnow()
    coming = (
        Event.status == EventStatus.SCHEDULED,
        Event.is_public.is_(True),
        Event.ends_at > now,
    )
    next_start = (
        select(LabSession.series_id, func.min(Event.starts_at).label("starts_at"))
        .join(LabSession.event)
        .where(*coming)
        .group_by(LabSession.series_id)
        .subquery()
    )
    total = session.scalar(select(func.count(LabSeries.id))) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    series = session.scalars(
        select(LabSeries)
        .outerjoin(next_start, next_start.c.series_id == LabSeries.id)
        .order_by(
            LabSeries.is_cancelled,
            next_start.c.starts_at.is_(None),
            next_start.c.starts_at,
            LabSeries.created_at.desc(),
            LabSeries.id.desc(),
        )
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    upcoming: dict[int, LabSession] = {}
    if series:
        sessions = session.scalars(
            select(LabSession)
            .join(LabSession.event)
            .join(
                next_start,
                (next_start.c.series_id == LabSession.series_id)
                & (next_start.c.starts_at == Event.starts_at),
            )
            .where(LabSession.series_id.in_([s.id for s in series]), *coming)
            .order_by(Event.starts_at, LabSession.id)
            .options(contains_eager(LabSession.event))
        ).all()
        for lab_session in sessions:
            upcoming.setdefault(lab_session.series_id, lab_session)
    return SeriesListing(
        items=[(s, upcoming.get(s.id)) for s in series], page=page, pages=pages, total=total
    )


@dataclass(frozen=True)
class SeriesSessions:
    upcoming: list[LabSession]
    past: list[LabSession]


def sessions_of(
    series: LabSeries, *, include_unlisted: bool, now: datetime | None = None
) -> SeriesSessions:
    """A series' sessions in time order, split at now; unlisted ones only for organisers."""
    now = now or utcnow()
    rows = sorted(series.sessions, key=lambda s: (s.event.starts_at, s.id))
    rows = [s for s in rows if include_unlisted or s.event.is_public]
    return SeriesSessions(
        upcoming=[s for s in rows if s.event.ends_at > now],
        past=[s for s in rows if s.event.ends_at <= now][::-1],
    )


def next_session(series: LabSeries, now: datetime | None = None) -> LabSession | None:
    now = now or utcnow()
    upcoming = [
        s
        for s in series.sessions
        if s.event.status == EventStatus.SCHEDULED and s.event.is_public and s.event.ends_at > now
    ]
    return min(upcoming, key=lambda s: s.event.starts_at, default=None)
