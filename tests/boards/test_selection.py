"""Selection: accept into a timed slot, reserve list, decline with a message, confirm, and
a withdrawal handing the slot to the first reserve, with mails and invites over real SMTP."""

from datetime import timedelta

import icalendar
import pytest
from sqlalchemy.exc import IntegrityError

from eventapp.boards import services
from eventapp.boards.models import ApplicationStatus, PitchApplication
from eventapp.boards.services import BoardError
from eventapp.database import utcnow
from eventapp.mail import send_outbox
from tests.boards.helpers import make_application, make_board
from tests.factories import make_user


def _invite(mail):
    """The calendar part of a mail, parsed back, and the MIME method."""
    part = next(p for p in mail.walk() if p.get_content_type() == "text/calendar")
    calendar = icalendar.Calendar.from_ical(part.get_content())
    return calendar, part.get_param("method")


def test_slot_times_follow_the_first_slot_and_length(session):
    board = make_board(session, slots=3, minutes=20)
    assert [slot.starts_at for slot in board.slots] == [
        board.first_slot_at + timedelta(minutes=20 * n) for n in range(3)
    ]
    assert board.slots[2].ends_at == board.first_slot_at + timedelta(minutes=60)


def test_accept_into_a_slot_mails_an_invite_with_the_slot_time(app, session, smtp_server):
    organiser = make_user(session, "organiser", email="olle@example.org")
    board = make_board(session, organiser=organiser, slots=3, minutes=20)
    user = make_user(session, email="pia@example.org", name="Pia Pitch")
    application = make_application(session, board, user)
    services.accept(session, application, board.slots[1])
    assert application.status == ApplicationStatus.ACCEPTED
    assert application.slot.starts_at == board.first_slot_at + timedelta(minutes=20)

    send_outbox(app)
    [mail] = smtp_server.to("pia@example.org")
    calendar, method = _invite(mail)
    assert method == "REQUEST" == calendar["METHOD"]
    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == board.slots[1].starts_at
    assert event.decoded("DTEND") == board.slots[1].ends_at
    assert "mailto:olle@example.org" in str(event["ORGANIZER"])
    assert "mailto:pia@example.org" in str(event["ATTENDEE"])
    uid = str(event["UID"])
    assert str(application.uid) in uid
    assert "pia" not in uid and str(user.id) != uid
    assert str(board.event.uid) not in uid


def test_uid_is_stable_per_application_and_distinct_between_them(app, session, smtp_server):
    board = make_board(session)
    first = make_application(session, board, make_user(session, email="a1@example.org"))
    second = make_application(session, board, make_user(session, email="a2@example.org"))
    services.accept(session, first, board.slots[0])
    services.accept(session, second, board.slots[1])
    services.confirm(session, first)
    send_outbox(app)
    uids_first = {
        str(_invite(m)[0].walk("VEVENT")[0]["UID"]) for m in smtp_server.to("a1@example.org")
    }
    uids_second = {
        str(_invite(m)[0].walk("VEVENT")[0]["UID"]) for m in smtp_server.to("a2@example.org")
    }
    assert len(uids_first) == 1 and len(uids_second) == 1
    assert uids_first != uids_second
    assert services.pitch_slots_for_user(session, first.applicant)[0].uid in uids_first


def test_a_slot_holds_one_pitch(session):
    board = make_board(session)
    first = make_application(session, board)
    second = make_application(session, board)
    services.accept(session, first, board.slots[0])
    with pytest.raises(BoardError, match="redan tagen"):
        services.accept(session, second, board.slots[0])
    assert second.status == ApplicationStatus.APPLIED


def test_database_refuses_two_pitches_in_one_slot(session):
    board = make_board(session)
    make_application(session, board, status=ApplicationStatus.ACCEPTED, slot_id=board.slots[0].id)
    with pytest.raises(IntegrityError), session.begin_nested():
        make_application(
            session, board, status=ApplicationStatus.ACCEPTED, slot_id=board.slots[0].id
        )


def test_database_refuses_a_slot_without_acceptance(session):
    board = make_board(session)
    with pytest.raises(IntegrityError), session.begin_nested():
        make_application(
            session, board, status=ApplicationStatus.APPLIED, slot_id=board.slots[0].id
        )


