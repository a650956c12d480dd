"""Sealed results: freeze a snapshot, aggregate it, record tie decisions, publish at the gala.

Results are computed only after scoring closes, from a snapshot whose SHA-256 hash,
algorithm version and parameters are stored with them. They stay sealed (organisers and
the jury's chair only, every view logged) until an organiser publishes them at the gala.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from eventapp.auth.models import User
from eventapp.awards import aggregation
from eventapp.awards.aggregation import (
    CriterionSpec,
    NominationSpec,
    Parameters,
    Sheet,
    Snapshot,
    TieDecision,
)
from eventapp.awards.jury import (
    ConflictState,
    jury_dossiers,
    member_for,
    sheets_of,
    states_for,
    voting_members,
)
from eventapp.awards.models import (
    JURY_MOTIVATION_MAX,
    AwardCycle,
    AwardResult,
    Dossier,
    SheetStatus,
    TieDecisionRecord,
)
from eventapp.awards.phase import RESULTS_OPEN, start_of_day
from eventapp.awards.services import AwardError, audit, require_phase
from eventapp.database import utcnow
from eventapp.i18n import to_local
from eventapp.permissions import is_organiser

PARAMETERS = Parameters()


def build_snapshot(session: Session, cycle: AwardCycle, lot_seed: str) -> Snapshot:
    """Freeze what counts: complete submitted sheets of jurors without a conflict."""
    dossiers = jury_dossiers(session, cycle)
    criteria = cycle.criteria
    sheets = []
    for member in voting_members(session, cycle):
        states = states_for(session, member)
        for dossier_id, sheet in sheets_of(session, member).items():
            if sheet.status != SheetStatus.SUBMITTED or states.get(dossier_id) != (
                ConflictState.OPEN
            ):
                continue
            values = {s.criterion_id: s.value for s in sheet.scores if s.value is not None}
            if any(c.id not in values for c in criteria):
                continue
            sheets.append(
                Sheet(member.id, dossier_id, tuple((c.id, values[c.id]) for c in criteria))
            )
    decisions = session.scalars(
        select(TieDecisionRecord)
        .where(TieDecisionRecord.cycle_id == cycle.id)
        .order_by(TieDecisionRecord.id)
    )
    return Snapshot(
        cycle_id=cycle.id,
        jury_size=len(voting_members(session, cycle)),
        criteria=tuple(CriterionSpec(c.id, c.name, c.weight) for c in criteria),
        nominations=tuple(NominationSpec(d.id, d.name or f"#{d.id}") for d in dossiers),
        sheets=tuple(sorted(sheets, key=lambda s: (s.nomination_id, s.juror_id))),
        tie_decisions=tuple(TieDecision(d.above_id, d.below_id) for d in decisions),
        lot_seed=lot_seed,
    )


def compute_results(
    session: Session, cycle: AwardCycle, actor: User, now: datetime | None = None
) -> AwardResult:
    """Freeze a snapshot, aggregate it and store the sealed result with hash and method."""
    now = now or utcnow()
    require_phase(cycle, RESULTS_OPEN, now, _l("Results are computed after scoring closes."))
    snapshot = build_snapshot(session, cycle, secrets.token_hex(16))
    if not snapshot.nominations:
        raise AwardError(_l("No nomination went to the jury."))
    outcome = aggregation.aggregate(snapshot, PARAMETERS)
    result = AwardResult(
        cycle_id=cycle.id,
        computed_at=now,
        computed_by_id=actor.id,
        algorithm_version=outcome.algorithm_version,
        parameters=asdict(PARAMETERS),
        snapshot=aggregation.snapshot_to_json(snapshot),
        snapshot_hash=aggregation.snapshot_hash(snapshot),
        lot_seed=snapshot.lot_seed,
        outcome=aggregation.results_to_dict(outcome),
        named_finalist_ids=[],
    )
    session.add(result)
    session.flush()
    audit(
        session,
        "results.computed",
        result,
        actor=actor,
        cycle_id=cycle.id,
        now=now,
        changes={"hash": result.snapshot_hash, "algorithm": result.algorithm_version},
    )
    session.flush()
    return result


def latest_result(session: Session, cycle: AwardCycle) -> AwardResult | None:
    return session.scalar(
        select(AwardResult)
        .where(AwardResult.cycle_id == cycle.id)
        .order_by(AwardResult.computed_at.desc(), AwardResult.id.desc())
        .limit(1)
    )


def published_result(session: Session, cycle: AwardCycle) -> AwardResult | None:
    return session.scalar(
        select(AwardResult).where(
            AwardResult.cycle_id == cycle.id, AwardResult.published_at.is_not(None)
        )
    )


def recompute(result: AwardResult) -> aggregation.Results:
    """The result again from its stored snapshot (what the report and checks read)."""
    snapshot = aggregation.snapshot_from_json(result.snapshot)
    return aggregation.aggregate(snapshot, Parameters(**result.parameters))


def is_current(session: Session, result: AwardResult) -> bool:
    """Does the stored snapshot still match the scores (nothing reopened or changed since)?"""
    cycle = result.cycle
    fresh = build_snapshot(session, cycle, result.lot_seed)
    return aggregation.snapshot_hash(fresh) == result.snapshot_hash


def can_view_sealed(session: Session, user: User | None, cycle: AwardCycle) -> bool:
    """Organisers, and the jury's chair once scoring has closed."""
    if is_organiser(user):
        return True
    member = member_for(session, cycle, user)
    return member is not None and member.is_chair


