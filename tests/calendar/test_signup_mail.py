"""Sign-up e-mail through the outbox and a real local SMTP server, with the calendar invites
parsed back: REQUEST on confirmation and promotion, CANCEL (same UID, higher SEQUENCE) on
cancellation; reminders the day before, idempotent."""

from __future__ import annotations

from datetime import date, time, timedelta

import icalendar
import pytest
from sqlalchemy import select

from eventapp.calendar import services
from eventapp.calendar.ical import event_uid
from eventapp.database import utcnow
from eventapp.i18n import STOCKHOLM, combine_local
from eventapp.mail import OutboxMessage, send_outbox
from tests.factories import make_event, make_user


def _calendar_part(message):
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return parts[0] if parts else None


def _invite(message) -> tuple[str, icalendar.Calendar]:
    part = _calendar_part(message)
    assert part is not None, "no text/calendar part"
    calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    return part.get_param("method"), calendar


def _vevent(calendar):
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert len(events) == 1
    return events[0]


@pytest.fixture
def organiser(session):
    return make_user(session, "organiser", name="Olle Organisatör", email="olle@example.org")


def test_confirmation_carries_a_request_invite(app, session, smtp_server, organiser):
    event = make_event(session, capacity=2, organiser=organiser, title="Labb: {{7*7}}")
    person = make_user(session, name="Åsa Öberg", email="asa@example.org")
    services.sign_up(session, event, person)
    session.commit()
    send_outbox(app)

    [message] = smtp_server.to("asa@example.org")
    assert "{{7*7}}" in message["Subject"]  # shown literally, never evaluated
    method, calendar = _invite(message)
    assert method == "REQUEST" == str(calendar["METHOD"])
    vevent = _vevent(calendar)
    assert str(vevent["UID"]) == event_uid(event)
    assert str(vevent["ORGANIZER"]).lower() == "mailto:olle@example.org"
    attendees = vevent["ATTENDEE"]
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert [str(a).lower() for a in attendees] == ["mailto:asa@example.org"]
    body = message.get_body(("plain",)).get_content()
    assert "Åsa Öberg" in body and "Labb: {{7*7}}" in body
    assert f"/calendar/events/{event.uid}" in body


def test_waiting_list_mail_has_the_position_and_no_invite(app, session, smtp_server):
    event = make_event(session, capacity=1)
    services.sign_up(session, event, make_user(session))
    services.sign_up(session, event, make_user(session, email="vantar@example.org", locale="en"))
    session.commit()
    send_outbox(app)
    [message] = smtp_server.to("vantar@example.org")
    assert _calendar_part(message) is None
    assert "number 1" in message.get_body(("plain",)).get_content()
    assert "waiting list" in message["Subject"]


def test_cancel_sends_cancel_with_higher_sequence_and_promotes_with_request(
    app, session, smtp_server, organiser
):
    event = make_event(session, capacity=1, organiser=organiser)
    holder = make_user(session, email="holder@example.org")
    seat = services.sign_up(session, event, holder).signup
    services.sign_up(session, event, make_user(session, email="next@example.org"))
    session.commit()
    send_outbox(app)
    _, request_calendar = _invite(smtp_server.to("holder@example.org")[0])
    request_event = _vevent(request_calendar)

    services.cancel_signup(session, seat, holder)
    session.commit()
    send_outbox(app)

    cancel_message = smtp_server.to("holder@example.org")[-1]
    method, calendar = _invite(cancel_message)
    assert method == "CANCEL" == str(calendar["METHOD"])
    cancel_event = _vevent(calendar)
    assert str(cancel_event["UID"]) == str(request_event["UID"])
    assert int(cancel_event["SEQUENCE"]) > int(request_event.get("SEQUENCE", 0))

    promoted = smtp_server.to("next@example.org")
    assert len(promoted) == 2  # waiting-list placement, then the promotion
    method, calendar = _invite(promoted[-1])
    assert method == "REQUEST" and str(_vevent(calendar)["UID"]) == event_uid(event)


def test_cancelling_the_event_tells_everyone(app, session, smtp_server, organiser):
    event = make_event(session, capacity=1, organiser=organiser)
    services.sign_up(session, event, make_user(session, email="seat@example.org"))
    services.sign_up(session, event, make_user(session, email="wait@example.org"))
    session.commit()
    send_outbox(app)
    smtp_server.clear()

    services.cancel_event(session, event, "Lokalen är stängd", organiser)
    session.commit()
    send_outbox(app)

    [to_seat] = smtp_server.to("seat@example.org")
    [to_wait] = smtp_server.to("wait@example.org")
    assert "Lokalen är stängd" in to_seat.get_body(("plain",)).get_content()
    method, calendar = _invite(to_seat)
    assert method == "CANCEL" and str(_vevent(calendar)["UID"]) == event_uid(event)
    assert _calendar_part(to_wait) is None


def test_organiser_cancellation_mail_gives_the_reason(app, session, smtp_server, organiser):
    event = make_event(session, capacity=3, organiser=organiser)
    seat = services.sign_up(session, event, make_user(session, email="p@example.org")).signup
    services.cancel_signup(session, seat, organiser, reason="Fel målgrupp", by_organiser=True)
    session.commit()
    send_outbox(app)
    message = smtp_server.to("p@example.org")[-1]
    assert "Fel målgrupp" in message.get_body(("plain",)).get_content()
    assert _invite(message)[0] == "CANCEL"


def _tomorrow_at(hour: int):
    today = utcnow().astimezone(STOCKHOLM).date()
    return combine_local(today + timedelta(days=1), time(hour))


def test_reminders_go_once_to_confirmed_participants_of_tomorrow(app, session, smtp_server, runner):
    tomorrow = make_event(session, starts_at=_tomorrow_at(10), capacity=1)
    later = make_event(session, starts_at=_tomorrow_at(10) + timedelta(days=1), capacity=5)
    services.sign_up(session, tomorrow, make_user(session, email="kommer@example.org"))
    services.sign_up(session, tomorrow, make_user(session, email="reserv@example.org"))
    services.sign_up(session, later, make_user(session, email="senare@example.org"))
    session.commit()
    send_outbox(app)  # the confirmations
    smtp_server.clear()

    first = runner.invoke(args=["send-reminders"])
    second = runner.invoke(args=["send-reminders"])
    assert first.exit_code == 0 and "queued 1 reminders" in first.output
    assert "queued 0 reminders" in second.output
    send_outbox(app)
    send_outbox(app)

    reminders = [m for m in smtp_server.messages if m["To"] == "kommer@example.org"]
    assert len(reminders) == 1
    assert smtp_server.to("reserv@example.org") == []
    assert smtp_server.to("senare@example.org") == []
    keys = session.scalars(
        select(OutboxMessage.dedup_key).where(OutboxMessage.dedup_key.like("signup-reminder:%"))
    ).all()
    assert len(keys) == 1


def test_reminder_day_follows_swedish_dates_not_utc(session):
    # 00:30 Swedish time on 31 October 2027 is 22:30 on 30 October in UTC.
    starts = combine_local(date(2027, 10, 31), time(0, 30))
    event = make_event(session, starts_at=starts, capacity=5)
    services.sign_up(session, event, make_user(session), now=starts - timedelta(days=5))
    assert services.send_reminders(session, now=combine_local(date(2027, 10, 29), time(10))) == 0
    assert services.send_reminders(session, now=combine_local(date(2027, 10, 30), time(10))) == 1
    assert services.send_reminders(session, now=combine_local(date(2027, 10, 30), time(11))) == 0
