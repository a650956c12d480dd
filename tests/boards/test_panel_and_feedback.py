"""The panel sees only its own boards and accepted pitches; feedback after the pitch; the
entrepreneur reads their own feedback, attributed or anonymous; the follow-up list."""

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from eventapp.boards import services
from eventapp.boards.models import FeedbackMode, PitchFeedback
from eventapp.boards.services import BoardError, FeedbackData
from eventapp.database import utcnow
from tests.boards.helpers import feedback_form, make_application, make_board, make_panelist
from tests.factories import make_user


def _held_board(session, **fields):
    """A board whose pitches started an hour ago, with one accepted pitch."""
    board = make_board(
        session,
        starts_at=(utcnow() - timedelta(hours=2)).replace(microsecond=0),
        deadline=utcnow() - timedelta(days=3),
        **fields,
    )
    return board


def _accepted(session, board, applicant=None, position=0):
    application = make_application(session, board, applicant)
    # Selection closes when the session starts, so place the pitch directly.
    application.status = "confirmed"
    application.slot_id = board.slots[position].id
    session.flush()
    session.refresh(application)
    return application


def test_panel_member_sees_only_own_board(client, auth, session):
    board_a = make_board(session, title="Råd A")
    board_b = make_board(session, title="Råd B")
    panelist = make_panelist(session, board_a)
    accepted_a = make_application(session, board_a)
    services.accept(session, accepted_a, board_a.slots[0])
    applied_a = make_application(session, board_a)
    accepted_b = make_application(session, board_b)
    services.accept(session, accepted_b, board_b.slots[0])
    auth.login_as(panelist)

    index = client.get("/boards/panel").text
    assert "Råd A" in index and "Råd B" not in index
    page = client.get(f"/boards/{board_a.id}/panel").text
    assert accepted_a.organisation_name in page
    assert applied_a.organisation_name not in page
    assert client.get(f"/boards/{board_b.id}/panel").status_code == 404
    assert client.get(f"/boards/{board_b.id}/applications").status_code == 403
    assert client.get(f"/boards/applications/{accepted_b.id}").status_code == 404
    assert client.get(f"/boards/applications/{accepted_b.id}/note").status_code == 404
    assert client.get(f"/boards/applications/{accepted_b.id}/give-feedback").status_code == 404
    # Not yet accepted on the own board: not for the panel either.
    assert client.get(f"/boards/applications/{applied_a.id}").status_code == 404
    assert client.get(f"/boards/applications/{accepted_a.id}").status_code == 200


def test_notes_are_private_to_each_panel_member(client, auth, session):
    board = make_board(session)
    ann = make_panelist(session, board)
    bo = make_panelist(session, board)
    application = make_application(session, board)
    services.accept(session, application, board.slots[0])
    auth.login_as(ann)
    response = client.post(
        f"/boards/applications/{application.id}/note", data={"body": "Fråga om marginaler"}
    )
    assert response.status_code == 302
    assert "Fråga om marginaler" in client.get(f"/boards/{board.id}/panel").text
    auth.logout()
    auth.login_as(bo)
    assert "Fråga om marginaler" not in client.get(f"/boards/{board.id}/panel").text
    assert "Fråga om marginaler" not in client.get(f"/boards/applications/{application.id}").text
    auth.logout()
    auth.login_as(application.applicant)
    assert "Fråga om marginaler" not in client.get(f"/boards/applications/{application.id}").text


def test_feedback_opens_when_the_pitch_has_started(client, auth, session):
    board = make_board(session)
    panelist = make_panelist(session, board)
    application = make_application(session, board)
    services.accept(session, application, board.slots[0])
    auth.login_as(panelist)
    client.post(f"/boards/applications/{application.id}/give-feedback", data=feedback_form())
    assert application.feedback == []
    seat = board.panel_members[0]
    with pytest.raises(BoardError):
        services.give_feedback(session, application, seat, FeedbackData("a", "", "", False))


def test_panel_gives_feedback_and_the_entrepreneur_reads_it_attributed(client, auth, session):
    board = _held_board(session)
    panelist = make_panelist(session, board, name="Petra Panel")
    entrepreneur = make_user(session)
    application = _accepted(session, board, entrepreneur)
    auth.login_as(panelist)
    response = client.post(
        f"/boards/applications/{application.id}/give-feedback", data=feedback_form()
    )
    assert response.status_code == 302
    # Saving again updates, never duplicates.
    client.post(
        f"/boards/applications/{application.id}/give-feedback",
        data=feedback_form(advice="Sälj till kommunen."),
    )
    session.expire_all()
    [feedback] = application.feedback
    assert feedback.advice == "Sälj till kommunen." and feedback.follow_up_wanted
    # The panel member cannot read the entrepreneur's feedback page.
    assert client.get(f"/boards/applications/{application.id}/feedback").status_code == 404
    auth.logout()
    auth.login_as(entrepreneur)
    page = client.get(f"/boards/applications/{application.id}/feedback").text
    assert "Sälj till kommunen." in page and "Petra Panel" in page


