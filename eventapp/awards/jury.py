"""Jury rules: appointment, conflict registers and declarations, scoring, progress, reminders.

Like ``services``: every function takes the session, the acting person and ``now``
explicitly, checks the phase on the server, writes the audit log (ids and statuses, never
a score or comment, since organisers read the log while scoring runs), flushes and never
commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from eventapp.auth.models import Role, User
from eventapp.awards.models import (
    AwardCycle,
    ConflictReview,
    ConflictTie,
    ConsentStatus,
    Declaration,
    DeclarationAnswer,
    Dossier,
    EligibilityStatus,
    JuryMember,
    JuryRole,
    ReviewDecision,
    Score,
    ScoreSheet,
    ScoreVersion,
    SheetStatus,
    TieType,
)
from eventapp.awards.phase import (
    DECLARATION_OPEN,
    JURY_APPOINTMENT_OPEN,
    RESULTS_OPEN,
    SCORING_OPEN,
    STOCKHOLM,
    Phase,
    cycle_phase,
    edges,
    end_of_day,
)
from eventapp.awards.services import AwardError, audit, normalise_name, require_phase
from eventapp.database import utcnow
from eventapp.mail import queue_mail

# A juror's sheets reopened by an admin stay open to the end of the next Swedish day.
REOPEN_DAYS = 1
SUGGESTION_REASONS = ("org_number", "name", "nominator")


class ConflictState(StrEnum):
    """Where a juror stands with one nomination."""

    UNDECLARED = "undeclared"
    AWAITING_ORGANISER = "awaiting_organiser"
    CONFLICTED = "conflicted"
    OPEN = "open"


# --- reading --------------------------------------------------------------------------------


def jury_dossiers(session: Session, cycle: AwardCycle) -> list[Dossier]:
    """The nominations that go to the jury: accepted by the nominee and found eligible."""
    return list(
        session.scalars(
            select(Dossier)
            .where(
                Dossier.cycle_id == cycle.id,
                Dossier.consent_status == ConsentStatus.ACCEPTED,
                Dossier.eligibility_status == EligibilityStatus.ELIGIBLE,
            )
            .order_by(func.coalesce(Dossier.name, ""), Dossier.id)
        )
    )


def members_of(session: Session, cycle: AwardCycle) -> list[JuryMember]:
    return list(
        session.scalars(
            select(JuryMember)
            .where(JuryMember.cycle_id == cycle.id)
            .order_by(JuryMember.role, JuryMember.id)
            # Every list of members shows their names.
            .options(selectinload(JuryMember.user))
        )
    )


def voting_members(session: Session, cycle: AwardCycle) -> list[JuryMember]:
    return [m for m in members_of(session, cycle) if m.role == JuryRole.JUROR]


def member_for(session: Session, cycle: AwardCycle, user: User | None) -> JuryMember | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return session.scalar(
        select(JuryMember).where(JuryMember.cycle_id == cycle.id, JuryMember.user_id == user.id)
    )


def memberships_of(session: Session, user: User) -> list[JuryMember]:
    return list(
        session.scalars(
            select(JuryMember)
            .join(AwardCycle, AwardCycle.id == JuryMember.cycle_id)
            .where(JuryMember.user_id == user.id)
            .order_by(AwardCycle.year.desc())
        )
    )


def conflict_state(declaration: Declaration | None, review: ConflictReview | None) -> ConflictState:
    """Combine the juror's declaration and the organisers' review (organisers' conflict wins)."""
    if review is not None and (review.pinned or review.decision == ReviewDecision.CONFLICT):
        return ConflictState.CONFLICTED
    if declaration is None:
        return ConflictState.UNDECLARED
    if declaration.answer == DeclarationAnswer.CONFLICT:
        return ConflictState.CONFLICTED
    if review is not None and review.decision == ReviewDecision.PENDING:
        return ConflictState.AWAITING_ORGANISER
    if declaration.answer == DeclarationAnswer.UNSURE and (
        review is None or review.decision != ReviewDecision.NO_CONFLICT
    ):
        return ConflictState.AWAITING_ORGANISER
    return ConflictState.OPEN


def _by_dossier(session: Session, model, member: JuryMember) -> dict:
    return {
        row.dossier_id: row
        for row in session.scalars(select(model).where(model.member_id == member.id))
    }


def declarations_of(session: Session, member: JuryMember) -> dict[int, Declaration]:
    return _by_dossier(session, Declaration, member)


def reviews_of(session: Session, member: JuryMember) -> dict[int, ConflictReview]:
    return _by_dossier(session, ConflictReview, member)


def sheets_of(
    session: Session, member: JuryMember, *, with_scores: bool = False
) -> dict[int, ScoreSheet]:
    """The member's sheets by dossier; ``with_scores`` loads scores and dossiers at once."""
    if not with_scores:
        return _by_dossier(session, ScoreSheet, member)
    rows = session.scalars(
        select(ScoreSheet)
        .where(ScoreSheet.member_id == member.id)
        .options(selectinload(ScoreSheet.scores), selectinload(ScoreSheet.dossier))
    )
    return {row.dossier_id: row for row in rows}


def states_for(session: Session, member: JuryMember) -> dict[int, ConflictState]:
    """Each jury nomination's state for this juror."""
    return states_from(
        jury_dossiers(session, member.cycle),
        declarations_of(session, member),
        reviews_of(session, member),
    )


def states_from(
    dossiers: Iterable[Dossier],
    declarations: dict[int, Declaration],
    reviews: dict[int, ConflictReview],
) -> dict[int, ConflictState]:
    """``states_for`` from rows the caller has already loaded (a page that shows them too)."""
    return {
        dossier.id: conflict_state(declarations.get(dossier.id), reviews.get(dossier.id))
        for dossier in dossiers
    }


def dossier_for_juror(session: Session, member: JuryMember, dossier_id: int) -> Dossier | None:
    """A jury nomination this juror may read (declared, no conflict), else None (a 404)."""
    dossier = session.get(Dossier, dossier_id)
    if dossier is None or dossier.cycle_id != member.cycle_id or not dossier.goes_to_jury:
        return None
    if states_for(session, member).get(dossier.id) != ConflictState.OPEN:
        return None
    return dossier


def jury_dossier_or_none(session: Session, member: JuryMember, dossier_id: int) -> Dossier | None:
    """A jury nomination of the member's cycle, whatever the conflict state (to declare)."""
    dossier = session.get(Dossier, dossier_id)
    if dossier is None or dossier.cycle_id != member.cycle_id or not dossier.goes_to_jury:
        return None
    return dossier


# --- appointment ----------------------------------------------------------------------------


def appoint_member(
    session: Session,
    cycle: AwardCycle,
    user: User,
    role: JuryRole,
    *,
    is_chair: bool,
    actor: User,
    now: datetime | None = None,
) -> JuryMember:
    """Appoint a person holding the juror role to the cycle's jury (or as a reserve)."""
    now = now or utcnow()
    require_phase(cycle, JURY_APPOINTMENT_OPEN, now, _l("The jury cannot be changed now."))
    if not user.has_role(Role.JUROR) or user.is_disabled:
        raise AwardError(_l("Only people with the juror role can be appointed."))
    if member_for(session, cycle, user) is not None:
        raise AwardError(_l("%(name)s is already on this jury.", name=user.name))
    if is_chair and role != JuryRole.JUROR:
        raise AwardError(_l("A reserve cannot chair the jury."))
    if is_chair:
        _clear_chair(session, cycle)
    member = JuryMember(
        cycle=cycle,
        user=user,
        role=role,
        is_chair=is_chair,
        appointed_at=now,
        appointed_by_id=actor.id,
    )
    session.add(member)
    session.flush()
    audit(
        session,
        "jury.appointed",
        member,
        actor=actor,
        cycle_id=cycle.id,
        now=now,
        changes={"user_id": user.id, "role": role.value, "chair": is_chair},
    )
    refresh_suggestions(session, member, now)
    session.flush()
    return member


def _clear_chair(session: Session, cycle: AwardCycle) -> None:
    for other in members_of(session, cycle):
        if other.is_chair:
            other.is_chair = False
    session.flush()


def change_member(
    session: Session,
    member: JuryMember,
    *,
    role: JuryRole,
    is_chair: bool,
    actor: User,
    now: datetime | None = None,
) -> JuryMember:
    """Change a member's role (bring in a reserve) or make them chair."""
    now = now or utcnow()
    cycle = member.cycle
    require_phase(cycle, JURY_APPOINTMENT_OPEN, now, _l("The jury cannot be changed now."))
    if is_chair and role != JuryRole.JUROR:
        raise AwardError(_l("A reserve cannot chair the jury."))
    if role == JuryRole.RESERVE and member.role == JuryRole.JUROR and _has_work(session, member):
        raise AwardError(_l("This juror has already scored and cannot become a reserve."))
    if is_chair and not member.is_chair:
        _clear_chair(session, cycle)
    changes = {"role": [member.role.value, role.value], "chair": [member.is_chair, is_chair]}
    member.role, member.is_chair = role, is_chair
    audit(session, "jury.changed", member, actor=actor, cycle_id=cycle.id, now=now, changes=changes)
    session.flush()
    return member


def remove_member(
    session: Session, member: JuryMember, actor: User, now: datetime | None = None
) -> None:
    now = now or utcnow()
    cycle = member.cycle
    require_phase(cycle, JURY_APPOINTMENT_OPEN, now, _l("The jury cannot be changed now."))
    if _has_work(session, member):
        raise AwardError(_l("This juror has already scored and cannot be removed."))
    audit(
        session,
        "jury.removed",
        member,
        actor=actor,
        cycle_id=cycle.id,
        now=now,
        changes={"user_id": member.user_id},
    )
    for model in (ConflictReview, Declaration):
        for row in session.scalars(select(model).where(model.member_id == member.id)):
            session.delete(row)
    session.delete(member)
    session.flush()


def _has_work(session: Session, member: JuryMember) -> bool:
    return (
        session.scalar(select(ScoreSheet.id).where(ScoreSheet.member_id == member.id)) is not None
    )


# --- conflict register and suggestions ------------------------------------------------------


def _digits(value: str | None) -> str:
    return "".join(ch for ch in value or "" if ch.isdigit())


def match_reason(member: JuryMember, dossier: Dossier) -> str | None:
    """Why this juror may be tied to this nomination: organisation number, name or nominator."""
    user = member.user
    ties = [(tie.organisation_name, tie.org_number) for tie in member.ties]
    if user.organisation is not None:
        ties.append((user.organisation.name, user.organisation.org_number))
    dossier_number = _digits(dossier.org_number)
    numbers = {_digits(n.entered_org_number) for n in dossier.nominations} | {dossier_number}
    numbers.discard("")
    if any(_digits(number) in numbers for _, number in ties if _digits(number)):
        return "org_number"
    names = {normalise_name(n.entered_name) for n in dossier.nominations}
    if dossier.name:
        names.add(normalise_name(dossier.name))
    if any(normalise_name(name) in names for name, _ in ties):
        return "name"
    for nomination in dossier.nominations:
        if nomination.user_id == user.id or nomination.nominator_email.lower() == user.email:
            return "nominator"
    return None


def refresh_suggestions(session: Session, member: JuryMember, now: datetime) -> None:
    """Create a pending review for every new match; drop pending ones that no longer match."""
    reviews = reviews_of(session, member)
    for dossier in jury_dossiers(session, member.cycle):
        reason = match_reason(member, dossier)
        review = reviews.get(dossier.id)
        if reason and review is None:
            session.add(
                ConflictReview(member=member, dossier=dossier, reason=reason, created_at=now)
            )
        elif (
            not reason
            and review is not None
            and review.reason in SUGGESTION_REASONS
            and review.decision == ReviewDecision.PENDING
        ):
            session.delete(review)
    session.flush()


def _register_open(member: JuryMember, now: datetime) -> None:
    phase = cycle_phase(member.cycle, now)
    if phase not in JURY_APPOINTMENT_OPEN:
        raise AwardError(_l("The conflict register is closed."))


def add_tie(
    session: Session,
    member: JuryMember,
    *,
    organisation_name: str,
    org_number: str | None,
    tie_type: TieType,
    now: datetime | None = None,
) -> ConflictTie:
    """Add an organisation to the juror's own register and look for matching nominations."""
    now = now or utcnow()
    _register_open(member, now)
    tie = ConflictTie(
        member=member,
        organisation_name=organisation_name,
        org_number=org_number,
        tie_type=tie_type,
        created_at=now,
    )
    session.add(tie)
    session.flush()
    audit(
        session,
        "conflict_register.added",
        tie,
        actor=member.user,
        actor_kind="juror",
        cycle_id=member.cycle_id,
        now=now,
        changes={"member_id": member.id, "tie_type": tie_type.value},
    )
    refresh_suggestions(session, member, now)
    return tie


def remove_tie(session: Session, tie: ConflictTie, now: datetime | None = None) -> None:
    now = now or utcnow()
    member = tie.member
    _register_open(member, now)
    audit(
        session,
        "conflict_register.removed",
        tie,
        actor=member.user,
        actor_kind="juror",
        cycle_id=member.cycle_id,
        now=now,
        changes={"member_id": member.id},
    )
    member.ties.remove(tie)
    session.flush()
    refresh_suggestions(session, member, now)


def declare(
    session: Session,
    member: JuryMember,
    dossier: Dossier,
    answer: DeclarationAnswer,
    tie_type: TieType | None,
    now: datetime | None = None,
) -> Declaration:
    """Record the juror's declaration for one nomination (required before it opens)."""
    now = now or utcnow()
    require_phase(
        member.cycle, DECLARATION_OPEN, now, _l("Declarations are not open for this cycle.")
    )
    if answer == DeclarationAnswer.CONFLICT and tie_type is None:
        raise AwardError(_l("Choose how you are tied to the enterprise."))
    if answer != DeclarationAnswer.CONFLICT:
        tie_type = None
    review = reviews_of(session, member).get(dossier.id)
    if review is not None and review.pinned and answer != DeclarationAnswer.CONFLICT:
        raise AwardError(
            _l("The organisers have recorded a conflict of interest here; it cannot be removed.")
        )
    declaration = declarations_of(session, member).get(dossier.id)
    previous = declaration.answer.value if declaration else None
    if declaration is None:
        declaration = Declaration(member=member, dossier=dossier)
        session.add(declaration)
    declaration.answer, declaration.tie_type, declaration.declared_at = answer, tie_type, now
    if answer == DeclarationAnswer.UNSURE and review is None:
        session.add(ConflictReview(member=member, dossier=dossier, reason="unsure", created_at=now))
    session.flush()
    audit(
        session,
        "declaration.recorded",
        declaration,
        actor=member.user,
        actor_kind="juror",
        cycle_id=member.cycle_id,
        now=now,
        changes={
            "member_id": member.id,
            "dossier_id": dossier.id,
            "answer": [previous, answer.value],
            "tie_type": tie_type.value if tie_type else None,
        },
    )
    session.flush()
    return declaration


def pending_reviews(session: Session, cycle: AwardCycle) -> list[ConflictReview]:
    return list(
        session.scalars(
            select(ConflictReview)
            .join(JuryMember, JuryMember.id == ConflictReview.member_id)
            .where(JuryMember.cycle_id == cycle.id)
            .order_by(ConflictReview.decision, ConflictReview.id)
        )
    )


def decide_review(
    session: Session,
    review: ConflictReview,
    *,
    conflict: bool,
    pin: bool,
    actor: User,
    now: datetime | None = None,
) -> ConflictReview:
    """Confirm (optionally pin) or dismiss a suggested or unsure conflict."""
    now = now or utcnow()
    cycle = review.member.cycle
    require_phase(cycle, DECLARATION_OPEN, now, _l("Conflicts can no longer be decided."))
    if review.pinned and not conflict:
        raise AwardError(_l("This conflict is pinned; it stays."))
    previous = review.decision.value
    review.decision = ReviewDecision.CONFLICT if conflict else ReviewDecision.NO_CONFLICT
    review.pinned = review.pinned or (pin and conflict)
    review.decided_at, review.decided_by_id = now, actor.id
    audit(
        session,
        "conflict.decided",
        review,
        actor=actor,
        cycle_id=cycle.id,
        now=now,
        changes={
            "member_id": review.member_id,
            "dossier_id": review.dossier_id,
            "decision": [previous, review.decision.value],
            "pinned": review.pinned,
        },
    )
    session.flush()
    return review


def pin_conflict(
    session: Session,
    member: JuryMember,
    dossier: Dossier,
    actor: User,
    now: datetime | None = None,
) -> ConflictReview:
    """Record a conflict the organisers know of; the juror cannot remove it."""
    now = now or utcnow()
    review = reviews_of(session, member).get(dossier.id)
    if review is None:
        review = ConflictReview(member=member, dossier=dossier, reason="organiser", created_at=now)
        session.add(review)
        session.flush()
    return decide_review(session, review, conflict=True, pin=True, actor=actor, now=now)


# --- scoring --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreEntry:
    criterion_id: int
    value: int | None
    comment: str


def scoring_editable(member: JuryMember, now: datetime) -> bool:
    """Scoring is open, or an admin has reopened this juror's sheets for a while."""
    phase = cycle_phase(member.cycle, now)
    if phase in SCORING_OPEN:
        return True
    return (
        phase in RESULTS_OPEN and member.reopened_until is not None and now < member.reopened_until
    )


def _check_scoring(session: Session, member: JuryMember, dossier: Dossier, now: datetime) -> None:
    if member.role != JuryRole.JUROR:
        raise AwardError(_l("Reserves do not score unless they are brought into the jury."))
    if not scoring_editable(member, now):
        raise AwardError(_l("Scoring is closed; your scores are locked."))
    if states_for(session, member).get(dossier.id) != ConflictState.OPEN:
        raise AwardError(_l("This nomination is not open to you."))


def _save_version(
    session: Session, sheet: ScoreSheet, member: JuryMember, now: datetime, new: bool
) -> None:
    if not new:
        sheet.version += 1
    sheet.updated_at = now
    session.flush()
    session.add(
        ScoreVersion(
            sheet_id=sheet.id,
            version=sheet.version,
            status=sheet.status,
            content={
                "scores": {
                    str(score.criterion_id): [score.value, score.comment] for score in sheet.scores
                },
                "abstain_reason": sheet.abstain_reason,
            },
            saved_at=now,
            saved_by_id=member.user_id,
        )
    )


def _sheet(session: Session, member: JuryMember, dossier: Dossier) -> tuple[ScoreSheet, bool]:
    # One save of a juror's sheets at a time, across processes and hosts too: without the
    # row lock two saves at once (a double click, two tabs) both create the sheet or both
    # write version n+1, and one fails with a unique violation (a 500). SQLite serialises
    # writers anyway and renders no FOR UPDATE.
    session.execute(select(JuryMember.id).where(JuryMember.id == member.id).with_for_update())
    sheet = sheets_of(session, member).get(dossier.id)
    if sheet is not None:
        # Read after the lock: what this request loaded before may be another save ago.
        session.expire(sheet)
        return sheet, False
    sheet = ScoreSheet(member=member, dossier=dossier, status=SheetStatus.DRAFT, version=1)
    session.add(sheet)
    session.flush()
    return sheet, True


def save_sheet(
    session: Session,
    member: JuryMember,
    dossier: Dossier,
    entries: Iterable[ScoreEntry],
    *,
    submit: bool,
    now: datetime | None = None,
) -> ScoreSheet:
    """Save a draft, or submit a complete sheet; every save becomes a new version."""
    now = now or utcnow()
    _check_scoring(session, member, dossier, now)
    criteria = {c.id for c in member.cycle.criteria}
    by_criterion = {
        entry.criterion_id: entry for entry in entries if entry.criterion_id in criteria
    }
    for entry in by_criterion.values():
        if entry.value is not None and not 1 <= entry.value <= 5:
            raise AwardError(_l("Scores go from 1 to 5."))
    if submit and any(
        by_criterion.get(c) is None or by_criterion[c].value is None for c in criteria
    ):
        raise AwardError(_l("Score every criterion before you submit."))
    sheet, new = _sheet(session, member, dossier)
    for criterion_id, entry in by_criterion.items():
        score = sheet.score_for(criterion_id)
        if score is None:
            score = Score(
                sheet=sheet, member_id=member.id, dossier_id=dossier.id, criterion_id=criterion_id
            )
            session.add(score)
        score.value, score.comment = entry.value, entry.comment
    sheet.status = SheetStatus.SUBMITTED if submit else SheetStatus.DRAFT
    sheet.abstain_reason = None
    sheet.submitted_at = now if submit else None
    _save_version(session, sheet, member, now, new)
    audit(
        session,
        "sheet.submitted" if submit else "sheet.draft_saved",
        sheet,
        actor=member.user,
        actor_kind="juror",
        cycle_id=member.cycle_id,
        now=now,
        changes={"member_id": member.id, "dossier_id": dossier.id, "version": sheet.version},
    )
    session.flush()
    return sheet


def abstain(
    session: Session,
    member: JuryMember,
    dossier: Dossier,
    reason: str,
    now: datetime | None = None,
) -> ScoreSheet:
    """Abstain from one nomination, with a reason; the scores do not count."""
    now = now or utcnow()
    _check_scoring(session, member, dossier, now)
    if not reason.strip():
        raise AwardError(_l("Give a reason for abstaining."))
    sheet, new = _sheet(session, member, dossier)
    sheet.status, sheet.abstain_reason, sheet.submitted_at = SheetStatus.ABSTAINED, reason, now
    _save_version(session, sheet, member, now, new)
    audit(
        session,
        "sheet.abstained",
        sheet,
        actor=member.user,
        actor_kind="juror",
        cycle_id=member.cycle_id,
        now=now,
        changes={"member_id": member.id, "dossier_id": dossier.id, "version": sheet.version},
    )
    session.flush()
    return sheet


def close_scoring(
    session: Session, cycle: AwardCycle, actor: User, now: datetime | None = None
) -> AwardCycle:
    """Close scoring before its last day (everyone is done): every sheet locks."""
    now = now or utcnow()
    require_phase(cycle, SCORING_OPEN, now, _l("Scoring is not open."))
    cycle.scoring_closed_at = now
    audit(session, "scoring.closed", cycle, actor=actor, cycle_id=cycle.id, now=now)
    session.flush()
    return cycle


def reopen_for_member(
    session: Session,
    member: JuryMember,
    reason: str,
    actor: User,
    now: datetime | None = None,
) -> JuryMember:
    """An admin reopens one juror's locked sheets until the end of the next day (logged)."""
    now = now or utcnow()
    if not actor.has_role(Role.ADMIN):
        raise AwardError(_l("Only an administrator can reopen scoring."))
    require_phase(member.cycle, RESULTS_OPEN, now, _l("Scores are not locked."))
    if not reason.strip():
        raise AwardError(_l("Give a reason for reopening."))
    today = now.astimezone(STOCKHOLM).date()
    member.reopened_until = end_of_day(today + timedelta(days=REOPEN_DAYS))
    audit(
        session,
        "scoring.reopened",
        member,
        actor=actor,
        cycle_id=member.cycle_id,
        now=now,
        changes={
            "member_id": member.id,
            "until": member.reopened_until.isoformat(),
            "reason": reason,
        },
    )
    session.flush()
    return member


# --- progress (counts only) and reminders ---------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """How far one juror has come, as counts: never a score."""

    member: JuryMember
    nominations: int
    declared: int
    conflicted: int
    awaiting_organiser: int
    to_score: int
    submitted: int
    abstained: int
    drafts: int

    @property
    def done(self) -> int:
        return self.submitted + self.abstained

    @property
    def undeclared(self) -> int:
        return self.nominations - self.declared

    @property
    def is_complete(self) -> bool:
        return self.undeclared == 0 and self.awaiting_organiser == 0 and self.done >= self.to_score


def progress_of(session: Session, member: JuryMember) -> Progress:
    states = states_for(session, member)
    return progress_from(member, states, sheets_of(session, member))


def progress_from(
    member: JuryMember, states: dict[int, ConflictState], sheets: dict[int, ScoreSheet]
) -> Progress:
    """``progress_of`` from states and sheets the caller has already loaded."""
    open_ids = [d for d, state in states.items() if state == ConflictState.OPEN]
    statuses = [sheets[d].status for d in open_ids if d in sheets]
    return Progress(
        member=member,
        nominations=len(states),
        declared=sum(state != ConflictState.UNDECLARED for state in states.values()),
        conflicted=sum(state == ConflictState.CONFLICTED for state in states.values()),
        awaiting_organiser=sum(
            state == ConflictState.AWAITING_ORGANISER for state in states.values()
        ),
        to_score=len(open_ids),
        submitted=statuses.count(SheetStatus.SUBMITTED),
        abstained=statuses.count(SheetStatus.ABSTAINED),
        drafts=statuses.count(SheetStatus.DRAFT),
    )


def jury_progress(session: Session, cycle: AwardCycle) -> list[Progress]:
    """``progress_of`` for every voting member, in a fixed number of queries."""
    members = voting_members(session, cycle)
    if not members:
        return []
    dossier_ids = [dossier.id for dossier in jury_dossiers(session, cycle)]

    def per_member(model) -> dict[int, dict[int, object]]:
        grouped: dict[int, dict[int, object]] = {member.id: {} for member in members}
        rows = session.scalars(select(model).where(model.member_id.in_(list(grouped))))
        for row in rows:
            grouped[row.member_id][row.dossier_id] = row
        return grouped

    declarations, reviews = per_member(Declaration), per_member(ConflictReview)
    sheets = per_member(ScoreSheet)
    return [
        progress_from(
            member,
            {
                d: conflict_state(declarations[member.id].get(d), reviews[member.id].get(d))
                for d in dossier_ids
            },
            sheets[member.id],
        )
        for member in members
    ]


def is_behind(progress: Progress, cycle: AwardCycle, now: datetime) -> bool:
    """Behind: something undeclared, or fewer done than the share of scoring time gone."""
    if progress.undeclared:
        return True
    phase = cycle_phase(cycle, now)
    if phase != Phase.SCORING or progress.is_complete:
        return False
    at = edges(cycle)
    elapsed = (now - at.scoring_open) / (at.scoring_close - at.scoring_open)
    return progress.done < elapsed * progress.to_score


def send_jury_reminders(session: Session, base_url: str, now: datetime | None = None) -> int:
    """Mail every juror who is behind; at most one reminder per juror and Swedish day."""
    now = now or utcnow()
    today = now.astimezone(STOCKHOLM).date()
    queued = 0
    cycles = session.scalars(
        select(AwardCycle).where(
            AwardCycle.call_published_at.is_not(None), AwardCycle.results_published_at.is_(None)
        )
    )
    for cycle in cycles:
        phase = cycle_phase(cycle, now)
        if phase not in DECLARATION_OPEN:
            continue
        for progress in jury_progress(session, cycle):
            member = progress.member
            if not is_behind(progress, cycle, now) or member.user.is_disabled:
                continue
            message = queue_mail(
                session,
                dedup_key=f"award-jury-reminder:{member.id}:{today.isoformat()}",
                to=member.user.email,
                subject=_l("Reminder: the jury for %(title)s", title=cycle.title),
                template="mail/award_jury_reminder.txt",
                locale=member.user.locale,
                member=member,
                cycle=cycle,
                progress=progress,
                phase=phase,
                closes=edges(cycle).scoring_close,
                link=f"{base_url}/awards/jury/{cycle.id}",
            )
            if message is not None:
                member.last_reminded_on = today
                queued += 1
    session.flush()
    return queued
