"""Sign-up pages on the calendar blueprint, for every kind of event.

A participant signs up and cancels from the event page and sees "Mina anmälningar";
organisers see the participant and waiting lists, export them as CSV, cancel a sign-up
with a reason and mark attendance at the door.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from eventapp.auth.models import Role, User
from eventapp.calendar import services
from eventapp.calendar.models import Event, Signup, SignupStatus
from eventapp.calendar.services import SignupError
from eventapp.calendar.signup_forms import (
    AttendanceForm,
    AttendanceSearchForm,
    CancelSignupForm,
    OrganiserCancelSignupForm,
    SignupForm,
    attendance_value,
)
from eventapp.calendar.views import bp, get_event_or_404, get_managed_event_or_404
from eventapp.extensions import db, limiter
from eventapp.i18n import to_local
from eventapp.permissions import is_signed_in, role_required
from eventapp.security import is_safe_redirect
from eventapp.spreadsheets import csv_download

NAIVE_FLAG = "SIGNUP_NAIVE_CHECK_THEN_INSERT"


@bp.record_once
def _refuse_naive_outside_tests(state) -> None:
    """The naive sign-up path overbooks on purpose; it must never run outside tests."""
    config = state.app.config
    if config.get(NAIVE_FLAG) and config.get("ENVIRONMENT") != "testing":
        raise RuntimeError(f"{NAIVE_FLAG} is only allowed with ENVIRONMENT=testing.")


def _naive() -> bool:
    return bool(current_app.config.get(NAIVE_FLAG)) and (
        current_app.config.get("ENVIRONMENT") == "testing"
    )


def _account_key() -> str:
    return f"signup-user:{current_user.get_id() if is_signed_in(current_user) else 'anon'}"


def _back_to_event(event: Event, target: str | None = None):
    if is_safe_redirect(target):
        return redirect(target)
    return redirect(url_for("calendar.event_detail", uid=event.uid))


# --- the panel on every event page ----------------------------------------------------------


@dataclass
class SignupPanel:
    """What the event page shows about signing up, for the person looking at it."""

    event: Event
    signup: Signup | None
    position: int | None
    closed_reason: str | None
    can_cancel: bool
    visible_participants: list[User]
    signup_form: SignupForm
    cancel_form: CancelSignupForm


@bp.app_context_processor
def _signup_panel_helper():
    def signup_panel(event: Event) -> SignupPanel:
        signup = position = None
        if is_signed_in(current_user):
            signup = services.active_signup(db.session, event, current_user)
            position = services.waitlist_position(db.session, signup) if signup else None
        visible = (
            list(services.visible_participants(db.session, event))
            if is_signed_in(current_user)
            else []
        )
        return SignupPanel(
            event=event,
            signup=signup,
            position=position,
            closed_reason=services.signup_closed_reason(event),
            can_cancel=bool(signup and services.can_cancel_own(signup)),
            visible_participants=visible,
            signup_form=SignupForm(formdata=None, next=request.path),
            cancel_form=CancelSignupForm(formdata=None, next=request.path),
        )

    return {"signup_panel": signup_panel}


# --- participants ---------------------------------------------------------------------------


@bp.post("/events/<uuid:uid>/signup")
@login_required
@limiter.limit(
    lambda: current_app.config.get("SIGNUP_LIMIT_PER_ACCOUNT", "30 per minute"),
    key_func=_account_key,
)
def signup(uid: uuid.UUID):
    event = get_event_or_404(uid)
    form = SignupForm()
    if not form.validate_on_submit():
        flash(_("The sign-up could not be sent. Please try again."), "error")
        return _back_to_event(event)
    try:
        outcome = services.sign_up(
            db.session,
            event,
            current_user,
            show_in_participant_list=bool(form.show_in_participant_list.data),
            naive_check_then_insert=_naive(),
        )
    except SignupError as error:
        flash(error.message, "error")
        return _back_to_event(event, form.next.data)
    if form.show_in_participant_list.data:
        # Imported here: the privacy package reads every area's models, calendar included.
        from eventapp.privacy.consents import record_signup_form_choice

        record_signup_form_choice(db.session, current_user, event.id)
    db.session.commit()
    if outcome.confirmed:
        flash(_("You have a seat. A confirmation with a calendar invite is on its way."), "success")
    else:
        flash(
            _(
                "The event is full. You are number %(position)d on the waiting list; we will "
                "e-mail you if a seat becomes free.",
                position=outcome.position,
            ),
            "success",
        )
    return _back_to_event(event, form.next.data)


@bp.post("/events/<uuid:uid>/signup/cancel")
@login_required
def signup_cancel(uid: uuid.UUID):
    event = get_event_or_404(uid)
    form = CancelSignupForm()
    signup = services.active_signup(db.session, event, current_user)
    if not form.validate_on_submit() or signup is None:
        flash(_("You have no sign-up to cancel for this event."), "error")
        return _back_to_event(event, form.next.data)
    try:
        services.cancel_signup(db.session, signup, current_user)
    except SignupError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Your sign-up is cancelled."), "success")
    return _back_to_event(event, form.next.data)


@bp.get("/my-signups")
@login_required
def my_signups():
    upcoming, past = services.my_signups(db.session, current_user)
    positions = services.waitlist_positions(db.session, upcoming)
    return render_template(
        "calendar/my_signups.html",
        upcoming=upcoming,
        past=past,
        positions=positions,
        can_cancel=services.can_cancel_own,
        cancel_form=CancelSignupForm(formdata=None, next=request.path),
    )


# --- organisers -----------------------------------------------------------------------------


def _event_signup_or_404(event: Event, signup_id: int) -> Signup:
    signup = db.session.get(Signup, signup_id)
    if signup is None or signup.event_id != event.id:
        abort(404)
    return signup


@bp.get("/events/<uuid:uid>/participants")
@role_required(Role.ORGANISER)
def participants(uid: uuid.UUID):
    event = get_managed_event_or_404(uid)
    lists = services.participant_lists(db.session, event)
    return render_template("calendar/attendance_participants.html", event=event, lists=lists)


@bp.get("/events/<uuid:uid>/participants.csv")
@role_required(Role.ORGANISER)
def participants_csv(uid: uuid.UUID):
    """The lists as CSV for Excel: UTF-8 with a BOM and ';' (Swedish Excel's separator)."""
    event = get_managed_event_or_404(uid)
    lists = services.participant_lists(db.session, event)
    header = [
        _("Status"),
        _("Place on the waiting list"),
        _("Name"),
        _("E-mail"),
        _("Organisation"),
        _("Signed up"),
        _("Attendance"),
    ]
    rows = [(s, None) for s in lists.confirmed]
    rows += [(s, n) for n, s in enumerate(lists.waitlisted, start=1)]
    rows += [(s, None) for s in lists.cancelled]
    lines = [header]
    for signup, position in rows:
        user = signup.user
        lines.append(
            (
                signup.status.label,
                position if position is not None else "",
                user.name,
                user.email,
                user.organisation.name if user.organisation else "",
                to_local(signup.created_at).strftime("%Y-%m-%d %H:%M"),
                signup.attendance.label if signup.status == SignupStatus.CONFIRMED else "",
            )
        )
    filename = f"deltagare-{to_local(event.starts_at):%Y-%m-%d}-{event.id}.csv"
    return csv_download(lines, filename)


@bp.route("/events/<uuid:uid>/signups/<int:signup_id>/cancel", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def signup_cancel_by_organiser(uid: uuid.UUID, signup_id: int):
    event = get_managed_event_or_404(uid)
    signup = _event_signup_or_404(event, signup_id)
    form = OrganiserCancelSignupForm()
    if form.validate_on_submit():
        try:
            services.cancel_signup(
                db.session, signup, current_user, reason=form.reason.data, by_organiser=True
            )
        except SignupError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The sign-up is cancelled and the participant is told."), "success")
        return redirect(url_for("calendar.participants", uid=event.uid))
    return render_template("calendar/attendance_cancel.html", event=event, signup=signup, form=form)


@bp.get("/events/<uuid:uid>/attendance")
@role_required(Role.ORGANISER)
def attendance(uid: uuid.UUID):
    event = get_managed_event_or_404(uid)
    search = AttendanceSearchForm(request.args)
    term = search.q.data if search.validate() else ""
    signups = services.search_confirmed(db.session, event, term or "")
    return render_template(
        "calendar/attendance.html",
        event=event,
        search=search,
        term=term or "",
        signups=signups,
        is_open=services.attendance_open(event),
        form=AttendanceForm(formdata=None),
    )


@bp.post("/events/<uuid:uid>/attendance/<int:signup_id>")
@role_required(Role.ORGANISER)
def attendance_mark(uid: uuid.UUID, signup_id: int):
    event = get_managed_event_or_404(uid)
    signup = _event_signup_or_404(event, signup_id)
    form = AttendanceForm()
    if not form.validate_on_submit():
        flash(_("Choose present, absent or excused."), "error")
    else:
        try:
            services.mark_attendance(db.session, signup, attendance_value(form), current_user)
        except SignupError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                _(
                    "Attendance saved for %(name)s: %(attendance)s.",
                    name=signup.user.name,
                    attendance=signup.attendance.label,
                ),
                "success",
            )
    query = {"q": form.q.data} if form.q.data else {}
    return redirect(
        url_for("calendar.attendance", uid=event.uid, **query, _anchor=f"signup-{signup.id}")
    )
