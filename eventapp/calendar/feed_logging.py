"""Keep secret feed tokens out of every log line.

Calendar clients can only fetch a URL, so the token has to be in the path; the access logs of
werkzeug (development) and gunicorn (production) and Flask's "Exception on <path>" line would
otherwise write it down. A filter on those loggers replaces the token with ``[redacted]``
after the line is formatted, whatever the log format. A reverse proxy in front of the app
must do the same for its own access log (see the README's deployment notes).
"""

from __future__ import annotations

import logging
import re

from flask import Flask

PRIVATE_FEED_PREFIX = "/calendar/private/"
_TOKEN_IN_TEXT = re.compile(r"(/calendar/private/)[^/\s?#\"'.]+")
LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def redact(text: str) -> str:
    return _TOKEN_IN_TEXT.sub(r"\1[redacted]", text)


class RedactFeedTokens(logging.Filter):
    """Rewrite the record's message with the tokens of private feed URLs removed."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record is not ours to fix; keep it
            return True
        if PRIVATE_FEED_PREFIX in message:
            record.msg = redact(message)
            record.args = ()
        return True


_FILTER = RedactFeedTokens()


def install(app: Flask) -> None:
    """Attach the filter (once) to the access loggers and the app's own logger."""
    for logger in (*(logging.getLogger(name) for name in LOGGERS), app.logger):
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
