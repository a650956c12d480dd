"""Entrepreneurship lab series and their sessions; each session is a calendar Event.

The shared ``Event`` holds the time, place, seats and sign-ups of a session; ``LabSession``
only links it to its series, so the calendar, feeds and sign-up engine see labs like any
other event.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.auth.models import User, municipality_type
from eventapp.calendar.models import (
    ADDRESS_MAX,
    CAPACITY_MAX,
    DESCRIPTION_MAX,
    PLACE_MAX,
    TITLE_MAX,
    Event,
)
from eventapp.database import TimestampMixin, UTCDateTime
from eventapp.extensions import db

TARGET_GROUP_MAX = 300
FACILITATOR_MAX = 200

__all__ = ["DESCRIPTION_MAX", "LabSeries", "LabSession"]


class LabSeries(TimestampMixin, db.Model):
    """A recurring lab on one theme, with the defaults its sessions start from."""

    __tablename__ = "lab_series"
    __table_args__ = (
        CheckConstraint("length(title) > 0", name="title_not_empty"),
        CheckConstraint(
            f"default_capacity IS NULL OR (default_capacity >= 1 "
            f"AND default_capacity <= {CAPACITY_MAX})",
            name="default_capacity_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The theme: "Designtänkande", "Offentlig upphandling", ...
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    target_group: Mapped[str] = mapped_column(String(TARGET_GROUP_MAX), default="")
    facilitator: Mapped[str] = mapped_column(String(FACILITATOR_MAX), default="")
    default_capacity: Mapped[int | None] = mapped_column(Integer)
    default_place: Mapped[str] = mapped_column(String(PLACE_MAX), default="")
    default_address: Mapped[str] = mapped_column(String(ADDRESS_MAX), default="")
    municipality: Mapped[str | None] = mapped_column(municipality_type)
    is_cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    created_by: Mapped[User | None] = relationship()
    sessions: Mapped[list[LabSession]] = relationship(
        back_populates="series", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<LabSeries {self.id} {self.title!r}>"


class LabSession(db.Model):
    """One session of a series: the link from the series to its calendar Event."""

    __tablename__ = "lab_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(
        ForeignKey("lab_series.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)

    series: Mapped[LabSeries] = relationship(back_populates="sessions")
    event: Mapped[Event] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<LabSession {self.id} series={self.series_id} event={self.event_id}>"
