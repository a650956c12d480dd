"""The foundation in a real browser: accounts, events, language, keyboard and small screens."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from eventapp.database import utcnow
from tests.e2e.conftest import arrive, axe_check, visit
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.e2e

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails under CI, with a clear message
    expect = None


def test_register_confirm_sign_in_see_events_and_sign_out(live_server, page):
    live_server.create_event(title="Entreprenörslabb i Falun", kind="lab", municipality="Falun")
    live_server.create_event(title="Företagarfrukost i Mora", kind="breakfast", municipality="Mora")
    live_server.create_event(
        title="Förra veckans råd",
        kind="board",
        starts_at=(utcnow() - timedelta(days=7)).replace(microsecond=0),
    )
    email = "asa.oberg@example.org"

    visit(page, live_server.url + "/")
    page.get_by_role("navigation").get_by_role("link", name="Skapa konto").click()
    arrive(page, "/auth/register")
    page.get_by_label("Ditt namn").fill("Åsa Öberg-Ängström")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_label("Upprepa lösenordet").fill(DEFAULT_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Skapa konto").click()
    arrive(page, "/auth/check-mail")
    expect(page.get_by_role("heading", level=1)).to_have_text("Titta i din e-post")

    mail = live_server.smtp.wait_for(email)
    assert mail["Subject"] == "Bekräfta din e-postadress"
    body = mail.get_body(("plain",)).get_content()
    assert "Hej Åsa Öberg-Ängström!" in body
    link = re.search(re.escape(live_server.url) + r"/auth/confirm/\S+", body)
    assert link, body

    visit(page, link.group(0))
    assert "/auth/login" in page.url
    expect(page.get_by_role("status")).to_contain_text("Din e-postadress är bekräftad.")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(DEFAULT_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Logga in").click()
    arrive(page, "/")
    expect(page.get_by_role("status")).to_contain_text("Du är inloggad.")
    expect(page.get_by_role("link", name="Entreprenörslabb i Falun")).to_be_visible()
    expect(page.get_by_role("link", name="Företagarfrukost i Mora")).to_be_visible()
    expect(page.get_by_role("link", name="Förra veckans råd")).to_have_count(0)

    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("status")).to_contain_text("Du är utloggad.")
    axe_check(page)
    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("link", name="Logga in")).to_be_visible()
    expect(nav.get_by_role("button", name="Logga ut")).to_have_count(0)


def test_organiser_creates_an_event_after_a_validation_error(live_server, page, login):
    organiser = live_server.create_user("organiser", name="Olle Organisatör")
    day = (date.today() + timedelta(days=10)).isoformat()
    login(page, organiser.email)

    page.get_by_role("link", name="Nytt evenemang").click()
    arrive(page, "/calendar/events/new")
    expect(
        page.locator(".field").filter(has=page.get_by_label("Rubrik", exact=True))
    ).to_contain_text("(obligatoriskt)")
    page.get_by_label("Typ av evenemang").select_option("breakfast")
    page.get_by_label("Rubrik", exact=True).fill("Företagarfrukost på Kupolen")
    page.get_by_label("Beskrivning").fill("Frukost och samtal om sociala företag.")
    page.get_by_label("Plats", exact=True).fill("Kupolen, konferensrum 2")
    page.get_by_label("Kommun", exact=True).select_option("Borlänge")
    page.get_by_label("Startdatum").fill(day)
    page.get_by_label("Starttid").fill("08:00")
    page.get_by_label("Slutdatum").fill(day)
    page.get_by_label("Sluttid").fill("07:30")
    page.get_by_role("button", name="Spara evenemanget").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Evenemanget måste sluta efter att det har börjat.")
    axe_check(page)
    expect(summary).to_be_focused()
    expect(page.get_by_label("Rubrik", exact=True)).to_have_value("Företagarfrukost på Kupolen")
    expect(page.get_by_label("Plats", exact=True)).to_have_value("Kupolen, konferensrum 2")
    expect(page.get_by_label("Kommun", exact=True)).to_have_value("Borlänge")
    expect(page.get_by_label("Startdatum")).to_have_value(day)
    end_time = page.get_by_label("Sluttid")
    expect(end_time).to_have_attribute("aria-invalid", "true")
    expect(end_time).to_have_accessible_description(re.compile("måste sluta efter"))

    summary.get_by_role("link").click()
    expect(end_time).to_be_focused()
    end_time.fill("10:00")
    page.get_by_role("button", name="Spara evenemanget").click()
    arrive(page, r"/calendar/events/[0-9a-f-]{36}")
    expect(page.get_by_role("status")).to_contain_text("Evenemanget är skapat.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Företagarfrukost på Kupolen")
    expect(page.get_by_text("08:00–10:00")).to_be_visible()
    expect(page.get_by_role("link", name="Ändra evenemang")).to_be_visible()

    page.get_by_role("navigation").get_by_role("link", name="Evenemang", exact=True).click()
    arrive(page, "/")
    card = page.get_by_role("listitem").filter(has_text="Företagarfrukost på Kupolen")
    expect(card).to_contain_text("Företagarfrukost")
    expect(card).to_contain_text("Borlänge")


def test_swedish_by_default_and_english_on_request(live_server, new_page):
    page = new_page(locale="de-DE")  # neither Swedish nor English in Accept-Language
    visit(page, live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kommande evenemang")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upcoming events")
    axe_check(page)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # The choice is remembered on the next page.
    page.get_by_role("navigation").get_by_role("link", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    axe_check(page)

    page.get_by_role("button", name="Svenska").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
    axe_check(page)
    expect(page.locator("html")).to_have_attribute("lang", "sv")


def test_browser_asking_for_english_gets_english(live_server, new_page):
    page = new_page(locale="en-GB")
    visit(page, live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Upcoming events")


def test_sign_in_with_the_keyboard_only(live_server, page):
    user = live_server.create_user()
    visit(page, live_server.url_for("auth.login"))

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Gå direkt till innehållet")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("E-postadress")).to_be_focused()
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Lösenord")).to_be_focused()
    page.keyboard.type(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    arrive(page, "/")
    expect(page.get_by_role("status")).to_contain_text("Du är inloggad.")


@pytest.mark.parametrize("width", [320, 1280])
def test_shared_layout_reflows_without_sideways_scrolling(live_server, new_page, login, width):
    organiser = live_server.create_user("organiser")
    event = live_server.create_event(
        title="Entreprenörslabb: affärsmodeller för arbetsintegrerande sociala företag",
        place="Dalarnas museum, hörsalen",
        municipality="Malung-Sälen",
        capacity=40,
    )
    page = new_page(width=width, height=800)
    login(page, organiser.email)
    for url in (
        live_server.url + "/",
        live_server.url_for("calendar.event_detail", uid=event.uid),
        live_server.url_for("calendar.event_new"),
    ):
        visit(page, url)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"{url} is {overflow} px wide in a {width} px window"


def test_axe_check_fails_on_a_serious_violation(live_server, page):
    """The harness itself: an image without alternative text must not pass."""
    visit(page, live_server.url + "/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', "
        "'<img src=\"/static/img/favicon.svg\">')"
    )
    with pytest.raises(pytest.fail.Exception, match="image-alt"):
        axe_check(page)


def test_wtforms_own_messages_are_in_swedish(live_server, page, login):
    organiser = live_server.create_user("organiser")
    login(page, organiser.email)
    visit(page, live_server.url_for("calendar.event_new"))
    # A value no option offers, as a tampered or stale form would send.
    page.locator("#kind option").first.evaluate("option => { option.value = 'bogus'; }")
    page.get_by_label("Typ av evenemang").select_option("bogus")
    page.get_by_role("button", name="Spara evenemanget").click()
    expect(page.get_by_role("alert")).to_contain_text("Typ av evenemang: Inte ett giltigt val")
    axe_check(page)
