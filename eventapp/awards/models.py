"""Årets sociala företag, part 1: cycles, criteria, nominations, consent, screening, audit.

A cycle's phase is never stored: ``eventapp.awards.phase.cycle_phase`` derives it from the
dates (Europe/Stockholm days) and the explicit organiser actions recorded here.

Personal data: a dossier's and its nominations' personal fields are nullable because a
declined nomination is closed and stripped down to counts. The audit log records who did
what to which object, never the free text or contact details themselves.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from eventapp.auth.models import EMAIL_MAX, NAME_MAX, URL_MAX, User, municipality_type
from eventapp.calendar.models import Event
from eventapp.database import TimestampMixin, UTCDateTime, utcnow
from eventapp.extensions import db

TITLE_MAX = 200
CALL_TEXT_MAX = 20_000
CRITERION_NAME_MAX = 120
GUIDANCE_MAX = 2_000
ITEM_LABEL_MAX = 300
MOTIVATION_MAX = 2_000
REASON_MAX = 1_000
WEIGHT_MAX = 100
RETENTION_MONTHS_MAX = 120
KEY_LENGTH = 64  # sha256 hex


def _enum(enum_cls: type[StrEnum], name: str, length: int) -> Enum:
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda members: [member.value for member in members],
    )


class ConsentStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return str(CONSENT_LABELS[self])


CONSENT_LABELS = {
    ConsentStatus.PENDING: _l("Waiting for the nominee's answer"),
    ConsentStatus.ACCEPTED: _l("Accepted by the nominee"),
    ConsentStatus.DECLINED: _l("Declined by the nominee"),
}


class EligibilityStatus(StrEnum):
    UNSCREENED = "unscreened"
    ELIGIBLE = "eligible"
    # One organiser found it ineligible; a second organiser must confirm.
    INELIGIBLE_PROPOSED = "ineligible_proposed"
    INELIGIBLE = "ineligible"

    @property
    def label(self) -> str:
        return str(ELIGIBILITY_LABELS[self])


ELIGIBILITY_LABELS = {
    EligibilityStatus.UNSCREENED: _l("Not screened"),
    EligibilityStatus.ELIGIBLE: _l("Eligible"),
    EligibilityStatus.INELIGIBLE_PROPOSED: _l("Ineligible, awaiting a second organiser"),
    EligibilityStatus.INELIGIBLE: _l("Ineligible"),
}


class Relation(StrEnum):
    OWNER_OR_STAFF = "owner_or_staff"
    CUSTOMER = "customer"
    PARTNER = "partner"
    FUNDER_OR_ADVISER = "funder_or_adviser"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(RELATION_LABELS[self])


RELATION_LABELS = {
    Relation.OWNER_OR_STAFF: _l("I own it, work there or sit on its board"),
    Relation.CUSTOMER: _l("Customer, participant or user"),
    Relation.PARTNER: _l("Partner or supplier"),
    Relation.FUNDER_OR_ADVISER: _l("Funder, adviser or mentor"),
    Relation.OTHER: _l("Other, or no relation"),
}


class AwardCycle(TimestampMixin, db.Model):
    """One year of the award: the call, its criteria and checklist, and the timeline.

    The timeline is a list of Swedish calendar days, each phase running from the start of
    its first day to the end of its last day in Europe/Stockholm.
    """

    __tablename__ = "award_cycles"
    __table_args__ = (
        CheckConstraint("year >= 2000 AND year <= 2100", name="year_range"),
        CheckConstraint("length(title) > 0", name="title_not_empty"),
        CheckConstraint(
            "nominations_open_on <= nominations_close_on"
            " AND nominations_close_on < screening_close_on"
            " AND screening_close_on < scoring_open_on"
            " AND scoring_open_on <= scoring_close_on",
            name="timeline_in_order",
        ),
        CheckConstraint(
            f"retention_months >= 1 AND retention_months <= {RETENTION_MONTHS_MAX}",
            name="retention_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    call_text: Mapped[str] = mapped_column(Text, default="")
    nominations_open_on: Mapped[date] = mapped_column(Date)
    nominations_close_on: Mapped[date] = mapped_column(Date)  # last day, inclusive
    screening_close_on: Mapped[date] = mapped_column(Date)
    scoring_open_on: Mapped[date] = mapped_column(Date)
    scoring_close_on: Mapped[date] = mapped_column(Date)
    # How long after the gala the dossiers are kept; told to every nominee.
    retention_months: Mapped[int] = mapped_column(Integer, default=24)
    gala_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Explicit organiser actions; the phase rules read them beside the dates.
    call_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    call_published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    results_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    results_published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    gala_event: Mapped[Event | None] = relationship()
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="cycle",
        order_by="Criterion.position, Criterion.id",
        cascade="all, delete-orphan",
    )
    eligibility_items: Mapped[list[EligibilityItem]] = relationship(
        back_populates="cycle",
        order_by="EligibilityItem.position, EligibilityItem.id",
        cascade="all, delete-orphan",
    )
    dossiers: Mapped[list[Dossier]] = relationship(back_populates="cycle")

    def __repr__(self) -> str:
        return f"<AwardCycle {self.id} {self.year}>"

    @property
    def total_weight(self) -> int:
        return sum(criterion.weight for criterion in self.criteria)


class Criterion(db.Model):
    """A scoring criterion with written guidance; its weight is fixed once nominations open."""

    __tablename__ = "award_criteria"
    __table_args__ = (
        UniqueConstraint("cycle_id", "name", name="uq_award_criteria_cycle_name"),
        CheckConstraint(f"weight >= 1 AND weight <= {WEIGHT_MAX}", name="weight_range"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(
        ForeignKey("award_cycles.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(CRITERION_NAME_MAX))
    guidance: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[int] = mapped_column(Integer)

    cycle: Mapped[AwardCycle] = relationship(back_populates="criteria")

    def __repr__(self) -> str:
        return f"<Criterion {self.id} {self.name!r} w={self.weight}>"


class EligibilityItem(db.Model):
    """One line of the eligibility checklist, e.g. 'based or active in Dalarna'."""

    __tablename__ = "award_eligibility_items"
    __table_args__ = (
        UniqueConstraint("cycle_id", "label", name="uq_award_eligibility_items_cycle_label"),
        CheckConstraint("length(label) > 0", name="label_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(
        ForeignKey("award_cycles.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(ITEM_LABEL_MAX))

    cycle: Mapped[AwardCycle] = relationship(back_populates="eligibility_items")

    def __repr__(self) -> str:
        return f"<EligibilityItem {self.id} {self.label!r}>"


class Dossier(TimestampMixin, db.Model):
    """One nominated enterprise in one cycle, with every nomination merged into it.

    ``org_key`` and ``name_key`` are sha256 digests of the organisation number and of the
    normalised name and municipality: merging looks them up, and they survive a decline so
    a later nomination of the same enterprise is counted without contacting it again.
    The enterprise's details are copied from the first nomination that counted.
    """

    __tablename__ = "award_dossiers"
    __table_args__ = (
        Index(
            "uq_award_dossiers_cycle_org_key",
            "cycle_id",
            "org_key",
            unique=True,
            sqlite_where=text("org_key IS NOT NULL"),
            postgresql_where=text("org_key IS NOT NULL"),
        ),
        # Without an organisation number, name and municipality identify the enterprise.
        Index(
            "uq_award_dossiers_cycle_name_key",
            "cycle_id",
            "name_key",
            unique=True,
            sqlite_where=text("org_key IS NULL"),
            postgresql_where=text("org_key IS NULL"),
        ),
        CheckConstraint("nomination_count >= 0", name="nomination_count_not_negative"),
        CheckConstraint(
            "self_nomination_count >= 0 AND self_nomination_count <= nomination_count",
            name="self_nomination_count_range",
        ),
        # A declined dossier keeps no personal data.
        CheckConstraint(
            "consent_status <> 'declined' OR (contact_name IS NULL AND contact_email IS NULL"
            " AND name IS NULL AND website IS NULL AND org_number IS NULL)",
            name="declined_is_stripped",
        ),
        # Marking ineligible is a two-person decision.
        CheckConstraint(
            "ineligible_confirmed_by_id IS NULL OR ineligible_proposed_by_id IS NULL"
            " OR ineligible_confirmed_by_id <> ineligible_proposed_by_id",
            name="ineligible_two_people",
        ),
        CheckConstraint(
            "eligibility_status <> 'ineligible' OR ineligible_confirmed_by_id IS NOT NULL",
            name="ineligible_is_confirmed",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(
        ForeignKey("award_cycles.id", ondelete="CASCADE"), index=True
    )
    org_key: Mapped[str | None] = mapped_column(String(KEY_LENGTH))
    name_key: Mapped[str] = mapped_column(String(KEY_LENGTH))
    name: Mapped[str | None] = mapped_column(String(NAME_MAX))
    org_number: Mapped[str | None] = mapped_column(String(11))
    municipality: Mapped[str | None] = mapped_column(municipality_type)
    website: Mapped[str | None] = mapped_column(String(URL_MAX))
    contact_name: Mapped[str | None] = mapped_column(String(NAME_MAX))
    contact_email: Mapped[str | None] = mapped_column(String(EMAIL_MAX))
    # Counted (confirmed) nominations; kept when the personal data is removed.
    nomination_count: Mapped[int] = mapped_column(Integer, default=0)
    self_nomination_count: Mapped[int] = mapped_column(Integer, default=0)

    consent_status: Mapped[ConsentStatus] = mapped_column(
        _enum(ConsentStatus, "award_consent_status", 20), default=ConsentStatus.PENDING
    )
    consent_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    personal_data_removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    eligibility_status: Mapped[EligibilityStatus] = mapped_column(
        _enum(EligibilityStatus, "award_eligibility_status", 30),
        default=EligibilityStatus.UNSCREENED,
    )
    screened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    screened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    ineligible_proposed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    ineligible_confirmed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    ineligible_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    cycle: Mapped[AwardCycle] = relationship(back_populates="dossiers")
    nominations: Mapped[list[Nomination]] = relationship(
        back_populates="dossier", order_by="Nomination.id", cascade="all, delete-orphan"
    )
    screening_decisions: Mapped[list[ScreeningDecision]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan"
    )
    screened_by: Mapped[User | None] = relationship(foreign_keys=[screened_by_id])
    ineligible_proposed_by: Mapped[User | None] = relationship(
        foreign_keys=[ineligible_proposed_by_id]
    )
    ineligible_confirmed_by: Mapped[User | None] = relationship(
        foreign_keys=[ineligible_confirmed_by_id]
    )

    def __repr__(self) -> str:
        return f"<Dossier {self.id} cycle={self.cycle_id} {self.consent_status}>"

    @property
    def is_closed(self) -> bool:
        return self.consent_status == ConsentStatus.DECLINED

    @property
    def goes_to_jury(self) -> bool:
        """Only accepted, eligible dossiers reach the jury (part 2 reads this)."""
        return (
            self.consent_status == ConsentStatus.ACCEPTED
            and self.eligibility_status == EligibilityStatus.ELIGIBLE
        )

    def decision_for(self, item: EligibilityItem) -> ScreeningDecision | None:
        for decision in self.screening_decisions:
            if decision.item_id == item.id:
                return decision
        return None


class Nomination(db.Model):
    """One nominator's nomination: what they entered, who they are, their motivations.

    It counts (``counted_at``) once the nominator's e-mail address is confirmed: at once for
    a signed-in user with a confirmed account address, else through the link we mail.
    """

    __tablename__ = "award_nominations"
    __table_args__ = (
        CheckConstraint(
            "counted_at IS NULL OR email_confirmed_at IS NOT NULL", name="counted_is_confirmed"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("award_dossiers.id", ondelete="CASCADE"), index=True
    )
    # The enterprise as this nominator described it.
    entered_name: Mapped[str] = mapped_column(String(NAME_MAX))
    entered_org_number: Mapped[str | None] = mapped_column(String(11))
    entered_municipality: Mapped[str] = mapped_column(municipality_type)
    entered_website: Mapped[str | None] = mapped_column(String(URL_MAX))
    entered_contact_name: Mapped[str] = mapped_column(String(NAME_MAX))
    entered_contact_email: Mapped[str] = mapped_column(String(EMAIL_MAX))
    nominator_name: Mapped[str] = mapped_column(String(NAME_MAX))
    nominator_email: Mapped[str] = mapped_column(String(EMAIL_MAX), index=True)
    relation: Mapped[Relation] = mapped_column(_enum(Relation, "award_relation", 30))
    is_self_nomination: Mapped[bool] = mapped_column(Boolean, default=False)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    locale: Mapped[str] = mapped_column(String(5), default="sv")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    counted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    dossier: Mapped[Dossier] = relationship(back_populates="nominations")
    user: Mapped[User | None] = relationship()
    motivations: Mapped[list[Motivation]] = relationship(
        back_populates="nomination", cascade="all, delete-orphan", order_by="Motivation.id"
    )

    def __repr__(self) -> str:
        return f"<Nomination {self.id} dossier={self.dossier_id} counted={self.is_counted}>"

    @property
    def is_counted(self) -> bool:
        return self.counted_at is not None


class Motivation(db.Model):
    """A nominator's motivation for one criterion; organisers may redact it for the jury.

    ``text`` is the original and is shown to organisers only once redacted; the jury reads
    ``jury_text``.
    """

    __tablename__ = "award_motivations"
    __table_args__ = (
        UniqueConstraint("nomination_id", "criterion_id", name="uq_award_motivations_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("award_nominations.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("award_criteria.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    redacted_text: Mapped[str | None] = mapped_column(Text)
    redacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    redacted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    nomination: Mapped[Nomination] = relationship(back_populates="motivations")
    criterion: Mapped[Criterion] = relationship()
    redacted_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Motivation {self.id} redacted={self.is_redacted}>"

    @property
    def is_redacted(self) -> bool:
        return self.redacted_text is not None

    @property
    def jury_text(self) -> str:
        """What the jury sees: the redacted version when there is one."""
        return self.redacted_text if self.redacted_text is not None else self.text


class ScreeningDecision(db.Model):
    """An organiser's answer to one checklist item for one dossier, with a reason if failed."""

    __tablename__ = "award_screening_decisions"
    __table_args__ = (
        UniqueConstraint("dossier_id", "item_id", name="uq_award_screening_decisions_pair"),
        CheckConstraint(
            "passed OR (reason IS NOT NULL AND length(reason) > 0)", name="failed_has_reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("award_dossiers.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int] = mapped_column(
        ForeignKey("award_eligibility_items.id", ondelete="CASCADE"), index=True
    )
    passed: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(String(REASON_MAX))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    dossier: Mapped[Dossier] = relationship(back_populates="screening_decisions")
    item: Mapped[EligibilityItem] = relationship()
    decided_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ScreeningDecision {self.dossier_id}/{self.item_id} passed={self.passed}>"


class AuditEntry(db.Model):
    """One line of the award's append-only audit log.

    Nothing in the code updates or deletes these rows (a flush that tries is refused, and the
    migration adds triggers that refuse it in the database too). ``actor_id`` has no foreign
    key on purpose: the record of who acted outlives the account. ``changes`` names fields and
    ids, never free text or contact details, so removing a declined nominee's data leaves
    nothing personal behind here.
    """

    __tablename__ = "award_audit_log"
    __table_args__ = (Index("ix_award_audit_log_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cycle_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    # "organiser", "nominator", "nominee" or "system": who acted when there is no account.
    actor_kind: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    changes: Mapped[dict] = mapped_column(JSON, default=dict)

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.action} {self.object_type}:{self.object_id}>"


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session, flush_context, instances) -> None:
    """Keep the audit log append-only: a flush that would change or delete a line fails."""
    for instance in (*session.dirty, *session.deleted):
        if isinstance(instance, AuditEntry) and (
            instance in session.deleted or session.is_modified(instance)
        ):
            raise AuditLogIsAppendOnly(f"{instance!r} cannot be changed or deleted")


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit log line."""
