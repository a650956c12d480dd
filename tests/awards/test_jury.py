"""The jury's rules: appointment, conflicts of interest, declarations, scoring and locking."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError, IntegrityError

from eventapp.awards import jury
from eventapp.awards.jury import ConflictState, ScoreEntry
from eventapp.awards.models import (
    AuditEntry,
    AuditLogIsAppendOnly,
    ConflictReview,
    DeclarationAnswer,
    JuryRole,
    ReviewDecision,
    Score,
    ScoreVersion,
    SheetStatus,
    TieType,
)
from eventapp.awards.phase import Phase, cycle_phase
from eventapp.awards.services import AwardError, jury_events_for_user
from eventapp.database import utcnow
from tests.awards.jury_helpers import (
    appoint,
    declare,
    make_jury_cycle,
    make_jury_dossier,
    score,
)
from tests.factories import make_organisation, make_user


@pytest.fixture
def scoring(session):
    cycle = make_jury_cycle(session, "scoring")
    alfa = make_jury_dossier(session, cycle, "Alfa Kooperativ", org_number="556036-0793")
    beta = make_jury_dossier(session, cycle, "Beta Återbruk", municipality="Mora")
    member = appoint(session, cycle)
    organiser = make_user(session, "organiser")
    return cycle, alfa, beta, member, organiser


def entries(cycle, *values, comment="ok"):
    return [ScoreEntry(c.id, v, comment) for c, v in zip(cycle.criteria, values, strict=True)]


# --- appointment ----------------------------------------------------------------------------


def test_only_people_with_the_juror_role_are_appointed(session):
    cycle = make_jury_cycle(session, "jury_preparation")
    organiser = make_user(session, "organiser")
    with pytest.raises(AwardError):
        jury.appoint_member(
            session, cycle, make_user(session), JuryRole.JUROR, is_chair=False, actor=organiser
        )
    member = jury.appoint_member(
        session, cycle, make_user(session, "juror"), JuryRole.JUROR, is_chair=True, actor=organiser
    )
    assert member.is_chair
    with pytest.raises(AwardError):
        jury.appoint_member(
            session, cycle, member.user, JuryRole.RESERVE, is_chair=False, actor=organiser
        )


def test_one_chair_and_a_reserve_cannot_chair(session):
    cycle = make_jury_cycle(session, "jury_preparation")
    organiser = make_user(session, "organiser")
    first = jury.appoint_member(
        session, cycle, make_user(session, "juror"), JuryRole.JUROR, is_chair=True, actor=organiser
    )
    second = jury.appoint_member(
        session, cycle, make_user(session, "juror"), JuryRole.JUROR, is_chair=True, actor=organiser
    )
    assert second.is_chair and not first.is_chair
    with pytest.raises(AwardError):
        jury.appoint_member(
            session,
            cycle,
            make_user(session, "juror"),
            JuryRole.RESERVE,
            is_chair=True,
            actor=organiser,
        )


def test_the_database_allows_one_chair_per_cycle(session):
    cycle = make_jury_cycle(session)
    appoint(session, cycle, chair=True)
    with pytest.raises(IntegrityError):
        appoint(session, cycle, chair=True)


# --- conflicts ------------------------------------------------------------------------------


def test_declaration_is_required_before_the_dossier_opens(session, scoring):
    cycle, alfa, _, member, _ = scoring
    assert jury.states_for(session, member)[alfa.id] == ConflictState.UNDECLARED
    assert jury.dossier_for_juror(session, member, alfa.id) is None
    jury.declare(session, member, alfa, DeclarationAnswer.NO_CONFLICT, None)
    assert jury.dossier_for_juror(session, member, alfa.id) == alfa


def test_a_declared_conflict_closes_the_dossier(session, scoring):
    _, alfa, _, member, _ = scoring
    jury.declare(session, member, alfa, DeclarationAnswer.CONFLICT, TieType.FUNDER)
    assert jury.states_for(session, member)[alfa.id] == ConflictState.CONFLICTED
    assert jury.dossier_for_juror(session, member, alfa.id) is None
    with pytest.raises(AwardError):
        jury.declare(session, member, alfa, DeclarationAnswer.CONFLICT, None)


def test_unsure_waits_for_the_organisers(session, scoring):
    _, alfa, _, member, organiser = scoring
    jury.declare(session, member, alfa, DeclarationAnswer.UNSURE, None)
    assert jury.states_for(session, member)[alfa.id] == ConflictState.AWAITING_ORGANISER
    (review,) = jury.pending_reviews(session, member.cycle)
    assert review.reason == "unsure"
    jury.decide_review(session, review, conflict=False, pin=False, actor=organiser)
    assert jury.states_for(session, member)[alfa.id] == ConflictState.OPEN


def test_register_suggests_conflicts_by_organisation_number(session, scoring):
    _, alfa, beta, member, organiser = scoring
    jury.add_tie(
        session,
        member,
        organisation_name="Something else AB",
        org_number="5560360793",
        tie_type=TieType.BOARD,
    )
    (review,) = jury.pending_reviews(session, member.cycle)
    assert (review.dossier_id, review.reason) == (alfa.id, "org_number")
    # Declaring "no conflict" does not open it while the suggestion is pending.
    jury.declare(session, member, alfa, DeclarationAnswer.NO_CONFLICT, None)
    assert jury.states_for(session, member)[alfa.id] == ConflictState.AWAITING_ORGANISER
    jury.decide_review(session, review, conflict=True, pin=False, actor=organiser)
    assert jury.states_for(session, member)[alfa.id] == ConflictState.CONFLICTED
    assert jury.states_for(session, member)[beta.id] == ConflictState.UNDECLARED


def test_register_suggests_conflicts_by_name_and_dismissal_opens(session, scoring):
    _, _, beta, member, organiser = scoring
    jury.add_tie(
        session,
        member,
        organisation_name="  beta ÅTERBRUK ",
        org_number=None,
        tie_type=TieType.CUSTOMER_OR_SUPPLIER,
    )
    (review,) = jury.pending_reviews(session, member.cycle)
    assert (review.dossier_id, review.reason) == (beta.id, "name")
    jury.declare(session, member, beta, DeclarationAnswer.NO_CONFLICT, None)
    jury.decide_review(session, review, conflict=False, pin=False, actor=organiser)
    assert jury.states_for(session, member)[beta.id] == ConflictState.OPEN


def test_removing_a_tie_drops_a_pending_suggestion(session, scoring):
    _, _, _, member, _ = scoring
    tie = jury.add_tie(
        session, member, organisation_name="Beta Återbruk", org_number=None, tie_type=TieType.FUNDER
    )
    assert jury.pending_reviews(session, member.cycle)
    jury.remove_tie(session, tie)
    assert jury.pending_reviews(session, member.cycle) == []


def test_employer_and_own_nomination_are_suggested(session):
    cycle = make_jury_cycle(session)
    employer = make_organisation(session, name="Gamma Ek", org_number="556036-0793")
    user = make_user(session, "juror", organisation=employer, email="juror-nom@example.org")
    gamma = make_jury_dossier(session, cycle, "Gamma", org_number="556036-0793")
    delta = make_jury_dossier(session, cycle, "Delta", nominator_email="juror-nom@example.org")
    member = appoint(session, cycle, user)
    jury.refresh_suggestions(session, member, utcnow())
    reasons = {r.dossier_id: r.reason for r in jury.pending_reviews(session, cycle)}
    assert reasons == {gamma.id: "org_number", delta.id: "nominator"}


def test_a_pinned_conflict_cannot_be_removed_by_the_juror(session, scoring):
    _, alfa, _, member, organiser = scoring
    jury.declare(session, member, alfa, DeclarationAnswer.NO_CONFLICT, None)
    review = jury.pin_conflict(session, member, alfa, organiser)
    assert review.pinned and review.decision == ReviewDecision.CONFLICT
    assert jury.states_for(session, member)[alfa.id] == ConflictState.CONFLICTED
    with pytest.raises(AwardError):
        jury.declare(session, member, alfa, DeclarationAnswer.NO_CONFLICT, None)
    with pytest.raises(AwardError):
        jury.decide_review(session, review, conflict=False, pin=False, actor=organiser)


def test_the_database_refuses_a_pinned_non_conflict(session, scoring):
    _, alfa, _, member, _ = scoring
    session.add(
        ConflictReview(
            member=member,
            dossier=alfa,
            reason="organiser",
            decision=ReviewDecision.NO_CONFLICT,
            pinned=True,
        )
    )
    with pytest.raises(IntegrityError):
        session.flush()


def test_declarations_close_with_scoring(session):
    cycle = make_jury_cycle(session, "deliberation")
    dossier = make_jury_dossier(session, cycle, "Alfa")
    member = appoint(session, cycle)
    with pytest.raises(AwardError):
        jury.declare(session, member, dossier, DeclarationAnswer.NO_CONFLICT, None)


# --- scoring --------------------------------------------------------------------------------


def test_drafts_submission_and_every_save_versioned(session, scoring):
    cycle, alfa, _, member, _ = scoring
    declare(session, member, alfa)
    sheet = jury.save_sheet(session, member, alfa, entries(cycle, 4, None), submit=False)
    assert sheet.status == SheetStatus.DRAFT and sheet.version == 1
    with pytest.raises(AwardError):
        jury.save_sheet(session, member, alfa, entries(cycle, 4, None), submit=True)
    sheet = jury.save_sheet(session, member, alfa, entries(cycle, 4, 3), submit=True)
    assert sheet.status == SheetStatus.SUBMITTED and sheet.version == 2
    sheet = jury.save_sheet(session, member, alfa, entries(cycle, 5, 3), submit=True)
    versions = session.scalars(
        select(ScoreVersion).where(ScoreVersion.sheet_id == sheet.id).order_by(ScoreVersion.version)
    ).all()
    assert [v.version for v in versions] == [1, 2, 3]
    first_criterion = str(cycle.criteria[0].id)
    assert [v.content["scores"][first_criterion][0] for v in versions] == [4, 4, 5]
    assert [s.value for s in sheet.scores] == [5, 3]


def test_abstaining_needs_a_reason(session, scoring):
    cycle, alfa, _, member, _ = scoring
    declare(session, member, alfa)
    with pytest.raises(AwardError):
        jury.abstain(session, member, alfa, "   ")
    sheet = jury.abstain(session, member, alfa, "I know the founder too well.")
    assert sheet.status == SheetStatus.ABSTAINED


def test_a_conflicted_juror_cannot_score(session, scoring):
    cycle, alfa, _, member, _ = scoring
    declare(session, member, alfa, DeclarationAnswer.CONFLICT)
    with pytest.raises(AwardError):
        jury.save_sheet(session, member, alfa, entries(cycle, 4, 4), submit=True)


def test_reserves_do_not_score(session, scoring):
    cycle, alfa, _, _, _ = scoring
    reserve = appoint(session, cycle, role=JuryRole.RESERVE)
    declare(session, reserve, alfa)
    with pytest.raises(AwardError):
        jury.save_sheet(session, reserve, alfa, entries(cycle, 4, 4), submit=True)


def test_scores_lock_when_scoring_closes_and_only_an_admin_reopens(session, scoring):
    cycle, alfa, _, member, organiser = scoring
    declare(session, member, alfa)
    jury.save_sheet(session, member, alfa, entries(cycle, 4, 4), submit=True)
    jury.close_scoring(session, cycle, organiser)
    assert cycle_phase(cycle, utcnow()) == Phase.DELIBERATION
    with pytest.raises(AwardError):
        jury.save_sheet(session, member, alfa, entries(cycle, 1, 1), submit=True)
    with pytest.raises(AwardError):
        jury.reopen_for_member(session, member, "Typo", organiser)
    admin = make_user(session, "admin")
    with pytest.raises(AwardError):
        jury.reopen_for_member(session, member, "  ", admin)
    jury.reopen_for_member(session, member, "The juror mistyped a score.", admin)
    sheet = jury.save_sheet(session, member, alfa, entries(cycle, 3, 4), submit=True)
    assert sheet.version == 2
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "scoring.reopened"))
    assert entry.actor_id == admin.id
    assert entry.changes["reason"] == "The juror mistyped a score."
    # The reopening runs out at the end of the next day.
    later = member.reopened_until + timedelta(seconds=1)
    with pytest.raises(AwardError):
        jury.save_sheet(session, member, alfa, entries(cycle, 2, 2), submit=True, now=later)


def test_the_audit_log_never_holds_scores_or_comments(session, scoring):
    cycle, alfa, _, member, _ = scoring
    declare(session, member, alfa)
    jury.save_sheet(
        session, member, alfa, entries(cycle, 4, 2, comment="Secret words"), submit=True
    )
    for entry in session.scalars(select(AuditEntry).where(AuditEntry.cycle_id == cycle.id)):
        assert "Secret words" not in str(entry.changes)
        assert "value" not in entry.changes and "scores" not in entry.changes


@pytest.mark.parametrize("value", [0, 6, -1])
def test_the_database_checks_the_score_range(session, scoring, value):
    cycle, alfa, _, member, _ = scoring
    sheet = score(session, member, alfa, (3, 3))
    sheet.scores[0].value = value
    with pytest.raises(IntegrityError):
        session.flush()


def test_the_database_keeps_one_current_score_per_criterion(session, scoring):
    cycle, alfa, _, member, _ = scoring
    sheet = score(session, member, alfa, (3, 3))
    session.add(
        Score(
            sheet=sheet,
            member_id=member.id,
            dossier_id=alfa.id,
            criterion_id=cycle.criteria[0].id,
            value=4,
            comment="",
        )
    )
    with pytest.raises(IntegrityError):
        session.flush()


def test_score_history_is_append_only(session, scoring):
    cycle, alfa, _, member, _ = scoring
    declare(session, member, alfa)
    sheet = jury.save_sheet(session, member, alfa, entries(cycle, 4, 4), submit=True)
    version = session.scalar(select(ScoreVersion).where(ScoreVersion.sheet_id == sheet.id))
    version.content = {"scores": {}}
    with pytest.raises(AuditLogIsAppendOnly):
        session.flush()
    session.rollback()


def test_the_database_refuses_changes_to_score_history(session, scoring):
    cycle, alfa, _, member, _ = scoring
    declare(session, member, alfa)
    jury.save_sheet(session, member, alfa, entries(cycle, 4, 4), submit=True)
    with pytest.raises(DatabaseError), session.begin_nested():
        session.execute(text("UPDATE award_score_versions SET version = 99"))
    with pytest.raises(DatabaseError), session.begin_nested():
        session.execute(text("DELETE FROM award_score_versions"))


# --- progress, reminders, calendar ----------------------------------------------------------


def test_progress_is_counts_only(session, scoring):
    cycle, alfa, beta, member, _ = scoring
    declare(session, member, alfa)
    declare(session, member, beta, DeclarationAnswer.CONFLICT)
    score(session, member, alfa, (4, 4))
    (progress,) = jury.jury_progress(session, cycle)
    assert (progress.nominations, progress.declared, progress.conflicted) == (2, 2, 1)
    assert (progress.to_score, progress.done, progress.is_complete) == (1, 1, True)
    assert not hasattr(progress, "scores")


def test_reminders_go_to_jurors_behind_once_a_day(app, session, scoring, smtp_server):
    from eventapp.mail import send_outbox

    cycle, alfa, beta, member, _ = scoring
    done = appoint(session, cycle)
    for dossier in (alfa, beta):
        declare(session, done, dossier)
        score(session, done, dossier, (4, 4))
    runner = app.test_cli_runner()
    first = runner.invoke(args=["send-jury-reminders"])
    assert first.exit_code == 0, first.output
    assert "queued 1" in first.output
    second = runner.invoke(args=["send-jury-reminders"])
    assert "queued 0" in second.output
    send_outbox(app)
    (mail,) = smtp_server.to(member.user.email)
    assert f"/awards/jury/{cycle.id}" in mail.get_body(("plain",)).get_content()
    assert smtp_server.to(done.user.email) == []
    # The next day the juror who is still behind is reminded again.
    tomorrow = utcnow() + timedelta(days=1)
    assert jury.send_jury_reminders(session, "https://x.example", now=tomorrow) == 1


def test_jury_events_for_user_lists_the_gala(session, scoring):
    cycle, _, _, member, _ = scoring
    assert jury_events_for_user(session, member.user) == [cycle.gala_event]
    assert jury_events_for_user(session, make_user(session, "juror")) == []
