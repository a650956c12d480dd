"""Lab pages under /labs/: series and their sessions; organisers create, edit, copy and
cancel them. Signing up happens through the calendar's sign-up panel on the session page."""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventapp.actions import attempt
from eventapp.auth.models import Role
from eventapp.calendar.models import Event
from eventapp.extensions import db
from eventapp.i18n import to_local
from eventapp.labs import services
from eventapp.labs.forms import ActionForm, CancelForm, SeriesForm, SessionForm
from eventapp.labs.models import LabSeries, LabSession
from eventapp.paging import page_number
from eventapp.permissions import can_view_event, is_organiser, role_required

bp = Blueprint("labs", __name__, url_prefix="/labs")


def get_series_or_404(series_id: int) -> LabSeries:
    series = db.session.get(LabSeries, series_id)
    if series is None:
        abort(404)
    return series


def get_session_or_404(uid: uuid.UUID) -> LabSession:
    """A lab session the current user may see; unlisted ones exist for organisers only."""
    lab_session = db.session.scalar(
        db.select(LabSession).join(LabSession.event).where(Event.uid == uid)
    )
    if lab_session is None or not can_view_event(current_user, lab_session.event):
        abort(404)
    return lab_session


@bp.get("/")
def index():
    listing = services.series_page(db.session, page_number())
    return render_template("labs/index.html", listing=listing)


@bp.get("/series/<int:series_id>")
def series_detail(series_id: int):
    series = get_series_or_404(series_id)
    sessions = services.sessions_of(series, include_unlisted=is_organiser(current_user))
    return render_template(
        "labs/series_detail.html", series=series, sessions=sessions, copy_form=ActionForm()
    )


@bp.route("/series/new", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def series_new():
    form = SeriesForm()
    if form.validate_on_submit():
        series = services.create_series(db.session, form.details(), current_user)
        db.session.commit()
        flash(_("The lab series is created. Now add its sessions."), "success")
        return redirect(url_for("labs.series_detail", series_id=series.id))
    return render_template("labs/series_form.html", form=form, series=None)


@bp.route("/series/<int:series_id>/edit", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def series_edit(series_id: int):
    series = get_series_or_404(series_id)
    form = SeriesForm(obj=series)
    if form.validate_on_submit() and attempt(
        services.update_series, db.session, series, form.details(), field=form.title
    ):
        flash(_("The lab series is saved."), "success")
        return redirect(url_for("labs.series_detail", series_id=series.id))
    return render_template("labs/series_form.html", form=form, series=series)


@bp.post("/series/<int:series_id>/copy")
@role_required(Role.ORGANISER)
def series_copy(series_id: int):
    series = get_series_or_404(series_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    copy = services.copy_series(db.session, series, current_user)
    db.session.commit()
    flash(_("A copy of the series is created. Check the texts and add sessions."), "success")
    return redirect(url_for("labs.series_edit", series_id=copy.id))


@bp.route("/series/<int:series_id>/cancel", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def series_cancel(series_id: int):
    series = get_series_or_404(series_id)
    form = CancelForm()
    if form.validate_on_submit():
        if attempt(services.cancel_series, db.session, series, form.reason.data, current_user):
            flash(_("The series and its coming sessions are cancelled."), "success")
        return redirect(url_for("labs.series_detail", series_id=series.id))
    return render_template("labs/cancel.html", form=form, series=series, lab_session=None)


def _session_form_defaults(series: LabSeries) -> dict:
    return {
        "title": series.title,
        "place": series.default_place,
        "address": series.default_address,
        "municipality": series.municipality or "",
        "capacity": series.default_capacity,
        "description": series.description,
    }


@bp.route("/series/<int:series_id>/sessions/new", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def session_new(series_id: int):
    series = get_series_or_404(series_id)
    form = SessionForm(data=_session_form_defaults(series))
    return _save_new_session(series, form, copied_from=None)


@bp.route("/sessions/<uuid:uid>/copy", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def session_copy(uid: uuid.UUID):
    """A new session prefilled from this one, a week later."""
    original = get_session_or_404(uid)
    form = SessionForm(obj=_SessionFormData(original.event, shift=timedelta(days=7)))
    return _save_new_session(original.series, form, copied_from=original)


def _save_new_session(series: LabSeries, form: SessionForm, copied_from: LabSession | None):
    if form.validate_on_submit() and (
        created := attempt(
            services.create_session,
            db.session,
            series,
            form.details(),
            current_user,
            field=form.start_date,
        )
    ):
        flash(_("The session is created."), "success")
        return redirect(url_for("labs.session_detail", uid=created.value.event.uid))
    return render_template(
        "labs/session_form.html",
        form=form,
        series=series,
        lab_session=None,
        copied_from=copied_from,
    )


@bp.get("/sessions/<uuid:uid>")
def session_detail(uid: uuid.UUID):
    lab_session = get_session_or_404(uid)
    return render_template(
        "labs/session_detail.html",
        event=lab_session.event,
        lab_session=lab_session,
        series=lab_session.series,
    )


@bp.route("/sessions/<uuid:uid>/edit", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def session_edit(uid: uuid.UUID):
    lab_session = get_session_or_404(uid)
    form = SessionForm(obj=_SessionFormData(lab_session.event))
    if form.validate_on_submit() and attempt(
        services.update_session, db.session, lab_session, form.details(), field=form.capacity
    ):
        flash(_("The session is saved."), "success")
        return redirect(url_for("labs.session_detail", uid=uid))
    return render_template(
        "labs/session_form.html",
        form=form,
        series=lab_session.series,
        lab_session=lab_session,
        copied_from=None,
    )


@bp.route("/sessions/<uuid:uid>/cancel", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def session_cancel(uid: uuid.UUID):
    lab_session = get_session_or_404(uid)
    form = CancelForm()
    if form.validate_on_submit():
        if attempt(
            services.cancel_session, db.session, lab_session, form.reason.data, current_user
        ):
            flash(_("The session is cancelled and everyone signed up is told."), "success")
        return redirect(url_for("labs.session_detail", uid=uid))
    return render_template(
        "labs/cancel.html", form=form, series=lab_session.series, lab_session=lab_session
    )


class _SessionFormData:
    """A session's stored values in the shape of the form (local dates and times)."""

    def __init__(self, event: Event, shift: timedelta = timedelta(0)):
        # Shift local dates, not UTC instants, so 13:00 stays 13:00 across a DST change.
        starts, ends = to_local(event.starts_at), to_local(event.ends_at)
        for name in ("title", "description", "place", "address", "capacity", "is_public"):
            setattr(self, name, getattr(event, name))
        self.municipality = event.municipality or ""
        self.start_date, self.start_time = starts.date() + shift, starts.time()
        self.end_date, self.end_time = ends.date() + shift, ends.time()
        for prefix, moment in (
            ("opens", event.registration_opens_at),
            ("closes", event.registration_closes_at),
            ("cancel", event.cancellation_deadline),
        ):
            local = to_local(moment) if moment else None
            setattr(self, f"{prefix}_date", local.date() + shift if local else None)
            setattr(self, f"{prefix}_time", local.time() if local else None)
