"""The calendar page (month and list) and the profile's calendar-link section in a real
browser: keyboard reachable, and axe-clean (WCAG 2.1 AA) on every page shown."""

from __future__ import annotations

import re

import pytest

from eventapp.i18n import STOCKHOLM
from tests.e2e.conftest import arrive, axe_check, visit

pytestmark = pytest.mark.e2e

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails under CI, with a clear message
    expect = None


def test_month_and_list_views_are_accessible(live_server, page):
    event = live_server.create_event(title="Frukostmöte i Falun", kind="breakfast")
    month = f"{event.starts_at.astimezone(STOCKHOLM):%Y-%m}"
    visit(page, live_server.url_for("feeds.calendar_page", month=month))
    grid = page.get_by_role("table")
    expect(grid.locator("caption")).to_contain_text(re.compile(r"\d{4}"))
    link = page.get_by_role("link", name=re.compile("Frukostmöte i Falun")).first
    link.focus()
    expect(link).to_be_focused()

    page.get_by_role("link", name="Listvy").click()
    arrive(page, r"/calendar/")
    expect(page.get_by_role("link", name="Frukostmöte i Falun").first).to_be_visible()

    page.get_by_label("Kommun").select_option("Mora")
    page.get_by_role("button", name="Visa").click()
    arrive(page, r"/calendar/")
    expect(page.get_by_text("Inga evenemang den här månaden")).to_be_visible()


def test_profile_calendar_link_section_is_accessible(live_server, page, login):
    user = live_server.create_user(email="asa@example.org", name="Åsa Öberg")
    login(page, user.email)
    visit(page, live_server.url_for("auth.profile"))
    expect(page.get_by_role("heading", name="Dina evenemang i din kalender")).to_be_visible()
    page.get_by_role("button", name="Skapa en kalenderlänk").click()
    arrive(page, r"/auth/profile")
    field = page.get_by_label("Din kalenderlänk")
    expect(field).to_have_value(re.compile(r"/calendar/private/[A-Za-z0-9_-]{43}\.ics$"))
    expect(page.get_by_role("link", name="Öppna i kalenderappen")).to_have_attribute(
        "href", re.compile(r"^webcal://")
    )
    # The webcal link is the same address as the https one, and the copy button copies it.
    https_url = field.input_value()
    webcal = page.get_by_role("link", name="Öppna i kalenderappen").get_attribute("href")
    assert webcal == "webcal://" + https_url.split("://", 1)[1]
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Kopiera länken").click()
    expect(page.locator("#personal-feed-status")).to_have_text("Kopierat.")
    assert page.evaluate("navigator.clipboard.readText()") == https_url
    # Short instructions for the three big calendar apps.
    instructions = page.locator(".feed-instructions")
    for app_name in ("Google", "Outlook", "Apple"):
        expect(instructions).to_contain_text(app_name)
    page.reload()
    axe_check(page)
    expect(page.get_by_text("Den visas inte igen")).to_be_visible()
