"""Check-in at the door on a phone: search, one tap "present", a walk-in from the search
and a new guest, each page axe-checked at 375 x 740."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from eventapp.calendar import services as calendar
from eventapp.database import utcnow
from eventapp.extensions import db
from tests.breakfasts.helpers import make_series
from tests.e2e.conftest import arrive, axe_check, visit
from tests.factories import make_user

pytestmark = pytest.mark.e2e


def test_check_in_at_the_door_on_a_phone(live_server, new_page, login):
    with live_server.app.app_context():
        organiser = make_user(db.session, "organiser", email="dorr@example.org")
        series = make_series(db.session, organiser)
        event = series.occurrences[0].event
        event.starts_at = (utcnow() + timedelta(minutes=20)).replace(microsecond=0)
        event.ends_at = event.starts_at + timedelta(hours=1)
        participant = make_user(db.session, name="Åsa Öberg")
        calendar.sign_up(db.session, event, participant)
        make_user(db.session, name="Bertil Utan Anmälan")
        uid, email = event.uid, organiser.email
        db.session.commit()

    page = new_page(width=375, height=740)
    login(page, email)
    visit(page, live_server.url_for("breakfasts.checkin", uid=uid))
    expect(page.get_by_role("heading", level=1)).to_have_text("Incheckning")

    page.get_by_label("Sök på namn").fill("åsa")
    page.get_by_role("button", name="Sök").click()
    arrive(page, r"/breakfasts/occurrences/.+/checkin")
    page.get_by_role("button", name="Närvarande (Åsa Öberg)").click()
    arrive(page, r"/breakfasts/occurrences/.+/checkin")
    expect(page.get_by_role("status")).to_contain_text("Åsa Öberg är incheckad")

    page.get_by_label("Sök på namn").fill("bertil")
    page.get_by_role("button", name="Sök").click()
    arrive(page, r"/breakfasts/occurrences/.+/checkin")
    page.get_by_role("button", name="Checka in (Bertil Utan Anmälan)").click()
    arrive(page, r"/breakfasts/occurrences/.+/checkin")
    expect(page.get_by_role("status")).to_contain_text("Bertil Utan Anmälan är incheckad")

    page.get_by_label("Namn", exact=True).fill("Gunnel Gäst")
    page.get_by_label("Eller en ny organisation").fill("Grannkraft ideell förening")
    page.get_by_label("Typ av ny organisation").select_option("nonprofit")
    page.get_by_role("button", name="Lägg till och checka in").click()
    arrive(page, r"/breakfasts/occurrences/.+/checkin")
    expect(page.get_by_role("status")).to_contain_text("Gunnel Gäst är tillagd och incheckad")
    expect(page.locator("#checkin-count")).to_contain_text("3")
    # Nothing on the phone page scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    axe_check(page)
