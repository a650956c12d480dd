"""Language choice and Swedish-time formatting.

The language is the signed-in user's preference, else the ``lang`` cookie, else the
browser's Accept-Language, else Swedish. Times are stored in UTC and always shown in
Europe/Stockholm, whatever the server's own zone.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_time as babel_format_time
from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

LANGUAGE_COOKIE = "lang"
STOCKHOLM = ZoneInfo("Europe/Stockholm")


class LocalTimeError(ValueError):
    """A wall-clock time that does not exist, or exists twice, in Europe/Stockholm."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind  # "gap" or "overlap"


def select_locale() -> str:
    """Pick the language for this request."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user = _signed_in_user()
    if user is not None and user.locale in languages:
        return user.locale
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in languages:
        return cookie
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def _signed_in_user():
    """The signed-in user, or None (also outside requests, e.g. when rendering mail in CLI)."""
    if not has_request_context():
        return None
    return current_user if current_user.is_authenticated else None


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("TIMEZONE", "Europe/Stockholm"))


def to_local(moment: datetime) -> datetime:
    """Convert an aware datetime to Europe/Stockholm."""
    return moment.astimezone(local_zone())


def combine_local(day: date, clock: time, zone: ZoneInfo = STOCKHOLM) -> datetime:
    """Turn a local date and wall-clock time into an aware datetime, refusing DST traps.

    In the spring gap (02:00-03:00 on the last Sunday of March) the time does not exist;
    in the autumn overlap (02:00-03:00 on the last Sunday of October) it exists twice. Both
    raise ``LocalTimeError`` so a person chooses, rather than the code guessing.
    """
    naive = datetime.combine(day, clock.replace(tzinfo=None))
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        round_trip = first.astimezone(ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None)
        raise LocalTimeError("overlap" if round_trip == naive else "gap")
    return first


def format_datetime(value: datetime | None, format: str = "medium") -> str:
    if value is None:
        return ""
    return babel_format_datetime(
        to_local(value), format, tzinfo=local_zone(), locale=str(get_locale())
    )


def format_date(value: datetime | date | None, format: str = "full") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    return babel_format_date(value, format, locale=str(get_locale()))


def format_time(value: datetime | None, format: str = "HH:mm") -> str:
    if value is None:
        return ""
    return babel_format_time(to_local(value), format, tzinfo=local_zone(), locale=str(get_locale()))


def init_app(app: Flask) -> None:
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["time"] = format_time
    app.jinja_env.filters["localtime"] = to_local

    @app.context_processor
    def _language_context():
        from eventapp.regions import municipality_label

        return {"current_locale": str(get_locale()), "municipality_label": municipality_label}
