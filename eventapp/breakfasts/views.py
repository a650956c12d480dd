"""Breakfast pages under /breakfasts/: series and their occurrences, changes by organisers
and coordinators, the door (check-in and walk-ins), networks and the goal report."""

from __future__ import annotations

import uuid
from datetime import date

import click
from flask import (
    Blueprint,
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
from sqlalchemy import select

from eventapp.auth.models import SOCIAL_ENTREPRENEUR_DEFINITION, Organisation, Role, User
from eventapp.breakfasts import services
from eventapp.breakfasts.forms import (
    CancelForm,
    CheckInForm,
    ConfirmForm,
    CoordinatorForm,
    EndSeriesForm,
    GuestForm,
    MoveForm,
    NetworkForm,
    ReportForm,
    SearchForm,
    SeriesForm,
)
from eventapp.breakfasts.models import BreakfastOccurrence, BreakfastSeries, HostNetwork
from eventapp.breakfasts.permissions import can_manage_series, can_view_series
from eventapp.breakfasts.reports import AttendanceReport, repeat_attendance
from eventapp.breakfasts.services import BreakfastError, GuestDetails, SeriesDetails
from eventapp.calendar.models import Event, Signup
from eventapp.calendar.services import EventError
from eventapp.extensions import db, login_manager
from eventapp.i18n import to_local
from eventapp.permissions import is_organiser, is_signed_in, role_required
from eventapp.regions import OrganisationType, municipality_label
from eventapp.spreadsheets import csv_download

bp = Blueprint("breakfasts", __name__, url_prefix="/breakfasts", cli_group="breakfasts")


def _horizon() -> int:
    return int(current_app.config.get("BREAKFAST_HORIZON_MONTHS", services.DEFAULT_HORIZON_MONTHS))


def _require_sign_in() -> None:
    """Anonymous visitors go to the login page, as with ``role_required``."""
    if not is_signed_in(current_user):
        abort(login_manager.unauthorized())


def get_series_or_404(series_id: int) -> BreakfastSeries:
    """A series the current user may see; unlisted ones exist only for those who manage it."""
    series = db.session.get(BreakfastSeries, series_id)
    if series is None or not can_view_series(current_user, series):
        abort(404)
    return series


def get_managed_series_or_404(series_id: int) -> BreakfastSeries:
    """404 outside what the user may see, 403 for a public series that is not theirs."""
    series = get_series_or_404(series_id)
    _require_sign_in()
    if not can_manage_series(current_user, series):
        abort(403)
    return series


def get_managed_occurrence_or_404(uid: uuid.UUID) -> BreakfastOccurrence:
    occurrence = db.session.scalar(
        select(BreakfastOccurrence).join(BreakfastOccurrence.event).where(Event.uid == uid)
    )
    if occurrence is None or not can_view_series(current_user, occurrence.series):
        abort(404)
    _require_sign_in()
    if not can_manage_series(current_user, occurrence.series):
        abort(403)
    return occurrence


def _network_choices(form_field, *, blank: str) -> None:
    networks = db.session.scalars(select(HostNetwork).order_by(HostNetwork.name)).all()
    form_field.choices = [("", blank)] + [(str(n.id), n.name) for n in networks]


def _network_from(value: str | None) -> HostNetwork | None:
    if not value or not value.isascii() or not value.isdigit() or len(value) > 9:
        return None
    return db.session.get(HostNetwork, int(value))


# --- reading --------------------------------------------------------------------------------


@bp.get("/")
def index():
    series_list = services.listed_series(db.session, include_unlisted=is_organiser(current_user))
    mine = services.managed_series(db.session, current_user) if is_signed_in(current_user) else []
    return render_template("breakfasts/index.html", series_list=series_list, mine=mine)


@bp.get("/series/<int:series_id>")
def series_detail(series_id: int):
    series = get_series_or_404(series_id)
    occurrences = services.upcoming_occurrences(db.session, series)
    return render_template(
        "breakfasts/series_detail.html",
        series=series,
        occurrences=occurrences,
        can_manage=can_manage_series(current_user, series),
        form=ConfirmForm(formdata=None),
    )


@bp.post("/series/<int:series_id>/signup")
@login_required
def series_signup(series_id: int):
    series = get_series_or_404(series_id)
    if not ConfirmForm().validate_on_submit():
        flash(_("The sign-up could not be sent. Please try again."), "error")
        return redirect(url_for("breakfasts.series_detail", series_id=series.id))
    result = services.sign_up_for_series(db.session, series, current_user)
    db.session.commit()
    flash(
        _(
            "Signed up: %(confirmed)d with a seat, %(waiting)d on the waiting list, "
            "%(already)d already signed up.",
            confirmed=len(result.confirmed),
            waiting=len(result.waitlisted),
            already=len(result.already),
        ),
        "success",
    )
    return redirect(url_for("breakfasts.series_detail", series_id=series.id))


# --- series ---------------------------------------------------------------------------------


def _series_details(form: SeriesForm) -> SeriesDetails | None:
    network = _network_from(form.network.data)
    if network is None:
        form.network.errors = [_("Choose a host network from the list.")]
        return None
    return SeriesDetails(
        network=network,
        title=form.title.data,
        description=form.description.data or "",
        place=form.place.data,
        address=form.address.data or "",
        municipality=form.municipality.data,
        capacity=form.capacity.data,
        is_public=form.is_public.data,
        rule=form.rule(),
        start_date=form.start_date.data,
        end_date=form.end_date.data,
    )


@bp.route("/series/new", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def series_new():
    form = SeriesForm()
    _network_choices(form.network, blank=_("Choose a host network"))
    if form.validate_on_submit() and (details := _series_details(form)):
        try:
            series = services.create_series(
                db.session, details, current_user, horizon_months=_horizon()
            )
        except BreakfastError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                _(
                    "The series is created with %(count)d breakfasts.",
                    count=len(series.occurrences),
                ),
                "success",
            )
            return redirect(url_for("breakfasts.series_detail", series_id=series.id))
    return render_template("breakfasts/series_form.html", form=form, series=None)


@bp.route("/series/<int:series_id>/edit", methods=["GET", "POST"])
def series_edit(series_id: int):
    """Change the rest of the series from a date on."""
    series = get_managed_series_or_404(series_id)
    if series.is_ended:
        flash(_("The series has ended and cannot be changed."), "error")
        return redirect(url_for("breakfasts.series_detail", series_id=series.id))
    form = SeriesForm(obj=None if request.method == "POST" else _series_defaults(series))
    _network_choices(form.network, blank=_("Choose a host network"))
    if form.validate_on_submit() and (details := _series_details(form)):
        try:
            result = services.edit_series_from(
                db.session, series, details, current_user, horizon_months=_horizon()
            )
        except EventError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                _(
                    "The series is changed: %(updated)d breakfasts updated, %(cancelled)d "
                    "cancelled, %(created)d added.",
                    updated=len(result.updated),
                    cancelled=len(result.cancelled),
                    created=len(result.created),
                ),
                "success",
            )
            if result.kept_overrides:
                flash(
                    _(
                        "Breakfasts you had moved, skipped or cancelled one by one were kept "
                        "as they are: %(dates)s. Check that they still fit.",
                        dates=", ".join(
                            f"{o.original_date:%Y-%m-%d}" for o in result.kept_overrides
                        ),
                    ),
                    "info",
                )
            return redirect(url_for("breakfasts.series_detail", series_id=series.id))
    return render_template("breakfasts/series_form.html", form=form, series=series)


