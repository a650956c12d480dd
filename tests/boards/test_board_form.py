"""Organisers create and change board sessions; pitchers hear when their slot moves."""

from datetime import timedelta

import icalendar
import pytest
from sqlalchemy import select

from eventapp.boards import services
from eventapp.boards.models import BoardSession, FeedbackMode
from eventapp.calendar.models import EventKind
from eventapp.mail import send_outbox
from tests.boards.helpers import make_application, make_board
from tests.factories import make_user
from tests.route_matrix.boards import _board_form


def test_organiser_creates_a_board_with_its_event_and_slots(client, auth, session):
    auth.login_as(make_user(session, "organiser"))
    response = client.post("/boards/new", data=_board_form(None))
    assert response.status_code == 302
    board = session.scalar(select(BoardSession).order_by(BoardSession.id.desc()))
    assert board.event.kind == EventKind.BOARD
    assert board.event.capacity == 40
    assert board.feedback_mode == FeedbackMode.ANONYMOUS
    assert [slot.position for slot in board.slots] == list(range(6))
    assert board.slots[0].starts_at == board.event.starts_at + timedelta(minutes=30)
    assert board.last_slot_ends_at == board.first_slot_at + timedelta(minutes=120)


def test_moving_the_slots_sends_an_updated_invite(app, session, smtp_server):
    board = make_board(session, slots=4, minutes=15)
    user = make_user(session, email="moved@example.org")
    application = make_application(session, board, user)
    services.accept(session, application, board.slots[1])
    old_start = application.slot.starts_at
    event = board.event
    details = services.EventDetails(
        kind=EventKind.BOARD,
        title=event.title,
        description="",
        place=event.place,
        address="",
        municipality=event.municipality,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        capacity=None,
    )
    services.update_board(
        session,
        board,
        details,
        services.BoardDetails(
            slot_count=3,
            slot_minutes=20,
            first_slot_at=board.first_slot_at,
            applications_close_at=board.applications_close_at,
            feedback_mode=FeedbackMode.ATTRIBUTED,
            panel_help="",
        ),
    )
    assert len(board.slots) == 3
    assert application.slot.starts_at == old_start + timedelta(minutes=5)
    send_outbox(app)
    mail = smtp_server.to("moved@example.org")[-1]
    part = next(p for p in mail.walk() if p.get_content_type() == "text/calendar")
    [vevent] = icalendar.Calendar.from_ical(part.get_content()).walk("VEVENT")
    assert vevent.decoded("DTSTART") == old_start + timedelta(minutes=5)
    assert vevent["SEQUENCE"] == 1


def test_slots_with_a_pitch_cannot_be_removed(session):
    board = make_board(session, slots=4)
    application = make_application(session, board)
    services.accept(session, application, board.slots[3])
    event = board.event
    details = services.EventDetails(
        kind=EventKind.BOARD,
        title=event.title,
        description="",
        place=event.place,
        address="",
        municipality=None,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        capacity=None,
    )
    with pytest.raises(services.BoardError):
        services.update_board(
            session,
            board,
            details,
            services.BoardDetails(
                2,
                15,
                board.first_slot_at,
                board.applications_close_at,
                FeedbackMode.ATTRIBUTED,
                "",
            ),
        )
    assert len(board.slots) == 4
