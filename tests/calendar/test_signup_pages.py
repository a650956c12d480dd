"""Sign-up pages through the test client: the panel, double submits, "Mina anmälningar",
the organiser's lists, CSV export and the attendance page."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from eventapp import create_app
from eventapp.calendar import services
from eventapp.calendar.models import Attendance, Signup, SignupStatus
from eventapp.database import utcnow
from tests.factories import make_event
from tests.factories import make_user as _make_user


def make_user(session, *args, **fields):
    """These tests read English pages; a signed-in user's own language wins over the cookie."""
    fields.setdefault("locale", "en")
    return _make_user(session, *args, **fields)


@pytest.fixture
def english(client):
    client.set_cookie("lang", "en")
    return client


def _signups(session, event):
    return session.scalars(select(Signup).where(Signup.event_id == event.id)).all()


def test_anonymous_visitors_are_asked_to_sign_in(client, session, english):
    event = make_event(session, capacity=3)
    page = client.get(f"/calendar/events/{event.uid}").text
    assert "Sign in to sign up" in page
    response = client.post(f"/calendar/events/{event.uid}/signup")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_sign_up_shows_the_seat_then_cancel(client, auth, session, english):
    event = make_event(session, capacity=3)
    person = make_user(session)
    auth.login_as(person)
    response = client.post(f"/calendar/events/{event.uid}/signup", follow_redirects=True)
    assert "You have a seat" in response.text
    assert "You have a confirmed seat." in response.text
    response = client.post(f"/calendar/events/{event.uid}/signup/cancel", follow_redirects=True)
    assert "Your sign-up is cancelled." in response.text
    assert [s.status for s in _signups(session, event)] == [SignupStatus.CANCELLED]


def test_full_event_puts_people_on_the_waiting_list_with_their_number(
    client, auth, session, english
):
    event = make_event(session, capacity=1)
    services.sign_up(session, event, make_user(session))
    services.sign_up(session, event, make_user(session))
    auth.login_as(make_user(session))
    assert "Join the waiting list" in client.get(f"/calendar/events/{event.uid}").text
    response = client.post(f"/calendar/events/{event.uid}/signup", follow_redirects=True)
    assert "number 2 on the waiting list" in response.text


