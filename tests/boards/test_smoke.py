"""Quick check that every board page renders for the people who may see it."""

from eventapp.boards import services
from tests.boards.helpers import make_application, make_board, make_panelist
from tests.factories import make_user


def test_pages_render(client, auth, session):
    organiser = make_user(session, "organiser")
    board = make_board(session, organiser=organiser)
    panelist = make_panelist(session, board)
    application = make_application(session, board)
    services.accept(session, application, board.slots[0])
    auth.login_as(organiser)
    for path in (
        "/boards/",
        f"/boards/{board.id}",
        f"/boards/{board.id}/running-order",
        f"/boards/{board.id}/applications",
        f"/boards/{board.id}/panel-members",
        f"/boards/{board.id}/follow-up",
        f"/boards/{board.id}/edit",
        "/boards/new",
        f"/boards/applications/{application.id}",
        f"/boards/applications/{application.id}/decline",
        f"/boards/applications/{application.id}/feedback",
    ):
        assert client.get(path).status_code == 200, path
    auth.logout()
    auth.login_as(panelist)
    for path in (
        "/boards/panel",
        f"/boards/{board.id}/panel",
        f"/boards/applications/{application.id}/note",
        f"/boards/applications/{application.id}/give-feedback",
    ):
        assert client.get(path).status_code == 200, path
