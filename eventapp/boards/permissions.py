"""Who may see what on a board: pure predicates for views, templates and tests.

Outside a person's scope the answer is a 404 (the object is not theirs to know about):
a panel member sees only the boards they sit on and the pitches accepted there; an
entrepreneur sees only their own application and its feedback; organisers see everything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventapp.boards.models import SLOTTED
from eventapp.permissions import can_view_event, is_organiser, is_signed_in

if TYPE_CHECKING:
    from eventapp.auth.models import User
    from eventapp.boards.models import BoardSession, PanelMember, PitchApplication


def panel_seat(user: User | None, board: BoardSession) -> PanelMember | None:
    """The user's seat on the board's panel, if any."""
    if not is_signed_in(user):
        return None
    return next((member for member in board.panel_members if member.user_id == user.id), None)


def is_on_panel(user: User | None, board: BoardSession) -> bool:
    return panel_seat(user, board) is not None


def can_view_board(user: User | None, board: BoardSession) -> bool:
    """The board's public page follows its event; the panel always sees its own board."""
    return can_view_event(user, board.event) or is_on_panel(user, board)


def can_manage_board(user: User | None, board: BoardSession | None = None) -> bool:
    return is_organiser(user)


def is_applicant(user: User | None, application: PitchApplication) -> bool:
    return is_signed_in(user) and application.applicant_id == user.id


def is_pitcher(user: User | None, board: BoardSession) -> bool:
    """An entrepreneur holding an accepted or confirmed slot on this board."""
    return is_signed_in(user) and any(
        app.applicant_id == user.id and app.status in SLOTTED for app in board.applications
    )


def can_view_application(user: User | None, application: PitchApplication) -> bool:
    """The applicant, organisers, and the board's panel once the pitch is accepted."""
    if is_applicant(user, application) or is_organiser(user):
        return True
    return application.status in SLOTTED and is_on_panel(user, application.board)


def can_view_full_running_order(user: User | None, board: BoardSession) -> bool:
    """Names and ideas of every pitch: organisers, the panel and the accepted pitchers."""
    return is_organiser(user) or is_on_panel(user, board) or is_pitcher(user, board)


def can_read_feedback(user: User | None, application: PitchApplication) -> bool:
    """Feedback on a pitch is for its entrepreneur and the organisers, nobody else."""
    return is_applicant(user, application) or is_organiser(user)


def can_give_feedback(user: User | None, application: PitchApplication) -> bool:
    return application.status in SLOTTED and is_on_panel(user, application.board)


def public_pitch_details(application: PitchApplication | None) -> bool:
    """Whether the public running order may name this pitch (the pitcher agreed)."""
    return application is not None and application.show_publicly
