"""The goals dashboard in a real browser: an organiser opens it from the menu, reads the
charts and their tables, chooses a period (first a wrong one), at desktop width and at
320 px. Every page is axe-checked."""

from __future__ import annotations

import pytest

from eventapp.calendar.models import Attendance, EventKind
from eventapp.extensions import db
from tests.e2e.conftest import arrive, axe_check, visit
from tests.factories import make_user
from tests.goals.helpers import held, local, person, publish_award, sign, social_org

pytestmark = pytest.mark.e2e

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails under CI, with a clear message
    expect = None


def _history(live_server) -> str:
    """Two years of labs, a breakfast, new organisations and a published award."""
    with live_server.app.app_context():
        organiser = make_user(db.session, "organiser", email="olle@example.org")
        founder = person(db.session, uf_founder=True)
        for year, month in ((2024, 3), (2025, 2), (2025, 9)):
            lab = held(db.session, starts_at=local(year, month, 10), title=f"Labb {year}-{month}")
            sign(db.session, lab, founder, Attendance.PRESENT)
            sign(db.session, lab, person(db.session), Attendance.PRESENT)
        breakfast = held(db.session, EventKind.BREAKFAST, starts_at=local(2025, 4, 2, 7))
        sign(db.session, breakfast, founder, Attendance.PRESENT)
        for day in range(1, 5):
            social_org(db.session, local(2025, 5, day), name=f"Kooperativ {day}")
        publish_award(db.session, 2024, "Vinnarna ek. för.")
        db.session.commit()
        return organiser.email


def test_organiser_reads_the_goals_and_chooses_a_period(live_server, page, new_page, login):
    email = _history(live_server)
    login(page, email)
    page.get_by_role("link", name="Mål", exact=True).click()
    arrive(page, r"/goals/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Regionens mål")
    expect(page.get_by_role("img", name="Genomförda labb per år").first).to_be_visible()

    page.get_by_label("Från år").fill("2026")
    page.get_by_label("Till år").fill("2024")
    page.get_by_role("button", name="Visa perioden").click()
    expect(page.locator(".error-summary")).to_contain_text("Det sista året kan inte vara före")
    axe_check(page)
    expect(page.get_by_label("Från år")).to_have_value("2026")

    page.get_by_label("Från år").fill("2024")
    page.get_by_label("Till år").fill("2025")
    page.get_by_role("button", name="Visa perioden").click()
    arrive(page, r"/goals/")
    expect(page.get_by_text("Visar åren 2024–2025")).to_be_visible()
    section = page.locator("section:has(#goal-organisations)")
    expect(section.get_by_text("Målet nått").first).to_be_visible()
    page.get_by_text("Genomförda labb under perioden (3 rader)").click()
    expect(page.get_by_role("cell", name="Labb 2025-2")).to_be_visible()

    narrow = new_page(width=320, height=800)
    login(narrow, email)
    visit(narrow, live_server.url_for("goals.index", from_year=2024, to_year=2025))
    # Reflow: at 320 px nothing needs scrolling sideways.
    overflow = narrow.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    assert overflow is False
