"""Route x role matrix for the social business boards.

Scopes: a panel member (``world.users["panelist"]``) sits on board A and on the held board,
never on board B, so board B's pitches, notes and panel page are 404 for them; the
entrepreneur owns one application on board A, an offered slot on board C and a held pitch
with feedback, and everyone else's applications and feedback are 404 for them. Organiser
pages are 403 for signed-in people without the organiser role.
"""

from __future__ import annotations

from datetime import date, timedelta

from eventapp.boards import services
from eventapp.boards.models import ApplicationStatus, PanelMember, PitchFeedback
from eventapp.database import utcnow
from tests.boards.helpers import application_form, feedback_form, make_application, make_board
from tests.factories import make_user
from tests.route_matrix import Route, World

EVERYONE = {"default": 200}
SIGNED_IN = {"anonymous": 302, "default": 200}
SIGNED_IN_POSTS = {"default": 302}
ORGANISERS = {"organiser": 200, "admin": 200, "anonymous": 302, "default": 403}
ORGANISER_POSTS = {"organiser": 302, "admin": 302, "anonymous": 302, "default": 403}
OWNER = {"entrepreneur": 200, "anonymous": 302, "default": 404}
OWNER_POSTS = {"entrepreneur": 302, "anonymous": 302, "default": 404}
OWNER_OR_ORGANISER = {
    "entrepreneur": 200,
    "organiser": 200,
    "admin": 200,
    "anonymous": 302,
    "default": 404,
}
PANEL = {"panelist": 200, "anonymous": 302, "default": 404}
PANEL_POSTS = {"panelist": 302, "anonymous": 302, "default": 404}
PANEL_OR_ORGANISER = {
    "panelist": 200,
    "organiser": 200,
    "admin": 200,
    "anonymous": 302,
    "default": 404,
}
NOBODY_BUT_ORGANISERS = {"organiser": 200, "admin": 200, "anonymous": 302, "default": 404}
NOT_FOUND = {"anonymous": 302, "default": 404}


def build(session, world: World) -> None:
    panelist = world.users["panelist"]
    entrepreneur = world.users["entrepreneur"]
    organiser = make_user(session, "organiser")
    world.board_a = make_board(session, title="Råd A", organiser=organiser, panel=[panelist])
    world.board_b = make_board(session, title="Råd B", organiser=organiser)
    world.board_c = make_board(session, title="Råd C", organiser=organiser)
    world.board_b.panel_members.append(PanelMember(user=make_user(session, "panelist")))
    world.board_c.panel_members.append(PanelMember(guest_name="Gunilla Gäst"))
    session.flush()

    world.own_application = make_application(session, world.board_a, entrepreneur)
    world.own_offer = make_application(session, world.board_c, entrepreneur)
    services.accept(session, world.own_offer, world.board_c.slots[0])
    world.accepted_a = make_application(session, world.board_a)
    services.accept(session, world.accepted_a, world.board_a.slots[0])
    world.accepted_b = make_application(session, world.board_b)
    services.accept(session, world.accepted_b, world.board_b.slots[0])
    world.to_accept = make_application(session, world.board_a)
    world.to_reserve = make_application(session, world.board_a)
    world.to_decline = make_application(session, world.board_a)

    # A board held two hours ago, with the entrepreneur's pitch and the panel's feedback.
    held = make_board(
        session,
        title="Förra rådet",
        starts_at=(utcnow() - timedelta(hours=2)).replace(microsecond=0),
        deadline=utcnow() - timedelta(days=3),
        panel=[panelist],
    )
    world.held_board = held
    world.held_pitch = make_application(
        session,
        held,
        entrepreneur,
        status=ApplicationStatus.CONFIRMED,
        slot_id=held.slots[0].id,
    )
    world.held_feedback = PitchFeedback(
        application_id=world.held_pitch.id,
        panel_member_id=held.panel_members[0].id,
        strengths="Bra",
        offers="Kontakta Almi",
    )
    session.add(world.held_feedback)
    session.flush()
    world.guest = world.board_c.panel_members[0]


def _board_form(world: World) -> dict:
    day = (date.today() + timedelta(days=30)).isoformat()
    return {
        "title": "Socialt affärsråd i Mora",
        "description": "Pitcha din idé.",
        "panel_help": "Finansiering",
        "place": "Mora Parken",
        "address": "",
        "municipality": "Mora",
        "start_date": day,
        "start_time": "13:00",
        "end_date": day,
        "end_time": "16:00",
        "slot_count": "6",
        "slot_minutes": "20",
        "first_slot_time": "13:30",
        "deadline_date": (date.today() + timedelta(days=20)).isoformat(),
        "deadline_time": "23:59",
        "feedback_mode": "anonymous",
        "capacity": "40",
        "is_public": "y",
    }


def _apps(attribute: str, suffix: str = ""):
    return lambda w: f"/boards/applications/{getattr(w, attribute).id}{suffix}"


def _board(attribute: str, suffix: str = ""):
    return lambda w: f"/boards/{getattr(w, attribute).id}{suffix}"


