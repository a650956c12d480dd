"""eventapp: Region Dalarna's events and award platform for social entrepreneurs."""

from __future__ import annotations

import secrets
from importlib import import_module
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from eventapp.config import DefaultConfig

WEAK_SECRETS = {"", "dev", "secret", "changeme", "change-me", "development"}
MIN_SECRET_LENGTH = 32


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration layers, extensions, blueprints, commands."""
    app = Flask(__name__, instance_relative_config=True)
    load_config(app, test_config)
    register_extensions(app)
    register_request_hooks(app)
    register_url_converters(app)
    register_blueprints(app)
    register_feature_hooks(app)
    register_error_handlers(app)
    register_commands(app)
    return app


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """DefaultConfig, then instance/config.py, then EVENTAPP_* variables, then test_config."""
    app.config.from_object(DefaultConfig)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("EVENTAPP")
    if test_config:
        app.config.update(test_config)

    environment = app.config["ENVIRONMENT"]
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        database = Path(app.instance_path) / "eventapp.sqlite"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{database}"
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_uri(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    if app.config["SESSION_COOKIE_SECURE"] is None:
        # Secure cookies everywhere but on a developer's plain-http localhost.
        app.config["SESSION_COOKIE_SECURE"] = environment not in ("development", "testing")
    if not app.config.get("SECRET_KEY"):
        if environment == "production":
            raise RuntimeError(
                "EVENTAPP_SECRET_KEY is not set. Production refuses to start without a strong "
                "secret key (at least 32 random characters)."
            )
        app.config["SECRET_KEY"] = development_secret_key(Path(app.instance_path))
    if environment == "production":
        check_production_secret(app.config["SECRET_KEY"])


def normalise_database_uri(uri: str) -> str:
    """Let people write postgresql:// and still get psycopg 3."""
    if uri.startswith("postgres://"):
        uri = "postgresql://" + uri[len("postgres://") :]
    if uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri[len("postgresql://") :]
    return uri


def development_secret_key(instance: Path) -> str:
    """Create once and keep a random key in instance/, so sessions survive restarts."""
    key_file = instance / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def check_production_secret(key: str) -> None:
    if len(key) < MIN_SECRET_LENGTH or key.lower() in WEAK_SECRETS or len(set(key)) < 10:
        raise RuntimeError(
            "EVENTAPP_SECRET_KEY is too weak. Use at least 32 random characters, for example "
            "the output of: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )


def register_extensions(app: Flask) -> None:
    from eventapp import cache, i18n, permissions, security
    from eventapp.extensions import babel, csrf, db, limiter, login_manager, migrate
    from eventapp.mail import send_after_request

    # app.logger is the "eventapp" logger, the parent of every module's logger here.
    app.logger.setLevel(str(app.config["LOG_LEVEL"]).upper())
    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True
    )
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    cache.init_app(app)  # before the limiter: REDIS_URL may become its storage
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = None  # our server-side login sessions do this job
    i18n.init_app(app)
    permissions.init_app(app)
    security.init_app(app)
    send_after_request(app)
    if app.config["PROXY_FIX_X_FOR"]:
        app.wsgi_app = ProxyFix(
            app.wsgi_app,
            x_for=app.config["PROXY_FIX_X_FOR"],
            x_proto=app.config["PROXY_FIX_X_FOR"],
            x_host=0,
        )


def register_request_hooks(app: Flask) -> None:
    from eventapp.extensions import db

    @app.teardown_appcontext
    def _rollback_unfinished(exc):
        # A request that failed half-way leaves nothing behind.
        if exc is not None:
            db.session.rollback()


def register_url_converters(app: Flask) -> None:
    """Before the blueprints: a converter is bound when a rule is added."""
    from eventapp.security import DatabaseIdConverter

    app.url_map.converters["int"] = DatabaseIdConverter


# The modules that define a blueprint ``bp``, in registration order.
BLUEPRINT_MODULES = (
    "eventapp.main.views",
    "eventapp.auth.views",
    "eventapp.calendar.views",
    "eventapp.calendar.feeds",
    "eventapp.awards.views",
    "eventapp.labs.views",
    "eventapp.boards.views",
    "eventapp.privacy.views",
    "eventapp.directory.views",
    "eventapp.goals.views",
    "eventapp.breakfasts.views",
    "eventapp.accounts.views",
)

# Features that register themselves with shared parts (calendar hooks and feed sources,
# privacy contracts) in ``eventapp.<feature>.hooks.init_app``.
FEATURE_HOOK_MODULES = (
    "eventapp.boards.hooks",
    "eventapp.awards.hooks",
)


def register_blueprints(app: Flask) -> None:
    """Import each feature's views (only here: importing a model never imports views)."""
    for module_name in BLUEPRINT_MODULES:
        app.register_blueprint(import_module(module_name).bp)


def register_feature_hooks(app: Flask) -> None:
    for module_name in FEATURE_HOOK_MODULES:
        import_module(module_name).init_app(app)


def register_error_handlers(app: Flask) -> None:
    from eventapp.main.views import register_error_handlers as register

    register(app)


def register_commands(app: Flask) -> None:
    from eventapp import cli

    cli.init_app(app)
