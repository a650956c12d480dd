"""Helpers for the account tests: forms that pass, and links read from real mail."""

from __future__ import annotations

import re

from tests.factories import DEFAULT_PASSWORD

BASE_URL = "https://events.example.org"
NEW_PASSWORD = "a brand new passphrase"


def register_form(**overrides) -> dict:
    data = {
        "name": "Åsa Öberg",
        "email": "asa@example.org",
        "password": DEFAULT_PASSWORD,
        "password_confirm": DEFAULT_PASSWORD,
    }
    data.update(overrides)
    return data


def profile_form(**overrides) -> dict:
    data = {
        "name": "Åsa Öberg",
        "locale": "sv",
        "organisation_name": "",
        "org_number": "",
        "org_type": "other",
        "municipality": "",
        "website": "",
        "year_founded": "",
    }
    data.update(overrides)
    return data


def link_in(message, path: str) -> str:
    """The first link to ``path`` in a mail, as a path the test client can open.

    Fails unless the link starts with the configured BASE_URL.
    """
    body = message.get_body(("plain",)).get_content()
    match = re.search(re.escape(BASE_URL) + "(" + re.escape(path) + r"[^\s]+)", body)
    assert match, f"no {BASE_URL}{path} link in the mail:\n{body}"
    return match.group(1)


def session_cookie(client) -> str:
    cookie = client.get_cookie("eventapp_session")
    assert cookie is not None, "no session cookie"
    return cookie.value


def client_with_cookie(app, value: str):
    """A second browser that only holds a copy of someone's session cookie."""
    other = app.test_client()
    other.set_cookie("eventapp_session", value)
    return other


def is_signed_in(client) -> bool:
    """True when /auth/profile opens (signed in) rather than redirecting to sign in."""
    response = client.get("/auth/profile")
    if response.status_code == 200:
        return True
    assert response.status_code == 302
    assert "/auth/login" in response.location
    return False


def sign_in_quickly(client, session, user) -> None:
    """Sign ``user`` in without the ~150 ms Argon2 check, through a real login session.

    For tests about something else than signing in; ``auth.login_as`` tests the real form.
    """
    from eventapp.auth.services import start_login_session

    token = start_login_session(session, user, "tests")
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = token
        flask_session["_fresh"] = True
