"""Request hardening: client address, safe redirects, input guard and security headers."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, request
from flask_login import current_user
from werkzeug.routing import IntegerConverter

# NUL and other C0 control characters (tab, CR and LF are legitimate in text areas).
# PostgreSQL refuses NUL in text and would otherwise turn it into a 500.
_FORBIDDEN_IN_VALUES = {chr(c) for c in range(32) if chr(c) not in "\t\r\n"} | {"\x7f"}
_FORBIDDEN_IN_URL = {chr(c) for c in range(32)} | {"\x7f"}

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


def client_address() -> str:
    """Return the client's address (ProxyFix has already applied trusted proxy headers)."""
    return request.remote_addr or "unknown"


def is_safe_redirect(target: str | None) -> bool:
    """Accept only same-site relative paths such as '/events/1?x=y'."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ch in _FORBIDDEN_IN_URL for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def reject_control_characters() -> None:
    """Refuse requests whose path, query or form carries NUL or control bytes (400), and
    forms of more parts than MAX_FORM_PARTS (413)."""
    if any(ch in _FORBIDDEN_IN_URL for ch in request.path):
        abort(400)
    for key, value in request.args.items(multi=True):
        if _has_forbidden(key) or _has_forbidden(value):
            abort(400)
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        # Werkzeug counts the parts of multipart bodies only (MAX_FORM_PARTS); a urlencoded
        # body of thousands of tiny fields is refused here the same way.
        limit = current_app.config.get("MAX_FORM_PARTS")
        if limit and sum(1 for _ in request.form.items(multi=True)) > limit:
            abort(413)
        for key, value in request.form.items(multi=True):
            if _has_forbidden(key) or _has_forbidden(value):
                abort(400)


def _has_forbidden(value: str) -> bool:
    return any(ch in _FORBIDDEN_IN_VALUES for ch in value)


def set_security_headers(response: Response) -> Response:
    """Add CSP, nosniff, framing, referrer and caching headers to every response."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    response.headers.setdefault(
        "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
    )
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers.setdefault(
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
        )
    # Pages for a signed-in person are personal: no shared or back-button caching.
    if "Cache-Control" not in response.headers and _is_personal(response):
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    response.vary.add("Cookie")
    return response


def _is_personal(response: Response) -> bool:
    if request.endpoint in ("static",):
        return False
    try:
        return bool(current_user and current_user.is_authenticated)
    except Exception:  # noqa: BLE001 - no user loader outside a full request
        return False


def init_app(app: Flask) -> None:
    app.before_request(reject_control_characters)
    app.after_request(set_security_headers)


# The largest value of a 32-bit INTEGER column, PostgreSQL's primary keys here.
DATABASE_ID_MAX = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` in every route: ASCII digits that fit an id column, otherwise 404.

    Werkzeug's own converter matches any Unicode digit (``/x/１２`` would be id 12) and any
    size, and an id past the column's range makes the database driver raise (a 500 on
    SQLite, a DataError on PostgreSQL) instead of "not found".
    """

    regex = r"[0-9]+"

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", DATABASE_ID_MAX)
        super().__init__(map, *args, **kwargs)
