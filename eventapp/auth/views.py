"""Account pages under /auth/."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from eventapp.auth import services
from eventapp.auth.forms import (
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResendConfirmationForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from eventapp.auth.services import AccountError, OrganisationDetails, Tokens
from eventapp.extensions import db, limiter, login_manager
from eventapp.i18n import LANGUAGE_COOKIE
from eventapp.regions import OrganisationType
from eventapp.security import is_safe_redirect

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _tokens() -> Tokens:
    return Tokens(current_app.config["SECRET_KEY"])


def _base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def _account_key() -> str:
    """Rate-limit key for one account: the address typed into the form."""
    return "account:" + (request.form.get("email") or "").strip().lower()[:254]


def _login_failed(response) -> bool:
    # A failed sign-in re-renders the form; a success redirects.
    return response.status_code == 200


@login_manager.user_loader
def load_user(token: str):
    user = services.load_login_session(
        db.session, token, current_app.config["SESSION_IDLE_TIMEOUT"]
    )
    if user is not None:
        user.login_token = token
    if db.session.dirty:
        # The session row's last-seen time was refreshed; keep it even on read-only pages.
        db.session.commit()
    return user


def sign_in(user) -> None:
    """Start a fresh session (no fixation) backed by a server-side login session."""
    token = services.start_login_session(db.session, user, request.user_agent.string)
    session.clear()
    user.login_token = token
    login_user(user)
    session.permanent = True


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        services.register(
            db.session,
            name=form.name.data,
            email=form.email.data,
            password=form.password.data,
            locale=str(get_locale()),
            tokens=_tokens(),
            base_url=_base_url(),
        )
        db.session.commit()
        return redirect(url_for("auth.check_mail"))
    return render_template("auth/register.html", form=form)


@bp.get("/check-mail")
def check_mail():
    return render_template("auth/check_mail.html")


@bp.get("/confirm/<token>")
def confirm(token: str):
    try:
        services.confirm_email(
            db.session,
            token,
            tokens=_tokens(),
            max_age=current_app.config["EMAIL_CONFIRM_MAX_AGE"],
        )
    except AccountError as error:
        flash(error.message, "error")
        return redirect(url_for("auth.resend_confirmation"))
    db.session.commit()
    flash(_("Your e-mail address is confirmed. You can sign in now."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/confirm", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["MAIL_LIMIT_PER_ACCOUNT"], key_func=_account_key, methods=["POST"]
)
def resend_confirmation():
    form = ResendConfirmationForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(db.session, form.email.data)
        if user is not None and user.email_confirmed_at is None:
            services.send_confirmation(db.session, user, tokens=_tokens(), base_url=_base_url())
            db.session.commit()
        return redirect(url_for("auth.check_mail"))
    return render_template("auth/resend_confirmation.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_login_failed,
)
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    if form.validate_on_submit():
        try:
            user = services.authenticate(db.session, form.email.data, form.password.data)
        except AccountError as error:
            form.password.errors.append(error.message)
        else:
            sign_in(user)
            db.session.commit()
            flash(_("You are signed in."), "success")
            target = form.next.data if is_safe_redirect(form.next.data) else url_for("main.index")
            return redirect(target)
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    services.end_login_session(db.session, current_user.get_id())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "success")
    return redirect(url_for("main.index"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["MAIL_LIMIT_PER_ACCOUNT"], key_func=_account_key, methods=["POST"]
)
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(
            db.session, form.email.data, tokens=_tokens(), base_url=_base_url()
        )
        db.session.commit()
        return redirect(url_for("auth.check_mail"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = services.user_for_reset_token(
        db.session, token, tokens=_tokens(), max_age=current_app.config["PASSWORD_RESET_MAX_AGE"]
    )
    if user is None:
        flash(_("The link is invalid, already used or has expired. Ask for a new one."), "error")
        return redirect(url_for("auth.reset_request"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.set_password(db.session, user, form.password.data, keep_token=None)
        db.session.commit()
        flash(_("Your password is changed. Sign in with the new one."), "success")
        return redirect(url_for("auth.login"))
    response = make_response(render_template("auth/reset_password.html", form=form))
    # The token is in the URL: keep it out of Referer headers and caches.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not services.verify_password(current_user, form.current_password.data):
            form.current_password.errors.append(_("The current password is wrong."))
        else:
            services.set_password(
                db.session, current_user, form.password.data, keep_token=current_user.get_id()
            )
            db.session.commit()
            flash(_("Your password is changed. Other browsers have been signed out."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=_ProfileData(current_user))
    if form.validate_on_submit():
        services.update_profile(
            db.session,
            current_user,
            name=form.name.data,
            locale=form.locale.data,
            organisation=_organisation_details(form),
            uf_founder=form.uf_founder.data,
        )
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        response = redirect(url_for("auth.profile"))
        response.set_cookie(
            LANGUAGE_COOKIE,
            form.locale.data,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            httponly=True,
        )
        return response
    return render_template("auth/profile.html", form=form)


def _organisation_details(form: ProfileForm) -> OrganisationDetails | None:
    if not form.organisation_name.data:
        return None
    return OrganisationDetails(
        name=form.organisation_name.data,
        org_number=form.org_number.data or None,
        org_type=OrganisationType(form.org_type.data),
        municipality=form.municipality.data or None,
        website=form.website.data or None,
        year_founded=form.year_founded.data,
    )


class _ProfileData:
    """The current values the profile form starts from."""

    def __init__(self, user):
        organisation = user.organisation
        self.name = user.name
        self.locale = user.locale
        self.organisation_name = organisation.name if organisation else ""
        self.org_number = organisation.org_number if organisation else ""
        self.org_type = organisation.org_type.value if organisation else OrganisationType.OTHER
        self.municipality = (organisation.municipality or "") if organisation else ""
        self.website = (organisation.website or "") if organisation else ""
        self.year_founded = organisation.year_founded if organisation else None
        self.uf_founder = user.uf_founder
