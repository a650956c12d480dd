"""The award in a real browser: nominate anonymously, confirm, the nominee accepts, screening."""

from __future__ import annotations

import re

import pytest

from eventapp.awards.models import AwardCycle, Dossier, EligibilityStatus
from eventapp.extensions import db
from tests.awards.helpers import make_cycle
from tests.e2e.conftest import arrive, axe_check, visit

pytestmark = pytest.mark.e2e

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails under CI, with a clear message
    expect = None


def _link(live_server, mail, path: str) -> str:
    body = mail.get_body(("plain",)).get_content()
    match = re.search(re.escape(live_server.url) + re.escape(path) + r"\S+", body)
    assert match, body
    return match.group(0)


def test_nominate_confirm_accept_and_screen(live_server, page, new_page, login):
    with live_server.app.app_context():
        cycle = make_cycle(
            db.session,
            criteria=(("Samhällsnytta", 3), ("Affärsmodell", 2)),
            items=("Verksamt i Dalarna",),
        )
        db.session.commit()
        cycle_id = cycle.id
    organiser = live_server.create_user("organiser", name="Olle Organisatör")

    # An anonymous visitor nominates; the first try misses a field.
    visit(page, live_server.url + "/awards/")
    page.get_by_label("Företagets namn").fill("Kooperativet Hantverket")
    page.get_by_label("Kommun", exact=True).select_option("Falun")
    page.get_by_label("Kontaktperson på företaget").fill("Karin Kontakt")
    page.get_by_label("Kontaktpersonens e-postadress").fill("karin@hantverket.example.org")
    page.get_by_label("Samhällsnytta").fill("De ger jobb åt människor som står långt ifrån arbete.")
    page.get_by_label("Affärsmodell").fill("Överskottet går tillbaka till verksamheten.")
    page.get_by_label("Ditt namn").fill("Nils Nilsson")
    page.get_by_label("Din e-postadress").fill("nils@example.org")
    page.get_by_label("Din relation till företaget").select_option("customer")
    page.get_by_role("button", name="Skicka nomineringen").click()
    expect(page.get_by_role("alert")).to_contain_text("Bekräfta detta innan du skickar.")
    axe_check(page)
    page.get_by_label("Jag har inte skrivit känsliga personuppgifter", exact=False).check()
    page.get_by_role("button", name="Skicka nomineringen").click()
    arrive(page, "/awards/thanks")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tack för din nominering")

    # The nominator confirms the address through the mailed link.
    mail = live_server.smtp.wait_for("nils@example.org")
    visit(page, _link(live_server, mail, "/awards/nominations/"))
    expect(page.get_by_role("status")).to_contain_text("Din e-postadress är bekräftad")
    expect(page.get_by_role("table")).to_contain_text("Mottagen och under granskning")

    # The nominee is informed and accepts.
    consent_mail = live_server.smtp.wait_for("karin@hantverket.example.org")
    assert "nominerat" in consent_mail["Subject"]
    nominee = new_page()
    visit(nominee, _link(live_server, consent_mail, "/awards/consent/"))
    expect(nominee.get_by_role("heading", name="Vilka uppgifter vi sparar")).to_be_visible()
    nominee.get_by_label("Ja, vi tackar ja till nomineringen").check()
    nominee.get_by_role("button", name="Skicka svar").click()
    expect(nominee.get_by_role("status")).to_contain_text("Ni har tackat ja")
    axe_check(nominee)

    # An organiser screens the dossier.
    login(page, organiser.email)
    visit(page, live_server.url_for("awards.cycle_detail", cycle_id=cycle_id))
    page.get_by_role("link", name="Kooperativet Hantverket").click()
    arrive(page, r"/awards/manage/dossiers/\d+")
    expect(page.get_by_role("main")).to_contain_text("De ger jobb åt människor")
    page.get_by_role("link", name="Granska nomineringen").click()
    arrive(page, r"/awards/manage/dossiers/\d+/screen")
    page.get_by_role("group", name="Verksamt i Dalarna").get_by_label(
        "Uppfyllt", exact=True
    ).check()
    page.get_by_role("button", name="Spara granskningen").click()
    arrive(page, r"/awards/manage/dossiers/\d+$")
    expect(page.get_by_role("status")).to_contain_text("Granskningen har sparats.")

    with live_server.app.app_context():
        dossier = db.session.scalar(db.select(Dossier).where(Dossier.cycle_id == cycle_id))
        assert dossier.eligibility_status == EligibilityStatus.ELIGIBLE
        assert dossier.goes_to_jury
        assert db.session.get(AwardCycle, cycle_id) is not None
