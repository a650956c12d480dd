"""Directory pages under /organisations/."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from eventapp.auth.models import SOCIAL_ENTREPRENEUR_DEFINITION, Organisation, Role
from eventapp.directory import services
from eventapp.directory.forms import ActionForm, DirectoryFilterForm, ListingForm, MarkForm
from eventapp.directory.services import DirectoryFilter
from eventapp.extensions import db
from eventapp.permissions import role_required
from eventapp.regions import MUNICIPALITY_CHOICES, OrganisationType

bp = Blueprint("directory", __name__, url_prefix="/organisations")


def _filters() -> tuple[DirectoryFilterForm, DirectoryFilter]:
    form = DirectoryFilterForm(request.args)
    # Unknown values are ignored rather than failing the page.
    municipality = (
        form.municipality.data if form.municipality.data in MUNICIPALITY_CHOICES else None
    )
    org_type = (
        form.org_type.data if form.org_type.data in OrganisationType._value2member_map_ else None
    )
    return form, DirectoryFilter(
        municipality=municipality, org_type=OrganisationType(org_type) if org_type else None
    )


@bp.get("/")
def index():
    form, filters = _filters()
    listings = services.public_listings(db.session, filters)
    return render_template("directory/index.html", filters=form, listings=listings)


@bp.route("/mine", methods=["GET", "POST"])
@login_required
def mine():
    organisation = current_user.organisation
    listing = services.listing_for(db.session, organisation) if organisation else None
    form = ListingForm(obj=listing)
    if organisation is not None and form.validate_on_submit():
        services.opt_in(db.session, organisation, form.mission.data, current_user)
        db.session.commit()
        flash(_("Your organisation is listed in the directory."), "success")
        return redirect(url_for("directory.mine"))
    return render_template(
        "directory/mine.html",
        organisation=organisation,
        listing=listing,
        form=form,
        withdraw_form=ActionForm(),
    )


@bp.post("/mine/withdraw")
@login_required
def withdraw():
    organisation = current_user.organisation
    if organisation is None:
        abort(404)
    if ActionForm().validate_on_submit():
        services.withdraw(db.session, organisation, current_user)
        db.session.commit()
        flash(_("Your organisation is no longer in the directory."), "success")
    return redirect(url_for("directory.mine"))


@bp.get("/manage")
@role_required(Role.ORGANISER)
def manage():
    form, filters = _filters()
    return render_template(
        "directory/manage.html",
        filters=form,
        rows=services.all_organisations(db.session, filters),
        mark_form=MarkForm(),
        definition=SOCIAL_ENTREPRENEUR_DEFINITION,
    )


@bp.post("/<int:organisation_id>/social")
@role_required(Role.ORGANISER)
def mark(organisation_id: int):
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        abort(404)
    form = MarkForm()
    if not form.validate_on_submit():
        abort(400)
    marked = form.marked.data == "1"
    services.mark_social_enterprise(db.session, organisation, marked, current_user)
    db.session.commit()
    if marked:
        flash(_("%(name)s is marked as a social enterprise.", name=organisation.name), "success")
    else:
        flash(_("%(name)s is no longer marked.", name=organisation.name), "success")
    return redirect(url_for("directory.manage", **request.args))
