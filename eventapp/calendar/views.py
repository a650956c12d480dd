"""Event pages under /calendar/: view, create, edit and cancel."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventapp.auth.models import Role
from eventapp.calendar import services
from eventapp.calendar.forms import CancelEventForm, EventForm
from eventapp.calendar.models import Event
from eventapp.calendar.services import EventError
from eventapp.extensions import db
from eventapp.i18n import to_local
from eventapp.permissions import can_manage_event, can_view_event, role_required

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


def get_event_or_404(uid: uuid.UUID) -> Event:
    """Load an event the current user may see; anything else is a 404."""
    event = db.session.scalar(db.select(Event).where(Event.uid == uid))
    if event is None or not can_view_event(current_user, event):
        abort(404)
    return event


def get_managed_event_or_404(uid: uuid.UUID) -> Event:
    event = get_event_or_404(uid)
    if not can_manage_event(current_user, event):
        abort(403)
    return event


@bp.get("/events/<uuid:uid>")
def event_detail(uid: uuid.UUID):
    event = get_event_or_404(uid)
    return render_template("calendar/event_detail.html", event=event, cancel_form=CancelEventForm())


@bp.route("/events/new", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def event_new():
    form = EventForm()
    if form.validate_on_submit():
        try:
            event = services.create_event(db.session, form.details(), current_user)
        except EventError as error:
            form.start_date.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The event is created."), "success")
            return redirect(url_for("calendar.event_detail", uid=event.uid))
    return render_template("calendar/event_form.html", form=form, event=None)


@bp.route("/events/<uuid:uid>/edit", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def event_edit(uid: uuid.UUID):
    event = get_managed_event_or_404(uid)
    form = EventForm(obj=_form_data(event))
    if form.validate_on_submit():
        try:
            services.update_event(db.session, event, form.details())
        except EventError as error:
            form.start_date.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The event is saved."), "success")
            return redirect(url_for("calendar.event_detail", uid=event.uid))
    return render_template("calendar/event_form.html", form=form, event=event)


@bp.route("/events/<uuid:uid>/cancel", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def event_cancel(uid: uuid.UUID):
    event = get_managed_event_or_404(uid)
    form = CancelEventForm()
    if form.validate_on_submit():
        try:
            services.cancel_event(db.session, event, form.reason.data, current_user)
        except EventError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The event is cancelled."), "success")
        return redirect(url_for("calendar.event_detail", uid=event.uid))
    return render_template("calendar/event_cancel.html", form=form, event=event)


class _EventFormData:
    """An event's stored values in the shape of the form (local date and time)."""

    def __init__(self, event: Event):
        starts, ends = to_local(event.starts_at), to_local(event.ends_at)
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


def _form_data(event: Event) -> _EventFormData:
    return _EventFormData(event)
