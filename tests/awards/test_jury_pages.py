"""The jury through its pages: confidentiality, scoring, sealed results and publishing."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from eventapp.awards import jury, results
from eventapp.awards.models import (
    AuditEntry,
    AwardResult,
    DeclarationAnswer,
    JuryRole,
    ScoreSheet,
    SheetStatus,
)
from tests.awards.jury_helpers import (
    appoint,
    declare,
    make_jury_cycle,
    make_jury_dossier,
    score,
    scored_jury,
)
from tests.factories import make_user


@pytest.fixture
def scoring(session):
    cycle = make_jury_cycle(session, "scoring")
    alfa = make_jury_dossier(session, cycle, "Alfa Kooperativ")
    beta = make_jury_dossier(session, cycle, "Beta Återbruk")
    me, other = appoint(session, cycle), appoint(session, cycle)
    declare(session, me, alfa)
    declare(session, me, beta, DeclarationAnswer.CONFLICT)
    declare(session, other, alfa)
    declare(session, other, beta)
    score(session, other, alfa, (1, 2), comment="OTHER-ALFA-COMMENT")
    score(session, other, beta, (5, 5), comment="OTHER-BETA-COMMENT")
    return cycle, alfa, beta, me, other


def test_juror_sees_own_work_only(client, auth, session, scoring):
    cycle, alfa, beta, me, _ = scoring
    auth.login_as(me.user)
    page = client.get(f"/awards/jury/{cycle.id}").text
    assert "Alfa Kooperativ" in page
    assert f'/awards/jury/{cycle.id}/nominations/{alfa.id}"' in page
    # The conflicted nomination is not in the list and never linked to its dossier.
    table = page[page.index("<table") : page.index("</table>")]
    assert "Beta" not in table
    assert f'/awards/jury/{cycle.id}/nominations/{beta.id}"' not in page
    dossier = client.get(f"/awards/jury/{cycle.id}/nominations/{alfa.id}")
    assert dossier.status_code == 200
    assert "does well on Impact" in dossier.text
    assert "OTHER-ALFA-COMMENT" not in dossier.text
    export = client.get(f"/awards/jury/{cycle.id}/my-scores.csv").text
    assert "OTHER" not in export and "Beta" not in export


@pytest.mark.parametrize(
    "path",
    [
        "/awards/jury/{c}/nominations/{b}",
        "/awards/jury/{c}/nominations/{b}/abstain",
    ],
)
def test_a_conflicted_juror_gets_404_by_direct_url(client, auth, session, scoring, path):
    cycle, _, beta, me, _ = scoring
    auth.login_as(me.user)
    url = path.format(c=cycle.id, b=beta.id)
    assert client.get(url).status_code == 404
    assert client.post(url, data={"score_1": "5", "reason": "x"}).status_code == 404
    sheet = session.scalar(
        select(ScoreSheet).where(ScoreSheet.member_id == me.id, ScoreSheet.dossier_id == beta.id)
    )
    assert sheet is None


def test_someone_elses_jury_is_a_404(client, auth, session, scoring):
    cycle, alfa, _, _, _ = scoring
    auth.login_as(make_user(session, "juror"))
    for path in (
        f"/awards/jury/{cycle.id}",
        f"/awards/jury/{cycle.id}/nominations/{alfa.id}",
        f"/awards/jury/{cycle.id}/nominations/{alfa.id}/declare",
        f"/awards/jury/{cycle.id}/my-scores.csv",
    ):
        assert client.get(path).status_code == 404, path


def test_scoring_through_the_form(client, auth, session, scoring):
    cycle, alfa, _, me, _ = scoring
    auth.login_as(me.user)
    c1, c2 = cycle.criteria
    url = f"/awards/jury/{cycle.id}/nominations/{alfa.id}"
    draft = client.post(url, data={f"score_{c1.id}": "4", "action": "draft"})
    assert draft.status_code == 302
    sheet = jury.sheets_of(session, me)[alfa.id]
    assert sheet.status == SheetStatus.DRAFT
    incomplete = client.post(url, data={f"score_{c1.id}": "4", "action": "submit"})
    assert incomplete.status_code == 200 and "Poängsätt varje kriterium" in incomplete.text
    done = client.post(
        url,
        data={f"score_{c1.id}": "4", f"score_{c2.id}": "3", "comment_1": "", "action": "submit"},
    )
    assert done.status_code == 302
    session.refresh(sheet)
    assert sheet.status == SheetStatus.SUBMITTED and sheet.version == 2


def test_organisers_see_counts_never_scores_before_closing(client, auth, session, scoring):
    cycle, _, _, _, _ = scoring
    auth.login_as(make_user(session, "organiser"))
    page = client.get(f"/awards/manage/cycles/{cycle.id}/jury").text
    assert "OTHER-ALFA-COMMENT" not in page and "OTHER-BETA-COMMENT" not in page
    assert "2 / 2" in page  # the other juror: done 2 of 2
    assert client.get(f"/awards/manage/cycles/{cycle.id}/audit").text.count("OTHER-") == 0
    # Results cannot be computed while scoring runs.
    client.post(f"/awards/manage/cycles/{cycle.id}/results/compute")
    assert session.scalar(select(func.count(AwardResult.id))) == 0


def test_results_are_sealed_logged_and_published_at_the_gala(client, auth, session):
    cycle, dossiers, members = scored_jury(session, "deliberation")
    organiser = make_user(session, "organiser")
    auth.login_as(organiser)
    assert client.post(f"/awards/manage/cycles/{cycle.id}/results/compute").status_code == 302
    result = results.latest_result(session, cycle)
    assert result.snapshot_hash == hashlib.sha256(result.snapshot.encode()).hexdigest()
    assert result.algorithm_version and result.parameters["trim_from"] == 7
    assert results.recompute(result).winner.nomination_id == dossiers[0].id

    def views():
        return session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "results.viewed")
        )

    before = views()
    page = client.get(f"/awards/manage/cycles/{cycle.id}/results")
    assert page.status_code == 200 and "Alfa" in page.text
    report = client.get(f"/awards/manage/cycles/{cycle.id}/results/report")
    assert report.status_code == 200 and "Hur poängen blev resultatet" in report.text
    assert 'style="' not in report.text
    csv_export = client.get(f"/awards/manage/cycles/{cycle.id}/results.csv")
    assert csv_export.status_code == 200 and "Alfa" in csv_export.text
    assert views() == before + 3

    # The public sees nothing before publishing.
    auth.logout()
    assert "Alfa" not in client.get("/awards/").text
    auth.login_as(organiser)
    finalists = {d.id: d for d in dossiers}
    response = client.post(
        f"/awards/manage/cycles/{cycle.id}/results/publish",
        data={
            "motivation": "Ett föredöme för hela länet.",
            f"named_{finalists[dossiers[1].id].id}": "y",
        },
    )
    assert response.status_code == 302
    session.refresh(cycle)
    assert cycle.results_published_at is not None
    auth.logout()
    public = client.get("/awards/").text
    assert "Alfa" in public and "Beta" in public and "Ett föredöme för hela länet." in public
    assert "Gamma" not in public  # a finalist who did not agree to be named
    assert "5,00" not in public and "5.00" not in public


def test_publishing_waits_for_the_gala_day(client, auth, session):
    cycle, _, _ = scored_jury(session, "deliberation")
    organiser = make_user(session, "organiser")
    gala = cycle.gala_event
    gala.starts_at, gala.ends_at = (
        gala.starts_at + timedelta(days=3),
        gala.ends_at + timedelta(days=3),
    )
    session.flush()
    result = results.compute_results(session, cycle, organiser)
    with pytest.raises(results.AwardError):
        results.publish_results(
            session, result, motivation="Bra", named_finalist_ids=[], actor=organiser
        )


def test_changed_scores_make_a_result_stale(session):
    cycle, dossiers, members = scored_jury(session, "deliberation")
    organiser = make_user(session, "organiser")
    result = results.compute_results(session, cycle, organiser)
    assert results.is_current(session, result)
    sheet = jury.sheets_of(session, members[1])[dossiers[2].id]
    sheet.scores[0].value = 5
    session.flush()
    assert not results.is_current(session, result)
    with pytest.raises(results.AwardError):
        results.publish_results(
            session, result, motivation="Bra", named_finalist_ids=[], actor=organiser
        )


def test_the_chair_sees_results_without_own_conflicts(client, auth, session):
    cycle, dossiers, members = scored_jury(session, "deliberation", jurors=4)
    chair = members[0]
    conflicted = dossiers[1]
    for declaration in jury.declarations_of(session, chair).values():
        if declaration.dossier_id == conflicted.id:
            declaration.answer = DeclarationAnswer.CONFLICT
            declaration.tie_type = "board"
    session.flush()
    results.compute_results(session, cycle, make_user(session, "organiser"))
    auth.login_as(chair.user)
    page = client.get(f"/awards/manage/cycles/{cycle.id}/results")
    assert page.status_code == 200
    assert "Alfa" in page.text and "Beta" not in page.text
    auth.logout()
    auth.login_as(members[1].user)
    assert client.get(f"/awards/manage/cycles/{cycle.id}/results").status_code == 403
    assert client.get(f"/awards/manage/cycles/{cycle.id}/results/report").status_code == 403


def test_a_tie_decision_is_recorded_and_used(client, auth, session):
    cycle = make_jury_cycle(session, "deliberation")
    a, b = (make_jury_dossier(session, cycle, name) for name in ("Alfa", "Beta"))
    for _ in range(3):
        member = appoint(session, cycle)
        for dossier in (a, b):
            declare(session, member, dossier)
            score(session, member, dossier, (4, 4))
    organiser = make_user(session, "organiser")
    auth.login_as(organiser)
    response = client.post(
        f"/awards/manage/cycles/{cycle.id}/results/tie",
        data={"above_id": str(b.id), "below_id": str(a.id), "reason": "Starkare lokal förankring"},
    )
    assert response.status_code == 302
    result = results.compute_results(session, cycle, organiser)
    outcome = results.recompute(result)
    assert [r.nomination_id for r in outcome.ranking] == [b.id, a.id]
    assert outcome.pairs[0].rule == "jury_decision"


def test_reserve_appointment_and_change_through_pages(client, auth, session):
    cycle = make_jury_cycle(session, "jury_preparation")
    candidate = make_user(session, "juror", name="Rut Reserv")
    auth.login_as(make_user(session, "organiser"))
    page = client.get(f"/awards/manage/cycles/{cycle.id}/jury").text
    assert "Rut Reserv" in page
    response = client.post(
        f"/awards/manage/cycles/{cycle.id}/jury/appoint",
        data={"user_id": str(candidate.id), "role": "reserve"},
    )
    assert response.status_code == 302
    (member,) = jury.members_of(session, cycle)
    assert member.role == JuryRole.RESERVE
    client.post(
        f"/awards/manage/jury/{member.id}/change",
        data={f"m{member.id}-role": "juror", f"m{member.id}-is_chair": "y"},
    )
    session.refresh(member)
    assert member.role == JuryRole.JUROR and member.is_chair


def test_an_organiser_on_the_jury_never_sees_their_own_conflict(client, auth, session):
    cycle, dossiers, members = scored_jury(session, "deliberation", jurors=3)
    organiser_juror = make_user(session, "organiser", roles=("juror",))
    member = appoint(session, cycle, organiser_juror)
    declare(session, member, dossiers[0], DeclarationAnswer.CONFLICT)
    declare(session, member, dossiers[1])
    declare(session, member, dossiers[2])
    results.compute_results(session, cycle, make_user(session, "organiser"))
    auth.login_as(organiser_juror)
    page = client.get(f"/awards/manage/cycles/{cycle.id}/results").text
    table = page[page.index("<table") : page.index("</table>")]
    assert "Alfa" not in table and "Beta" in table
    assert "Alfa" not in page  # nor in the publishing form's list of finalists
    assert "Alfa" not in client.get(f"/awards/manage/cycles/{cycle.id}/results.csv").text
