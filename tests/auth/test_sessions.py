"""Sign-in, sign-out and server-side login sessions: copied cookies stop working."""

import re

import pytest
from sqlalchemy import select

from eventapp.auth.models import LoginSession
from tests.auth.helpers import NEW_PASSWORD, client_with_cookie, is_signed_in, session_cookie
from tests.factories import DEFAULT_PASSWORD, make_user


def test_sign_in_and_out(client, auth, session):
    user = make_user(session, email="asa@example.org")
    response = auth.login_as(user)
    assert response.location == "/"
    assert is_signed_in(client)
    assert user.last_login_at is not None
    out = auth.logout()
    assert out.status_code == 302
    assert out.location == "/"
    assert not is_signed_in(client)


def test_sign_in_ignores_case_and_spaces_in_the_address(client, session):
    make_user(session, email="asa@example.org")
    response = client.post(
        "/auth/login", data={"email": "  ASA@Example.org ", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302


CSRF_VALUE = re.compile(r'value="[A-Za-z0-9_.-]{40,}"')


def test_wrong_password_and_unknown_address_get_the_same_answer(client, session):
    make_user(session, email="asa@example.org")
    wrong = client.post("/auth/login", data={"email": "asa@example.org", "password": "x" * 12})
    unknown = client.post("/auth/login", data={"email": "nobody@example.org", "password": "x" * 12})
    assert wrong.status_code == unknown.status_code == 200
    # Same page apart from the address echoed back into the form (and the CSRF token, which
    # carries a timestamp and differs when the two requests fall in different seconds).

    def page(response, address):
        return CSRF_VALUE.sub('value="token"', response.text.replace(address, "@"))

    assert page(wrong, "asa@example.org") == page(unknown, "nobody@example.org")


def test_disabled_account_cannot_sign_in_and_its_sessions_stop(app, client, auth, session):
    user = make_user(session)
    auth.login_as(user)
    user.is_disabled = True
    session.flush()
    assert not is_signed_in(client)
    response = app.test_client().post(
        "/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 200


def test_cookie_copied_before_logout_no_longer_works_after_it(app, client, auth, session):
    user = make_user(session)
    auth.login_as(user)
    copied = session_cookie(client)
    thief = client_with_cookie(app, copied)
    assert is_signed_in(thief), "the copied cookie should work while the session lives"
    auth.logout()
    assert not is_signed_in(client_with_cookie(app, copied))
    row = session.scalar(select(LoginSession).where(LoginSession.user_id == user.id))
    assert row.revoked_at is not None


def test_session_cookie_holds_no_user_id(client, auth, session):
    user = make_user(session)
    auth.login_as(user)
    with client.session_transaction() as flask_session:
        assert flask_session["_user_id"] != str(user.id)
        assert len(flask_session["_user_id"]) >= 32


def test_sign_in_starts_a_fresh_session(app, client, session):
    """No session fixation: a session planted before sign-in is not the one used after."""
    user = make_user(session)
    with client.session_transaction() as flask_session:
        flask_session["planted"] = "yes"
    client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    with client.session_transaction() as flask_session:
        assert "planted" not in flask_session


def test_password_change_signs_out_other_browsers_but_not_this_one(app, client, auth, session):
    user = make_user(session)
    other = app.test_client()
    other.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert is_signed_in(other)
    auth.login_as(user)
    copied_here = session_cookie(client)

    response = client.post(
        "/auth/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert not is_signed_in(other)
    assert is_signed_in(client)
    assert is_signed_in(client_with_cookie(app, copied_here))
    assert user.password_hash.startswith("$argon2id$")

    old = app.test_client().post(
        "/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD}
    )
    assert old.status_code == 200
    new = app.test_client().post(
        "/auth/login", data={"email": user.email, "password": NEW_PASSWORD}
    )
    assert new.status_code == 302


def test_password_change_needs_the_current_password(client, auth, session):
    user = make_user(session)
    auth.login_as(user)
    before = user.password_hash
    response = client.post(
        "/auth/password",
        data={
            "current_password": "not my password",
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert user.password_hash == before


@pytest.mark.parametrize("path", ["/auth/profile", "/auth/password", "/calendar/my-signups"])
def test_personal_pages_send_anonymous_visitors_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.location.startswith("/auth/login?next=")


def test_logout_is_post_only(client, auth, session):
    auth.login_as(make_user(session))
    assert client.get("/auth/logout").status_code == 405
    assert is_signed_in(client)
