"""The goals dashboard under /goals/: every indicator on one page, each exportable as CSV."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from eventapp.auth.models import Role
from eventapp.database import utcnow
from eventapp.extensions import db
from eventapp.goals import indicators
from eventapp.goals.forms import PeriodForm
from eventapp.goals.sections import SECTION_BUILDERS, sections
from eventapp.i18n import to_local
from eventapp.permissions import role_required
from eventapp.spreadsheets import csv_download

bp = Blueprint("goals", __name__, url_prefix="/goals")


def _period_form() -> PeriodForm:
    return PeriodForm(formdata=request.args)


@bp.get("/")
@role_required(Role.ORGANISER)
def index():
    form = _period_form()
    now = utcnow()
    today = to_local(now).date()
    if not form.validate():
        # The figures of another period beside the typed one would mislead: show the errors.
        return render_template("goals/index.html", form=form, period=None, sections=()), 400
    period = form.period(today)
    dashboard = indicators.dashboard(db.session, period, now=now)
    return render_template(
        "goals/index.html", form=form, period=period, sections=sections(dashboard, today)
    )


@bp.get("/export/<section>/<table>.csv")
@role_required(Role.ORGANISER)
def export_csv(section: str, table: str):
    """One table as CSV for Excel: UTF-8 with a BOM, ';' and no live formulas."""
    builder = SECTION_BUILDERS.get(section)
    if builder is None:
        abort(404)
    form = _period_form()
    now = utcnow()
    today = to_local(now).date()
    if not form.validate():
        return render_template("goals/index.html", form=form, period=None, sections=()), 400
    period = form.period(today)
    compute = indicators.INDICATORS[section]
    found = builder(compute(db.session, period, now), today).table(table)
    if found is None:
        abort(404)
    filename = f"mal-{section}-{table}-{period.first_year}-{period.last_year}.csv"
    return csv_download([found.header, *found.rows], filename)
