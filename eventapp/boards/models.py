"""Social business boards: the session, its panel, pitch applications, slots and feedback.

A board session is an ``Event`` of kind board (its audience seats are the event's capacity
and use the shared sign-up engine). The pitches happen in timed slots: slot *n* starts at
``first_slot_at + n * slot_minutes``. The schema keeps the rules that matter true even if
code goes wrong: one application per person per board, at most one pitch per slot, a slot
only for an accepted or confirmed application (and only a slot of the same board), a
reserve position only on the reserve list, one note and one feedback per panel member and
pitch.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.auth.models import NAME_MAX, User
from eventapp.calendar.models import Event
from eventapp.database import TimestampMixin, UTCDateTime, string_enum, utcnow
from eventapp.extensions import db

SLOT_COUNT_MAX = 30
SLOT_MINUTES_MIN = 5
SLOT_MINUTES_MAX = 120
PANEL_HELP_MAX = 2_000
ORGANISATION_MAX = 200
GUEST_TITLE_MAX = 200
IDEA_MAX = 2_000
IMPACT_MAX = 2_000
OTHER_WISH_MAX = 300
ACCESSIBILITY_MAX = 1_000
DECLINE_MESSAGE_MAX = 2_000
NOTE_MAX = 5_000
FEEDBACK_MAX = 5_000


class FeedbackMode(StrEnum):
    ATTRIBUTED = "attributed"
    ANONYMOUS = "anonymous"

    @property
    def label(self) -> str:
        return str(FEEDBACK_MODE_LABELS[self])


FEEDBACK_MODE_LABELS = {
    FeedbackMode.ATTRIBUTED: _l("Attributed: the entrepreneur sees who wrote each feedback"),
    FeedbackMode.ANONYMOUS: _l("Anonymous: the entrepreneur sees the feedback without names"),
}


class ApplicationStatus(StrEnum):
    APPLIED = "applied"
    ACCEPTED = "accepted"
    RESERVE = "reserve"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    CONFIRMED = "confirmed"

    @property
    def label(self) -> str:
        return str(APPLICATION_STATUS_LABELS[self])


APPLICATION_STATUS_LABELS = {
    ApplicationStatus.APPLIED: _l("Applied, waiting for the organisers' decision"),
    ApplicationStatus.ACCEPTED: _l("Offered a slot, waiting for your confirmation"),
    ApplicationStatus.RESERVE: _l("On the reserve list"),
    ApplicationStatus.DECLINED: _l("Not selected"),
    ApplicationStatus.WITHDRAWN: _l("Withdrawn"),
    ApplicationStatus.CONFIRMED: _l("Slot confirmed"),
}

# Statuses that hold a slot.
SLOTTED = (ApplicationStatus.ACCEPTED, ApplicationStatus.CONFIRMED)


class PanelWish(StrEnum):
    """What an entrepreneur wants from the panel."""

    FINANCING = "financing"
    CUSTOMERS = "customers"
    PARTNERS = "partners"
    ORGANISATION = "organisation"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(PANEL_WISH_LABELS[self])


PANEL_WISH_LABELS = {
    PanelWish.FINANCING: _l("Financing"),
    PanelWish.CUSTOMERS: _l("Customers"),
    PanelWish.PARTNERS: _l("Partners"),
    PanelWish.ORGANISATION: _l("Organisation and business development"),
    PanelWish.OTHER: _l("Something else"),
}


class BoardSession(TimestampMixin, db.Model):
    """One sitting of a social business board, tied 1:1 to its calendar event."""

    __tablename__ = "board_sessions"
    __table_args__ = (
        CheckConstraint(
            f"slot_count >= 1 AND slot_count <= {SLOT_COUNT_MAX}", name="slot_count_range"
        ),
        CheckConstraint(
            f"slot_minutes >= {SLOT_MINUTES_MIN} AND slot_minutes <= {SLOT_MINUTES_MAX}",
            name="slot_minutes_range",
        ),
        CheckConstraint("applications_close_at <= first_slot_at", name="deadline_before_slots"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    slot_count: Mapped[int] = mapped_column(Integer)
    slot_minutes: Mapped[int] = mapped_column(Integer)
    first_slot_at: Mapped[datetime] = mapped_column(UTCDateTime)
    applications_close_at: Mapped[datetime] = mapped_column(UTCDateTime)
    feedback_mode: Mapped[FeedbackMode] = mapped_column(
        string_enum(FeedbackMode, "board_feedback_mode", 20), default=FeedbackMode.ATTRIBUTED
    )
    # What the panel can help with, shown on the public page.
    panel_help: Mapped[str] = mapped_column(Text, default="")

    event: Mapped[Event] = relationship()
    panel_members: Mapped[list[PanelMember]] = relationship(
        back_populates="board", cascade="all, delete-orphan", order_by="PanelMember.id"
    )
    slots: Mapped[list[PitchSlot]] = relationship(
        back_populates="board", cascade="all, delete-orphan", order_by="PitchSlot.position"
    )
    applications: Mapped[list[PitchApplication]] = relationship(
        back_populates="board", cascade="all, delete-orphan", order_by="PitchApplication.id"
    )

    def __repr__(self) -> str:
        return f"<BoardSession {self.id} event={self.event_id} slots={self.slot_count}>"

    @property
    def title(self) -> str:
        return self.event.title

    @property
    def slot_length(self) -> timedelta:
        return timedelta(minutes=self.slot_minutes)

    def slot_start(self, position: int) -> datetime:
        return self.first_slot_at + position * self.slot_length

    @property
    def last_slot_ends_at(self) -> datetime:
        return self.slot_start(self.slot_count)

    def applications_open(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return not self.event.is_cancelled and now < self.applications_close_at

    def has_started(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) >= self.event.starts_at


class PanelMember(db.Model):
    """Someone on the panel: a user with the panelist role, or a named external guest."""

    __tablename__ = "board_panel_members"
    __table_args__ = (
        CheckConstraint(
            "user_id IS NOT NULL OR (guest_name IS NOT NULL AND length(guest_name) > 0)",
            name="user_or_guest",
        ),
        Index(
            "uq_board_panel_members_board_user",
            "board_id",
            "user_id",
            unique=True,
            sqlite_where=text("user_id IS NOT NULL"),
            postgresql_where=text("user_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(
        ForeignKey("board_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    guest_name: Mapped[str | None] = mapped_column(String(NAME_MAX))
    guest_organisation: Mapped[str | None] = mapped_column(String(ORGANISATION_MAX))
    guest_title: Mapped[str | None] = mapped_column(String(GUEST_TITLE_MAX))

    board: Mapped[BoardSession] = relationship(back_populates="panel_members")
    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        who = f"user={self.user_id}" if self.user_id else f"guest={self.guest_name!r}"
        return f"<PanelMember {self.id} board={self.board_id} {who}>"

    @property
    def display_name(self) -> str:
        return self.user.name if self.user is not None else (self.guest_name or "")

    @property
    def affiliation(self) -> str:
        """Title and organisation, for the public panel list."""
        if self.user is not None:
            return self.user.organisation.name if self.user.organisation else ""
        return ", ".join(part for part in (self.guest_title, self.guest_organisation) if part)


class PitchSlot(db.Model):
    """Slot number ``position`` (0-based) of a board; its time follows from the board."""

    __tablename__ = "board_pitch_slots"
    __table_args__ = (
        UniqueConstraint("board_id", "position", name="uq_board_pitch_slots_board_position"),
        # Lets an application point at (slot, board) so its slot is always of its own board.
        UniqueConstraint("id", "board_id", name="uq_board_pitch_slots_id_board"),
        CheckConstraint("position >= 0", name="position_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(
        ForeignKey("board_sessions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)

    board: Mapped[BoardSession] = relationship(back_populates="slots")
    application: Mapped[PitchApplication | None] = relationship(
        primaryjoin="PitchSlot.id == foreign(PitchApplication.slot_id)",
        viewonly=True,
        uselist=False,
    )

    def __repr__(self) -> str:
        return f"<PitchSlot {self.id} board={self.board_id} #{self.position}>"

    @property
    def number(self) -> int:
        return self.position + 1

    @property
    def starts_at(self) -> datetime:
        return self.board.slot_start(self.position)

    @property
    def ends_at(self) -> datetime:
        return self.board.slot_start(self.position + 1)


class PitchApplication(TimestampMixin, db.Model):
    """An entrepreneur's application to pitch at one board, and where it stands."""

    __tablename__ = "board_pitch_applications"
    __table_args__ = (
        UniqueConstraint("board_id", "applicant_id", name="uq_board_pitch_applications_applicant"),
        ForeignKeyConstraint(
            ["slot_id", "board_id"],
            ["board_pitch_slots.id", "board_pitch_slots.board_id"],
            name="fk_board_pitch_applications_slot_board",
        ),
        # At most one pitch per slot.
        Index(
            "uq_board_pitch_applications_slot",
            "slot_id",
            unique=True,
            sqlite_where=text("slot_id IS NOT NULL"),
            postgresql_where=text("slot_id IS NOT NULL"),
        ),
        Index(
            "uq_board_pitch_applications_reserve",
            "board_id",
            "reserve_position",
            unique=True,
            sqlite_where=text("reserve_position IS NOT NULL"),
            postgresql_where=text("reserve_position IS NOT NULL"),
        ),
        CheckConstraint(
            "(status IN ('accepted', 'confirmed') AND slot_id IS NOT NULL)"
            " OR (status NOT IN ('accepted', 'confirmed') AND slot_id IS NULL)",
            name="slot_only_when_accepted",
        ),
        CheckConstraint(
            "(status = 'reserve' AND reserve_position IS NOT NULL AND reserve_position >= 1)"
            " OR (status <> 'reserve' AND reserve_position IS NULL)",
            name="reserve_position_only_on_reserve",
        ),
        CheckConstraint("length(organisation_name) > 0", name="organisation_not_empty"),
        CheckConstraint("length(idea) > 0", name="idea_not_empty"),
        CheckConstraint("invite_sequence >= 0", name="invite_sequence_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Opaque and stable: the iCalendar UID of this pitch's slot invite and feed entry.
    uid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    board_id: Mapped[int] = mapped_column(
        ForeignKey("board_sessions.id", ondelete="CASCADE"), index=True
    )
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    organisation_name: Mapped[str] = mapped_column(String(ORGANISATION_MAX))
    idea: Mapped[str] = mapped_column(Text)
    social_impact: Mapped[str] = mapped_column(Text)
    wants_financing: Mapped[bool] = mapped_column(Boolean, default=False)
    wants_customers: Mapped[bool] = mapped_column(Boolean, default=False)
    wants_partners: Mapped[bool] = mapped_column(Boolean, default=False)
    wants_organisation: Mapped[bool] = mapped_column(Boolean, default=False)
    wants_other: Mapped[bool] = mapped_column(Boolean, default=False)
    other_wish: Mapped[str] = mapped_column(String(OTHER_WISH_MAX), default="")
    accessibility_needs: Mapped[str] = mapped_column(Text, default="")
    # Consent to show the name, organisation and idea in the public running order.
    show_publicly: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[ApplicationStatus] = mapped_column(
        string_enum(ApplicationStatus, "board_application_status", 20),
        default=ApplicationStatus.APPLIED,
    )
    slot_id: Mapped[int | None] = mapped_column(Integer)
    reserve_position: Mapped[int | None] = mapped_column(Integer)
    decline_message: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # iCalendar SEQUENCE of the slot invite: up with every change the pitcher's calendar must take.
    invite_sequence: Mapped[int] = mapped_column(Integer, default=0)

    board: Mapped[BoardSession] = relationship(back_populates="applications")
    applicant: Mapped[User] = relationship()
    slot: Mapped[PitchSlot | None] = relationship(
        foreign_keys=[slot_id],
        primaryjoin="PitchApplication.slot_id == PitchSlot.id",
    )
    notes: Mapped[list[PanelNote]] = relationship(
        back_populates="application", cascade="all, delete-orphan"
    )
    feedback: Mapped[list[PitchFeedback]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="PitchFeedback.id"
    )

    def __repr__(self) -> str:
        return f"<PitchApplication {self.id} board={self.board_id} {self.status}>"

    @property
    def wants(self) -> list[PanelWish]:
        return [wish for wish in PanelWish if getattr(self, f"wants_{wish.value}")]

    @property
    def has_slot(self) -> bool:
        return self.status in SLOTTED and self.slot is not None

    @property
    def is_active(self) -> bool:
        return self.status not in (ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN)


class PanelNote(TimestampMixin, db.Model):
    """A panel member's private preparation note on one pitch."""

    __tablename__ = "board_panel_notes"
    __table_args__ = (
        UniqueConstraint("application_id", "panel_member_id", name="uq_board_panel_notes_member"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("board_pitch_applications.id", ondelete="CASCADE"), index=True
    )
    panel_member_id: Mapped[int] = mapped_column(
        ForeignKey("board_panel_members.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text, default="")

    application: Mapped[PitchApplication] = relationship(back_populates="notes")
    panel_member: Mapped[PanelMember] = relationship()

    def __repr__(self) -> str:
        return f"<PanelNote {self.id} application={self.application_id}>"


class PitchFeedback(TimestampMixin, db.Model):
    """One panel member's structured feedback on one pitch."""

    __tablename__ = "board_pitch_feedback"
    __table_args__ = (
        UniqueConstraint(
            "application_id", "panel_member_id", name="uq_board_pitch_feedback_member"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("board_pitch_applications.id", ondelete="CASCADE"), index=True
    )
    panel_member_id: Mapped[int] = mapped_column(
        ForeignKey("board_panel_members.id", ondelete="CASCADE"), index=True
    )
    strengths: Mapped[str] = mapped_column(Text, default="")
    advice: Mapped[str] = mapped_column(Text, default="")
    # Suggested contacts or concrete offers: the organisers broker these afterwards.
    offers: Mapped[str] = mapped_column(Text, default="")
    follow_up_wanted: Mapped[bool] = mapped_column(Boolean, default=False)
    brokered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    brokered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    application: Mapped[PitchApplication] = relationship(back_populates="feedback")
    panel_member: Mapped[PanelMember] = relationship()
    brokered_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<PitchFeedback {self.id} application={self.application_id}>"

    @property
    def needs_brokering(self) -> bool:
        return bool(self.offers.strip()) or self.follow_up_wanted
