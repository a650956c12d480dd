"""A social business board in a real browser: apply, accept, confirm, feedback, read it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from eventapp.auth.models import User
from eventapp.boards.models import BoardSession
from eventapp.database import utcnow
from eventapp.extensions import db
from tests.boards.helpers import make_board
from tests.e2e.conftest import arrive, axe_check, visit

pytestmark = pytest.mark.e2e

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails under CI, with a clear message
    expect = None


def _hold_the_session(live_server, board_id: int) -> None:
    """Move the board into the recent past, as if the pitches had been held."""
    with live_server.app.app_context():
        board = db.session.get(BoardSession, board_id)
        start = (utcnow() - timedelta(hours=2)).replace(microsecond=0)
        board.applications_close_at = start - timedelta(days=1)
        board.event.starts_at = start
        board.event.ends_at = start + timedelta(hours=3)
        board.first_slot_at = start + timedelta(minutes=30)
        db.session.commit()


def test_apply_accept_confirm_feedback_and_read_it(live_server, new_page, login):
    organiser = live_server.create_user("organiser", name="Olle Organisatör")
    panelist = live_server.create_user("panelist", name="Petra Panel")
    entrepreneur = live_server.create_user(name="Åsa Öberg", email="asa@example.org")
    with live_server.app.app_context():
        board = make_board(
            db.session,
            title="Socialt affärsråd i Falun",
            organiser=db.session.get(User, organiser.id),
            panel=[db.session.get(User, panelist.id)],
        )
        db.session.commit()
        board_id = board.id

    # The entrepreneur applies.
    pitcher = new_page()
    login(pitcher, entrepreneur.email)
    visit(pitcher, live_server.url_for("boards.board_detail", board_id=board_id))
    pitcher.get_by_role("link", name="Ansök om att pitcha").click()
    arrive(pitcher, rf"/boards/{board_id}/apply")
    pitcher.get_by_label("Din organisation eller ditt företag").fill("Kooperativet Hantverket")
    pitcher.get_by_label("Din idé eller verksamhet i korthet").fill("Vi lagar begagnade möbler.")
    pitcher.get_by_role("button", name="Skicka ansökan").click()
    # A missing field: the errors are announced and the typed text stays.
    expect(pitcher.get_by_role("alert")).to_contain_text("Den samhällsnytta du vill uppnå")
    axe_check(pitcher)
    expect(pitcher.get_by_label("Din idé eller verksamhet i korthet")).to_have_value(
        "Vi lagar begagnade möbler."
    )
    pitcher.get_by_label("Den samhällsnytta du vill uppnå").fill("Arbetsträning.")
    pitcher.get_by_role("group", name="Vad vill du ha hjälp med av panelen?").get_by_label(
        "Finansiering"
    ).check()
    pitcher.get_by_role("button", name="Skicka ansökan").click()
    arrive(pitcher, r"/boards/applications/\d+")
    expect(pitcher.get_by_role("status")).to_contain_text("Din ansökan är skickad")
    application_url = pitcher.url
    live_server.smtp.wait_for("asa@example.org")

    # The organiser accepts it into slot 2.
    staff = new_page()
    login(staff, organiser.email)
    visit(staff, live_server.url_for("boards.applications", board_id=board_id))
    staff.get_by_label("Pitchtid för Kooperativet Hantverket").select_option(index=1)
    staff.get_by_role("button", name=re.compile(r"^Anta\W+Kooperativet Hantverket$")).click()
    arrive(staff, rf"/boards/{board_id}/applications")
    expect(staff.get_by_role("status")).to_contain_text("Ansökan är antagen")
    offer = live_server.smtp.wait_for("asa@example.org", count=2)
    assert offer["Subject"].startswith("Du erbjuds en pitchtid")
    assert any(part.get_content_type() == "text/calendar" for part in offer.walk())

    # The pitcher confirms the slot.
    visit(pitcher, application_url)
    expect(pitcher.get_by_text("Erbjuden en pitchtid")).to_be_visible()
    pitcher.get_by_role("button", name="Bekräfta min pitchtid").click()
    arrive(pitcher, r"/boards/applications/\d+")
    expect(pitcher.get_by_role("status")).to_contain_text("Din pitchtid är bekräftad")

    # The session is held; the panel member gives feedback.
    _hold_the_session(live_server, board_id)
    panel = new_page()
    login(panel, panelist.email)
    visit(panel, live_server.url_for("boards.panel_index"))
    panel.get_by_role("link", name="Socialt affärsråd i Falun").click()
    arrive(panel, rf"/boards/{board_id}/panel")
    panel.get_by_role(
        "link", name=re.compile(r"^Ge återkoppling\W+Kooperativet Hantverket$")
    ).click()
    arrive(panel, r"/boards/applications/\d+/give-feedback")
    panel.get_by_label("Styrkor").fill("Tydlig samhällsnytta.")
    panel.get_by_label("Förslag på kontakter eller erbjudanden").fill("Prata med Almi Dalarna.")
    panel.get_by_label("Jag vill gärna träffa entreprenören igen").check()
    panel.get_by_role("button", name="Spara återkopplingen").click()
    arrive(panel, rf"/boards/{board_id}/panel")
    expect(panel.get_by_role("status")).to_contain_text("Din återkoppling är sparad")

    # The pitcher reads the feedback, with the panel member's name (attributed board).
    visit(pitcher, application_url)
    pitcher.get_by_role("link", name="Läs panelens återkoppling").click()
    arrive(pitcher, r"/boards/applications/\d+/feedback")
    expect(pitcher.get_by_role("heading", name="Från Petra Panel")).to_be_visible()
    expect(pitcher.get_by_role("main")).to_contain_text("Prata med Almi Dalarna.")

    # The organiser sees the offer on the follow-up list and marks it brokered.
    visit(staff, live_server.url_for("boards.follow_up", board_id=board_id))
    staff.get_by_role("button", name=re.compile(r"^Markera som förmedlad")).click()
    arrive(staff, rf"/boards/{board_id}/follow-up")
    expect(staff.get_by_role("table")).to_contain_text("Förmedlad")
