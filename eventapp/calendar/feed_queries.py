"""Which events a calendar feed, page or export holds, and how to tell that it changed.

The rules every feed shares:

* Scheduled events stay for a year after they end (clients delete what leaves a feed, so
  recent history stays), and every future one is there.
* Cancelled events stay with STATUS:CANCELLED until 30 days after their date (counted in
  whole Swedish days) so clients remove them from their copy, and then drop out.
* Unlisted events are only in organisers' selections; personal feeds hold the person's own
  confirmed and waiting-list sign-ups, whatever the event's listing.

``personal_feed_items`` is the one place a person's entries are collected. Sign-ups are
collected here; the boards blueprint registers accepted pitch slots and panel sessions,
the awards blueprint jury sessions (``register_personal_source``), because the calendar
must not import the blueprints built on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from eventapp.auth.models import User
from eventapp.calendar.ical import ZONE, FeedItem
from eventapp.calendar.models import (
    ACTIVE_SIGNUP_STATUSES,
    Event,
    EventKind,
    EventStatus,
    Signup,
    SignupStatus,
)
from eventapp.regions import MUNICIPALITY_CHOICES

CANCELLED_KEPT_DAYS = 30
HISTORY_KEPT_DAYS = 365
# Dates outside these years are refused: they are typing errors, and stay far from the
# limits of ``date`` (year 1 and 9999) where adding a day would overflow.
FIRST_YEAR, LAST_YEAR = 2000, 2100

# URL words of the per-kind feeds and filters.
KIND_SLUGS: dict[str, EventKind] = {
    "labs": EventKind.LAB,
    "boards": EventKind.BOARD,
    "breakfasts": EventKind.BREAKFAST,
    "awards": EventKind.AWARD,
}
SLUG_FOR_KIND = {kind: slug for slug, kind in KIND_SLUGS.items()}
FILTER_KINDS: tuple[EventKind, ...] = (*KIND_SLUGS.values(), EventKind.OTHER)
SLUG_FOR_KIND[EventKind.OTHER] = "other"


class FilterError(ValueError):
    """A filter value that is not one of ours; ``message`` is safe to show."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class FeedFilter:
    """A selection of events. ``mine`` and ``include_unlisted`` need an organiser."""

    kind: EventKind | None = None
    municipality: str | None = None
    date_from: date | None = None
    date_to: date | None = None  # inclusive
    mine: bool = False
    include_unlisted: bool = False

    @property
    def is_public(self) -> bool:
        """True when anyone may see this selection (no own events, no unlisted ones)."""
        return not (self.mine or self.include_unlisted)

    def to_query(self) -> str:
        """The normalised query string (stable order), as saved links and URLs use it."""
        pairs: list[tuple[str, str]] = []
        if self.kind is not None:
            pairs.append(("kind", SLUG_FOR_KIND[self.kind]))
        if self.municipality:
            pairs.append(("municipality", self.municipality))
        if self.date_from:
            pairs.append(("start", self.date_from.isoformat()))
        if self.date_to:
            pairs.append(("end", self.date_to.isoformat()))
        if self.mine:
            pairs.append(("mine", "1"))
        if self.include_unlisted:
            pairs.append(("unlisted", "1"))
        return urlencode(pairs)

    def public_part(self) -> FeedFilter:
        return replace(self, mine=False, include_unlisted=False)


def parse_filter(args) -> FeedFilter:
    """Read a FeedFilter from request args (a MultiDict or a dict); raise FilterError."""
    kind = _one(args, "kind")
    municipality = _one(args, "municipality")
    if kind and kind not in SLUG_FOR_KIND.values():
        raise FilterError(_l("Unknown kind of event."))
    if municipality and municipality not in MUNICIPALITY_CHOICES:
        raise FilterError(_l("Unknown municipality."))
    date_from = _date(_one(args, "start"))
    date_to = _date(_one(args, "end"))
    if date_from and date_to and date_to < date_from:
        raise FilterError(_l("The end date must not be before the start date."))
    return FeedFilter(
        kind=_kind_for_slug(kind) if kind else None,
        municipality=municipality or None,
        date_from=date_from,
        date_to=date_to,
        mine=_one(args, "mine") in ("1", "y", "on", "true"),
        include_unlisted=_one(args, "unlisted") in ("1", "y", "on", "true"),
    )


