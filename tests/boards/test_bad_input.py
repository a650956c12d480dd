"""The application, feedback and board forms against the rows of shared/BAD_INPUT.md."""

import unicodedata
from datetime import timedelta

import pytest
from sqlalchemy import select

from eventapp.boards.models import PitchApplication, PitchFeedback
from eventapp.database import utcnow
from tests.boards.helpers import (
    application_form,
    feedback_form,
    make_application,
    make_board,
    make_panelist,
)
from tests.factories import make_user

BAD_VALUES = {
    "too_long": "x" * 10_000,
    "one_megabyte": "y" * 1_000_000,
    "empty": "",
    "spaces": "   ",
    "tabs": "\t\t",
    "nbsp": "\u00a0",
    "nfd": unicodedata.normalize("NFD", "Åsa Öberg-Ängström"),
    "emoji_and_math": "👩\u200d👩\u200d👧 𝐀𝐁𝐂",
    "direction_marks": "abc\u202edef\u200bghi\u2066x\u2069",
    "nul": "a\x00b",
    "escape_sequence": "a\x1b[31mb",
    "html": '"><img src=x onerror=alert(1)><script>alert(1)</script>',
    "svg": "<svg onload=alert(1)>",
    "javascript_url": "JaVaScRiPt:alert(1)",
    "template": "{{7*7}}{% raw %}{{config}}{% endraw %}",
    "sql": "' OR 1=1--%_\\",
    "header_injection": "Name\r\nBcc: x@evil.example",
    "formula": '=HYPERLINK("http://evil.example")',
    "numbers": "１２",
    "nan": "NaN",
}
APPLICATION_FIELDS = (
    "organisation_name",
    "idea",
    "social_impact",
    "wants",
    "other_wish",
    "accessibility_needs",
    "show_publicly",
)
FEEDBACK_FIELDS = ("strengths", "advice", "offers", "follow_up_wanted")
INVISIBLE = ("\u202e", "\u200b", "\u2066", "\u2069", "\x00", "\x1b")
MARKUP = ("<script>alert", "<img src=x", "<svg onload")


def _check(response, kind, failures) -> bool:
    """Common checks; True when the caller should look at what was stored."""
    status = response.status_code
    if status == 500:
        failures.append(f"{kind}: 500")
        return False
    if kind in ("nul", "escape_sequence"):
        if status != 400:
            failures.append(f"{kind}: {status}, expected 400")
        return False
    if status == 413:
        return False
    if status == 200 and any(markup in response.text for markup in MARKUP):
        failures.append(f"{kind}: unescaped markup in the page")
    return status == 302


@pytest.mark.parametrize("field", APPLICATION_FIELDS)
def test_application_field_survives_bad_input(client, auth, session, field):
    failures = []
    for kind, value in BAD_VALUES.items():
        board = make_board(session)
        auth.login_as(make_user(session))
        response = client.post(f"/boards/{board.id}/apply", data=application_form(**{field: value}))
        if not _check(response, kind, failures):
            continue
        application = session.scalar(
            select(PitchApplication).where(PitchApplication.board_id == board.id)
        )
        if application is None:
            failures.append(f"{kind}: redirected but nothing stored")
            continue
        stored = getattr(application, field, None)
        if isinstance(stored, str):
            if any(mark in stored for mark in INVISIBLE):
                failures.append(f"{kind}: invisible or control characters stored")
            if stored != unicodedata.normalize("NFC", stored):
                failures.append(f"{kind}: stored in NFD")
            if field in ("organisation_name", "idea", "social_impact") and not stored.strip():
                failures.append(f"{kind}: blank required value stored")
            page = client.get(f"/boards/applications/{application.id}").text
            if any(markup in page for markup in MARKUP):
                failures.append(f"{kind}: unescaped markup on the application page")
        auth.logout()
    assert not failures, failures


def test_too_long_values_get_a_field_error_that_keeps_the_input(client, auth, session):
    board = make_board(session)
    auth.login_as(make_user(session))
    response = client.post(
        f"/boards/{board.id}/apply", data=application_form(organisation_name="Å" * 201)
    )
    assert response.status_code == 200
    assert "Högst 200 tecken" in response.text
    assert "Å" * 201 in response.text


