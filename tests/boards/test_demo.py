"""The demo boards: one past board with feedback and one upcoming board taking applications."""

from sqlalchemy import select

from eventapp.boards.demo import seed_boards
from eventapp.boards.models import BoardSession, PitchFeedback
from eventapp.database import utcnow
from tests.factories import make_user


def test_seed_boards_creates_a_past_and_an_upcoming_board(session):
    organiser = make_user(session, "organiser")
    make_user(session, "panelist", email="panel1@example.org")
    make_user(session, email="entrepreneur@example.org")
    for number in (2, 3, 4):
        make_user(session, email=f"entrepreneur{number}@example.org")
    seed_boards(session, organiser)
    boards = session.scalars(select(BoardSession)).all()
    past = [board for board in boards if board.event.ends_at < utcnow()]
    upcoming = [board for board in boards if board.applications_open()]
    assert len(past) == 1 and len(upcoming) == 1
    assert len(past[0].applications) == 3
    assert all(app.has_slot for app in past[0].applications)
    assert len(session.scalars(select(PitchFeedback)).all()) == 3
    assert past[0].panel_members and upcoming[0].panel_members
    assert upcoming[0].applications
