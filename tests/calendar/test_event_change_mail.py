"""Moving an event (any kind) tells everyone signed up, once per change: confirmed people get
an updated METHOD:REQUEST invite (same UID, higher SEQUENCE), the waiting list a notice;
a change that calendars do not need (the title) sends nothing."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from sqlalchemy import select

from eventapp.calendar import services
from eventapp.calendar.ical import event_uid
from eventapp.calendar.models import EventKind
from eventapp.calendar.services import EventDetails
from eventapp.mail import OutboxMessage, send_outbox
from tests.factories import make_event, make_user


def details(event, **changes) -> EventDetails:
    values = {
        name: getattr(event, name)
        for name in (
            "kind",
            "title",
            "description",
            "place",
            "address",
            "municipality",
            "starts_at",
            "ends_at",
            "capacity",
            "is_public",
        )
    }
    values.update(changes)
    return EventDetails(**values)


def change_mails(session, signup) -> list[OutboxMessage]:
    return session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.dedup_key.like(f"event-changed:{signup.id}:%"))
        .order_by(OutboxMessage.id)
    ).all()


@pytest.mark.parametrize("kind", [EventKind.LAB, EventKind.BREAKFAST, EventKind.OTHER])
def test_moving_an_event_mails_an_updated_invite_to_confirmed_people(
    app, session, smtp_server, kind
):
    event = make_event(session, kind=kind, capacity=1)
    seated, waiting = make_user(session), make_user(session)
    services.sign_up(session, event, seated)
    services.sign_up(session, event, waiting)
    session.commit()
    send_outbox(app)
    smtp_server.clear()
    sequence = event.sequence

    services.update_event(
        session,
        event,
        details(event, starts_at=event.starts_at + timedelta(hours=1), ends_at=event.ends_at),
    )
    session.commit()
    send_outbox(app)

    [message] = smtp_server.to(seated.email)
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    [vevent] = icalendar.Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
    assert str(vevent["UID"]) == event_uid(event)
    assert int(vevent["SEQUENCE"]) == event.sequence == sequence + 1
    assert vevent["DTSTART"].dt == event.starts_at

    [notice] = smtp_server.to(waiting.email)
    assert not [p for p in notice.walk() if p.get_content_type() == "text/calendar"]


def test_one_mail_per_person_per_change_and_none_for_a_new_title(session):
    event = make_event(session, capacity=5)
    person = make_user(session)
    signup = services.sign_up(session, event, person).signup
    services.update_event(session, event, details(event, title="Bara ny rubrik"))
    assert change_mails(session, signup) == []

    services.update_event(session, event, details(event, place="Nya lokalen"))
    services.update_event(session, event, details(event, place="Nya lokalen"))  # no change
    assert len(change_mails(session, signup)) == 1
    services.update_event(
        session, event, details(event, ends_at=event.ends_at + timedelta(hours=1))
    )
    mails = change_mails(session, signup)
    assert len(mails) == 2
    assert [m.dedup_key for m in mails] == [
        f"event-changed:{signup.id}:{event.sequence - 1}",
        f"event-changed:{signup.id}:{event.sequence}",
    ]
    sequences = [
        int(icalendar.Calendar.from_ical(m.ics_data).walk("VEVENT")[0]["SEQUENCE"]) for m in mails
    ]
    assert sequences == sorted(sequences) and sequences[0] < sequences[1]


def test_cancelled_sign_ups_hear_nothing_of_a_move(session):
    event = make_event(session, capacity=5)
    person = make_user(session)
    signup = services.sign_up(session, event, person).signup
    services.cancel_signup(session, signup, person)
    services.update_event(
        session,
        event,
        details(
            event,
            starts_at=event.starts_at + timedelta(days=1),
            ends_at=event.ends_at + timedelta(days=1),
        ),
    )
    assert change_mails(session, signup) == []


def test_someone_promoted_by_a_bigger_room_gets_one_mail_not_two(session):
    event = make_event(session, capacity=1)
    first, second = make_user(session), make_user(session)
    services.sign_up(session, event, first)
    waiting = services.sign_up(session, event, second).signup
    services.update_event(session, event, details(event, capacity=2, place="Större sal"))
    assert change_mails(session, waiting) == []
    promoted = session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedup_key == f"signup-promoted:{waiting.id}")
    ).all()
    assert len(promoted) == 1 and promoted[0].ics_method == "REQUEST"
