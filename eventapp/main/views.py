"""Home page, language switch, health checks and error handlers."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from wtforms import HiddenField, SelectField

from eventapp.calendar.models import EVENT_KIND_LABELS, EventKind
from eventapp.calendar.services import upcoming_events
from eventapp.database_status import migrations_at_head
from eventapp.extensions import db
from eventapp.forms import Form, select_choices
from eventapp.i18n import LANGUAGE_COOKIE
from eventapp.permissions import is_organiser
from eventapp.regions import MUNICIPALITY_CHOICES, municipality_label
from eventapp.security import is_safe_redirect

bp = Blueprint("main", __name__)


class EventFilterForm(Form):
    """The home page's filters; a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    kind = SelectField(
        _l("Kind of event"),
        choices=select_choices(
            [("", _l("All kinds"))]
            + [(kind.value, label) for kind, label in EVENT_KIND_LABELS.items()]
        ),
        default="",
    )
    municipality = SelectField(
        _l("Municipality"),
        choices=select_choices(
            [("", _l("All municipalities"))]
            + [(value, municipality_label(value)) for value in MUNICIPALITY_CHOICES]
        ),
        default="",
    )


class LanguageForm(Form):
    language = SelectField(choices=select_choices([("sv", "Svenska"), ("en", "English")]))
    next = HiddenField()


@bp.get("/")
def index():
    filters = EventFilterForm(request.args)
    # Unknown filter values are ignored rather than failing the page.
    kind = filters.kind.data if filters.kind.data in EventKind._value2member_map_ else None
    municipality = (
        filters.municipality.data if filters.municipality.data in MUNICIPALITY_CHOICES else None
    )
    events = upcoming_events(
        db.session,
        current_app.config["HOME_PAGE_SIZE"],
        kind=EventKind(kind) if kind else None,
        municipality=municipality,
        include_unlisted=is_organiser(current_user),
    )
    return render_template("main/index.html", events=events, filters=filters)


@bp.post("/language")
def set_language():
    form = LanguageForm()
    target = form.next.data if is_safe_redirect(form.next.data) else url_for("main.index")
    response = redirect(target)
    if form.validate_on_submit():
        language = form.language.data
        response.set_cookie(
            LANGUAGE_COOKIE,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            httponly=True,
        )
        if current_user.is_authenticated:
            current_user.locale = language
            db.session.commit()
    return response


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    try:
        ready = migrations_at_head(db.session)
    except SQLAlchemyError:
        db.session.rollback()
        ready = False
    if not ready:
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")


def register_error_handlers(app: Flask) -> None:
    """Friendly error pages in the person's language; nothing half-written stays behind."""

    def render_error(status: int, template: str, **context):
        return render_template(f"errors/{template}", **context), status

    @app.errorhandler(400)
    def bad_request(error):
        return render_error(400, "400.html")

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        # Show what was typed (never passwords) so nothing the person wrote is lost.
        typed = [
            (key, value)
            for key, value in request.form.items(multi=True)
            if key != "csrf_token" and "password" not in key and value.strip()
        ][:50]
        return render_error(400, "csrf.html", typed=typed, back=request.path)

    @app.errorhandler(403)
    def forbidden(error):
        return render_error(403, "403.html")

    @app.errorhandler(404)
    def not_found(error):
        return render_error(404, "404.html")

    @app.errorhandler(405)
    def method_not_allowed(error):
        response = app.make_response(render_error(405, "405.html"))
        # HTTP requires a 405 to say which methods the resource does accept.
        if getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
        return response

    @app.errorhandler(413)
    def too_large(error):
        return render_error(413, "413.html")

    @app.errorhandler(429)
    def too_many(error):
        response = app.make_response(render_error(429, "429.html"))
        if "Retry-After" not in response.headers:
            response.headers["Retry-After"] = "60"
        return response

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        db.session.rollback()
        app.logger.error("database unavailable: %s", type(error).__name__)
        response = app.make_response(render_error(503, "503.html"))
        response.headers["Retry-After"] = "30"
        return response

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_error(500, "500.html")