def _kind_for_slug(slug: str) -> EventKind:
    return KIND_SLUGS.get(slug, EventKind.OTHER)


def _one(args, name: str) -> str:
    """One value of ``name``; repeating a parameter is refused rather than guessed."""
    getlist = getattr(args, "getlist", None)
    values = getlist(name) if getlist else ([args[name]] if name in args else [])
    if len(values) > 1:
        raise FilterError(_l("Give each filter once."))
    return values[0].strip() if values else ""


def _date(value: str) -> date | None:
    if not value:
        return None
    try:
        if len(value) != 10:
            raise ValueError(value)
        parsed = date.fromisoformat(value)
    except ValueError:
        raise FilterError(_l("Write dates as YYYY-MM-DD.")) from None
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise FilterError(
            _l("Choose a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)
        )
    return parsed


# --- the time window ------------------------------------------------------------------------


def local_midnight(now: datetime) -> datetime:
    """The start of today in Stockholm (the feeds' window moves once a day, at midnight)."""
    return datetime.combine(now.astimezone(ZONE).date(), time(0), tzinfo=ZONE)


def window_condition(now: datetime):
    """Scheduled events ended within a year or later; cancelled ones within 30 days."""
    midnight = local_midnight(now)
    return or_(
        and_(
            Event.status == EventStatus.SCHEDULED,
            Event.ends_at > midnight - timedelta(days=HISTORY_KEPT_DAYS),
        ),
        and_(
            Event.status == EventStatus.CANCELLED,
            Event.ends_at > midnight - timedelta(days=CANCELLED_KEPT_DAYS),
        ),
    )


def _local_day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZONE)


def selection_query(selection: FeedFilter, *, viewer: User | None, now: datetime) -> Select:
    """The events of a selection, in a stable order. Callers check who may use it."""
    query = select(Event).where(window_condition(now)).order_by(Event.starts_at, Event.id)
    if not selection.include_unlisted:
        query = query.where(Event.is_public.is_(True))
    if selection.mine:
        query = query.where(Event.organiser_id == (viewer.id if viewer else None))
    if selection.kind is not None:
        query = query.where(Event.kind == selection.kind)
    if selection.municipality:
        query = query.where(Event.municipality == selection.municipality)
    if selection.date_from:
        query = query.where(Event.ends_at > _local_day_start(selection.date_from))
    if selection.date_to:
        query = query.where(
            Event.starts_at < _local_day_start(selection.date_to + timedelta(days=1))
        )
    return query


def selection_events(
    session: Session, selection: FeedFilter, *, viewer: User | None, now: datetime
) -> Sequence[Event]:
    return session.scalars(selection_query(selection, viewer=viewer, now=now)).all()


def month_events(
    session: Session, selection: FeedFilter, *, first_day: date, now: datetime
) -> Sequence[Event]:
    """Public events touching the month that starts at ``first_day`` (for the HTML page).

    The page shows what the public feed shows for that month: cancelled events only while
    they are still in the feeds.
    """
    next_month = (first_day.replace(day=28) + timedelta(days=4)).replace(day=1)
    bounded = replace(
        selection.public_part(), date_from=first_day, date_to=next_month - timedelta(days=1)
    )
    return selection_events(session, bounded, viewer=None, now=now)


# --- what changed ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Revision:
    """A cheap summary that changes whenever any event row changes, and its time."""

    fingerprint: tuple
    changed_at: datetime | None


def events_revision(session: Session, now: datetime) -> Revision:
    """``count(*)`` and ``max(updated_at)`` over all events, plus today's date.

    Every change to an event row sets ``updated_at`` (also Core UPDATEs, through the
    column's ``onupdate``), and events are never deleted, so this pair changes whenever
    anything a feed shows could have changed. The date moves the 30-day/1-year window.
    """
    count, latest = session.execute(select(func.count(Event.id), func.max(Event.updated_at))).one()
    midnight = local_midnight(now)
    latest_utc = _as_utc(latest)
    changed_at = max(moment for moment in (latest_utc, midnight) if moment is not None)
    return Revision((count, latest_utc, midnight.date()), changed_at)


