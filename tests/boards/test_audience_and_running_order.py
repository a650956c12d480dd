"""A board's audience seats use the shared sign-up engine (seats, waiting list, promotion), and
the full running order is shown to the board's own panel and pitchers, not to others."""

from __future__ import annotations

from sqlalchemy import select

from eventapp.boards import services
from eventapp.calendar.models import Signup, SignupStatus
from tests.boards.helpers import make_application, make_board, make_panelist
from tests.factories import make_user


def statuses(session, board) -> dict[int, SignupStatus]:
    signups = session.scalars(select(Signup).where(Signup.event_id == board.event.id))
    return {signup.user_id: signup.status for signup in signups}


def test_audience_seats_use_the_shared_sign_up_engine(client, auth, session):
    board = make_board(session, capacity=1)
    first, second = make_user(session), make_user(session)
    session.commit()
    signup_url = f"/calendar/events/{board.event.uid}/signup"
    auth.login_as(first)
    assert client.post(signup_url).status_code == 302
    auth.logout()
    auth.login_as(second)
    assert client.post(signup_url).status_code == 302
    session.expire_all()
    by_user = statuses(session, board)
    assert by_user == {first.id: SignupStatus.CONFIRMED, second.id: SignupStatus.WAITLISTED}
    assert board.event.seats_taken == 1
    auth.logout()
    auth.login_as(first)
    assert client.post(f"{signup_url}/cancel").status_code == 302
    session.expire_all()
    by_user = statuses(session, board)
    assert by_user[second.id] == SignupStatus.CONFIRMED  # promoted from the waiting list


def test_running_order_is_shown_in_full_to_this_boards_panel_only(client, auth, session):
    board, other_board = make_board(session), make_board(session)
    ours, theirs = make_panelist(session, board), make_panelist(session, other_board)
    hidden = make_application(session, board, organisation_name="Dolda AB")
    services.accept(session, hidden, board.slots[0])
    session.commit()
    url = f"/boards/{board.id}/running-order"
    auth.login_as(ours)
    assert "Dolda AB" in client.get(url).text
    auth.logout()
    auth.login_as(theirs)
    assert "Dolda AB" not in client.get(url).text
