"""The privacy notice and the accessibility statement say what the law asks, from config."""

from __future__ import annotations

from eventapp.i18n import LANGUAGE_COOKIE


def test_the_notice_states_the_configured_retention_and_contacts(app, client):
    app.config["RETENTION_SENT_MAIL_DAYS"] = 45
    app.config["PRIVACY_DPO_EMAIL"] = "dso@example.org"
    page = client.get("/integritet").get_data(as_text=True)
    assert "45 dagar" in page
    assert "dso@example.org" in page
    assert "Region Dalarna" in page
    assert "6.1 e" in page and "6.1 a" in page
    assert "Integritetsskyddsmyndigheten" in page and "https://www.imy.se/" in page
    for right in (
        "Tillgång",
        "Rättelse",
        "Radering",
        "Begränsning",
        "Invändning",
        "Dataportabilitet",
    ):
        assert right in page, right


def test_the_notice_in_english(client):
    client.set_cookie(LANGUAGE_COOKIE, "en")
    page = client.get("/integritet").get_data(as_text=True)
    assert "How we handle your personal data" in page
    assert "public interest" in page


def test_the_accessibility_statement(app, client):
    app.config["ACCESSIBILITY_STATEMENT_DATE"] = "2026-10-01"
    page = client.get("/tillganglighet").get_data(as_text=True)
    assert "WCAG 2.1" in page and "DIGG" in page
    assert "Kända brister" in page and "Rapportera ett problem" in page
    assert "2026" in page and "oktober" in page
    assert 'href="mailto:' in page


def test_the_footer_links_the_notice_and_the_statement(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/integritet"' in page and 'href="/tillganglighet"' in page