class _Defaults:
    """Object for ``SeriesForm(obj=...)``: the series' values, starting tomorrow."""

    def __init__(self, series: BreakfastSeries):
        from datetime import timedelta

        self.network = str(series.network_id)
        for name in (
            "title",
            "description",
            "place",
            "address",
            "municipality",
            "capacity",
            "is_public",
            "local_time",
            "duration_minutes",
            "end_date",
        ):
            setattr(self, name, getattr(series, name))
        self.frequency = series.frequency.value
        self.weekday = str(series.weekday)
        self.week_of_month = str(series.week_of_month or 1)
        self.start_date = max(services.today_in_stockholm() + timedelta(days=1), series.rule_start)


def _series_defaults(series: BreakfastSeries) -> _Defaults:
    return _Defaults(series)


@bp.route("/series/<int:series_id>/end", methods=["GET", "POST"])
def series_end(series_id: int):
    series = get_managed_series_or_404(series_id)
    form = EndSeriesForm()
    if form.validate_on_submit():
        try:
            cancelled = services.end_series(db.session, series, form.last_date.data, current_user)
        except BreakfastError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                _(
                    "The series has ended; %(count)d later breakfasts were cancelled.",
                    count=len(cancelled),
                ),
                "success",
            )
            return redirect(url_for("breakfasts.series_detail", series_id=series.id))
    return render_template("breakfasts/series_end.html", form=form, series=series)


