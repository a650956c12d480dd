"""Helpers for the account administration tests: a signed-in admin and the log lines."""

from __future__ import annotations

import logging
from contextlib import contextmanager

from tests.auth.helpers import sign_in_quickly
from tests.factories import make_user


def signed_in_admin(client, session, **fields):
    """An admin (and organiser, as `flask create-admin` makes them) signed in on ``client``.

    Pages are in English unless ``locale="sv"`` is given.
    """
    fields.setdefault("locale", "en")
    admin = make_user(session, roles=("organiser", "admin"), **fields)
    sign_in_quickly(client, session, admin)
    return admin


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@contextmanager
def account_log():
    """Collect the lines the account administration logs (pytest runs with -p no:logging)."""
    logger = logging.getLogger("eventapp.accounts.services")
    handler = _Lines()
    logger.addHandler(handler)
    try:
        yield handler.lines
    finally:
        logger.removeHandler(handler)
