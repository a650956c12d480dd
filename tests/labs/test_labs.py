"""Lab series and sessions: organisers create, edit, copy and cancel; entrepreneurs sign up
from the session page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from eventapp.calendar import services as calendar_services
from eventapp.calendar.models import EventKind, Signup, SignupStatus
from eventapp.i18n import to_local
from eventapp.labs.models import LabSeries, LabSession
from eventapp.mail import OutboxMessage
from tests.factories import make_event
from tests.factories import make_user as _make_user
from tests.labs.helpers import (
    local,
    make_lab_session,
    make_series,
    series_form,
    session_form,
    today,
)


def make_user(session, *args, **fields):
    """These tests read English pages; a signed-in user's own language wins over the cookie."""
    fields.setdefault("locale", "en")
    return _make_user(session, *args, **fields)


@pytest.fixture
def organiser(client, auth, session):
    client.set_cookie("lang", "en")
    user = make_user(session, "organiser")
    auth.login_as(user)
    return user


def test_organiser_creates_a_series_and_a_session_with_a_window(client, session, organiser):
    response = client.post("/labs/series/new", data=series_form())
    assert response.status_code == 302
    series = session.scalar(select(LabSeries).where(LabSeries.title == "Offentlig upphandling"))
    assert series.default_capacity == 15 and series.created_by_id == organiser.id

    form = client.get(f"/labs/series/{series.id}/sessions/new").text
    assert 'value="Falu Rådhus"' in form and 'value="15"' in form  # the series' defaults

    day = today() + timedelta(days=20)
    data = session_form(
        day,
        closes_date=(day - timedelta(days=1)).isoformat(),
        closes_time="23:59",
        cancel_date=(day - timedelta(days=2)).isoformat(),
        cancel_time="12:00",
    )
    response = client.post(f"/labs/series/{series.id}/sessions/new", data=data)
    assert response.status_code == 302
    lab_session = session.scalar(select(LabSession).where(LabSession.series_id == series.id))
    event = lab_session.event
    assert event.kind == EventKind.LAB and event.capacity == 10
    assert event.registration_closes_at == local(day - timedelta(days=1), 23, 59)
    assert event.cancellation_deadline == local(day - timedelta(days=2), 12)
    page = client.get(response.location).text
    assert "Sign-up deadline" in page and "Offentlig upphandling" in page


def test_window_needs_date_and_time_and_refuses_the_dst_gap(client, session, organiser):
    series = make_series(session, organiser)
    url = f"/labs/series/{series.id}/sessions/new"
    page = client.post(url, data=session_form(closes_date=today().isoformat())).text
    assert "Give both a date and a time, or neither." in page
    gap_day = date(2027, 3, 28)
    page = client.post(
        url,
        data=session_form(date(2027, 4, 5), closes_date=gap_day.isoformat(), closes_time="02:30"),
    ).text
    assert "does not exist in Sweden" in page
    page = client.post(
        url,
        data=session_form(date(2027, 4, 5), closes_date="2027-04-06", closes_time="10:00"),
    ).text
    assert "cannot be after the start" in page
    assert session.scalar(select(LabSession).where(LabSession.series_id == series.id)) is None


def test_entrepreneur_signs_up_from_the_session_page(client, auth, session):
    client.set_cookie("lang", "en")
    series = make_series(session)
    lab_session = make_lab_session(session, series, capacity=1)
    url = f"/labs/sessions/{lab_session.event.uid}"
    auth.login_as(make_user(session))
    page = client.get(url).text
    assert "Designtänkande" in page and 'name="next" type="hidden" value="' + url in page
    response = client.post(f"/calendar/events/{lab_session.event.uid}/signup", data={"next": url})
    assert response.location.endswith(url)
    assert "You have a confirmed seat." in client.get(url).text


def test_edit_session_refuses_too_low_capacity_and_promotes_on_raise(client, session, organiser):
    series = make_series(session, organiser)
    lab_session = make_lab_session(session, series, capacity=2)
    event = lab_session.event
    for _ in range(2):
        calendar_services.sign_up(session, event, make_user(session))
    waiting = calendar_services.sign_up(session, event, make_user(session)).signup
    starts, ends = to_local(event.starts_at), to_local(event.ends_at)
    base = session_form(
        starts.date(),
        start_time=starts.strftime("%H:%M"),
        end_date=ends.date().isoformat(),
        end_time=ends.strftime("%H:%M"),
    )
    page = client.post(f"/labs/sessions/{event.uid}/edit", data={**base, "capacity": "1"}).text
    assert "2 people have confirmed seats" in page
    response = client.post(f"/labs/sessions/{event.uid}/edit", data={**base, "capacity": "3"})
    assert response.status_code == 302
    session.expire_all()
    assert waiting.status == SignupStatus.CONFIRMED and event.seats_taken == 3


