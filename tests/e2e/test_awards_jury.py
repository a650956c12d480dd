"""The jury in a real browser: a juror declares, scores and submits; an organiser closes
scoring, reviews the flags and the jury report, and publishes at the gala. Axe on every page.
"""

from __future__ import annotations

import pytest

from eventapp.awards.models import AwardCycle, DeclarationAnswer, TieType
from eventapp.extensions import db
from tests.awards.jury_helpers import appoint, declare, make_jury_cycle, make_jury_dossier, score
from tests.e2e.conftest import arrive, axe_check, visit
from tests.factories import make_user

pytestmark = pytest.mark.e2e

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails under CI, with a clear message
    expect = None


def _setting(live_server):
    with live_server.app.app_context():
        session = db.session
        cycle = make_jury_cycle(
            session,
            "scoring",
            criteria=(("Samhällsnytta", 3), ("Affärsmodell", 2)),
            gala_today=True,
        )
        alfa = make_jury_dossier(session, cycle, "Alfa Kooperativ")
        beta = make_jury_dossier(session, cycle, "Beta Återbruk", municipality="Mora")
        gamma = make_jury_dossier(session, cycle, "Gamma Snickeri", municipality="Säter")
        juror = appoint(session, cycle, make_user(session, "juror", name="Jonna Jurymedlem"))
        declare(session, juror, gamma)
        score(session, juror, gamma, (2, 2))
        for values in ((5, 4), (4, 5), (5, 5)):
            other = appoint(session, cycle)
            for dossier, offset in ((alfa, 0), (beta, -1), (gamma, -2)):
                declare(session, other, dossier)
                score(session, other, dossier, tuple(max(1, v + offset) for v in values))
        db.session.commit()
        return cycle.id, alfa.id, beta.id, juror.user.email


def test_juror_scores_and_organiser_publishes(live_server, page, new_page, login):
    cycle_id, alfa_id, beta_id, juror_email = _setting(live_server)
    organiser = live_server.create_user("organiser", name="Olle Organisatör")

    # The juror declares no conflict on Alfa and scores it.
    login(page, juror_email)
    visit(page, live_server.url_for("awards.jury_home"))
    page.get_by_role("main").get_by_role("link", name="Årets sociala företag").click()
    arrive(page, rf"/awards/jury/{cycle_id}")
    page.get_by_role("row", name="Alfa Kooperativ").get_by_role("link", name="Deklarera").click()
    arrive(page, rf"/awards/jury/{cycle_id}/nominations/{alfa_id}/declare")
    page.get_by_label("Inget jäv", exact=True).check()
    page.get_by_role("button", name="Spara jävsdeklarationen").click()
    arrive(page, rf"/awards/jury/{cycle_id}")
    expect(page.get_by_role("status")).to_contain_text("Din jävsdeklaration är sparad")
    page.get_by_role("link", name="Alfa Kooperativ", exact=True).click()
    arrive(page, rf"/awards/jury/{cycle_id}/nominations/{alfa_id}")
    expect(page.get_by_role("main")).to_contain_text("Alfa Kooperativ does well on Samhällsnytta")
    # Submitting with a criterion missing is refused with a message.
    page.get_by_role("group", name="Samhällsnytta").get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Skicka in poängen").click()
    expect(page.get_by_role("status")).to_contain_text("Poängsätt varje kriterium")
    axe_check(page)
    page.get_by_role("group", name="Samhällsnytta").get_by_label("5", exact=True).check()
    page.get_by_role("group", name="Affärsmodell").get_by_label("4", exact=True).check()
    page.get_by_label("Kommentar om Samhällsnytta").fill("Tydlig nytta i hela Falun.")
    page.get_by_role("button", name="Skicka in poängen").click()
    expect(page.get_by_role("status")).to_contain_text("Dina poäng är inskickade")
    axe_check(page)

    # A conflict on Beta: declared, and the dossier is a 404 by direct URL.
    visit(page, live_server.url_for("awards.jury_declare", cycle_id=cycle_id, dossier_id=beta_id))
    page.get_by_label("Jäv", exact=True).check()
    page.get_by_label("Om du är jävig: hur du är knuten").select_option("board")
    page.get_by_role("button", name="Spara jävsdeklarationen").click()
    arrive(page, rf"/awards/jury/{cycle_id}")
    expect(page.get_by_role("table")).not_to_contain_text("Beta Återbruk")
    expect(page.get_by_role("main")).to_contain_text("Nomineringar som du inte deltar i")
    visit(
        page,
        live_server.url_for("awards.jury_dossier", cycle_id=cycle_id, dossier_id=beta_id),
        status=404,
    )

    # The organiser sees counts only, closes scoring, computes and reviews the flags.
    staff = new_page()
    login(staff, organiser.email)
    visit(staff, live_server.url_for("awards.jury_manage", cycle_id=cycle_id))
    expect(staff.get_by_role("row", name="Jonna Jurymedlem")).to_contain_text("2 / 2")
    expect(staff.get_by_role("main")).not_to_contain_text("Tydlig nytta")
    staff.get_by_role("button", name="Stäng poängsättningen nu").click()
    arrive(staff, rf"/awards/manage/cycles/{cycle_id}/jury")
    expect(staff.get_by_role("status")).to_contain_text("Poängsättningen är stängd")
    staff.get_by_role("link", name="Förseglat resultat").click()
    arrive(staff, rf"/awards/manage/cycles/{cycle_id}/results")
    staff.get_by_role("button", name="Beräkna resultatet nu").click()
    arrive(staff, rf"/awards/manage/cycles/{cycle_id}/results")
    expect(staff.get_by_role("heading", name="Flaggor")).to_be_visible()
    ranking = staff.get_by_role("table")
    expect(ranking.get_by_role("row").nth(1)).to_contain_text("Alfa Kooperativ")
    staff.get_by_role("link", name="Juryprotokoll (utskriftsvänligt)").click()
    arrive(staff, rf"/awards/manage/cycles/{cycle_id}/results/report")
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Juryprotokoll")
    expect(staff.get_by_role("main")).to_contain_text("Hur poängen blev resultatet")
    staff.go_back()
    arrive(staff, rf"/awards/manage/cycles/{cycle_id}/results")

    # The juror's scores are now locked.
    visit(page, live_server.url_for("awards.jury_dossier", cycle_id=cycle_id, dossier_id=alfa_id))
    expect(page.get_by_role("main")).to_contain_text("dina poäng är låsta")

    # Publish at the gala: the public page shows the winner and the named finalist only.
    staff.get_by_label("Juryns motivering").fill("Ett föredöme för hela Dalarna.")
    staff.get_by_label("Gamma Snickeri har godkänt att nämnas som finalist").check()
    staff.get_by_role("button", name="Publicera resultatet").click()
    arrive(staff, r"/awards/")
    expect(staff.get_by_role("status")).to_contain_text("Resultatet är publicerat")
    public = new_page()
    visit(public, live_server.url + "/awards/")
    winner = public.get_by_role("region", name="Vinnaren")
    expect(winner).to_contain_text("Alfa Kooperativ")
    expect(winner).to_contain_text("Ett föredöme för hela Dalarna.")
    expect(winner).to_contain_text("Gamma Snickeri")
    expect(winner).not_to_contain_text("Beta Återbruk")

    with live_server.app.app_context():
        assert db.session.get(AwardCycle, cycle_id).results_published_at is not None
        assert DeclarationAnswer.CONFLICT.value == "conflict"


