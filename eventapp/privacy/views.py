"""Pages under /integritet (privacy) and /tillganglighet (the accessibility statement)."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from eventapp.auth.models import Role, User
from eventapp.auth.services import end_login_session
from eventapp.extensions import db
from eventapp.permissions import role_required
from eventapp.privacy import retention, services
from eventapp.privacy.consents import record_consent
from eventapp.privacy.forms import AdminDeleteAccountForm, ConsentForm, DeleteAccountForm
from eventapp.privacy.labels import display_value, field_label
from eventapp.privacy.models import ConsentKind
from eventapp.privacy.registry import export_for
from eventapp.privacy.services import PrivacyError

bp = Blueprint("privacy", __name__)


@bp.get("/integritet")
def notice():
    config = current_app.config
    return render_template(
        "privacy/notice.html",
        retention_rows=retention.notice_rows(config),
        controller=config["PRIVACY_CONTROLLER"],
        contact_email=config["PRIVACY_CONTACT_EMAIL"],
        dpo_email=config["PRIVACY_DPO_EMAIL"],
    )


@bp.get("/tillganglighet")
def accessibility():
    config = current_app.config
    return render_template(
        "privacy/accessibility.html",
        contact_email=config["ACCESSIBILITY_CONTACT_EMAIL"],
        statement_date=date.fromisoformat(config["ACCESSIBILITY_STATEMENT_DATE"]),
    )


@bp.get("/integritet/mina-uppgifter")
@login_required
def my_data():
    return render_template(
        "privacy/my_data.html",
        data=export_for(db.session, current_user),
        field_label=field_label,
        display_value=display_value,
    )


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.get("/integritet/mina-uppgifter.json")
@login_required
def my_data_json():
    body = services.export_json(db.session, current_user)
    return _download(body, "application/json", "mina-uppgifter.json")


@bp.get("/integritet/mina-uppgifter.zip")
@login_required
def my_data_csv():
    body = services.export_csv_zip(db.session, current_user)
    return _download(body, "application/zip", "mina-uppgifter-csv.zip")


@bp.route("/integritet/samtycken", methods=["GET", "POST"])
@login_required
def consents():
    form = ConsentForm()
    if form.validate_on_submit():
        kind = ConsentKind(form.kind.data)
        given = form.given.data == "1"
        record_consent(db.session, current_user, kind, given, source="consents_page")
        db.session.commit()
        message = _("Consent given: %(what)s.") if given else _("Consent withdrawn: %(what)s.")
        flash(message % {"what": kind.label}, "success")
        return redirect(url_for("privacy.consents"))
    if form.errors:
        abort(400)
    states = services.consent_states(db.session, current_user)
    return render_template("privacy/consents.html", states=states, form=form)


@bp.route("/integritet/radera-konto", methods=["GET", "POST"])
@login_required
def delete_own_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.check_deletion_password(current_user, form.password.data)
            services.check_not_last_admin(db.session, current_user)
        except PrivacyError as error:
            form.password.errors.append(error.message)
        else:
            token = current_user.get_id()
            services.delete_account(db.session, current_user, actor=current_user)
            end_login_session(db.session, token)
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Your account and personal data are deleted."), "success")
            return redirect(url_for("main.index"))
    return render_template("privacy/delete_account.html", form=form)


@bp.get("/integritet/konton/<int:user_id>/uppgifter.json")
@role_required(Role.ADMIN)
def account_data_json(user_id: int):
    """Everything stored about one person, for an admin answering a request for access
    (GDPR art. 15) from someone who cannot sign in: a breakfast guest, or a locked-out user."""
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        abort(404)
    # Who read whose data, without the data: an access to personal data leaves a trace.
    current_app.logger.info("admin %s exported the data of account %s", current_user.id, user.id)
    body = services.export_json(db.session, user)
    return _download(body, "application/json", f"uppgifter-{user.id}.json")


@bp.route("/integritet/konton/<int:user_id>/radera", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def delete_account_as_admin(user_id: int):
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        abort(404)
    if user.id == current_user.id:
        return redirect(url_for("privacy.delete_own_account"))
    form = AdminDeleteAccountForm()
    if form.validate_on_submit():
        services.delete_account(db.session, user, actor=current_user)
        db.session.commit()
        flash(_("The account is deleted and its personal data removed."), "success")
        return redirect(url_for("accounts.index"))
    return render_template("privacy/admin_delete.html", form=form, person=user)