def test_database_refuses_a_slot_of_another_board(session):
    board = make_board(session)
    other = make_board(session)
    with pytest.raises(IntegrityError), session.begin_nested():
        make_application(
            session, board, status=ApplicationStatus.ACCEPTED, slot_id=other.slots[0].id
        )


def test_service_refuses_a_slot_of_another_board(session):
    board = make_board(session)
    other = make_board(session)
    application = make_application(session, board)
    with pytest.raises(BoardError):
        services.accept(session, application, other.slots[0])


def test_reserve_list_is_ordered_and_declined_get_the_message(app, session, smtp_server):
    board = make_board(session)
    first = make_application(session, board)
    second = make_application(session, board)
    declined = make_application(session, board, make_user(session, email="nej@example.org"))
    services.put_on_reserve(session, first)
    services.put_on_reserve(session, second)
    services.decline(session, declined, "Tack! Sök gärna igen i vår.")
    assert (first.reserve_position, second.reserve_position) == (1, 2)
    assert declined.status == ApplicationStatus.DECLINED
    send_outbox(app)
    [mail] = smtp_server.to("nej@example.org")
    assert "Tack! Sök gärna igen i vår." in mail.get_body(("plain",)).get_content()
    assert not any(p.get_content_type() == "text/calendar" for p in mail.walk())


def test_confirm_the_slot(app, session, smtp_server):
    board = make_board(session)
    user = make_user(session, email="conf@example.org")
    application = make_application(session, board, user)
    with pytest.raises(BoardError):
        services.confirm(session, application)
    services.accept(session, application, board.slots[0])
    services.confirm(session, application)
    assert application.status == ApplicationStatus.CONFIRMED
    assert application.confirmed_at is not None
    send_outbox(app)
    last = smtp_server.to("conf@example.org")[-1]
    calendar, method = _invite(last)
    assert method == "REQUEST"
    assert "PARTSTAT=ACCEPTED" in calendar.to_ical().decode()


def test_withdrawal_offers_the_slot_to_the_first_reserve(app, session, smtp_server):
    board = make_board(session)
    pitcher = make_application(session, board, make_user(session, email="out@example.org"))
    first = make_application(session, board, make_user(session, email="r1@example.org"))
    second = make_application(session, board, make_user(session, email="r2@example.org"))
    services.accept(session, pitcher, board.slots[2])
    services.confirm(session, pitcher)
    services.put_on_reserve(session, first)
    services.put_on_reserve(session, second)
    board.applications_close_at = utcnow() - timedelta(minutes=1)  # selected may still withdraw
    session.flush()
    smtp_server.clear()
    send_outbox(app)
    smtp_server.clear()

    promoted = services.withdraw(session, pitcher)
    assert promoted.id == first.id
    session.refresh(first)
    session.refresh(second)
    assert pitcher.status == ApplicationStatus.WITHDRAWN and pitcher.slot_id is None
    assert first.status == ApplicationStatus.ACCEPTED and first.slot.position == 2
    assert first.reserve_position is None
    assert second.status == ApplicationStatus.RESERVE and second.reserve_position == 2

    send_outbox(app)
    cancel, cancel_method = _invite(smtp_server.to("out@example.org")[-1])
    assert cancel_method == "CANCEL" == cancel["METHOD"]
    [cancelled] = cancel.walk("VEVENT")
    assert cancelled["STATUS"] == "CANCELLED"
    assert cancelled["SEQUENCE"] == 1
    assert cancelled.decoded("DTSTART") == board.slots[2].starts_at
    offer, offer_method = _invite(smtp_server.to("r1@example.org")[-1])
    assert offer_method == "REQUEST"
    assert offer.walk("VEVENT")[0].decoded("DTSTART") == board.slots[2].starts_at
    assert smtp_server.to("r2@example.org") == []


def test_nobody_is_promoted_twice(session):
    board = make_board(session)
    a = make_application(session, board)
    b = make_application(session, board)
    reserve = make_application(session, board)
    services.accept(session, a, board.slots[0])
    services.accept(session, b, board.slots[1])
    services.put_on_reserve(session, reserve)
    assert services.withdraw(session, a).id == reserve.id
    assert services.withdraw(session, b) is None
    session.refresh(reserve)
    assert reserve.slot.position == 0
    assert board.slots[1].application is None


