"""Password reset by e-mail: configured base URL, single use, expiry, no enumeration."""

import time

from itsdangerous.timed import TimestampSigner

from eventapp.mail import send_outbox
from tests.auth.helpers import NEW_PASSWORD, client_with_cookie, is_signed_in, link_in
from tests.auth.helpers import session_cookie as copy_session_cookie
from tests.factories import make_user


def _reset_link(app, client, smtp_server, address: str, **request_options) -> str:
    response = client.post("/auth/reset", data={"email": address}, **request_options)
    assert response.status_code == 302
    send_outbox(app)
    [message] = smtp_server.to(address)
    return link_in(message, "/auth/reset/")


def _new_password(client, link: str, password: str = NEW_PASSWORD):
    return client.post(link, data={"password": password, "password_confirm": password})


def test_reset_link_uses_the_configured_base_url_whatever_the_host_header(
    app, client, session, smtp_server
):
    make_user(session, email="asa@example.org")
    client.post(
        "/auth/reset",
        data={"email": "asa@example.org"},
        headers={"Host": "evil.se", "X-Forwarded-Host": "evil.se"},
    )
    send_outbox(app)
    [message] = smtp_server.to("asa@example.org")
    body = message.get_body(("plain",)).get_content()
    assert "evil.se" not in body
    assert link_in(message, "/auth/reset/")  # starts with https://events.example.org


def test_reset_changes_the_password_once(app, client, session, smtp_server):
    user = make_user(session, email="asa@example.org")
    link = _reset_link(app, client, smtp_server, "asa@example.org")
    page = client.get(link)
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page.headers["Cache-Control"]

    assert _new_password(client, link).status_code == 302
    assert (
        app.test_client()
        .post("/auth/login", data={"email": user.email, "password": NEW_PASSWORD})
        .status_code
        == 302
    )

    # Single use: the same link cannot set the password again.
    again = client.get(link)
    assert again.status_code == 302
    assert again.location == "/auth/reset"
    assert _new_password(client, link, "yet another passphrase").status_code == 302
    assert (
        app.test_client()
        .post("/auth/login", data={"email": user.email, "password": NEW_PASSWORD})
        .status_code
        == 302
    )


def test_reset_signs_out_every_browser(app, client, auth, session, smtp_server):
    user = make_user(session, email="asa@example.org")
    auth.login_as(user)
    copied = copy_session_cookie(client)
    link = _reset_link(app, app.test_client(), smtp_server, "asa@example.org")
    _new_password(app.test_client(), link)
    assert not is_signed_in(client_with_cookie(app, copied))


def test_expired_reset_link_is_refused(app, client, session, smtp_server, monkeypatch):
    user = make_user(session, email="asa@example.org")
    two_hours_ago = int(time.time()) - 2 * 3600
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: two_hours_ago)
        link = _reset_link(app, client, smtp_server, "asa@example.org")
    assert client.get(link).location == "/auth/reset"
    before = user.password_hash
    assert _new_password(client, link).location == "/auth/reset"
    assert user.password_hash == before


def test_tampered_reset_link_is_refused(app, client, session, smtp_server):
    make_user(session, email="asa@example.org")
    link = _reset_link(app, client, smtp_server, "asa@example.org")
    assert client.get(link[:-2] + "xx").location == "/auth/reset"


def test_reset_request_looks_the_same_for_known_and_unknown_addresses(
    app, client, session, smtp_server
):
    make_user(session, email="asa@example.org")
    known = client.post("/auth/reset", data={"email": "asa@example.org"})
    unknown = client.post("/auth/reset", data={"email": "nobody@example.org"})
    assert (known.status_code, known.location) == (unknown.status_code, unknown.location)
    assert known.text == unknown.text
    send_outbox(app)
    assert [m["To"] for m in smtp_server.messages] == ["asa@example.org"]


def test_disabled_account_gets_no_reset_mail(app, client, session, smtp_server):
    make_user(session, email="asa@example.org", is_disabled=True)
    assert client.post("/auth/reset", data={"email": "asa@example.org"}).status_code == 302
    send_outbox(app)
    assert smtp_server.messages == []


def test_reset_confirms_an_unconfirmed_address(app, client, session, smtp_server):
    user = make_user(session, email="asa@example.org", confirmed=False)
    link = _reset_link(app, client, smtp_server, "asa@example.org")
    _new_password(client, link)
    assert user.email_confirmed_at is not None
    assert (
        client.post("/auth/login", data={"email": user.email, "password": NEW_PASSWORD}).status_code
        == 302
    )