@bp.route("/series/<int:series_id>/coordinators", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def coordinators(series_id: int):
    series = get_series_or_404(series_id)
    form = CoordinatorForm()
    if form.validate_on_submit():
        person = db.session.scalar(select(User).where(User.email == form.email.data.lower()))
        if person is None or not person.is_active:
            form.email.errors = [_("Nobody with an active account has that e-mail address.")]
        else:
            services.set_coordinators(db.session, series, [*series.coordinators, person])
            db.session.commit()
            flash(_("%(name)s now coordinates this series.", name=person.name), "success")
            return redirect(url_for("breakfasts.coordinators", series_id=series.id))
    return render_template(
        "breakfasts/coordinators.html",
        series=series,
        form=form,
        remove_form=ConfirmForm(formdata=None),
    )


@bp.post("/series/<int:series_id>/coordinators/<int:user_id>/remove")
@role_required(Role.ORGANISER)
def coordinator_remove(series_id: int, user_id: int):
    series = get_series_or_404(series_id)
    if not any(person.id == user_id for person in series.coordinators):
        abort(404)
    if ConfirmForm().validate_on_submit():
        services.set_coordinators(
            db.session, series, [p for p in series.coordinators if p.id != user_id]
        )
        db.session.commit()
        flash(_("The coordinator is removed."), "success")
    return redirect(url_for("breakfasts.coordinators", series_id=series.id))


# --- one occurrence -------------------------------------------------------------------------


def _back_to_series(occurrence: BreakfastOccurrence):
    return redirect(url_for("breakfasts.series_detail", series_id=occurrence.series_id))


@bp.route("/occurrences/<uuid:uid>/skip", methods=["GET", "POST"])
def occurrence_skip(uid: uuid.UUID):
    occurrence = get_managed_occurrence_or_404(uid)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.skip_occurrence(db.session, occurrence, current_user)
        except EventError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The breakfast is skipped; everyone signed up is told."), "success")
        return _back_to_series(occurrence)
    return render_template("breakfasts/occurrence_skip.html", occurrence=occurrence, form=form)


@bp.route("/occurrences/<uuid:uid>/cancel", methods=["GET", "POST"])
def occurrence_cancel(uid: uuid.UUID):
    occurrence = get_managed_occurrence_or_404(uid)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            services.cancel_occurrence(db.session, occurrence, form.reason.data, current_user)
        except EventError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The breakfast is cancelled; everyone signed up is told."), "success")
            return _back_to_series(occurrence)
    return render_template("breakfasts/occurrence_cancel.html", occurrence=occurrence, form=form)


@bp.route("/occurrences/<uuid:uid>/move", methods=["GET", "POST"])
def occurrence_move(uid: uuid.UUID):
    occurrence = get_managed_occurrence_or_404(uid)
    event = occurrence.event
    form = MoveForm(
        data=None
        if request.method == "POST"
        else {
            "day": to_local(event.starts_at).date(),
            "local_time": to_local(event.starts_at).time().replace(tzinfo=None),
            "duration_minutes": int((event.ends_at - event.starts_at).total_seconds() // 60),
            "place": event.place,
            "address": event.address,
        }
    )
    if form.validate_on_submit():
        try:
            services.move_occurrence(
                db.session,
                occurrence,
                day=form.day.data,
                clock=form.local_time.data,
                duration_minutes=form.duration_minutes.data,
                place=form.place.data,
                address=form.address.data or "",
            )
        except EventError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The breakfast is moved; everyone signed up is told."), "success")
            return _back_to_series(occurrence)
    return render_template("breakfasts/occurrence_move.html", occurrence=occurrence, form=form)


# --- the door -------------------------------------------------------------------------------


@bp.get("/occurrences/<uuid:uid>/checkin")
def checkin(uid: uuid.UUID):
    occurrence = get_managed_occurrence_or_404(uid)
    return _render_checkin(occurrence, GuestForm(formdata=None))


def _render_checkin(occurrence: BreakfastOccurrence, guest_form: GuestForm, status: int = 200):
    event = occurrence.event
    search = SearchForm(request.args)
    term = (search.q.data or "") if search.validate() else ""
    _organisation_choices(guest_form)
    signups = services.door_list(db.session, event, term)
    signed_up = {s.user_id for s in signups}
    others = (
        [p for p in services.find_people(db.session, term) if p.id not in signed_up] if term else []
    )
    return (
        render_template(
            "breakfasts/checkin.html",
            occurrence=occurrence,
            event=event,
            search=search,
            term=term,
            signups=signups,
            waiting=services.waiting_at_door(db.session, event),
            others=others,
            is_open=services.calendar.attendance_open(event),
            form=CheckInForm(formdata=None),
            guest_form=guest_form,
            present_count=sum(
                1 for s in services.door_list(db.session, event) if s.attendance == "present"
            ),
        ),
        status,
    )


def _organisation_choices(form: GuestForm) -> None:
    organisations = db.session.execute(
        select(Organisation.id, Organisation.name).order_by(Organisation.name)
    ).all()
    form.organisation.choices = [("", _("No organisation or a new one"))] + [
        (str(org_id), name) for org_id, name in organisations
    ]


def _back_to_door(occurrence: BreakfastOccurrence, term: str | None, anchor: str | None = None):
    query = {"q": term} if term else {}
    return redirect(
        url_for("breakfasts.checkin", uid=occurrence.event.uid, _anchor=anchor, **query)
    )


@bp.post("/occurrences/<uuid:uid>/checkin/<int:signup_id>")
def checkin_mark(uid: uuid.UUID, signup_id: int):
    occurrence = get_managed_occurrence_or_404(uid)
    signup = db.session.get(Signup, signup_id)
    if signup is None or signup.event_id != occurrence.event_id:
        abort(404)
    form = CheckInForm()
    if form.validate_on_submit():
        try:
            services.check_in(db.session, signup, current_user)
        except EventError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("%(name)s is checked in.", name=signup.user.name), "success")
    return _back_to_door(occurrence, form.q.data, f"signup-{signup.id}")


@bp.post("/occurrences/<uuid:uid>/walk-in/<int:user_id>")
def checkin_walk_in(uid: uuid.UUID, user_id: int):
    occurrence = get_managed_occurrence_or_404(uid)
    person = db.session.get(User, user_id)
    if person is None or person.deleted_at is not None or person.is_disabled:
        abort(404)
    form = CheckInForm()
    if form.validate_on_submit():
        try:
            services.check_in_walk_in(db.session, occurrence.event, person, current_user)
        except EventError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("%(name)s is checked in.", name=person.name), "success")
    return _back_to_door(occurrence, form.q.data)


