"""Breakfast meetings: host networks, recurring series, and the link from each generated
calendar ``Event`` back to its series.

Each occurrence is an ordinary ``Event`` of kind breakfast (own UID, seat limit and counter),
so the sign-up engine, the feeds and the attendance pages work unchanged; this area only
keeps the recurrence rule and which date of the rule an event stands for.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.auth.models import NAME_MAX, URL_MAX, User, municipality_type
from eventapp.calendar.models import (
    ADDRESS_MAX,
    CAPACITY_MAX,
    PLACE_MAX,
    TITLE_MAX,
    Event,
)
from eventapp.database import TimestampMixin, UTCDateTime, string_enum
from eventapp.extensions import db

# A breakfast is a morning meeting: at most a working day long.
DURATION_MAX_MINUTES = 8 * 60


class Frequency(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"  # on the n-th (or last) weekday of the month

    @property
    def label(self) -> str:
        return str(FREQUENCY_LABELS[self])


FREQUENCY_LABELS = {
    Frequency.WEEKLY: _l("Every week"),
    Frequency.BIWEEKLY: _l("Every other week"),
    Frequency.MONTHLY: _l("Once a month, on a weekday"),
}


class OccurrenceChange(StrEnum):
    """What an organiser did to one occurrence by hand; anything but NONE is an override
    that editing the rest of the series leaves alone."""

    NONE = "none"
    MOVED = "moved"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str(CHANGE_LABELS[self])


CHANGE_LABELS = {
    OccurrenceChange.NONE: _l("As planned"),
    OccurrenceChange.MOVED: _l("Moved"),
    OccurrenceChange.SKIPPED: _l("Skipped"),
    OccurrenceChange.CANCELLED: _l("Cancelled"),
}


class HostNetwork(TimestampMixin, db.Model):
    """A local business network that hosts breakfasts (Företagarna, a municipality's unit)."""

    __tablename__ = "breakfast_networks"
    __table_args__ = (CheckConstraint("length(name) > 0", name="name_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    municipality: Mapped[str] = mapped_column(municipality_type)
    website: Mapped[str | None] = mapped_column(String(URL_MAX))

    series: Mapped[list[BreakfastSeries]] = relationship(back_populates="network")

    def __repr__(self) -> str:
        return f"<HostNetwork {self.id} {self.name!r}>"


class BreakfastSeries(TimestampMixin, db.Model):
    """A recurring breakfast: the rule (in Stockholm wall-clock time) and what each
    occurrence is created with.

    ``rule_start`` is where the current rule begins: the series' first day, or the day an
    organiser changed the rest of the series from. Every-other-week counts its weeks from
    there. ``end_date`` (inclusive) is set when the series is ended; generation never goes
    beyond it nor beyond the configured horizon.
    """

    __tablename__ = "breakfast_series"
    __table_args__ = (
        CheckConstraint("length(title) > 0", name="title_not_empty"),
        CheckConstraint("weekday >= 0 AND weekday <= 6", name="weekday_range"),
        CheckConstraint(
            "(frequency = 'monthly') = (week_of_month IS NOT NULL)", name="monthly_has_week"
        ),
        CheckConstraint(
            "week_of_month IS NULL OR week_of_month IN (-1, 1, 2, 3, 4)",
            name="week_of_month_range",
        ),
        CheckConstraint(
            f"duration_minutes >= 15 AND duration_minutes <= {DURATION_MAX_MINUTES}",
            name="duration_range",
        ),
        CheckConstraint(
            f"capacity IS NULL OR (capacity >= 1 AND capacity <= {CAPACITY_MAX})",
            name="capacity_range",
        ),
        CheckConstraint("end_date IS NULL OR end_date >= rule_start", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(
        ForeignKey("breakfast_networks.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(PLACE_MAX), default="")
    address: Mapped[str] = mapped_column(String(ADDRESS_MAX), default="")
    municipality: Mapped[str] = mapped_column(municipality_type, index=True)
    frequency: Mapped[Frequency] = mapped_column(string_enum(Frequency, "breakfast_frequency", 20))
    # Monday = 0 ... Sunday = 6, as Python's date.weekday().
    weekday: Mapped[int] = mapped_column(Integer)
    # Monthly only: 1-4 for "first".."fourth", -1 for "last".
    week_of_month: Mapped[int | None] = mapped_column(Integer)
    local_time: Mapped[time] = mapped_column(Time)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=90)
    capacity: Mapped[int | None] = mapped_column(Integer)
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)
    rule_start: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    network: Mapped[HostNetwork] = relationship(back_populates="series")
    created_by: Mapped[User | None] = relationship()
    coordinators: Mapped[list[User]] = relationship(
        secondary="breakfast_coordinators", order_by="User.name"
    )
    occurrences: Mapped[list[BreakfastOccurrence]] = relationship(
        back_populates="series", order_by="BreakfastOccurrence.original_date"
    )

    def __repr__(self) -> str:
        return f"<BreakfastSeries {self.id} {self.title!r} {self.frequency}>"

    @property
    def is_ended(self) -> bool:
        return self.ended_at is not None


class BreakfastCoordinator(db.Model):
    """A user an organiser named to run one series and its check-in (and nothing else)."""

    __tablename__ = "breakfast_coordinators"
    __table_args__ = (UniqueConstraint("series_id", "user_id", name="uq_breakfast_coordinator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(
        ForeignKey("breakfast_series.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    def __repr__(self) -> str:
        return f"<BreakfastCoordinator series={self.series_id} user={self.user_id}>"


_CURRENT_SQL = "superseded_at IS NULL"


class BreakfastOccurrence(db.Model):
    """One date of a series and the ``Event`` that stands for it.

    ``original_date`` is the Stockholm date the rule gave, even after the event was moved.
    ``superseded_at`` is set when changing the rest of the series dropped this date (its
    event is cancelled); only one current occurrence per series and date may exist, which
    makes generation idempotent even if two runs race.
    """

    __tablename__ = "breakfast_occurrences"
    __table_args__ = (
        Index(
            "uq_breakfast_occurrences_current_date",
            "series_id",
            "original_date",
            unique=True,
            sqlite_where=text(_CURRENT_SQL),
            postgresql_where=text(_CURRENT_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    series_id: Mapped[int] = mapped_column(
        ForeignKey("breakfast_series.id", ondelete="CASCADE"), index=True
    )
    original_date: Mapped[date] = mapped_column(Date)
    change: Mapped[OccurrenceChange] = mapped_column(
        string_enum(OccurrenceChange, "breakfast_change", 20), default=OccurrenceChange.NONE
    )
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    series: Mapped[BreakfastSeries] = relationship(back_populates="occurrences")

    def __repr__(self) -> str:
        return f"<BreakfastOccurrence {self.id} series={self.series_id} {self.original_date}>"

    @property
    def is_override(self) -> bool:
        return self.change != OccurrenceChange.NONE