def test_declining_an_accepted_pitch_also_frees_the_slot_for_the_reserve(session):
    board = make_board(session)
    accepted = make_application(session, board)
    reserve = make_application(session, board)
    services.accept(session, accepted, board.slots[0])
    services.put_on_reserve(session, reserve)
    services.decline(session, accepted, "Tyvärr")
    session.refresh(reserve)
    assert reserve.status == ApplicationStatus.ACCEPTED and reserve.slot_id == board.slots[0].id


def test_selection_closes_when_the_session_starts(session):
    board = make_board(session, starts_at=utcnow() - timedelta(minutes=5))
    application = make_application(session, board)
    with pytest.raises(BoardError):
        services.accept(session, application, board.slots[0])
    with pytest.raises(BoardError):
        services.withdraw(session, application)


def test_organiser_pages_accept_reserve_decline(client, auth, session):
    organiser = make_user(session, "organiser")
    board = make_board(session)
    one, two, three = (make_application(session, board) for _ in range(3))
    auth.login_as(organiser)
    assert (
        client.post(
            f"/boards/applications/{one.id}/accept", data={"slot": str(board.slots[3].id)}
        ).status_code
        == 302
    )
    assert client.post(f"/boards/applications/{two.id}/reserve").status_code == 302
    assert (
        client.post(
            f"/boards/applications/{three.id}/decline", data={"message": "Tack för ansökan"}
        ).status_code
        == 302
    )
    # A slot id from the form that is taken or of no slot: refused, no 500.
    assert (
        client.post(
            f"/boards/applications/{two.id}/accept", data={"slot": str(board.slots[3].id)}
        ).status_code
        == 302
    )
    assert (
        client.post(f"/boards/applications/{two.id}/accept", data={"slot": "999999"}).status_code
        == 302
    )
    for application in (one, two, three):
        session.refresh(application)
    assert one.status == ApplicationStatus.ACCEPTED and one.slot.position == 3
    assert two.status == ApplicationStatus.RESERVE
    assert three.status == ApplicationStatus.DECLINED
    assert three.decline_message == "Tack för ansökan"


def test_decline_without_a_message_is_refused(client, auth, session):
    organiser = make_user(session, "organiser")
    board = make_board(session)
    application = make_application(session, board)
    auth.login_as(organiser)
    response = client.post(f"/boards/applications/{application.id}/decline", data={"message": " "})
    assert response.status_code == 200
    session.refresh(application)
    assert application.status == ApplicationStatus.APPLIED


def test_pitcher_confirms_through_the_page(client, auth, session):
    board = make_board(session)
    user = make_user(session)
    application = make_application(session, board, user)
    services.accept(session, application, board.slots[0])
    auth.login_as(user)
    assert client.post(f"/boards/applications/{application.id}/confirm").status_code == 302
    session.refresh(application)
    assert application.status == ApplicationStatus.CONFIRMED


def test_pitch_slots_for_user_lists_only_own_accepted_slots(session):
    board = make_board(session, place="Falu Rådhus")
    user = make_user(session)
    mine = make_application(session, board, user)
    other = make_application(session, board)
    assert services.pitch_slots_for_user(session, user) == []
    services.accept(session, mine, board.slots[1])
    services.accept(session, other, board.slots[0])
    [item] = services.pitch_slots_for_user(session, user)
    uid, title, start, end, place = item
    assert uid == services.pitch_uid(mine)
    assert (start, end) == (board.slots[1].starts_at, board.slots[1].ends_at)
    assert place == "Falu Rådhus"
    assert board.event.title in title
    board.event.status = "cancelled"
    session.flush()
    assert services.pitch_slots_for_user(session, user) == []


def test_slot_invite_survives_line_breaks_in_titles(app, session, smtp_server):
    board = make_board(session, title="Råd\r\nATTENDEE:mailto:x@evil.example")
    user = make_user(session, email="safe@example.org")
    application = make_application(session, board, user)
    services.accept(session, application, board.slots[0])
    send_outbox(app)
    calendar, _ = _invite(smtp_server.to("safe@example.org")[-1])
    [event] = calendar.walk("VEVENT")
    attendees = event.get("ATTENDEE")
    assert not isinstance(attendees, list)
    assert "evil" not in str(attendees)


def test_pitch_application_model_repr(session):
    board = make_board(session)
    assert "PitchApplication" in repr(make_application(session, board))
    assert isinstance(board.applications[0], PitchApplication)