def test_double_submit_gives_one_sign_up_and_a_friendly_message(client, auth, session, english):
    event = make_event(session, capacity=3)
    auth.login_as(make_user(session))
    first = client.post(f"/calendar/events/{event.uid}/signup")
    second = client.post(f"/calendar/events/{event.uid}/signup", follow_redirects=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "already signed up" in second.text
    assert len(_signups(session, event)) == 1


def test_extra_fields_are_ignored(client, auth, session):
    event = make_event(session, capacity=1)
    other = make_user(session)
    auth.login_as(make_user(session))
    client.post(
        f"/calendar/events/{event.uid}/signup",
        data={"status": "confirmed", "user_id": str(other.id), "seats_taken": "0"},
    )
    rows = _signups(session, event)
    assert len(rows) == 1 and rows[0].user_id != other.id


def test_next_must_be_a_local_path(client, auth, session):
    event = make_event(session, capacity=3)
    auth.login_as(make_user(session))
    response = client.post(f"/calendar/events/{event.uid}/signup", data={"next": "//evil.example"})
    assert response.location.endswith(f"/calendar/events/{event.uid}")


def test_get_on_the_sign_up_url_is_405(client, auth, session):
    event = make_event(session, capacity=3)
    auth.login_as(make_user(session))
    assert client.get(f"/calendar/events/{event.uid}/signup").status_code == 405


def test_signing_up_for_an_unlisted_event_is_404(client, auth, session):
    event = make_event(session, capacity=3, is_public=False)
    auth.login_as(make_user(session))
    assert client.post(f"/calendar/events/{event.uid}/signup").status_code == 404


def test_my_signups_lists_status_position_and_attendance(client, auth, session, english):
    person = make_user(session)
    full = make_event(session, capacity=1, title="Fullt labb")
    services.sign_up(session, full, make_user(session))
    services.sign_up(session, full, person)
    past = make_event(session, starts_at=utcnow() - timedelta(days=10), title="Gammalt labb")
    session.add(
        Signup(
            event=past, user=person, status=SignupStatus.CONFIRMED, attendance=Attendance.PRESENT
        )
    )
    session.flush()
    auth.login_as(person)
    page = client.get("/calendar/my-signups").text
    assert "Fullt labb" in page and "On the waiting list, number 1" in page
    assert "Gammalt labb" in page and "Present" in page
    assert "Leave the waiting list" in page


def test_other_participants_see_only_opted_in_names(client, auth, session):
    event = make_event(session, capacity=5)
    services.sign_up(
        session, event, make_user(session, name="Öppen Person"), show_in_participant_list=True
    )
    services.sign_up(session, event, make_user(session, name="Dold Person"))
    auth.login_as(make_user(session))
    page = client.get(f"/calendar/events/{event.uid}").text
    assert "Öppen Person" in page and "Dold Person" not in page
    auth.logout()
    assert "Öppen Person" not in client.get(f"/calendar/events/{event.uid}").text


def test_the_opt_in_box_is_unticked_by_default_and_stored(client, auth, session):
    event = make_event(session, capacity=5)
    auth.login_as(make_user(session))
    page = client.get(f"/calendar/events/{event.uid}").text
    assert 'name="show_in_participant_list"' in page and "checked" not in page
    client.post(f"/calendar/events/{event.uid}/signup", data={"show_in_participant_list": "y"})
    assert _signups(session, event)[0].show_in_participant_list is True


# --- organisers -----------------------------------------------------------------------------


def test_participants_page_lists_seats_and_waiting_list_in_order(client, auth, session, english):
    event = make_event(session, capacity=1)
    services.sign_up(session, event, make_user(session, name="Först Först"))
    services.sign_up(session, event, make_user(session, name="Andra Väntar"))
    services.sign_up(session, event, make_user(session, name="Tredje Väntar"))
    auth.login_as(make_user(session, "organiser"))
    page = client.get(f"/calendar/events/{event.uid}/participants").text
    assert page.index("Först Först") < page.index("Andra Väntar") < page.index("Tredje Väntar")
    assert "Waiting list (2)" in page


def test_organiser_cancels_with_a_reason_and_the_next_is_promoted(client, auth, session):
    event = make_event(session, capacity=1)
    seat = services.sign_up(session, event, make_user(session)).signup
    waiting = services.sign_up(session, event, make_user(session)).signup
    auth.login_as(make_user(session, "organiser"))
    url = f"/calendar/events/{event.uid}/signups/{seat.id}/cancel"
    assert client.post(url, data={"reason": "   "}).status_code == 200  # reason required
    response = client.post(url, data={"reason": "Dubbelbokning"})
    assert response.status_code == 302
    session.expire_all()
    assert seat.status == SignupStatus.CANCELLED and seat.cancellation_reason == "Dubbelbokning"
    assert waiting.status == SignupStatus.CONFIRMED


def test_a_sign_up_of_another_event_is_404(client, auth, session):
    event, other = make_event(session, capacity=3), make_event(session, capacity=3)
    signup = services.sign_up(session, other, make_user(session)).signup
    auth.login_as(make_user(session, "organiser"))
    assert client.get(f"/calendar/events/{event.uid}/signups/{signup.id}/cancel").status_code == 404
    assert (
        client.post(
            f"/calendar/events/{event.uid}/attendance/{signup.id}", data={"attendance": "present"}
        ).status_code
        == 404
    )


def test_csv_export_opens_in_excel_and_neutralises_formulas(client, auth, session):
    event = make_event(session, capacity=1)
    services.sign_up(session, event, make_user(session, name="=cmd|' /C calc'!A0"))
    services.sign_up(session, event, make_user(session, name="Åsa Öberg-Ängström"))
    auth.login_as(make_user(session, "organiser"))
    response = client.get(f"/calendar/events/{event.uid}/participants.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM makes Excel read UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3
    names = [row[2] for row in rows[1:]]
    assert names == ["'=cmd|' /C calc'!A0", "Åsa Öberg-Ängström"]
    assert rows[2][1] == "1"  # waiting-list position
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_attendance_page_searches_and_marks(client, auth, session, english):
    event = make_event(session, starts_at=utcnow() + timedelta(minutes=30), capacity=5)
    anna = services.sign_up(session, event, make_user(session, name="Anna 100%")).signup
    services.sign_up(session, event, make_user(session, name="Bertil Berg"))
    auth.login_as(make_user(session, "organiser"))
    page = client.get(f"/calendar/events/{event.uid}/attendance", query_string={"q": "%"}).text
    assert "Anna 100%" in page and "Bertil Berg" not in page
    response = client.post(
        f"/calendar/events/{event.uid}/attendance/{anna.id}",
        data={"attendance": "present", "q": "%"},
    )
    assert response.status_code == 302
    assert "q=%25" in response.location and response.location.endswith(f"#signup-{anna.id}")
    session.expire_all()
    assert anna.attendance == Attendance.PRESENT
    bad = client.post(
        f"/calendar/events/{event.uid}/attendance/{anna.id}", data={"attendance": "maybe"}
    )
    assert bad.status_code == 302
    session.expire_all()
    assert anna.attendance == Attendance.PRESENT


def test_attendance_waits_for_the_event_day(client, auth, session, english):
    event = make_event(session, starts_at=utcnow() + timedelta(days=3), capacity=5)
    signup = services.sign_up(session, event, make_user(session)).signup
    auth.login_as(make_user(session, "organiser"))
    page = client.get(f"/calendar/events/{event.uid}/attendance").text
    assert "from the day of the event" in page
    client.post(
        f"/calendar/events/{event.uid}/attendance/{signup.id}", data={"attendance": "present"}
    )
    session.expire_all()
    assert signup.attendance == Attendance.UNMARKED


def test_naive_switch_is_refused_outside_testing(database_url):
    with pytest.raises(RuntimeError, match="SIGNUP_NAIVE_CHECK_THEN_INSERT"):
        create_app(
            {
                "ENVIRONMENT": "development",
                "SECRET_KEY": "x" * 40,
                "SQLALCHEMY_DATABASE_URI": database_url,
                "SIGNUP_NAIVE_CHECK_THEN_INSERT": True,
            }
        )


def test_counter_matches_rows_after_a_mixed_session(client, auth, session):
    event = make_event(session, capacity=2)
    people = [make_user(session) for _ in range(5)]
    for person in people:
        auth.login_as(person)
        client.post(f"/calendar/events/{event.uid}/signup")
        auth.logout()
    auth.login_as(people[0])
    client.post(f"/calendar/events/{event.uid}/signup/cancel")
    session.expire_all()
    confirmed = session.scalar(
        select(func.count(Signup.id)).where(
            Signup.event_id == event.id, Signup.status == SignupStatus.CONFIRMED
        )
    )
    assert event.seats_taken == confirmed == 2
