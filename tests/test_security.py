"""The security baseline: CSRF on every POST, headers, cookies, secret keys, control bytes."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import func, select
from werkzeug.exceptions import NotFound
from werkzeug.routing import UUIDConverter

from eventapp import create_app
from eventapp.auth.models import User
from eventapp.security import DatabaseIdConverter
from tests.auth.helpers import register_form, sign_in_quickly
from tests.conftest import _base_config
from tests.factories import make_event, make_user
from tests.route_matrix import all_routes
from tests.test_route_matrix import build_world

STRONG_KEY = "Zq8v1Xc0mRk3Tn6bWy2LpQe9Hs4JdAf7Gu5Ci0Vo1Nx"

CSRF_ON = pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}], indirect=True)


@pytest.fixture
def app_config(app_config, request):
    """The suite's configuration, plus ``request.param`` when a test parametrizes it."""
    return {**app_config, **getattr(request, "param", {})}


def _csrf_token(client, path: str = "/auth/login") -> str:
    page = client.get(path).text
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


# --- CSRF ---------------------------------------------------------------------------------------


@CSRF_ON
def test_every_post_route_refuses_a_missing_token(app, session):
    """Every POST in the route matrix (so every POST endpoint) is 400 without a token,
    for a signed-in organiser and admin, and nothing is written."""
    world = build_world(session)
    posts = [route for route in all_routes() if route.method == "POST"]
    assert len(posts) > 20
    users_before = session.scalar(select(func.count()).select_from(User))
    failures = []
    for route in posts:
        client = app.test_client()
        sign_in_quickly(client, session, world.users["admin"])
        data = route.data(world) if route.data else {}
        response = client.post(route.url(world), data=data)
        if response.status_code != 400:
            failures.append(f"{route.endpoint} {route.url(world)}: {response.status_code}")
    assert not failures, failures
    assert session.scalar(select(func.count()).select_from(User)) == users_before


@CSRF_ON
def test_missing_token_page_shows_what_was_typed_but_never_passwords(client, session):
    response = client.post(
        "/auth/register",
        data=register_form(
            name="Åsa <b>Öberg</b>",
            password="my secret passphrase",
            password_confirm="my secret passphrase",
        ),
    )
    assert response.status_code == 400
    assert "Åsa &lt;b&gt;Öberg&lt;/b&gt;" in response.text
    assert "asa@example.org" in response.text
    assert "my secret passphrase" not in response.text
    assert session.scalar(select(func.count()).select_from(User)) == 0


@CSRF_ON
def test_token_from_another_session_is_refused(app, client, session):
    stranger = app.test_client()
    their_token = _csrf_token(stranger)
    _csrf_token(client)  # this browser has a session and a token of its own
    response = client.post("/auth/register", data={**register_form(), "csrf_token": their_token})
    assert response.status_code == 400
    assert session.scalar(select(func.count()).select_from(User)) == 0


@CSRF_ON
def test_a_valid_token_is_accepted(client, session):
    token = _csrf_token(client, "/auth/register")
    response = client.post("/auth/register", data={**register_form(), "csrf_token": token})
    assert response.status_code == 302
    assert session.scalar(select(func.count()).select_from(User)) == 1


@CSRF_ON
def test_tampered_token_is_refused(client, session):
    token = _csrf_token(client, "/auth/register")
    response = client.post(
        "/auth/register", data={**register_form(), "csrf_token": token[:-3] + "abc"}
    )
    assert response.status_code == 400


@CSRF_ON
def test_json_to_a_form_route_is_refused(client, session):
    response = client.post("/auth/register", json=register_form())
    assert response.status_code == 400
    assert session.scalar(select(func.count()).select_from(User)) == 0


@CSRF_ON
def test_get_requests_need_no_token(client, session):
    make_event(session)
    assert client.get("/?kind=lab").status_code == 200


