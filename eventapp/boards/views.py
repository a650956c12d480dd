"""Board pages under /boards/: the public board page and running order, applying, the
panel's pages, feedback, and the organisers' selection and follow-up pages."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eventapp.actions import attempt
from eventapp.auth.models import Role, User
from eventapp.boards import services
from eventapp.boards.forms import (
    AcceptForm,
    ActionForm,
    ApplicationForm,
    BoardForm,
    BrokeredForm,
    DeclineForm,
    FeedbackForm,
    NoteForm,
    PanelGuestForm,
    PanelUserForm,
)
from eventapp.boards.models import (
    BoardSession,
    FeedbackMode,
    PanelMember,
    PitchApplication,
    PitchFeedback,
)
from eventapp.boards.permissions import (
    can_give_feedback,
    can_manage_board,
    can_read_feedback,
    can_view_application,
    can_view_board,
    can_view_full_running_order,
    is_applicant,
    panel_seat,
    public_pitch_details,
)
from eventapp.extensions import db
from eventapp.i18n import format_time, to_local
from eventapp.permissions import is_organiser, is_signed_in, role_required

bp = Blueprint("boards", __name__, url_prefix="/boards")


@bp.before_request
def _forms_only():
    """Board pages take HTML form posts only; a JSON body is refused rather than parsed."""
    if request.method == "POST" and request.mimetype not in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "",
    ):
        abort(400)


@bp.context_processor
def _board_permissions():
    return {
        "can_manage_board": can_manage_board,
        "can_view_full_running_order": can_view_full_running_order,
        "can_read_feedback": can_read_feedback,
        "public_pitch_details": public_pitch_details,
        "panel_seat": panel_seat,
        "FeedbackMode": FeedbackMode,
    }


# --- loading, scoped to what the current user may see -----------------------------------------


def get_board_or_404(board_id: int) -> BoardSession:
    board = db.session.get(BoardSession, board_id)
    if board is None or not can_view_board(current_user, board):
        abort(404)
    return board


def get_managed_board_or_404(board_id: int) -> BoardSession:
    board = get_board_or_404(board_id)
    if not can_manage_board(current_user, board):
        abort(403)
    return board


def get_application_or_404(application_id: int) -> PitchApplication:
    application = db.session.get(PitchApplication, application_id)
    if application is None or not can_view_application(current_user, application):
        abort(404)
    return application


def get_own_application_or_404(application_id: int) -> PitchApplication:
    application = db.session.get(PitchApplication, application_id)
    if application is None or not is_applicant(current_user, application):
        abort(404)
    return application


def get_managed_application_or_404(application_id: int) -> PitchApplication:
    application = db.session.get(PitchApplication, application_id)
    if application is None:
        abort(404)
    if not can_manage_board(current_user, application.board):
        abort(403)
    return application


def get_panel_application_or_404(application_id: int) -> tuple[PitchApplication, PanelMember]:
    """A pitch on a board the current user sits on, with their seat; else 404."""
    application = db.session.get(PitchApplication, application_id)
    if application is None or not can_give_feedback(current_user, application):
        abort(404)
    return application, panel_seat(current_user, application.board)


def _slot_label(slot) -> str:
    return _(
        "Slot %(number)d, %(start)s–%(end)s",
        number=slot.number,
        start=format_time(slot.starts_at),
        end=format_time(slot.ends_at),
    )


# --- public and entrepreneurs -------------------------------------------------------------------


@bp.get("/")
def index():
    organiser = is_organiser(current_user)
    signed_in = is_signed_in(current_user)
    return render_template(
        "boards/index.html",
        upcoming=services.upcoming_boards(db.session, include_unlisted=organiser),
        past=services.past_boards(db.session, include_unlisted=organiser),
        mine=_my_applications() if signed_in else [],
        panel=services.boards_on_panel(db.session, current_user) if signed_in else [],
    )


def _my_applications() -> list[PitchApplication]:
    return list(
        db.session.scalars(
            select(PitchApplication)
            .where(PitchApplication.applicant_id == current_user.id)
            .order_by(PitchApplication.id.desc())
            .options(selectinload(PitchApplication.board).joinedload(BoardSession.event))
        )
    )


@bp.get("/<int:board_id>")
def board_detail(board_id: int):
    board = get_board_or_404(board_id)
    mine = (
        services.application_of(db.session, board, current_user)
        if is_signed_in(current_user)
        else None
    )
    return render_template("boards/board_detail.html", board=board, mine=mine)


@bp.get("/<int:board_id>/running-order")
def running_order(board_id: int):
    """Everyone sees the times; only the panel, pitchers and organisers see every pitch."""
    board = get_board_or_404(board_id)
    return render_template(
        "boards/running_order.html",
        board=board,
        full=can_view_full_running_order(current_user, board),
    )


@bp.route("/<int:board_id>/apply", methods=["GET", "POST"])
@login_required
def apply(board_id: int):
    board = get_board_or_404(board_id)
    existing = services.application_of(db.session, board, current_user)
    if existing is not None and existing.is_active:
        flash(_("You have already applied to this board. Here is your application."), "info")
        return redirect(url_for("boards.application_detail", application_id=existing.id))
    if not board.applications_open():
        flash(_("Applications for this board are closed."), "error")
        return redirect(url_for("boards.board_detail", board_id=board.id))
    form = ApplicationForm()
    if request.method == "GET" and current_user.organisation is not None:
        form.organisation_name.data = current_user.organisation.name
    if form.validate_on_submit():
        applied = attempt(services.apply, db.session, board, current_user, form.application_data())
        if not applied:
            return redirect(url_for("boards.board_detail", board_id=board_id))
        flash(_("Thank you! Your application is sent."), "success")
        return redirect(url_for("boards.application_detail", application_id=applied.value.id))
    return render_template("boards/application_form.html", form=form, board=board, application=None)


@bp.get("/applications/<int:application_id>")
@login_required
def application_detail(application_id: int):
    application = get_application_or_404(application_id)
    return render_template(
        "boards/application_detail.html",
        application=application,
        board=application.board,
        action_form=ActionForm(),
        own=is_applicant(current_user, application),
    )


@bp.route("/applications/<int:application_id>/edit", methods=["GET", "POST"])
@login_required
def application_edit(application_id: int):
    application = get_own_application_or_404(application_id)
    form = ApplicationForm(obj=_ApplicationFormData(application))
    if form.validate_on_submit():
        if attempt(services.edit_application, db.session, application, form.application_data()):
            flash(_("Your application is saved."), "success")
        return redirect(url_for("boards.application_detail", application_id=application.id))
    return render_template(
        "boards/application_form.html", form=form, board=application.board, application=application
    )


@bp.post("/applications/<int:application_id>/withdraw")
@login_required
def application_withdraw(application_id: int):
    application = get_own_application_or_404(application_id)
    if ActionForm().validate_on_submit() and attempt(services.withdraw, db.session, application):
        flash(_("Your application is withdrawn."), "success")
    return redirect(url_for("boards.application_detail", application_id=application.id))


@bp.post("/applications/<int:application_id>/confirm")
@login_required
def application_confirm(application_id: int):
    application = get_own_application_or_404(application_id)
    if ActionForm().validate_on_submit() and attempt(services.confirm, db.session, application):
        flash(_("Your slot is confirmed. See you there!"), "success")
    return redirect(url_for("boards.application_detail", application_id=application.id))


@bp.get("/applications/<int:application_id>/feedback")
@login_required
def feedback_view(application_id: int):
    application = db.session.get(PitchApplication, application_id)
    if application is None or not can_read_feedback(current_user, application):
        abort(404)
    return render_template(
        "boards/feedback_view.html",
        application=application,
        board=application.board,
        attributed=application.board.feedback_mode == FeedbackMode.ATTRIBUTED
        or is_organiser(current_user),
    )


# --- the panel --------------------------------------------------------------------------------


@bp.get("/panel")
@role_required(Role.PANELIST)
def panel_index():
    return render_template(
        "boards/panel_index.html", boards=services.boards_on_panel(db.session, current_user)
    )


@bp.get("/<int:board_id>/panel")
@login_required
def panel_board(board_id: int):
    board = db.session.get(BoardSession, board_id)
    seat = panel_seat(current_user, board) if board is not None else None
    if seat is None:
        abort(404)
    pitches = [app for app in board.applications if app.has_slot]
    pitches.sort(key=lambda app: app.slot.position)
    notes = {app.id: services.note_of(db.session, app, seat) for app in pitches}
    feedback = {app.id: services.feedback_of(db.session, app, seat) for app in pitches}
    return render_template(
        "boards/panel_board.html",
        board=board,
        pitches=pitches,
        notes=notes,
        feedback=feedback,
        feedback_open=services.feedback_open,
    )


@bp.route("/applications/<int:application_id>/note", methods=["GET", "POST"])
@login_required
def note_edit(application_id: int):
    application, seat = get_panel_application_or_404(application_id)
    note = services.note_of(db.session, application, seat)
    form = NoteForm(obj=note)
    if form.validate_on_submit() and attempt(
        services.save_note, db.session, application, seat, form.body.data or ""
    ):
        flash(_("Your notes are saved."), "success")
        return redirect(url_for("boards.panel_board", board_id=application.board_id))
    return render_template(
        "boards/note_form.html", form=form, application=application, board=application.board
    )


@bp.route("/applications/<int:application_id>/give-feedback", methods=["GET", "POST"])
@login_required
def feedback_give(application_id: int):
    application, seat = get_panel_application_or_404(application_id)
    is_open = services.feedback_open(application)
    form = FeedbackForm(obj=services.feedback_of(db.session, application, seat))
    if is_open and form.validate_on_submit():
        if attempt(services.give_feedback, db.session, application, seat, form.feedback_data()):
            flash(_("Thank you! Your feedback is saved."), "success")
            return redirect(url_for("boards.panel_board", board_id=application.board_id))
    elif request.method == "POST" and not is_open:
        flash(_("Feedback opens when the pitch has started."), "error")
        return redirect(url_for("boards.panel_board", board_id=application.board_id))
    return render_template(
        "boards/feedback_form.html",
        form=form,
        application=application,
        board=application.board,
        is_open=is_open,
    )


# --- organisers -------------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def board_new():
    form = BoardForm()
    if form.validate_on_submit() and (
        created := attempt(
            services.create_board,
            db.session,
            form.details(),
            form.board_details(),
            current_user,
            field=form.first_slot_time,
        )
    ):
        flash(_("The board session is created."), "success")
        return redirect(url_for("boards.board_detail", board_id=created.value.id))
    return render_template("boards/board_form.html", form=form, board=None)


@bp.route("/<int:board_id>/edit", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def board_edit(board_id: int):
    board = get_managed_board_or_404(board_id)
    form = BoardForm(obj=_BoardFormData(board))
    if form.validate_on_submit() and attempt(
        services.update_board,
        db.session,
        board,
        form.details(),
        form.board_details(),
        field=form.first_slot_time,
    ):
        flash(_("The board session is saved."), "success")
        return redirect(url_for("boards.board_detail", board_id=board.id))
    return render_template("boards/board_form.html", form=form, board=board)


@bp.get("/<int:board_id>/applications")
@role_required(Role.ORGANISER)
def applications(board_id: int):
    board = get_managed_board_or_404(board_id)
    free = [(slot.id, _slot_label(slot)) for slot in board.slots if slot.application is None]
    return render_template(
        "boards/applications.html",
        board=board,
        accept_form=AcceptForm(slots=free),
        action_form=ActionForm(),
        free_slots=free,
    )


@bp.post("/applications/<int:application_id>/accept")
@role_required(Role.ORGANISER)
def application_accept(application_id: int):
    application = get_managed_application_or_404(application_id)
    board = application.board
    form = AcceptForm(slots=[(slot.id, _slot_label(slot)) for slot in board.slots])
    if form.validate_on_submit():
        slot = next((s for s in board.slots if str(s.id) == form.slot.data), None)
        if attempt(services.accept, db.session, application, slot):
            flash(_("The application is accepted and the entrepreneur is told."), "success")
    else:
        flash(_("Choose a slot."), "error")
    return redirect(url_for("boards.applications", board_id=board.id))


@bp.post("/applications/<int:application_id>/reserve")
@role_required(Role.ORGANISER)
def application_reserve(application_id: int):
    application = get_managed_application_or_404(application_id)
    if ActionForm().validate_on_submit() and attempt(
        services.put_on_reserve, db.session, application
    ):
        flash(_("The application is on the reserve list."), "success")
    return redirect(url_for("boards.applications", board_id=application.board_id))


@bp.route("/applications/<int:application_id>/decline", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def application_decline(application_id: int):
    application = get_managed_application_or_404(application_id)
    form = DeclineForm()
    if form.validate_on_submit():
        if attempt(services.decline, db.session, application, form.message.data):
            flash(_("The application is declined and the entrepreneur is told."), "success")
        return redirect(url_for("boards.applications", board_id=application.board_id))
    return render_template(
        "boards/decline.html", form=form, application=application, board=application.board
    )


@bp.route("/<int:board_id>/panel-members", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def panel_members(board_id: int):
    board = get_managed_board_or_404(board_id)
    user_form = PanelUserForm(prefix="user")
    guest_form = PanelGuestForm(prefix="guest")
    action = request.form.get("action")
    added = False
    if action == "user" and user_form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.email == user_form.email.data.lower()))
        if user is None:
            user_form.email.errors.append(_("There is no account with this e-mail address."))
        else:
            added = attempt(services.add_panel_user, db.session, board, user)
    elif action == "guest" and guest_form.validate_on_submit():
        added = attempt(
            services.add_panel_guest,
            db.session,
            board,
            guest_form.guest_name.data,
            guest_form.guest_organisation.data or "",
            guest_form.guest_title.data or "",
        )
    if added:
        flash(_("The panel member is added."), "success")
        return redirect(url_for("boards.panel_members", board_id=board.id))
    return render_template(
        "boards/panel_members.html",
        board=board,
        user_form=user_form,
        guest_form=guest_form,
        action_form=ActionForm(),
    )


@bp.post("/panel-members/<int:member_id>/remove")
@role_required(Role.ORGANISER)
def panel_member_remove(member_id: int):
    member = db.session.get(PanelMember, member_id)
    if member is None:
        abort(404)
    board_id = member.board_id
    if ActionForm().validate_on_submit() and attempt(
        services.remove_panel_member, db.session, member
    ):
        flash(_("The panel member is removed."), "success")
    return redirect(url_for("boards.panel_members", board_id=board_id))


@bp.get("/<int:board_id>/follow-up")
@role_required(Role.ORGANISER)
def follow_up(board_id: int):
    board = get_managed_board_or_404(board_id)
    return render_template(
        "boards/follow_up.html",
        board=board,
        items=services.follow_ups(db.session, board),
        action_form=ActionForm(),
    )


@bp.post("/feedback/<int:feedback_id>/brokered")
@role_required(Role.ORGANISER)
def feedback_brokered(feedback_id: int):
    feedback = db.session.get(PitchFeedback, feedback_id)
    if feedback is None:
        abort(404)
    form = BrokeredForm()
    if form.validate_on_submit() and attempt(
        services.mark_brokered, db.session, feedback, current_user, form.done.data == "yes"
    ):
        flash(_("The follow-up list is updated."), "success")
    return redirect(url_for("boards.follow_up", board_id=feedback.application.board_id))


# --- form data ----------------------------------------------------------------------------------


class _ApplicationFormData:
    def __init__(self, application: PitchApplication):
        self.organisation_name = application.organisation_name
        self.idea = application.idea
        self.social_impact = application.social_impact
        self.wants = [wish.value for wish in application.wants]
        self.other_wish = application.other_wish
        self.accessibility_needs = application.accessibility_needs
        self.show_publicly = application.show_publicly


class _BoardFormData:
    """A board's stored values in the shape of the form (local dates and times)."""

    def __init__(self, board: BoardSession):
        event = board.event
        starts, ends = to_local(event.starts_at), to_local(event.ends_at)
        deadline = to_local(board.applications_close_at)
        self.kind = event.kind.value
        self.title = event.title
        self.description = event.description
        self.place = event.place
        self.address = event.address
        self.municipality = event.municipality or ""
        self.start_date, self.start_time = starts.date(), starts.time()
        self.end_date, self.end_time = ends.date(), ends.time()
        self.capacity = event.capacity
        self.is_public = event.is_public
        self.panel_help = board.panel_help
        self.slot_count = board.slot_count
        self.slot_minutes = board.slot_minutes
        self.first_slot_time = to_local(board.first_slot_at).time()
        self.deadline_date, self.deadline_time = deadline.date(), deadline.time()
        self.feedback_mode = board.feedback_mode.value