def hidden_for(session: Session, user: User | None, cycle: AwardCycle) -> set[int]:
    """Nominations the viewer must not see in results: a jury member's own conflicts.

    This holds for an organiser who also sits on the jury: a conflict is personal.
    """
    member = member_for(session, cycle, user)
    if member is None:
        return set() if is_organiser(user) else {d.id for d in jury_dossiers(session, cycle)}
    return {d for d, state in states_for(session, member).items() if state != ConflictState.OPEN}


def log_sealed_view(
    session: Session, result: AwardResult, viewer: User, page: str, now: datetime | None = None
) -> None:
    """Every view of results that are not yet published goes to the audit log."""
    if result.published_at is not None:
        return
    audit(
        session,
        "results.viewed",
        result,
        actor=viewer,
        actor_kind="organiser" if is_organiser(viewer) else "juror",
        cycle_id=result.cycle_id,
        now=now,
        changes={"page": page, "hash": result.snapshot_hash},
    )
    session.flush()


def record_tie_decision(
    session: Session,
    cycle: AwardCycle,
    above: Dossier,
    below: Dossier,
    reason: str,
    actor: User,
    now: datetime | None = None,
) -> TieDecisionRecord:
    """Record the jury's decision on a tie no rule separated; recompute afterwards."""
    now = now or utcnow()
    require_phase(cycle, RESULTS_OPEN, now, _l("Ties are decided after scoring closes."))
    jury_ids = {d.id for d in jury_dossiers(session, cycle)}
    if above.id == below.id or not {above.id, below.id} <= jury_ids:
        raise AwardError(_l("Choose two different nominations."))
    if not reason.strip():
        raise AwardError(_l("Give the jury's reason."))
    existing = session.scalars(
        select(TieDecisionRecord).where(
            TieDecisionRecord.cycle_id == cycle.id,
            TieDecisionRecord.above_id.in_((above.id, below.id)),
            TieDecisionRecord.below_id.in_((above.id, below.id)),
        )
    )
    for old in existing:
        session.delete(old)
    session.flush()
    record = TieDecisionRecord(
        cycle_id=cycle.id,
        above_id=above.id,
        below_id=below.id,
        reason=reason,
        recorded_at=now,
        recorded_by_id=actor.id,
    )
    session.add(record)
    session.flush()
    audit(
        session,
        "results.tie_decided",
        record,
        actor=actor,
        cycle_id=cycle.id,
        now=now,
        changes={"above": above.id, "below": below.id, "reason": reason},
    )
    session.flush()
    return record


def publish_results(
    session: Session,
    result: AwardResult,
    *,
    motivation: str,
    named_finalist_ids: list[int],
    actor: User,
    now: datetime | None = None,
) -> AwardResult:
    """Publish at the gala: the winner, the finalists who agreed to be named, the motivation."""
    now = now or utcnow()
    cycle = result.cycle
    require_phase(cycle, RESULTS_OPEN, now, _l("These results cannot be published now."))
    if result.id != getattr(latest_result(session, cycle), "id", None):
        raise AwardError(_l("Publish the newest computation of the results."))
    if not is_current(session, result):
        raise AwardError(_l("Scores have changed since the results were computed; recompute."))
    outcome = recompute(result)
    if outcome.winner is None:
        raise AwardError(_l("No nomination reached the quorum; there is no winner to publish."))
    gala = cycle.gala_event
    if gala is not None and now < start_of_day(to_local(gala.starts_at).date()):
        raise AwardError(_l("Results are published at the gala, not before its day."))
    if not motivation.strip() or len(motivation) > JURY_MOTIVATION_MAX:
        raise AwardError(_l("Write the jury's motivation."))
    finalists = {f.nomination_id for f in outcome.finalists}
    named = sorted(set(named_finalist_ids) & finalists)
    result.motivation = motivation
    result.named_finalist_ids = named
    result.published_at, result.published_by_id = now, actor.id
    cycle.results_published_at, cycle.results_published_by_id = now, actor.id
    audit(
        session,
        "results.published",
        result,
        actor=actor,
        cycle_id=cycle.id,
        now=now,
        changes={"hash": result.snapshot_hash, "winner": outcome.winner.nomination_id},
    )
    session.flush()
    return result


def public_results(session: Session, cycle: AwardCycle) -> dict | None:
    """What the public page may show: winner, named finalists, motivation; never scores."""
    result = published_result(session, cycle)
    if result is None:
        return None
    outcome = recompute(result)
    names = {d.id: d for d in jury_dossiers(session, cycle)}
    winner = outcome.winner
    finalists = [
        names[f.nomination_id]
        for f in outcome.finalists
        if f.nomination_id in names
        and f.nomination_id in result.named_finalist_ids
        and (winner is None or f.nomination_id != winner.nomination_id)
    ]
    return {
        "winner": names.get(winner.nomination_id) if winner else None,
        "finalists": finalists,
        "motivation": result.motivation,
        "published_at": result.published_at,
    }