# --- headers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/auth/login", "/no-such-page", "/healthz"])
def test_security_headers(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] in (
        "same-origin",
        "strict-origin-when-cross-origin",
        "no-referrer",
    )


def test_pages_carry_no_inline_script_or_style(client, session):
    sign_in_quickly(client, session, make_user(session, "organiser"))
    event = make_event(session)
    for path in ("/", "/auth/profile", "/calendar/events/new", f"/calendar/events/{event.uid}"):
        page = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), path
        assert "<style" not in page and " style=" not in page, path
        assert not re.search(r"\son[a-z]+=", page), path


@pytest.mark.parametrize("path", ["/", "/auth/profile", "/calendar/my-signups"])
def test_pages_for_signed_in_people_are_not_stored(client, session, path):
    sign_in_quickly(client, session, make_user(session))
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


def test_public_pages_for_visitors_may_be_cached(client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")


# --- cookies and secret keys --------------------------------------------------------------------


def _set_cookies(response) -> dict[str, str]:
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}


@pytest.mark.parametrize(
    "app_config",
    [{"ENVIRONMENT": "production", "SECRET_KEY": STRONG_KEY, "SESSION_COOKIE_SECURE": None}],
    indirect=True,
)
def test_cookies_are_secure_httponly_and_lax_outside_development(app, client, session):
    assert app.config["SESSION_COOKIE_SECURE"] is True
    user = make_user(session)
    login = client.post(
        "/auth/login",
        data={"email": user.email, "password": "correct horse battery"},
        base_url="https://localhost",
    )
    assert login.status_code == 302
    session_cookie = _set_cookies(login)["eventapp_session"]
    for attribute in ("Secure", "HttpOnly", "SameSite=Lax"):
        assert attribute in session_cookie
    language = client.post("/language", data={"language": "en"}, base_url="https://localhost")
    lang_cookie = _set_cookies(language)["lang"]
    for attribute in ("Secure", "HttpOnly", "SameSite=Lax"):
        assert attribute in lang_cookie
    assert "Strict-Transport-Security" in login.headers


def test_development_cookies_work_over_plain_http(database_url):
    app = create_app(_base_config(database_url, ENVIRONMENT="development"))
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.parametrize(
    "key",
    [None, "", "dev", "changeme", "short-but-random-1234", "a" * 64, "ab" * 32],
    ids=["missing", "empty", "dev", "changeme", "short", "one-letter", "two-letters"],
)
def test_production_refuses_to_start_without_a_strong_secret_key(monkeypatch, key):
    monkeypatch.delenv("EVENTAPP_SECRET_KEY", raising=False)
    config = {
        "ENVIRONMENT": "production",
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "SECRET_KEY": key,
    }
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config)