def test_other_jury_pages_are_accessible(live_server, page, new_page, login):
    """Axe on the pages the main flow does not pass: conflict review, abstain, reopen."""
    with live_server.app.app_context():
        session = db.session
        cycle = make_jury_cycle(session, "scoring")
        closed = make_jury_cycle(session, "deliberation")
        alfa = make_jury_dossier(session, cycle, "Alfa Kooperativ", org_number="556036-0793")
        juror = appoint(session, cycle, make_user(session, "juror", name="Jonna Jurymedlem"))
        declare(session, juror, alfa, DeclarationAnswer.UNSURE)
        from eventapp.awards import jury

        jury.add_tie(
            session,
            juror,
            organisation_name="Alfa AB",
            org_number="5560360793",
            tie_type=TieType.BOARD,
        )
        make_jury_dossier(session, closed, "Beta")
        locked = appoint(session, closed)
        db.session.commit()
        review_id = jury.pending_reviews(session, cycle)[0].id
        ids = (cycle.id, alfa.id, locked.id, juror.user.email)
    cycle_id, alfa_id, locked_id, juror_email = ids
    admin = live_server.create_user("admin")

    login(page, admin.email)
    visit(page, live_server.url_for("awards.jury_manage", cycle_id=cycle_id))
    visit(page, live_server.url_for("awards.conflict_review", review_id=review_id))
    page.get_by_label("Inget jäv: jurymedlemmen får poängsätta den").check()
    page.get_by_role("button", name="Spara beslutet").click()
    arrive(page, rf"/awards/manage/cycles/{cycle_id}/jury")
    expect(page.get_by_role("status")).to_contain_text("Beslutet är sparat")
    visit(page, live_server.url_for("awards.jury_member_reopen", member_id=locked_id))
    page.get_by_role("button", name="Öppna igen").click()
    expect(page.get_by_role("alert")).to_be_visible()  # a reason is required
    axe_check(page)

    juror_page = new_page()
    login(juror_page, juror_email)
    visit(juror_page, live_server.url_for("awards.jury_cycle", cycle_id=cycle_id))
    visit(
        juror_page,
        live_server.url_for("awards.jury_abstain", cycle_id=cycle_id, dossier_id=alfa_id),
    )
    juror_page.get_by_label("Varför du avstår").fill("Jag känner grundaren väl.")
    juror_page.get_by_role("button", name="Avstå").click()
    arrive(juror_page, rf"/awards/jury/{cycle_id}")
    expect(juror_page.get_by_role("status")).to_contain_text("Du avstår")