ROUTES = [
    Route("boards.index", "GET", lambda w: "/boards/", EVERYONE),
    Route("boards.board_detail", "GET", _board("board_a"), EVERYONE),
    Route("boards.board_detail", "GET", lambda w: "/boards/999999", {"default": 404}),
    Route("boards.running_order", "GET", _board("held_board", "/running-order"), EVERYONE),
    Route("boards.apply", "GET", _board("board_b", "/apply"), SIGNED_IN),
    Route(
        "boards.apply",
        "POST",
        _board("board_b", "/apply"),
        SIGNED_IN_POSTS,
        data=lambda w: application_form(),
    ),
    # Applications: the owner, organisers, and the board's panel once accepted.
    Route("boards.application_detail", "GET", _apps("own_application"), OWNER_OR_ORGANISER),
    Route("boards.application_detail", "GET", _apps("accepted_a"), PANEL_OR_ORGANISER),
    Route(
        "boards.application_detail",
        "GET",
        _apps("accepted_b"),
        NOBODY_BUT_ORGANISERS,
        note="a panel member of board A asks for board B's pitch",
    ),
    Route("boards.application_detail", "GET", lambda w: "/boards/applications/999999", NOT_FOUND),
    Route("boards.application_edit", "GET", _apps("own_application", "/edit"), OWNER),
    Route(
        "boards.application_edit",
        "POST",
        _apps("own_application", "/edit"),
        OWNER_POSTS,
        data=lambda w: application_form(organisation_name="Ändrat AB"),
    ),
    Route("boards.application_confirm", "POST", _apps("own_offer", "/confirm"), OWNER_POSTS),
    Route(
        "boards.application_withdraw",
        "POST",
        _apps("own_application", "/withdraw"),
        OWNER_POSTS,
    ),
    Route(
        "boards.feedback_view",
        "GET",
        _apps("held_pitch", "/feedback"),
        OWNER_OR_ORGANISER,
        note="the panel member who wrote it is 404 too: feedback is the entrepreneur's",
    ),
    Route("boards.feedback_view", "GET", _apps("accepted_a", "/feedback"), NOBODY_BUT_ORGANISERS),
    # The panel.
    Route(
        "boards.panel_index",
        "GET",
        lambda w: "/boards/panel",
        {"panelist": 200, "admin": 200, "anonymous": 302, "default": 403},
    ),
    Route("boards.panel_board", "GET", _board("board_a", "/panel"), PANEL),
    Route("boards.panel_board", "GET", _board("board_b", "/panel"), NOT_FOUND),
    Route("boards.note_edit", "GET", _apps("accepted_a", "/note"), PANEL),
    Route("boards.note_edit", "GET", _apps("accepted_b", "/note"), NOT_FOUND),
    Route("boards.note_edit", "GET", _apps("own_application", "/note"), NOT_FOUND),
    Route(
        "boards.note_edit",
        "POST",
        _apps("accepted_a", "/note"),
        PANEL_POSTS,
        data=lambda w: {"body": "Fråga om kunder"},
    ),
    Route("boards.feedback_give", "GET", _apps("held_pitch", "/give-feedback"), PANEL),
    Route("boards.feedback_give", "GET", _apps("accepted_b", "/give-feedback"), NOT_FOUND),
    Route(
        "boards.feedback_give",
        "POST",
        _apps("held_pitch", "/give-feedback"),
        PANEL_POSTS,
        data=lambda w: feedback_form(),
    ),
    # Organisers.
    Route("boards.board_new", "GET", lambda w: "/boards/new", ORGANISERS),
    Route("boards.board_new", "POST", lambda w: "/boards/new", ORGANISER_POSTS, data=_board_form),
    Route("boards.board_edit", "GET", _board("board_a", "/edit"), ORGANISERS),
    Route(
        "boards.board_edit", "POST", _board("board_b", "/edit"), ORGANISER_POSTS, data=_board_form
    ),
    Route("boards.applications", "GET", _board("board_a", "/applications"), ORGANISERS),
    Route("boards.applications", "GET", _board("board_b", "/applications"), ORGANISERS),
    Route(
        "boards.application_accept",
        "POST",
        _apps("to_accept", "/accept"),
        ORGANISER_POSTS,
        data=lambda w: {"slot": str(w.board_a.slots[3].id)},
    ),
    Route("boards.application_reserve", "POST", _apps("to_reserve", "/reserve"), ORGANISER_POSTS),
    Route("boards.application_decline", "GET", _apps("to_decline", "/decline"), ORGANISERS),
    Route(
        "boards.application_decline",
        "POST",
        _apps("to_decline", "/decline"),
        ORGANISER_POSTS,
        data=lambda w: {"message": "Tack för din ansökan."},
    ),
    Route("boards.panel_members", "GET", _board("board_a", "/panel-members"), ORGANISERS),
    Route(
        "boards.panel_members",
        "POST",
        _board("board_a", "/panel-members"),
        ORGANISERS,
        data=lambda w: {"action": "user", "user-email": "nobody@example.org"},
        note="an unknown account re-shows the form with the error",
    ),
    Route(
        "boards.panel_members",
        "POST",
        _board("board_a", "/panel-members"),
        ORGANISER_POSTS,
        data=lambda w: {"action": "guest", "guest-guest_name": "Gäst Gästsson"},
    ),
    Route(
        "boards.panel_member_remove",
        "POST",
        lambda w: f"/boards/panel-members/{w.guest.id}/remove",
        ORGANISER_POSTS,
    ),
    Route("boards.follow_up", "GET", _board("held_board", "/follow-up"), ORGANISERS),
    Route(
        "boards.feedback_brokered",
        "POST",
        lambda w: f"/boards/feedback/{w.held_feedback.id}/brokered",
        ORGANISER_POSTS,
        data=lambda w: {"done": "yes"},
    ),
]