def test_production_starts_with_a_strong_secret_key(monkeypatch):
    monkeypatch.delenv("EVENTAPP_SECRET_KEY", raising=False)
    app = create_app(
        {
            "ENVIRONMENT": "production",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SECRET_KEY": STRONG_KEY,
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_environment_defaults_to_production(monkeypatch):
    monkeypatch.delenv("EVENTAPP_ENVIRONMENT", raising=False)
    monkeypatch.delenv("EVENTAPP_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_development_keeps_a_generated_key_in_the_instance_folder(tmp_path):
    from eventapp import development_secret_key

    first = development_secret_key(tmp_path)
    assert len(first) >= 32
    assert development_secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


# --- NUL and control bytes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/%00",
        "/calendar/events/%00",
        "/auth/reset/abc%00def",
        "/auth/confirm/%1b%5b31m",
        "/?kind=lab%00",
        "/?municipality=%1b[31m",
        "/?%00=x",
        "/calendar/events/new?next=%7f",
    ],
)
def test_control_bytes_in_path_and_query_are_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "<h1>" in response.text


@pytest.mark.parametrize("path", ["/auth/register", "/auth/login", "/auth/reset", "/language"])
def test_control_bytes_in_forms_are_400(client, session, path):
    for value in ("a\x00b", "\x00", "x\x1b[31m", "a\x08b", "\x7f"):
        data = {**register_form(), "language": "en", "name": value, "email": f"a{value}@x.se"}
        assert client.post(path, data=data).status_code == 400, repr(value)
    assert session.scalar(select(func.count()).select_from(User)) == 0


def test_control_bytes_in_a_field_name_are_400(client):
    assert client.post("/auth/login", data={"em\x00ail": "x"}).status_code == 400


def test_control_bytes_in_multipart_forms_are_400(client, session):
    response = client.post(
        "/auth/register",
        data={**register_form(), "name": "a\x00b"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400


def test_tabs_and_newlines_are_allowed_in_text(client, session):
    sign_in_quickly(client, session, make_user(session, "organiser"))
    event = make_event(session)
    response = client.post(
        f"/calendar/events/{event.uid}/cancel", data={"reason": "Rad 1\r\n\tRad 2"}
    )
    assert response.status_code == 302
    assert event.cancellation_reason == "Rad 1\n\tRad 2"


def test_nul_in_the_database_path_never_reaches_postgresql(client, session, backend):
    """PostgreSQL refuses NUL in text with an error (a 500); the guard answers 400 first."""
    sign_in_quickly(client, session, make_user(session, "organiser"))
    event = make_event(session)
    response = client.post(f"/calendar/events/{event.uid}/cancel", data={"reason": "a\x00b"})
    assert response.status_code == 400
    assert event.cancellation_reason is None


# --- methods ------------------------------------------------------------------------------------


def test_logout_is_post_only(client, session):
    sign_in_quickly(client, session, make_user(session))
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/auth/profile").status_code == 200
    assert client.post("/auth/logout").status_code == 302
    assert client.get("/auth/profile").status_code == 302


@pytest.mark.parametrize("path", ["/language", "/calendar/events/{uid}/signup"])
def test_state_changing_routes_refuse_get(client, session, path):
    event = make_event(session)
    assert client.get(path.format(uid=event.uid)).status_code == 405


@pytest.mark.parametrize("bad_id", ["2147483648", "99999999999999999999", "１２", "-1"])
def test_an_id_out_of_the_columns_range_is_not_found_on_every_route(app, client, bad_id):
    """Every ``<int:...>`` route: an id no row can have, or non-ASCII digits, is a 404
    before any view or query runs (it used to reach SQLite and end in a 500)."""
    adapter = app.url_map.bind("localhost")
    checked = 0
    for rule in app.url_map.iter_rules():
        converters = rule._converters
        if not any(isinstance(c, DatabaseIdConverter) for c in converters.values()):
            continue
        method = sorted(rule.methods - {"HEAD", "OPTIONS"})[0]

        def path_with(id_value, rule=rule, converters=converters):
            path = rule.rule
            for name, converter in converters.items():
                if isinstance(converter, DatabaseIdConverter):
                    value = id_value
                elif isinstance(converter, UUIDConverter):
                    value = str(uuid.UUID(int=1))
                else:
                    value = "x"
                path = re.sub(rf"<(?:[^:>]*:)?{name}>", value, path)
            return path

        # A valid id reaches the rule; the bad one is refused by routing itself.
        assert adapter.match(path_with("7"), method=method)[0] == rule.endpoint
        with pytest.raises(NotFound):
            adapter.match(path_with(bad_id), method=method)
        checked += 1
    assert checked > 20
    assert client.get(f"/integritet/konton/{bad_id}/radera").status_code == 404


def test_the_apps_record_of_deletions_and_role_changes_reaches_the_log(app):
    """Python's root logger stops at WARNING; the app's INFO lines (who deleted or exported
    which account) must not be dropped in production."""
    import logging

    assert app.logger.name == "eventapp"
    assert logging.getLogger("eventapp.privacy.services").isEnabledFor(logging.INFO)
