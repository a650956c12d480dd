"""A board's Event changed on the generic calendar pages: pitch slots move with it (same order,
same delta) or the change is refused when they cannot; pitchers get one updated invite
(METHOD:REQUEST, SEQUENCE up) per change, or a METHOD:CANCEL when the board is cancelled."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from sqlalchemy import select

from eventapp.boards import services as boards
from eventapp.boards.models import FeedbackMode
from eventapp.calendar import services
from eventapp.database import utcnow
from eventapp.i18n import to_local
from eventapp.mail import OutboxMessage, send_outbox
from tests.auth.helpers import sign_in_quickly
from tests.boards.helpers import make_application, make_board
from tests.factories import make_user

HOUR = timedelta(hours=1)


@pytest.fixture
def organiser(client, session):
    user = make_user(session, "organiser", locale="en")
    sign_in_quickly(client, session, user)
    return user


@pytest.fixture
def board(session, organiser):
    starts_at = (utcnow() + timedelta(days=14)).replace(minute=0, second=0, microsecond=0)
    return make_board(session, starts_at=starts_at, organiser=organiser, slots=4, minutes=15)


def edit_form(event, *, shift=timedelta(0), end_shift=None, **overrides) -> dict:
    """The calendar edit form for ``event`` with its times moved (local date and time)."""
    starts = to_local(event.starts_at + shift)
    ends = to_local(event.ends_at + (shift if end_shift is None else end_shift))
    data = {
        "kind": event.kind.value,
        "title": event.title,
        "description": event.description,
        "place": event.place,
        "address": event.address,
        "municipality": event.municipality or "",
        "start_date": starts.date().isoformat(),
        "start_time": f"{starts:%H:%M}",
        "end_date": ends.date().isoformat(),
        "end_time": f"{ends:%H:%M}",
        "capacity": "" if event.capacity is None else str(event.capacity),
        "is_public": "y" if event.is_public else "",
    }
    data.update(overrides)
    return data


def pitch_mails(session, application) -> list[OutboxMessage]:
    return session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.dedup_key.like(f"board-%:{application.id}:%"))
        .order_by(OutboxMessage.id)
    ).all()


def only_vevent(data: bytes):
    [vevent] = icalendar.Calendar.from_ical(data).walk("VEVENT")
    return vevent


def _two_pitchers(session, board):
    first, second = make_application(session, board), make_application(session, board)
    boards.accept(session, first, board.slots[0])
    boards.accept(session, second, board.slots[2])
    boards.confirm(session, second)
    return first, second


def test_moving_the_event_moves_every_slot_by_the_same_delta_and_mails_each_pitcher(
    app, client, session, board, smtp_server
):
    first, second = _two_pitchers(session, board)
    session.commit()
    send_outbox(app)
    smtp_server.clear()
    slots_before = [(slot.position, slot.starts_at) for slot in board.slots]
    sequences = (first.invite_sequence, second.invite_sequence)

    edit = f"/calendar/events/{board.event.uid}/edit"
    assert client.post(edit, data=edit_form(board.event, shift=2 * HOUR)).status_code == 302
    session.refresh(board)
    assert [(slot.position, slot.starts_at) for slot in board.slots] == [
        (position, start + 2 * HOUR) for position, start in slots_before
    ]
    assert (first.slot.position, second.slot.position) == (0, 2)
    assert (first.invite_sequence, second.invite_sequence) == (
        sequences[0] + 1,
        sequences[1] + 1,
    )

    send_outbox(app)
    for application in (first, second):
        [message] = smtp_server.to(application.applicant.email)
        [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
        assert part.get_param("method") == "REQUEST"
        vevent = only_vevent(part.get_payload(decode=True))
        assert str(vevent["UID"]) == boards.pitch_uid(application)
        assert int(vevent["SEQUENCE"]) == application.invite_sequence
        assert vevent["DTSTART"].dt == application.slot.starts_at


def test_a_second_identical_save_sends_nothing_more(client, session, board):
    first, _ = _two_pitchers(session, board)
    session.commit()
    edit = f"/calendar/events/{board.event.uid}/edit"
    client.post(edit, data=edit_form(board.event, shift=HOUR))
    count = len(pitch_mails(session, first))
    # The same form again: nothing changes, so no mail and no new SEQUENCE.
    sequence = first.invite_sequence
    client.post(edit, data=edit_form(board.event))
    assert len(pitch_mails(session, first)) == count
    assert first.invite_sequence == sequence


def test_a_place_change_updates_the_invites_too(client, session, board):
    first, _ = _two_pitchers(session, board)
    session.commit()
    sequence = first.invite_sequence
    edit = f"/calendar/events/{board.event.uid}/edit"
    assert client.post(edit, data=edit_form(board.event, place="Nya salen")).status_code == 302
    assert first.invite_sequence == sequence + 1
    last = pitch_mails(session, first)[-1]
    assert last.ics_method == "REQUEST"
    assert "Nya salen" in str(only_vevent(last.ics_data)["LOCATION"])


def test_a_shorter_session_the_slots_no_longer_fit_is_refused_with_a_message(
    client, session, board
):
    first, _ = _two_pitchers(session, board)
    session.commit()
    before = (board.event.starts_at, board.event.ends_at, board.first_slot_at)
    mails = len(pitch_mails(session, first))
    edit = f"/calendar/events/{board.event.uid}/edit"
    # Three hours become 45 minutes: four 15-minute slots from 30 minutes in do not fit.
    response = client.post(
        edit, data=edit_form(board.event, end_shift=-(2 * HOUR + timedelta(minutes=15)))
    )
    assert response.status_code == 200
    assert "pitch slots" in response.text
    session.refresh(board)
    assert (board.event.starts_at, board.event.ends_at, board.first_slot_at) == before
    assert len(pitch_mails(session, first)) == mails


def test_moving_before_the_application_deadline_is_refused(session, board):
    board.applications_close_at = board.first_slot_at
    session.flush()
    with pytest.raises(services.EventError):
        services.update_event(
            session,
            board.event,
            services.EventDetails(
                kind=board.event.kind,
                title=board.event.title,
                description="",
                place=board.event.place,
                address="",
                municipality=board.event.municipality,
                starts_at=board.event.starts_at - HOUR,
                ends_at=board.event.ends_at - HOUR,
                capacity=None,
            ),
        )


def test_a_board_event_cannot_become_another_kind(client, session, board):
    edit = f"/calendar/events/{board.event.uid}/edit"
    response = client.post(edit, data=edit_form(board.event, kind="lab"))
    assert response.status_code == 200
    assert board.event.kind.value == "board"


def test_cancelling_the_board_event_sends_each_pitcher_a_cancel(
    app, client, session, board, smtp_server
):
    first, second = _two_pitchers(session, board)
    session.commit()
    send_outbox(app)
    smtp_server.clear()
    sequences = (first.invite_sequence, second.invite_sequence)
    cancel = client.post(f"/calendar/events/{board.event.uid}/cancel", data={"reason": "Storm"})
    assert cancel.status_code == 302
    send_outbox(app)
    for application, sequence in zip((first, second), sequences, strict=True):
        [message] = smtp_server.to(application.applicant.email)
        [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
        assert part.get_param("method") == "CANCEL"
        vevent = only_vevent(part.get_payload(decode=True))
        assert str(vevent["UID"]) == boards.pitch_uid(application)
        assert int(vevent["SEQUENCE"]) == sequence + 1
        assert str(vevent["STATUS"]) == "CANCELLED"


def test_the_boards_own_edit_page_mails_each_pitcher_once(session, board):
    first, second = _two_pitchers(session, board)
    event = board.event
    details = services.EventDetails(
        kind=event.kind,
        title=event.title,
        description=event.description,
        place=event.place,
        address=event.address,
        municipality=event.municipality,
        starts_at=event.starts_at + HOUR,
        ends_at=event.ends_at + HOUR,
        capacity=event.capacity,
    )
    board_details = boards.BoardDetails(
        slot_count=board.slot_count,
        slot_minutes=board.slot_minutes,
        first_slot_at=board.first_slot_at + HOUR,
        applications_close_at=board.applications_close_at,
        feedback_mode=FeedbackMode.ATTRIBUTED,
        panel_help="",
    )
    counts = (len(pitch_mails(session, first)), len(pitch_mails(session, second)))
    sequences = (first.invite_sequence, second.invite_sequence)
    boards.update_board(session, board, details, board_details)
    assert (len(pitch_mails(session, first)), len(pitch_mails(session, second))) == (
        counts[0] + 1,
        counts[1] + 1,
    )
    assert (first.invite_sequence, second.invite_sequence) == (
        sequences[0] + 1,
        sequences[1] + 1,
    )
    assert first.slot.starts_at == board.event.starts_at + timedelta(minutes=30)