def test_copy_session_is_prefilled_a_week_later_in_local_time(client, session, organiser):
    series = make_series(session, organiser)
    # 13:00 on the Monday before the spring change; a week later it is still 13:00 locally.
    lab_session = make_lab_session(
        session, series, starts_at=local(date(2027, 3, 22), 13), title="Vårlabb"
    )
    page = client.get(f"/labs/sessions/{lab_session.event.uid}/copy").text
    assert 'value="2027-03-29"' in page and 'value="13:00"' in page
    response = client.post(
        f"/labs/sessions/{lab_session.event.uid}/copy",
        data=session_form(date(2027, 3, 29), title="Vårlabb"),
    )
    assert response.status_code == 302
    titles = [s.event.title for s in series.sessions]
    assert titles.count("Vårlabb") == 2


def test_cancel_session_notifies_everyone_signed_up(client, session, organiser):
    series = make_series(session, organiser)
    lab_session = make_lab_session(session, series, capacity=1)
    seat = calendar_services.sign_up(session, lab_session.event, make_user(session)).signup
    waiting = calendar_services.sign_up(session, lab_session.event, make_user(session)).signup
    response = client.post(
        f"/labs/sessions/{lab_session.event.uid}/cancel", data={"reason": "Sjuk kursledare"}
    )
    assert response.status_code == 302
    keys = set(session.scalars(select(OutboxMessage.dedup_key)))
    assert {f"event-cancelled:{seat.id}", f"event-cancelled:{waiting.id}"} <= keys
    assert lab_session.event.is_cancelled
    page = client.get(f"/labs/sessions/{lab_session.event.uid}").text
    assert "This event is cancelled." in page and "Sjuk kursledare" in page


def test_cancel_series_cancels_only_sessions_not_started(client, session, organiser):
    from eventapp.database import utcnow

    series = make_series(session, organiser)
    coming = make_lab_session(session, series)
    past = make_lab_session(session, series, starts_at=utcnow() - timedelta(days=7))
    response = client.post(f"/labs/series/{series.id}/cancel", data={"reason": "Inga pengar"})
    assert response.status_code == 302
    assert series.is_cancelled and coming.event.is_cancelled and not past.event.is_cancelled
    page = client.get(f"/labs/series/{series.id}").text
    assert "This lab series is cancelled." in page
    assert client.get(f"/labs/series/{series.id}/sessions/new").status_code == 200
    response = client.post(f"/labs/series/{series.id}/sessions/new", data=session_form())
    assert "cancelled series" in response.text


def test_copy_series_keeps_texts_not_sessions(client, session, organiser):
    series = make_series(session, organiser)
    make_lab_session(session, series)
    response = client.post(f"/labs/series/{series.id}/copy")
    copy = session.scalar(select(LabSeries).where(LabSeries.id != series.id))
    assert response.location.endswith(f"/labs/series/{copy.id}/edit")
    assert copy.title == "Copy of Designtänkande" and copy.sessions == []
    assert copy.facilitator == series.facilitator


def test_lists_show_series_and_seats_left(client, session):
    client.set_cookie("lang", "en")
    series = make_series(session, title="Finansiering")
    lab_session = make_lab_session(session, series, capacity=3)
    calendar_services.sign_up(session, lab_session.event, make_user(session))
    page = client.get("/labs/").text
    assert "Finansiering" in page and "2 of 3 seats left" in page
    page = client.get(f"/labs/series/{series.id}").text
    assert "2 of 3 seats left" in page


def test_bad_numbers_and_long_text_get_field_errors(client, session, organiser):
    for value in ("-1", "0", "2147483648", "3.5", "１２", "NaN"):
        page = client.post("/labs/series/new", data=series_form(default_capacity=value))
        assert page.status_code == 200, value
    page = client.post("/labs/series/new", data=series_form(title="x" * 10_000))
    assert page.status_code == 200 and "At most 200 characters" in page.text
    assert session.scalar(select(LabSeries)) is None


def test_unknown_series_and_session_are_404(client, session):
    import uuid

    assert client.get("/labs/series/999999").status_code == 404
    assert client.get(f"/labs/sessions/{uuid.uuid4()}").status_code == 404
    # A non-lab event is not a lab session.
    breakfast = make_event(session, kind="breakfast")
    assert client.get(f"/labs/sessions/{breakfast.uid}").status_code == 404


def test_signups_are_counted_per_session(session):
    series = make_series(session)
    first, second = make_lab_session(session, series), make_lab_session(session, series)
    person = make_user(session)
    calendar_services.sign_up(session, first.event, person)
    calendar_services.sign_up(session, second.event, person)
    rows = session.scalars(select(Signup).where(Signup.user_id == person.id)).all()
    assert len(rows) == 2


def test_demo_labs_have_a_full_session_with_a_waiting_list(session):
    from eventapp.labs.demo import seed_labs

    seed_labs(session, make_user(session, "organiser"), "demo-password-123")
    series = session.scalars(select(LabSeries)).all()
    assert len(series) >= 2 and sum(len(s.sessions) >= 3 for s in series) >= 2
    events = [lab_session.event for s in series for lab_session in s.sessions]
    statuses = [
        [row.status for row in session.scalars(select(Signup).where(Signup.event_id == e.id))]
        for e in events
    ]
    assert any(SignupStatus.WAITLISTED in row for row in statuses)
    assert any(e.capacity - e.seats_taken == 1 for e in events)  # one nearly full
