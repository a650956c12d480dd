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
from eventapp.database import TimestampMixin, UTCDateTime, string_enum, utcnow
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
    # Part 2: an organiser may close scoring before the last day once everyone is done.
    scoring_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

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
        string_enum(ConsentStatus, "award_consent_status", 20), default=ConsentStatus.PENDING
    )
    consent_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    personal_data_removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    eligibility_status: Mapped[EligibilityStatus] = mapped_column(
        string_enum(EligibilityStatus, "award_eligibility_status", 30),
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
    relation: Mapped[Relation] = mapped_column(string_enum(Relation, "award_relation", 30))
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
        if isinstance(instance, AuditEntry | ScoreVersion) and (
            instance in session.deleted or session.is_modified(instance)
        ):
            raise AuditLogIsAppendOnly(f"{instance!r} cannot be changed or deleted")


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit log line."""


# --- part 2: the jury -----------------------------------------------------------------------

ORG_NAME_MAX = 200
COMMENT_MAX = 4_000
JURY_MOTIVATION_MAX = 4_000
SCORE_MIN, SCORE_MAX = 1, 5


class JuryRole(StrEnum):
    JUROR = "juror"
    RESERVE = "reserve"

    @property
    def label(self) -> str:
        return str(JURY_ROLE_LABELS[self])


JURY_ROLE_LABELS = {JuryRole.JUROR: _l("Juror"), JuryRole.RESERVE: _l("Reserve")}


class TieType(StrEnum):
    """How a juror is tied to an organisation (the conflict register's categories)."""

    BOARD = "board"
    EMPLOYEE_OR_OWNER = "employee_or_owner"
    ADVISER_OR_MENTOR = "adviser_or_mentor"
    FUNDER = "funder"
    CUSTOMER_OR_SUPPLIER = "customer_or_supplier"
    FAMILY_OR_FRIEND = "family_or_friend"
    NOMINATOR = "nominator"

    @property
    def label(self) -> str:
        return str(TIE_TYPE_LABELS[self])


TIE_TYPE_LABELS = {
    TieType.BOARD: _l("Board seat"),
    TieType.EMPLOYEE_OR_OWNER: _l("Employee or owner"),
    TieType.ADVISER_OR_MENTOR: _l("Adviser or mentor"),
    TieType.FUNDER: _l("Funder"),
    TieType.CUSTOMER_OR_SUPPLIER: _l("Customer or supplier"),
    TieType.FAMILY_OR_FRIEND: _l("Family or close friend"),
    TieType.NOMINATOR: _l("I nominated it"),
}


class DeclarationAnswer(StrEnum):
    NO_CONFLICT = "no_conflict"
    CONFLICT = "conflict"
    UNSURE = "unsure"

    @property
    def label(self) -> str:
        return str(DECLARATION_LABELS[self])


DECLARATION_LABELS = {
    DeclarationAnswer.NO_CONFLICT: _l("No conflict of interest"),
    DeclarationAnswer.CONFLICT: _l("Conflict of interest"),
    DeclarationAnswer.UNSURE: _l("Unsure: the organisers decide"),
}


class ReviewDecision(StrEnum):
    PENDING = "pending"
    CONFLICT = "conflict"
    NO_CONFLICT = "no_conflict"


class SheetStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ABSTAINED = "abstained"

    @property
    def label(self) -> str:
        return str(SHEET_STATUS_LABELS[self])


SHEET_STATUS_LABELS = {
    SheetStatus.DRAFT: _l("Draft"),
    SheetStatus.SUBMITTED: _l("Submitted"),
    SheetStatus.ABSTAINED: _l("Abstained"),
}


class JuryMember(db.Model):
    """A person appointed to one cycle's jury, as a juror or a reserve; one may chair it."""

    __tablename__ = "award_jury_members"
    __table_args__ = (
        UniqueConstraint("cycle_id", "user_id", name="uq_award_jury_members_cycle_user"),
        CheckConstraint("NOT is_chair OR role = 'juror'", name="chair_is_juror"),
        Index(
            "uq_award_jury_members_one_chair",
            "cycle_id",
            unique=True,
            sqlite_where=text("is_chair"),
            postgresql_where=text("is_chair"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(
        ForeignKey("award_cycles.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[JuryRole] = mapped_column(string_enum(JuryRole, "award_jury_role", 20))
    is_chair: Mapped[bool] = mapped_column(Boolean, default=False)
    appointed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    appointed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # An admin may reopen a juror's locked sheets for a while after scoring closed.
    reopened_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_reminded_on: Mapped[date | None] = mapped_column(Date)

    cycle: Mapped[AwardCycle] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    ties: Mapped[list[ConflictTie]] = relationship(
        back_populates="member", cascade="all, delete-orphan", order_by="ConflictTie.id"
    )

    def __repr__(self) -> str:
        return f"<JuryMember {self.id} cycle={self.cycle_id} user={self.user_id} {self.role}>"

    @property
    def is_voting(self) -> bool:
        return self.role == JuryRole.JUROR


class ConflictTie(db.Model):
    """One line of a juror's conflict register: an organisation and how they are tied to it."""

    __tablename__ = "award_conflict_ties"
    __table_args__ = (CheckConstraint("length(organisation_name) > 0", name="name_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("award_jury_members.id", ondelete="CASCADE"), index=True
    )
    organisation_name: Mapped[str] = mapped_column(String(ORG_NAME_MAX))
    org_number: Mapped[str | None] = mapped_column(String(11))
    tie_type: Mapped[TieType] = mapped_column(string_enum(TieType, "award_tie_type", 30))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    member: Mapped[JuryMember] = relationship(back_populates="ties")

    def __repr__(self) -> str:
        return f"<ConflictTie {self.id} member={self.member_id} {self.tie_type}>"


class Declaration(db.Model):
    """A juror's answer for one nomination, required before its dossier opens to them."""

    __tablename__ = "award_declarations"
    __table_args__ = (
        UniqueConstraint("member_id", "dossier_id", name="uq_award_declarations_pair"),
        CheckConstraint(
            "(answer = 'conflict') = (tie_type IS NOT NULL)", name="conflict_has_tie_type"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("award_jury_members.id", ondelete="CASCADE"), index=True
    )
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("award_dossiers.id", ondelete="CASCADE"), index=True
    )
    answer: Mapped[DeclarationAnswer] = mapped_column(
        string_enum(DeclarationAnswer, "award_declaration_answer", 20)
    )
    tie_type: Mapped[TieType | None] = mapped_column(string_enum(TieType, "award_tie_type", 30))
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    member: Mapped[JuryMember] = relationship()
    dossier: Mapped[Dossier] = relationship()

    def __repr__(self) -> str:
        return f"<Declaration {self.member_id}/{self.dossier_id} {self.answer}>"


class ConflictReview(db.Model):
    """The organisers' side of one juror-nomination pair.

    Created for a suggested conflict (the register matched the nomination), an "unsure"
    declaration, or an organiser's own knowledge. A pending review keeps the dossier closed
    to the juror; a pinned conflict cannot be undone by the juror.
    """

    __tablename__ = "award_conflict_reviews"
    __table_args__ = (
        UniqueConstraint("member_id", "dossier_id", name="uq_award_conflict_reviews_pair"),
        CheckConstraint("NOT pinned OR decision = 'conflict'", name="pinned_is_conflict"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("award_jury_members.id", ondelete="CASCADE"), index=True
    )
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("award_dossiers.id", ondelete="CASCADE"), index=True
    )
    # Why it exists: "org_number", "name", "nominator", "unsure" or "organiser".
    reason: Mapped[str] = mapped_column(String(20))
    decision: Mapped[ReviewDecision] = mapped_column(
        string_enum(ReviewDecision, "award_review_decision", 20), default=ReviewDecision.PENDING
    )
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    member: Mapped[JuryMember] = relationship()
    dossier: Mapped[Dossier] = relationship()

    def __repr__(self) -> str:
        return f"<ConflictReview {self.member_id}/{self.dossier_id} {self.decision}>"


class ScoreSheet(db.Model):
    """One juror's work on one nomination: draft, submitted or abstained (with a reason)."""

    __tablename__ = "award_score_sheets"
    __table_args__ = (
        UniqueConstraint("member_id", "dossier_id", name="uq_award_score_sheets_pair"),
        CheckConstraint(
            "status <> 'abstained' OR (abstain_reason IS NOT NULL AND length(abstain_reason) > 0)",
            name="abstain_has_reason",
        ),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("award_jury_members.id", ondelete="CASCADE"), index=True
    )
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("award_dossiers.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[SheetStatus] = mapped_column(
        string_enum(SheetStatus, "award_sheet_status", 20), default=SheetStatus.DRAFT
    )
    abstain_reason: Mapped[str | None] = mapped_column(String(REASON_MAX))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    member: Mapped[JuryMember] = relationship()
    dossier: Mapped[Dossier] = relationship()
    scores: Mapped[list[Score]] = relationship(
        back_populates="sheet", cascade="all, delete-orphan", order_by="Score.criterion_id"
    )

    def __repr__(self) -> str:
        return f"<ScoreSheet {self.member_id}/{self.dossier_id} {self.status} v{self.version}>"

    def score_for(self, criterion_id: int) -> Score | None:
        for score in self.scores:
            if score.criterion_id == criterion_id:
                return score
        return None


class Score(db.Model):
    """The current score (1-5) and comment of one juror for one criterion of one nomination."""

    __tablename__ = "award_scores"
    __table_args__ = (
        UniqueConstraint("member_id", "dossier_id", "criterion_id", name="uq_award_scores_current"),
        CheckConstraint(
            f"value IS NULL OR (value >= {SCORE_MIN} AND value <= {SCORE_MAX})",
            name="value_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(
        ForeignKey("award_score_sheets.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("award_jury_members.id", ondelete="CASCADE"), index=True
    )
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("award_dossiers.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("award_criteria.id", ondelete="CASCADE"), index=True
    )
    # None in a draft that has a comment but no score yet.
    value: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")

    sheet: Mapped[ScoreSheet] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()

    def __repr__(self) -> str:
        return f"<Score {self.member_id}/{self.dossier_id}/{self.criterion_id} {self.value}>"


class ScoreVersion(db.Model):
    """Every save of a score sheet, kept: who saved what, when (append-only history)."""

    __tablename__ = "award_score_versions"
    __table_args__ = (
        UniqueConstraint("sheet_id", "version", name="uq_award_score_versions_sheet_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(
        ForeignKey("award_score_sheets.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[SheetStatus] = mapped_column(string_enum(SheetStatus, "award_sheet_status", 20))
    # {criterion id: [value or null, comment]} and the abstain reason, as saved.
    content: Mapped[dict] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    saved_by_id: Mapped[int | None] = mapped_column(Integer)

    def __repr__(self) -> str:
        return f"<ScoreVersion sheet={self.sheet_id} v{self.version} {self.status}>"


class TieDecisionRecord(db.Model):
    """The jury decided a tie that no rule separated: ``above`` ranks before ``below``."""

    __tablename__ = "award_tie_decisions"
    __table_args__ = (
        UniqueConstraint("cycle_id", "above_id", "below_id", name="uq_award_tie_decisions_pair"),
        CheckConstraint("above_id <> below_id", name="two_nominations"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(
        ForeignKey("award_cycles.id", ondelete="CASCADE"), index=True
    )
    above_id: Mapped[int] = mapped_column(ForeignKey("award_dossiers.id", ondelete="CASCADE"))
    below_id: Mapped[int] = mapped_column(ForeignKey("award_dossiers.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(REASON_MAX))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<TieDecisionRecord {self.above_id}>{self.below_id}>"


class AwardResult(db.Model):
    """One computation of the results: the frozen snapshot, its hash, method and outcome.

    Sealed until published: only organisers and the jury's chair see it, and every view is
    written to the audit log. Publishing copies nothing: the public page reads the winner,
    the finalists who agreed to be named and the motivation from here.
    """

    __tablename__ = "award_results"
    __table_args__ = (
        CheckConstraint("length(snapshot_hash) = 64", name="hash_is_sha256"),
        Index(
            "uq_award_results_one_published",
            "cycle_id",
            unique=True,
            sqlite_where=text("published_at IS NOT NULL"),
            postgresql_where=text("published_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(
        ForeignKey("award_cycles.id", ondelete="CASCADE"), index=True
    )
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    computed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    algorithm_version: Mapped[str] = mapped_column(String(40))
    parameters: Mapped[dict] = mapped_column(JSON)
    snapshot: Mapped[str] = mapped_column(Text)
    snapshot_hash: Mapped[str] = mapped_column(String(KEY_LENGTH))
    lot_seed: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[dict] = mapped_column(JSON)
    motivation: Mapped[str | None] = mapped_column(Text)
    named_finalist_ids: Mapped[list] = mapped_column(JSON, default=list)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    cycle: Mapped[AwardCycle] = relationship()

    def __repr__(self) -> str:
        return f"<AwardResult {self.id} cycle={self.cycle_id} {self.snapshot_hash[:8]}>"