@bp.post("/occurrences/<uuid:uid>/guest")
def checkin_guest(uid: uuid.UUID):
    occurrence = get_managed_occurrence_or_404(uid)
    form = GuestForm()
    _organisation_choices(form)
    if not form.validate_on_submit():
        return _render_checkin(occurrence, form, 400)
    organisation = None
    if form.organisation.data:
        organisation = db.session.get(Organisation, int(form.organisation.data))
    details = GuestDetails(
        name=form.name.data,
        organisation=organisation,
        new_organisation_name=form.new_organisation_name.data or None,
        new_organisation_type=OrganisationType(form.new_organisation_type.data)
        if form.new_organisation_type.data
        else None,
        municipality=form.municipality.data or None,
    )
    try:
        guest = services.create_guest(db.session, details)
        services.check_in_walk_in(db.session, occurrence.event, guest, current_user)
    except EventError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _render_checkin(occurrence, form, 400)
    db.session.commit()
    flash(_("%(name)s is added and checked in.", name=guest.name), "success")
    return _back_to_door(occurrence, None)


# --- host networks --------------------------------------------------------------------------


@bp.route("/networks", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def networks():
    form = NetworkForm()
    if form.validate_on_submit():
        network = HostNetwork(
            name=form.name.data,
            municipality=form.municipality.data,
            website=form.website.data or None,
        )
        db.session.add(network)
        db.session.commit()
        flash(_("The network %(name)s is added.", name=network.name), "success")
        return redirect(url_for("breakfasts.networks"))
    rows = db.session.scalars(select(HostNetwork).order_by(HostNetwork.name)).all()
    return render_template("breakfasts/networks.html", form=form, networks=rows)


@bp.route("/networks/<int:network_id>/edit", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def network_edit(network_id: int):
    network = db.session.get(HostNetwork, network_id) or abort(404)
    form = NetworkForm(obj=network)
    if form.validate_on_submit():
        network.name = form.name.data
        network.municipality = form.municipality.data
        network.website = form.website.data or None
        db.session.commit()
        flash(_("The network is saved."), "success")
        return redirect(url_for("breakfasts.networks"))
    return render_template("breakfasts/network_form.html", form=form, network=network)


# --- the goal report ------------------------------------------------------------------------


def _report_from_args() -> tuple[ReportForm, AttendanceReport | None]:
    form = ReportForm(request.args)
    _network_choices(form.network, blank=_("All networks"))
    today = services.today_in_stockholm()
    if not form.validate():
        return form, None
    start = form.start.data or date(today.year, 1, 1)
    end = form.end.data or date(today.year, 12, 31)
    network = _network_from(form.network.data)
    report = repeat_attendance(
        db.session,
        start=start,
        end=end,
        min_count=form.min_count.data or 3,
        municipality=form.municipality.data or None,
        network_id=network.id if network else None,
        org_type=OrganisationType(form.org_type.data) if form.org_type.data else None,
    )
    return form, report


@bp.get("/report")
@role_required(Role.ORGANISER)
def report():
    form, result = _report_from_args()
    return render_template(
        "breakfasts/report.html",
        form=form,
        report=result,
        definition=SOCIAL_ENTREPRENEUR_DEFINITION,
        status=200,
    ), (200 if result is not None else 400)


@bp.get("/report.csv")
@role_required(Role.ORGANISER)
def report_csv():
    """The repeat attendees as CSV for Excel: UTF-8 with a BOM, ';' and no live formulas."""
    form, result = _report_from_args()
    if result is None:
        abort(400)
    lines: list[tuple] = [
        (_("Name"), _("Organisation"), _("Municipality"), _("Breakfasts attended"))
    ]
    lines += [
        (
            person.name,
            person.organisation_name or "",
            municipality_label(person.municipality),
            person.attended,
        )
        for person in result.repeat_social_entrepreneurs
    ]
    lines += [
        (),
        (_("Distinct attendees"), result.distinct_attendees),
        (_("Breakfasts held"), result.breakfasts_held),
        (_("Goal"), result.goal),
    ]
    filename = f"frukostmal-{result.start:%Y-%m-%d}-{result.end:%Y-%m-%d}.csv"
    return csv_download(lines, filename)


# --- the periodic job -----------------------------------------------------------------------


@bp.cli.command("extend")
def extend_command():
    """Generate breakfast occurrences up to the horizon (BREAKFAST_HORIZON_MONTHS); safe to
    run daily, a second run creates nothing."""
    created = services.extend_all_series(db.session, horizon_months=_horizon())
    db.session.commit()
    click.echo(_("Breakfasts created: %(count)d.", count=created))
