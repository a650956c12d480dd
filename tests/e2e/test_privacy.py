"""Privacy in a real browser: my data and its download, consents, the directory, the notice,
the accessibility statement, and deleting the account; every page axe-checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.conftest import arrive, axe_check, visit
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.e2e

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails under CI, with a clear message
    expect = None


def test_my_data_consents_directory_and_deletion(live_server, page, login):
    organisation = live_server.create_organisation(name="Kooperativet Ängen", municipality="Mora")
    user = live_server.create_user(
        email="asa@example.org", name="Åsa Öberg", organisation_id=organisation.id
    )
    login(page, user.email)

    visit(page, live_server.url_for("privacy.my_data"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina uppgifter")
    expect(page.get_by_role("heading", name="Profil")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner som JSON").click()
    data = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert data["sections"]["profile"]["rows"][0]["email"] == "asa@example.org"

    page.get_by_role("main").get_by_role("link", name="Dina samtycken").click()
    arrive(page, "/integritet/samtycken")
    invitations = page.get_by_role("region", name="Skicka inbjudningar till kommande evenemang")
    invitations.get_by_role("button", name="Lämna samtycke").click()
    arrive(page, "/integritet/samtycken")
    expect(page.get_by_role("status")).to_contain_text("Samtycke lämnat")
    expect(invitations.get_by_role("button", name="Återkalla samtycke")).to_be_visible()

    visit(page, live_server.url_for("directory.mine"))
    page.get_by_label("Din organisations sociala uppdrag").fill("Arbetsträning i Mora.")
    page.get_by_label("Ja, visa min organisation i den öppna förteckningen").check()
    page.get_by_role("button", name="Spara och visa").click()
    arrive(page, "/organisations/mine")
    expect(page.get_by_role("status")).to_contain_text("finns nu i förteckningen")
    visit(page, live_server.url_for("directory.index", municipality="Mora"))
    expect(page.get_by_role("heading", name="Kooperativet Ängen")).to_be_visible()

    page.get_by_role("contentinfo").get_by_role("link", name="Integritetspolicy").click()
    arrive(page, "/integritet")
    expect(page.get_by_role("heading", level=1)).to_have_text("Så hanterar vi dina personuppgifter")
    expect(page.get_by_role("table")).to_contain_text("1095 dagar")
    page.get_by_role("contentinfo").get_by_role("link", name="Tillgänglighetsredogörelse").click()
    arrive(page, "/tillganglighet")
    expect(page.get_by_role("main")).to_contain_text("DIGG")

    visit(page, live_server.url_for("privacy.delete_own_account"))
    page.get_by_label("Ditt lösenord").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Radera mitt konto").click()
    expect(page.get_by_role("alert")).to_contain_text("Kryssa i rutan")
    axe_check(page)
    page.get_by_label("Ditt lösenord").fill(DEFAULT_PASSWORD)
    page.get_by_label("Jag förstår att mitt konto").check()
    page.get_by_role("button", name="Radera mitt konto").click()
    arrive(page, "/")
    expect(page.get_by_role("status")).to_contain_text(
        "Ditt konto och dina personuppgifter är raderade"
    )
    expect(page.get_by_role("navigation").get_by_role("link", name="Logga in")).to_be_visible()
    # The organisation's listing is the organisation's: it stays.
    visit(page, live_server.url_for("directory.index"))
    expect(page.get_by_role("heading", name="Kooperativet Ängen")).to_be_visible()


def test_my_data_reflows_at_320_pixels(live_server, new_page, login):
    user = live_server.create_user(email="smal@example.org")
    page = new_page(width=320, height=640)
    login(page, user.email)
    visit(page, live_server.url_for("privacy.my_data"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, width


def test_organiser_marks_a_social_enterprise_and_admin_deletes_an_account(live_server, page, login):
    live_server.create_organisation(name="Oklart AB", org_type="limited_company")
    person = live_server.create_user(email="person@example.org", name="Per Person")
    admin = live_server.create_user(email="admin@example.org", roles=("organiser", "admin"))
    login(page, admin.email)

    visit(page, live_server.url_for("directory.manage"))
    row = page.get_by_role("row", name="Oklart AB")
    row.get_by_role("button", name="Markera som socialt företag").click()
    arrive(page, "/organisations/manage")
    expect(page.get_by_role("status")).to_contain_text("Oklart AB är markerad som socialt företag")
    expect(page.get_by_role("row", name="Oklart AB")).to_contain_text("markerad")

    visit(page, live_server.url_for("privacy.delete_account_as_admin", user_id=person.id))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Per Person")
    page.get_by_label("Jag har kontrollerat").check()
    page.get_by_role("button", name="Radera kontot").click()
    arrive(page, "/admin/accounts")
    expect(page.get_by_role("status")).to_contain_text("Kontot är raderat")