def test_anonymous_board_hides_the_names_from_the_entrepreneur(client, auth, session):
    board = _held_board(session, feedback_mode=FeedbackMode.ANONYMOUS)
    panelist = make_panelist(session, board, name="Petra Panel")
    entrepreneur = make_user(session)
    organiser = make_user(session, "organiser")
    application = _accepted(session, board, entrepreneur)
    services.give_feedback(
        session, application, board.panel_members[0], FeedbackData("Modigt", "", "", False)
    )
    auth.login_as(entrepreneur)
    page = client.get(f"/boards/applications/{application.id}/feedback").text
    assert "Modigt" in page and "Petra Panel" not in page
    auth.logout()
    auth.login_as(organiser)
    assert "Petra Panel" in client.get(f"/boards/applications/{application.id}/feedback").text
    assert panelist is not None


def test_other_entrepreneurs_cannot_read_feedback(client, auth, session):
    board = _held_board(session)
    make_panelist(session, board)
    mine = _accepted(session, board, position=0)
    other = make_user(session)
    _accepted(session, board, other, position=1)
    services.give_feedback(
        session, mine, board.panel_members[0], FeedbackData("Hemligt beröm", "", "", False)
    )
    auth.login_as(other)
    assert client.get(f"/boards/applications/{mine.id}/feedback").status_code == 404
    assert client.get(f"/boards/applications/{mine.id}").status_code == 404
    # Even a fellow pitcher's running order shows no feedback.
    assert "Hemligt beröm" not in client.get(f"/boards/{board.id}/running-order").text


def test_one_feedback_per_member_and_pitch_in_the_database(session):
    board = _held_board(session)
    make_panelist(session, board)
    application = _accepted(session, board)
    seat = board.panel_members[0]
    session.add(PitchFeedback(application_id=application.id, panel_member_id=seat.id))
    session.flush()
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(PitchFeedback(application_id=application.id, panel_member_id=seat.id))
        session.flush()


def test_follow_up_list_collects_offers_and_marks_brokered(client, auth, session):
    board = _held_board(session)
    make_panelist(session, board)
    make_panelist(session, board)
    application = _accepted(session, board)
    first, second = board.panel_members
    services.give_feedback(
        session, application, first, FeedbackData("Bra", "", "Kontakta Almi Dalarna", False)
    )
    services.give_feedback(session, application, second, FeedbackData("Bra", "", "", False))
    items = services.follow_ups(session, board)
    assert [item.panel_member_id for item in items] == [first.id]
    organiser = make_user(session, "organiser")
    auth.login_as(organiser)
    assert "Kontakta Almi Dalarna" in client.get(f"/boards/{board.id}/follow-up").text
    response = client.post(f"/boards/feedback/{items[0].id}/brokered", data={"done": "yes"})
    assert response.status_code == 302
    session.refresh(items[0])
    assert items[0].brokered_at is not None and items[0].brokered_by_id == organiser.id
    client.post(f"/boards/feedback/{items[0].id}/brokered", data={"done": "no"})
    session.refresh(items[0])
    assert items[0].brokered_at is None


def test_running_order_public_sees_only_what_pitchers_agreed_to(client, auth, session):
    board = make_board(session)
    shown = make_application(session, board, organisation_name="Synliga AB", show_publicly=True)
    hidden = make_application(session, board, organisation_name="Dolda AB")
    services.accept(session, shown, board.slots[0])
    services.accept(session, hidden, board.slots[1])
    public = client.get(f"/boards/{board.id}/running-order").text
    assert "Synliga AB" in public and "Dolda AB" not in public
    auth.login_as(shown.applicant)
    assert "Dolda AB" in client.get(f"/boards/{board.id}/running-order").text
    auth.logout()
    auth.login_as(make_user(session))  # an entrepreneur without a slot
    assert "Dolda AB" not in client.get(f"/boards/{board.id}/running-order").text


def test_guest_panel_members_and_panelist_role(client, auth, session):
    board = make_board(session)
    organiser = make_user(session, "organiser")
    plain = make_user(session, email="plain@example.org")
    panelist = make_user(session, "panelist", email="panel@example.org")
    auth.login_as(organiser)
    url = f"/boards/{board.id}/panel-members"
    client.post(url, data={"action": "user", "user-email": "plain@example.org"})
    client.post(url, data={"action": "user", "user-email": "PANEL@example.org"})
    client.post(url, data={"action": "user", "user-email": "panel@example.org"})
    client.post(
        url,
        data={
            "action": "guest",
            "guest-guest_name": "Gunilla Gäst",
            "guest-guest_title": "VD",
            "guest-guest_organisation": "Dala Invest",
        },
    )
    session.expire_all()
    members = board.panel_members
    assert [m.user_id for m in members if m.user_id] == [panelist.id]
    assert [m.display_name for m in members if not m.user_id] == ["Gunilla Gäst"]
    assert "Dala Invest" in client.get(f"/boards/{board.id}").text
    assert plain.id not in [m.user_id for m in members]
    guest = next(m for m in members if not m.user_id)
    assert client.post(f"/boards/panel-members/{guest.id}/remove").status_code == 302
    session.expire_all()
    assert len(board.panel_members) == 1
