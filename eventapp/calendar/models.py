"""The one calendar model that labs, boards, breakfasts and the award gala all use."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.auth.models import User, municipality_type
from eventapp.database import TimestampMixin, UTCDateTime, string_enum, utcnow
from eventapp.extensions import db

TITLE_MAX = 200
PLACE_MAX = 200
ADDRESS_MAX = 300
DESCRIPTION_MAX = 10_000
REASON_MAX = 1_000
CAPACITY_MAX = 10_000


class EventKind(StrEnum):
    LAB = "lab"
    BOARD = "board"
    BREAKFAST = "breakfast"
    AWARD = "award"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(EVENT_KIND_LABELS[self])


EVENT_KIND_LABELS = {
    EventKind.LAB: _l("Entrepreneurship lab"),
    EventKind.BOARD: _l("Social business board"),
    EventKind.BREAKFAST: _l("Breakfast meeting"),
    EventKind.AWARD: _l("Social Enterprise of the Year"),
    EventKind.OTHER: _l("Other event"),
}


class EventStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Event(TimestampMixin, db.Model):
    """Something on the calendar: where, when, how many seats, and who organises it.

    ``sequence`` is the iCalendar SEQUENCE: it goes up whenever the time, place or status
    changes so calendar clients replace their copy. ``seats_taken`` counts confirmed
    sign-ups; the CHECK constraint makes overbooking impossible even if code is wrong.
    """

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint(
            f"capacity IS NULL OR (capacity >= 1 AND capacity <= {CAPACITY_MAX})",
            name="capacity_range",
        ),
        CheckConstraint(
            "seats_taken >= 0 AND (capacity IS NULL OR seats_taken <= capacity)",
            name="seats_within_capacity",
        ),
        CheckConstraint("sequence >= 0", name="sequence_not_negative"),
        CheckConstraint("length(title) > 0", name="title_not_empty"),
        Index("ix_events_status_starts_at", "status", "starts_at"),
        Index("ix_events_kind_starts_at", "kind", "starts_at"),
        # "Not ended yet" (home page, boards, labs) and the feeds' window filter on ends_at;
        # with only starts_at indexed the planner walks every past event first.
        Index("ix_events_status_ends_at", "status", "ends_at"),
        # The feeds' revision check, max(updated_at), runs on every feed request.
        Index("ix_events_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable public identifier: used in URLs and as the iCalendar UID everywhere.
    uid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    kind: Mapped[EventKind] = mapped_column(string_enum(EventKind, "event_kind", 20))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(PLACE_MAX), default="")
    address: Mapped[str] = mapped_column(String(ADDRESS_MAX), default="")
    municipality: Mapped[str | None] = mapped_column(municipality_type, index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int | None] = mapped_column(Integer)
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[EventStatus] = mapped_column(
        string_enum(EventStatus, "event_status", 20), default=EventStatus.SCHEDULED
    )
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancellation_reason: Mapped[str | None] = mapped_column(String(REASON_MAX))
    # The sign-up window: open from ``registration_opens_at`` (or at once) until
    # ``registration_closes_at`` (the sign-up deadline; or until the start). Confirmed
    # participants may cancel until ``cancellation_deadline`` (or until the start).
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancellation_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    # Public events appear on the home page and the public feed.
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)
    organiser_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    organiser: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.kind} {self.title!r} {self.starts_at:%Y-%m-%d}>"

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def has_started(self) -> bool:
        return self.starts_at <= utcnow()

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken, 0)


class SignupStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str(SIGNUP_STATUS_LABELS[self])


SIGNUP_STATUS_LABELS = {
    SignupStatus.CONFIRMED: _l("Confirmed"),
    SignupStatus.WAITLISTED: _l("On the waiting list"),
    SignupStatus.CANCELLED: _l("Sign-up cancelled"),
}
ACTIVE_SIGNUP_STATUSES = (SignupStatus.CONFIRMED, SignupStatus.WAITLISTED)


class Attendance(StrEnum):
    UNMARKED = "unmarked"
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"

    @property
    def label(self) -> str:
        return str(ATTENDANCE_LABELS[self])


ATTENDANCE_LABELS = {
    Attendance.UNMARKED: _l("Not marked"),
    Attendance.PRESENT: _l("Present"),
    Attendance.ABSENT: _l("Absent"),
    Attendance.EXCUSED: _l("Excused"),
}

_ACTIVE_SQL = "status IN ('confirmed', 'waitlisted')"


class Signup(db.Model):
    """One person's sign-up for one event: a confirmed seat, a waiting-list place, or cancelled.

    Waiting-list order is ``(created_at, id)``; the position is computed, never stored, so a
    cancellation or promotion can never leave two people on the same place. The partial unique
    index allows one active (confirmed or waitlisted) sign-up per person and event, while
    cancelled rows stay as history.
    """

    __tablename__ = "signups"
    __table_args__ = (
        Index(
            "uq_signups_active_event_user",
            "event_id",
            "user_id",
            unique=True,
            sqlite_where=text(_ACTIVE_SQL),
            postgresql_where=text(_ACTIVE_SQL),
        ),
        Index("ix_signups_event_status_order", "event_id", "status", "created_at", "id"),
        CheckConstraint(
            "(status = 'cancelled') = (cancelled_at IS NOT NULL)", name="cancelled_has_time"
        ),
        CheckConstraint(
            "attendance = 'unmarked' OR status = 'confirmed'", name="attendance_only_confirmed"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[SignupStatus] = mapped_column(string_enum(SignupStatus, "signup_status", 20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cancellation_reason: Mapped[str | None] = mapped_column(String(REASON_MAX))
    attendance: Mapped[Attendance] = mapped_column(
        string_enum(Attendance, "attendance", 20), default=Attendance.UNMARKED
    )
    attendance_marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attendance_marked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    # Opt-in: other participants see this person's name only when ticked.
    show_in_participant_list: Mapped[bool] = mapped_column(Boolean, default=False)

    event: Mapped[Event] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    cancelled_by: Mapped[User | None] = relationship(foreign_keys=[cancelled_by_id])

    def __repr__(self) -> str:
        return f"<Signup {self.id} event={self.event_id} user={self.user_id} {self.status}>"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_SIGNUP_STATUSES


class EventInvitation(db.Model):
    """That ``user`` was e-mailed an invitation to ``event`` (see calendar/invitations.py).

    Kept apart from the outbox because sent mail is purged after a few months, and an event
    can be further ahead than that: without this row a second send-out would invite the
    same people again. ``purge`` deletes the rows once the event is over.
    """

    __tablename__ = "event_invitations"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
