"""Default configuration: safe defaults only, never secrets.

The factory layers this under ``instance/config.py``, then ``EVENTAPP_*`` environment
variables, then the test configuration.
"""

from datetime import timedelta


class DefaultConfig:
    # "production" unless said otherwise: forgetting to configure must fail safe.
    ENVIRONMENT = "production"

    # Set to None so the factory can tell "not configured" from "configured".
    SECRET_KEY = None
    SQLALCHEMY_DATABASE_URI = None  # the factory points it at instance/eventapp.sqlite
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}

    # Public address used in every link we send; never built from the Host header.
    BASE_URL = "http://localhost:5000"
    TIMEZONE = "Europe/Stockholm"

    BABEL_DEFAULT_LOCALE = "sv"
    BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
    LANGUAGES = ("sv", "en")

    # A 1 MB text field must reach the form and fail validation there (a field error),
    # while a body well beyond any form is refused with 413 before it is parsed.
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 2 * 1024 * 1024
    MAX_FORM_PARTS = 200

    SESSION_COOKIE_NAME = "eventapp_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # None: secure unless ENVIRONMENT is development or testing (decided in the factory).
    SESSION_COOKIE_SECURE = None
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    # Server-side session rows expire after this long without use.
    SESSION_IDLE_TIMEOUT = timedelta(days=14)
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)

    WTF_CSRF_TIME_LIMIT = 8 * 3600
    # WTForms' own messages ("Not a valid choice.") follow the page's language, from the
    # Swedish catalogue that ships with WTForms (Flask-WTF's default, stated on purpose).
    WTF_I18N_ENABLED = True

    # Flask-Limiter: memory per process by default; point at Redis to share limits.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_ENABLED = True
    LOGIN_LIMIT_PER_ACCOUNT = "5 per minute;20 per hour"
    # Per address it is generous: a municipality's staff often share one proxy address.
    LOGIN_LIMIT_PER_IP = "60 per minute"
    MAIL_LIMIT_PER_ACCOUNT = "3 per hour"
    # Number of reverse proxies in front of the app whose X-Forwarded-* we trust.
    PROXY_FIX_X_FOR = 0

    PASSWORD_RESET_MAX_AGE = timedelta(hours=1)
    EMAIL_CONFIRM_MAX_AGE = timedelta(days=3)
    PASSWORD_MIN_LENGTH = 10

    # Mail: "file" writes .eml files to instance/mail (development), "smtp" sends.
    MAIL_TRANSPORT = "smtp"
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False  # STARTTLS
    MAIL_USE_SSL = False  # implicit TLS (port 465)
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_TIMEOUT = 10
    MAIL_DEFAULT_SENDER = "Region Dalarna evenemang <noreply@example.org>"
    MAIL_FILE_DIR = None  # defaults to instance/mail
    # Send the outbox right after each request (development); production runs send-mail.
    MAIL_SEND_AFTER_REQUEST = False
    MAIL_MAX_ATTEMPTS = 5

    # Upcoming events on the home page.
    HOME_PAGE_SIZE = 50
