"""Account administration under /admin/accounts: for admins only."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError, OperationalError

from eventapp.accounts import services
from eventapp.accounts.forms import AccountForm, AccountSearchForm
from eventapp.accounts.services import GRANTABLE_ROLES, AccountAdminError, AccountFilter
from eventapp.auth.models import Role, User
from eventapp.extensions import db
from eventapp.paging import page_number
from eventapp.permissions import role_required

bp = Blueprint("accounts", __name__, url_prefix="/admin/accounts")


def _filter(form: AccountSearchForm) -> AccountFilter:
    return AccountFilter(
        q=form.q.data or "",
        role=Role(form.role.data) if form.role.data else None,
        status=services.AccountStatus(form.status.data) if form.status.data else None,
    )


@bp.get("")
@role_required(Role.ADMIN)
def index():
    form = AccountSearchForm(request.args)
    page = None
    if form.validate():
        page = services.list_accounts(db.session, _filter(form), page_number())
    # The pager keeps the search (its own fields only, never arbitrary url_for arguments).
    query = {name: form[name].data for name in ("q", "role", "status") if form[name].data}
    return render_template(
        "accounts/index.html",
        form=form,
        result=page,
        query=query,
        status_of=services.account_status,
        all_roles=list(Role),
    )


def _get_user_or_404(user_id: int) -> User:
    # The <int:> converter already refuses ids past the column's range (security.py).
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _account_form(person: User) -> AccountForm:
    if request.method == "POST":
        # Read the body even when it is empty: every box unticked is an answer, and Flask-WTF
        # would otherwise take an empty body for no answer and keep the stored values.
        return AccountForm(formdata=request.form)
    held = [role.value for role in GRANTABLE_ROLES if role in person.roles]
    return AccountForm(data={"roles": held, "is_disabled": person.is_disabled})


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit(user_id: int):
    person = _get_user_or_404(user_id)
    form = _account_form(person)
    if form.validate_on_submit():
        try:
            changed = services.update_account(
                db.session,
                person,
                roles=form.chosen_roles,
                disabled=form.is_disabled.data,
                actor=current_user,
            )
            db.session.commit()
        except AccountAdminError as error:
            # Refused before anything changed; the request's end releases any lock.
            getattr(form, error.field).errors.append(error.message)
        except (IntegrityError, OperationalError):
            # Someone else changed the same roles at the same moment.
            db.session.rollback()
            flash(
                _("The account was changed at the same time elsewhere. Check and try again."),
                "error",
            )
            return redirect(url_for("accounts.edit", user_id=user_id))
        else:
            flash(_("The account is saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for("accounts.edit", user_id=user_id))
    return render_template(
        "accounts/edit.html",
        form=form,
        person=person,
        status=services.account_status(person),
        all_roles=list(Role),
    )
