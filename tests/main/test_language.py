"""Swedish first; English by the switch (remembered), Accept-Language, or the user's choice."""

import pytest

from tests.auth.helpers import sign_in_quickly
from tests.factories import make_user


def _lang(response) -> str:
    assert response.status_code == 200
    head = response.text.split(">", 2)[1]
    return head.split('lang="', 1)[1].split('"', 1)[0]


def test_swedish_by_default(client):
    page = client.get("/")
    assert _lang(page) == "sv"
    assert "Kommande evenemang" in page.text
    assert "Logga in" in page.text


def test_language_switch_sets_a_remembered_cookie(client):
    response = client.post("/language", data={"language": "en", "next": "/auth/login"})
    assert response.status_code == 302
    assert response.location == "/auth/login"
    cookie = client.get_cookie("lang")
    assert cookie is not None and cookie.value == "en"
    assert cookie.max_age and cookie.max_age > 30 * 24 * 3600
    page = client.get("/")
    assert _lang(page) == "en"
    assert "Upcoming events" in page.text
    # And back again.
    client.post("/language", data={"language": "sv"})
    assert _lang(client.get("/")) == "sv"


def test_language_switch_keeps_the_query_string(client):
    response = client.post("/language", data={"language": "en", "next": "/?kind=lab"})
    assert response.location == "/?kind=lab"


@pytest.mark.parametrize("value", ["de", "", "en\r\nSet-Cookie: x=y", "sv' OR 1=1"])
def test_unknown_language_is_ignored(client, value):
    response = client.post("/language", data={"language": value})
    assert response.status_code in (302, 400)
    assert client.get_cookie("lang") is None
    assert _lang(client.get("/")) == "sv"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en-GB,en;q=0.9", "en"),
        ("sv-SE,sv;q=0.9,en;q=0.8", "sv"),
        ("de-DE", "sv"),
        ("", "sv"),
        ("fr;q=0.9, en;q=0.5", "en"),
    ],
)
def test_accept_language(client, header, expected):
    assert _lang(client.get("/", headers={"Accept-Language": header})) == expected


def test_cookie_wins_over_accept_language(client):
    client.set_cookie("lang", "sv")
    assert _lang(client.get("/", headers={"Accept-Language": "en"})) == "sv"


def test_signed_in_users_preference_wins_over_cookie_and_header(client, session):
    user = make_user(session, locale="sv")
    sign_in_quickly(client, session, user)
    client.set_cookie("lang", "en")
    assert _lang(client.get("/", headers={"Accept-Language": "en"})) == "sv"


def test_switching_language_while_signed_in_saves_the_preference(app, client, session):
    user = make_user(session, locale="sv")
    sign_in_quickly(client, session, user)
    client.post("/language", data={"language": "en"})
    assert user.locale == "en"
    # Another browser of the same person, without the cookie, gets English too.
    other = app.test_client()
    sign_in_quickly(other, session, user)
    assert _lang(other.get("/")) == "en"


def test_times_and_dates_follow_the_language(client, session):
    from datetime import UTC, datetime

    from tests.factories import make_event

    event = make_event(session, starts_at=datetime(2027, 6, 1, 8, 0, tzinfo=UTC))
    swedish = client.get(f"/calendar/events/{event.uid}").text
    assert "juni 2027" in swedish
    assert "10:00" in swedish
    client.set_cookie("lang", "en")
    english = client.get(f"/calendar/events/{event.uid}").text
    assert "June 1, 2027" in english
