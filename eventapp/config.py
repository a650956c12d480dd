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

    # The app's own log ("eventapp" and below): INFO keeps the record of account deletions,
    # data exports, role changes, invitations and purge counts; Python's default would drop it.
    LOG_LEVEL = "INFO"

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
    # Redis (optional): shared rate-limit counters and feed cache across processes and
    # hosts, e.g. "redis://127.0.0.1:6379/0" (eventapp/cache.py).
    REDIS_URL = None
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

    # Breakfast series are generated this many months ahead (extend-breakfasts moves it on).
    BREAKFAST_HORIZON_MONTHS = 12

    # Upcoming events on the home page.
    HOME_PAGE_SIZE = 50

    # Privacy (eventapp/privacy/): the privacy notice shows these, and `flask purge` applies
    # them, so the page and what really happens agree. Periods are in days.
    PRIVACY_CONTROLLER = "Region Dalarna"
    PRIVACY_CONTACT_EMAIL = "registrator@regiondalarna.se"
    PRIVACY_DPO_EMAIL = "dataskyddsombud@regiondalarna.se"
    ACCESSIBILITY_CONTACT_EMAIL = "registrator@regiondalarna.se"
    # The date the accessibility statement was last reviewed (ISO date).
    ACCESSIBILITY_STATEMENT_DATE = "2026-11-27"
    RETENTION_UNCONFIRMED_ACCOUNT_DAYS = 30
    RETENTION_INACTIVE_ACCOUNT_DAYS = 3 * 365
    # People are e-mailed this many days before an inactive account is anonymised.
    RETENTION_INACTIVE_WARNING_DAYS = 30
    RETENTION_SENT_MAIL_DAYS = 90
    RETENTION_LOGIN_SESSION_DAYS = 30
    RETENTION_SIGNUP_DETAILS_DAYS = 3 * 365
    RETENTION_ACCESSIBILITY_NEEDS_DAYS = 30
    RETENTION_CLOSED_APPLICATION_DAYS = 365
    RETENTION_NOMINATOR_CONTACT_DAYS = 2 * 365
    # After the event, the record of who was invited to it (see calendar/invitations.py).
    RETENTION_EVENT_INVITATION_DAYS = 7