def test_unknown_wish_is_refused(client, auth, session):
    board = make_board(session)
    auth.login_as(make_user(session))
    response = client.post(f"/boards/{board.id}/apply", data=application_form(wants=["bribes"]))
    assert response.status_code == 200
    assert session.scalar(select(PitchApplication).where(PitchApplication.board == board)) is None


def test_template_syntax_is_shown_literally_in_the_mail(app, client, auth, session, smtp_server):
    from eventapp.mail import send_outbox

    board = make_board(session, title="{{7*7}} råd")
    auth.login_as(make_user(session, email="tpl@example.org"))
    client.post(f"/boards/{board.id}/apply", data=application_form())
    send_outbox(app)
    body = smtp_server.to("tpl@example.org")[-1].get_body(("plain",)).get_content()
    assert "{{7*7}} råd" in body and "49" not in body


@pytest.mark.parametrize("field", FEEDBACK_FIELDS)
def test_feedback_field_survives_bad_input(client, auth, session, field):
    failures = []
    board = make_board(
        session,
        starts_at=(utcnow() - timedelta(hours=2)).replace(microsecond=0),
        deadline=utcnow() - timedelta(days=1),
    )
    panelist = make_panelist(session, board)
    auth.login_as(panelist)
    application = make_application(session, board, status="confirmed", slot_id=board.slots[0].id)
    for kind, value in BAD_VALUES.items():
        response = client.post(
            f"/boards/applications/{application.id}/give-feedback",
            data=feedback_form(**{field: value}),
        )
        if not _check(response, kind, failures):
            continue
        feedback = session.scalar(
            select(PitchFeedback).where(PitchFeedback.application_id == application.id)
        )
        stored = getattr(feedback, field)
        if isinstance(stored, str) and any(mark in stored for mark in INVISIBLE):
            failures.append(f"{kind}: invisible or control characters stored")
        auth.logout()
        auth.login_as(application.applicant)
        page = client.get(f"/boards/applications/{application.id}/feedback").text
        if any(markup in page for markup in MARKUP):
            failures.append(f"{kind}: unescaped markup on the feedback page")
        auth.logout()
        auth.login_as(panelist)
    assert not failures, failures


def test_empty_feedback_is_refused(client, auth, session):
    board = make_board(
        session,
        starts_at=(utcnow() - timedelta(hours=2)).replace(microsecond=0),
        deadline=utcnow() - timedelta(days=1),
    )
    panelist = make_panelist(session, board)
    application = make_application(session, board, status="confirmed", slot_id=board.slots[0].id)
    auth.login_as(panelist)
    response = client.post(
        f"/boards/applications/{application.id}/give-feedback",
        data={"strengths": " ", "advice": "\t", "offers": "\u00a0"},
    )
    assert response.status_code == 200
    assert "Skriv minst" in response.text
    assert application.feedback == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("slot_count", "-1"),
        ("slot_count", "0"),
        ("slot_count", "2147483648"),
        ("slot_count", "1e309"),
        ("slot_count", "NaN"),
        ("slot_count", "3.5"),
        ("slot_count", "3,5"),
        ("slot_count", "１２"),
        ("slot_count", "31"),
        ("slot_minutes", "4"),
        ("slot_minutes", "121"),
        ("first_slot_time", "12:00"),  # before the session starts
        ("first_slot_time", "15:50"),  # slots would end after the session
        ("deadline_date", "9999-01-01"),
        ("deadline_date", "2027-02-29"),
        ("start_date", "2027-03-28"),  # with 02:30 below: the spring gap
        ("feedback_mode", "public"),
    ],
)
def test_board_form_refuses_bad_values(client, auth, session, field, value):
    from tests.route_matrix.boards import _board_form

    auth.login_as(make_user(session, "organiser"))
    data = _board_form(None)
    data[field] = value
    if field == "start_date":
        data.update(end_date=value, start_time="02:30", end_time="05:00", first_slot_time="03:00")
    response = client.post("/boards/new", data=data)
    assert response.status_code == 200, response.status_code
    assert 'aria-invalid="true"' in response.text or "error-summary" in response.text
