"""Login rate limits per account and per address (Flask-Limiter), 429 with Retry-After."""

import pytest

from tests.factories import DEFAULT_PASSWORD, make_user


@pytest.fixture
def app_config(app_config):
    # Limits are off in the rest of the suite; small numbers keep these tests fast.
    return {
        **app_config,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "LOGIN_LIMIT_PER_ACCOUNT": "3 per minute",
        "LOGIN_LIMIT_PER_IP": "8 per minute",
        "MAIL_LIMIT_PER_ACCOUNT": "2 per hour",
    }


WRONG = "wrong password!"


def _login(client, email, password=WRONG, address="192.0.2.10"):
    return client.post(
        "/auth/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_failed_logins_for_one_account_get_429_with_retry_after(client, session):
    user = make_user(session, email="asa@example.org")
    for _ in range(3):
        assert _login(client, "asa@example.org").status_code == 200
    blocked = _login(client, "asa@example.org")
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    assert "<html" in blocked.text
    # Even the right password waits: guessing cannot continue.
    assert _login(client, user.email, DEFAULT_PASSWORD).status_code == 429
    # The account limit follows the address whatever its case or spaces.
    assert _login(client, " ASA@example.org ").status_code == 429


def test_one_accounts_failures_do_not_block_others_behind_the_same_address(client, session):
    make_user(session, email="asa@example.org")
    colleague = make_user(session, email="karin@example.org")
    for _ in range(4):
        _login(client, "asa@example.org")
    assert _login(client, "asa@example.org").status_code == 429
    # Same shared proxy address, another account: still allowed.
    assert _login(client, colleague.email, DEFAULT_PASSWORD).status_code == 302


def test_successful_logins_do_not_use_up_the_account_limit(app, session):
    user = make_user(session, email="asa@example.org")
    for _ in range(4):
        client = app.test_client()
        assert _login(client, user.email, DEFAULT_PASSWORD).status_code == 302


def test_one_address_is_limited_across_accounts(client, session):
    for number in range(8):
        assert _login(client, f"person{number}@example.org").status_code == 200
    blocked = _login(client, "someone.new@example.org")
    assert blocked.status_code == 429
    assert "Retry-After" in blocked.headers
    # Another address is not affected.
    assert _login(client, "someone.new@example.org", address="198.51.100.7").status_code == 200


def test_reset_mails_per_account_are_limited(client, session):
    make_user(session, email="asa@example.org")
    for _ in range(2):
        assert client.post("/auth/reset", data={"email": "asa@example.org"}).status_code == 302
    blocked = client.post("/auth/reset", data={"email": "asa@example.org"})
    assert blocked.status_code == 429
    assert "Retry-After" in blocked.headers