def _as_utc(moment: datetime | str | None) -> datetime | None:
    """Aggregates skip the column type: SQLite gives naive UTC text or datetime."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


# --- personal feeds -------------------------------------------------------------------------

PersonalSource = Callable[[Session, User, datetime], Iterable[FeedItem]]
# The moments (UTC or naive UTC from aggregates) at which a source's data last changed.
PersonalRevision = Callable[[Session, User], Iterable[datetime | str | None]]


def event_in_window(event: Event, now: datetime) -> bool:
    """``window_condition`` for an event already loaded (sources that get Event lists)."""
    midnight = local_midnight(now)
    kept = CANCELLED_KEPT_DAYS if event.is_cancelled else HISTORY_KEPT_DAYS
    return event.ends_at > midnight - timedelta(days=kept)


def signup_feed_items(session: Session, user: User, now: datetime) -> list[FeedItem]:
    """The person's confirmed sign-ups, and waiting-list places as TENTATIVE."""
    rows = session.execute(
        select(Signup, Event)
        .join(Event, Signup.event_id == Event.id)
        .where(
            Signup.user_id == user.id,
            Signup.status.in_(ACTIVE_SIGNUP_STATUSES),
            window_condition(now),
        )
        .order_by(Event.starts_at, Event.id)
    ).all()
    items = []
    for signup, event in rows:
        if signup.status == SignupStatus.WAITLISTED:
            items.append(
                FeedItem.from_event(
                    event, status="TENTATIVE", note=str(_l("You are on the waiting list."))
                )
            )
        else:
            items.append(FeedItem.from_event(event))
    return items


def signup_revision(session: Session, user: User) -> Iterable[datetime | str | None]:
    """Last changes of the person's sign-ups and of the events they are for."""
    return session.execute(
        select(
            func.max(Signup.created_at),
            func.max(Signup.confirmed_at),
            func.max(Signup.cancelled_at),
            func.max(Event.updated_at),
        )
        .select_from(Signup)
        .join(Event, Signup.event_id == Event.id)
        .where(Signup.user_id == user.id)
    ).one()


# Sign-ups first: when one event reaches the feed by two routes (a panel member who also
# took an audience seat), the first source's entry is the one shown.
PERSONAL_SOURCES: list[PersonalSource] = [signup_feed_items]
PERSONAL_REVISIONS: list[PersonalRevision] = [signup_revision]


def register_personal_source(items: PersonalSource, revision: PersonalRevision) -> None:
    """Add a blueprint's entries to every personal feed (once, however often imported)."""
    if items not in PERSONAL_SOURCES:
        PERSONAL_SOURCES.append(items)
    if revision not in PERSONAL_REVISIONS:
        PERSONAL_REVISIONS.append(revision)


def personal_feed_items(session: Session, user: User, now: datetime) -> list[FeedItem]:
    """Everything in one person's feed, one entry per UID, in a stable order."""
    seen: dict[str, FeedItem] = {}
    for source in PERSONAL_SOURCES:
        for item in source(session, user, now):
            seen.setdefault(item.uid, item)
    return sorted(seen.values(), key=lambda item: (item.start, item.end, item.uid))


def personal_revision(session: Session, user: User, now: datetime) -> datetime:
    """When anything in the person's feed last changed, as far as timestamps tell.

    Every source adds the timestamps of its rows (sign-ups, pitch applications, boards,
    jury appointments, and the events behind them). A row that is deleted (taken off a
    panel or a jury) leaves no timestamp behind, so this is a lower bound: the feed view
    also keeps, per link, when the rendered body last changed (``feed_services.
    content_changed_at``) and gives the later of the two as Last-Modified.
    """
    candidates = [_as_utc(user.updated_at), local_midnight(now)]
    for revision in PERSONAL_REVISIONS:
        candidates += [_as_utc(moment) for moment in revision(session, user)]
    return max(moment for moment in candidates if moment is not None)
