"""Labs in a real browser: an entrepreneur signs up from a session page, sees the
confirmation (and the invite by e-mail) and cancels from "Mina anmälningar"; an organiser
marks attendance on a phone-sized screen. Every page is axe-checked."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eventapp.calendar import services as calendar_services
from eventapp.database import utcnow
from eventapp.extensions import db
from tests.e2e.conftest import arrive, visit
from tests.factories import make_user
from tests.labs.helpers import make_lab_session, make_series

pytestmark = pytest.mark.e2e

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails under CI, with a clear message
    expect = None


def _lab(live_server):
    """A series with a session starting soon (today), one seat taken by someone else."""
    with live_server.app.app_context():
        organiser = make_user(db.session, "organiser", email="olle@example.org")
        series = make_series(db.session, organiser, title="Designtänkande")
        lab_session = make_lab_session(
            db.session,
            series,
            title="Designtänkande: prototyper",
            capacity=5,
            organiser=organiser,
            starts_at=(utcnow() + timedelta(minutes=20)).replace(microsecond=0),
        )
        other = make_user(db.session, name="Bertil Berg", email="bertil@example.org")
        calendar_services.sign_up(db.session, lab_session.event, other)
        db.session.commit()
        return series.id, lab_session.event.uid


def test_entrepreneur_signs_up_and_cancels_organiser_marks_attendance(
    live_server, page, new_page, login
):
    series_id, uid = _lab(live_server)
    person = live_server.create_user(name="Åsa Öberg", email="asa@example.org")

    login(page, person.email)
    visit(page, live_server.url_for("labs.index"))
    page.get_by_role("link", name="Designtänkande", exact=True).click()
    arrive(page, rf"/labs/series/{series_id}")
    page.get_by_role("link", name="Designtänkande: prototyper").click()
    arrive(page, rf"/labs/sessions/{uid}")
    expect(page.get_by_text("4 av 5 kvar")).to_be_visible()
    page.get_by_role("button", name="Anmäl dig").click()
    arrive(page, rf"/labs/sessions/{uid}")
    expect(page.get_by_role("status").first).to_contain_text("Du har fått en plats")
    expect(page.locator("#signup-state")).to_have_text("Du har en bekräftad plats.")

    mail = live_server.smtp.wait_for("asa@example.org")
    parts = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    assert parts and parts[0].get_param("method") == "REQUEST"

    page.get_by_role("navigation").get_by_role("link", name="Mina anmälningar").click()
    arrive(page, "/calendar/my-signups")
    expect(page.get_by_role("link", name="Designtänkande: prototyper")).to_be_visible()
    page.get_by_role("button", name="Avboka min plats").click()
    arrive(page, "/calendar/my-signups")
    expect(page.get_by_role("status").first).to_contain_text("Din anmälan är avbokad.")
    expect(page.locator(".signup-status")).to_have_text("Avbokad")
    expect(page.get_by_role("button", name="Avboka min plats")).to_have_count(0)
    cancel_mail = live_server.smtp.wait_for("asa@example.org", count=2)
    parts = [p for p in cancel_mail.walk() if p.get_content_type() == "text/calendar"]
    assert parts and parts[0].get_param("method") == "CANCEL"

    phone = new_page(width=375, height=740)
    login(phone, "olle@example.org")
    visit(phone, live_server.url_for("calendar.attendance", uid=uid))
    phone.get_by_label("Sök på namn").fill("bertil")
    phone.get_by_role("button", name="Sök", exact=True).click()
    arrive(phone, rf"/calendar/events/{uid}/attendance")
    button = phone.get_by_role("button", name="Närvarande (Bertil Berg)")
    box = button.bounding_box()
    assert box and box["height"] >= 44 and box["width"] >= 44
    button.click()
    arrive(phone, rf"/calendar/events/{uid}/attendance")
    expect(phone.get_by_role("button", name="Närvarande (Bertil Berg)")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(phone.get_by_role("status").first).to_contain_text("Närvaro sparad för Bertil Berg")
