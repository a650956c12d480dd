"""The ``next`` parameter only ever leads to a same-site relative path."""

import pytest

from eventapp.security import is_safe_redirect
from tests.factories import DEFAULT_PASSWORD, make_user

EVIL = [
    "https://evil.se",
    "//evil.se",
    "/\\evil.se",
    "\\\\evil.se",
    "/\\/evil.se",
    "http:evil.se",
    "javascript:alert(1)",
    "  //evil.se",
    "/\t/evil.se",
    "/\r\n/evil.se",
    "https:/evil.se",
]


def test_login_refuses_to_redirect_off_site(app, session):
    user = make_user(session)
    for target in EVIL:
        response = app.test_client().post(
            "/auth/login?next=" + target,
            data={"email": user.email, "password": DEFAULT_PASSWORD, "next": target},
        )
        assert response.status_code == 302, target
        assert response.location == "/", target


def test_language_switch_refuses_to_redirect_off_site(client):
    for target in EVIL:
        response = client.post("/language", data={"language": "en", "next": target})
        assert response.status_code == 302, target
        assert response.location == "/", target


def test_login_follows_a_same_site_next(client, session):
    user = make_user(session)
    response = client.post(
        "/auth/login",
        data={"email": user.email, "password": DEFAULT_PASSWORD, "next": "/auth/profile?x=1"},
    )
    assert response.location == "/auth/profile?x=1"


def test_login_page_carries_next_from_the_query(client):
    page = client.get("/auth/login?next=/calendar/my-signups").text
    assert 'value="/calendar/my-signups"' in page


@pytest.mark.parametrize("target", EVIL + ["", None, "relative/path", "/\x00x"])
def test_is_safe_redirect_refuses(target):
    assert not is_safe_redirect(target)


@pytest.mark.parametrize("target", ["/", "/calendar/events/x?y=1#z", "/auth/profile"])
def test_is_safe_redirect_accepts(target):
    assert is_safe_redirect(target)
