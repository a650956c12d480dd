"""Applying to pitch: one application per person and board, edit and withdraw until the
deadline, and friendly answers to double submits."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from eventapp.boards import services
from eventapp.boards.models import ApplicationStatus, PanelWish, PitchApplication
from eventapp.boards.services import ApplicationData, BoardError
from eventapp.database import utcnow
from eventapp.mail import send_outbox
from tests.boards.helpers import application_form, make_application, make_board
from tests.factories import make_user


def _data(**overrides) -> ApplicationData:
    values = {
        "organisation_name": "Gröna Mora",
        "idea": "Odling",
        "social_impact": "Gemenskap",
        "wants": frozenset({PanelWish.PARTNERS}),
        "other_wish": "",
        "accessibility_needs": "Hörslinga",
        "show_publicly": False,
    }
    values.update(overrides)
    return ApplicationData(**values)


def _count(session, board) -> int:
    return session.scalar(
        select(func.count())
        .select_from(PitchApplication)
        .where(PitchApplication.board_id == board.id)
    )


def test_entrepreneur_applies_and_is_told_by_mail(app, client, auth, session, smtp_server):
    board = make_board(session)
    user = make_user(session, email="asa@example.org", name="Åsa Öberg")
    auth.login_as(user)
    response = client.post(
        f"/boards/{board.id}/apply",
        data=application_form(wants=["financing", "other"], other_wish="Mentor"),
    )
    assert response.status_code == 302
    application = session.scalar(select(PitchApplication).where(PitchApplication.board == board))
    assert response.headers["Location"].endswith(f"/boards/applications/{application.id}")
    assert application.status == ApplicationStatus.APPLIED
    assert application.wants == [PanelWish.FINANCING, PanelWish.OTHER]
    assert application.other_wish == "Mentor"
    assert application.show_publicly is False
    send_outbox(app)
    [mail] = smtp_server.to("asa@example.org")
    assert "ansökan" in mail["Subject"]
    assert f"/boards/applications/{application.id}" in mail.get_body(("plain",)).get_content()


def test_anonymous_visitor_is_sent_to_login(client, session):
    board = make_board(session)
    response = client.post(f"/boards/{board.id}/apply", data=application_form())
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    assert _count(session, board) == 0


def test_double_submit_gives_one_application_and_a_friendly_message(client, auth, session):
    board = make_board(session)
    auth.login_as(make_user(session))
    first = client.post(f"/boards/{board.id}/apply", data=application_form())
    second = client.post(
        f"/boards/{board.id}/apply", data=application_form(), follow_redirects=True
    )
    assert first.status_code == 302
    assert second.status_code == 200
    assert "redan" in second.text  # "Du har redan ansökt ..."
    assert _count(session, board) == 1


def test_service_refuses_a_second_application(session):
    board = make_board(session)
    user = make_user(session)
    services.apply(session, board, user, _data())
    with pytest.raises(BoardError):
        services.apply(session, board, user, _data())


def test_database_refuses_a_second_application_row(session):
    board = make_board(session)
    user = make_user(session)
    make_application(session, board, user)
    with pytest.raises(IntegrityError), session.begin_nested():
        make_application(session, board, user)


def test_the_same_person_may_apply_to_another_board(session):
    user = make_user(session)
    services.apply(session, make_board(session), user, _data())
    services.apply(session, make_board(session), user, _data())


@pytest.mark.parametrize(
    ("offset", "open_"), [(timedelta(seconds=-1), False), (timedelta(minutes=1), True)]
)
def test_applications_close_at_the_deadline(session, offset, open_):
    board = make_board(session, deadline=utcnow() + offset)
    user = make_user(session)
    if open_:
        services.apply(session, board, user, _data())
    else:
        with pytest.raises(BoardError, match="stängd"):
            services.apply(session, board, user, _data())


def test_apply_after_deadline_through_the_page_is_refused(client, auth, session):
    board = make_board(session, deadline=utcnow() - timedelta(minutes=1))
    auth.login_as(make_user(session))
    response = client.post(
        f"/boards/{board.id}/apply", data=application_form(), follow_redirects=True
    )
    assert response.status_code == 200
    assert _count(session, board) == 0


def test_edit_until_the_deadline_then_refused(client, auth, session):
    board = make_board(session)
    user = make_user(session)
    application = make_application(session, board, user)
    auth.login_as(user)
    response = client.post(
        f"/boards/applications/{application.id}/edit",
        data=application_form(organisation_name="Nytt namn AB"),
    )
    assert response.status_code == 302
    assert application.organisation_name == "Nytt namn AB"

    board.applications_close_at = utcnow() - timedelta(seconds=1)
    session.flush()
    client.post(
        f"/boards/applications/{application.id}/edit",
        data=application_form(organisation_name="För sent AB"),
    )
    session.refresh(application)
    assert application.organisation_name == "Nytt namn AB"


def test_withdraw_before_deadline_and_apply_again(session):
    board = make_board(session)
    user = make_user(session)
    application = services.apply(session, board, user, _data())
    services.withdraw(session, application)
    assert application.status == ApplicationStatus.WITHDRAWN
    again = services.apply(session, board, user, _data(organisation_name="Igen"))
    assert again.id == application.id
    assert again.status == ApplicationStatus.APPLIED
    assert _count(session, board) == 1


def test_plain_application_cannot_be_withdrawn_after_the_deadline(session):
    board = make_board(session)
    application = make_application(session, board)
    board.applications_close_at = utcnow() - timedelta(seconds=1)
    with pytest.raises(BoardError, match="för sent"):
        services.withdraw(session, application)


def test_someone_elses_application_is_not_found(client, auth, session):
    board = make_board(session)
    application = make_application(session, board)
    auth.login_as(make_user(session))
    assert client.get(f"/boards/applications/{application.id}").status_code == 404
    assert client.get(f"/boards/applications/{application.id}/edit").status_code == 404
    assert client.post(f"/boards/applications/{application.id}/withdraw").status_code == 404
    assert client.get(f"/boards/applications/{application.id}/feedback").status_code == 404
    assert application.status == ApplicationStatus.APPLIED


def test_extra_fields_are_ignored(client, auth, session):
    board = make_board(session)
    auth.login_as(make_user(session))
    client.post(
        f"/boards/{board.id}/apply",
        data=application_form(status="confirmed", slot_id="1", applicant_id="1"),
    )
    application = session.scalar(select(PitchApplication).where(PitchApplication.board == board))
    assert application.status == ApplicationStatus.APPLIED
    assert application.slot_id is None


def test_json_body_is_refused(client, auth, session):
    board = make_board(session)
    auth.login_as(make_user(session))
    response = client.post(f"/boards/{board.id}/apply", json=application_form())
    assert response.status_code == 400
    assert _count(session, board) == 0


def test_get_on_state_changing_routes_is_405(client, auth, session):
    board = make_board(session)
    user = make_user(session)
    application = make_application(session, board, user)
    auth.login_as(user)
    assert client.get(f"/boards/applications/{application.id}/withdraw").status_code == 405
    assert client.get(f"/boards/applications/{application.id}/confirm").status_code == 405
