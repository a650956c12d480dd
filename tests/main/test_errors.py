"""Error pages render in the site's layout; a database outage is a 503 that leaves nothing."""

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from eventapp import create_app
from eventapp.auth import services as auth_services
from eventapp.auth.models import User
from tests.auth.helpers import profile_form, sign_in_quickly
from tests.conftest import POSTGRES_URL, _base_config
from tests.factories import make_user
from tests.main.test_health import UNREACHABLE


def _is_error_page(response, status: int, title: str) -> None:
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert '<html lang="sv">' in response.text
    assert f"<h1>{title}</h1>" in response.text
    assert "Traceback" not in response.text


def test_404_page(client):
    _is_error_page(client.get("/no/such/page"), 404, "Sidan finns inte")


def test_403_page(client, session):
    sign_in_quickly(client, session, make_user(session))
    response = client.get("/calendar/events/new")
    assert response.status_code == 403
    assert "<h1>" in response.text and "Traceback" not in response.text


def test_405_page(client):
    response = client.get("/auth/logout")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert "<h1>" in response.text


def test_413_page_for_a_body_over_max_content_length(app, client):
    body = "name=" + "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post(
        "/auth/register", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "<h1>" in response.text


def test_400_page_for_a_nul_byte(client):
    response = client.get("/?kind=%00")
    assert response.status_code == 400
    assert "<h1>" in response.text


def test_429_page_has_retry_after(app, client):
    from werkzeug.exceptions import TooManyRequests

    @app.get("/_test/too-many")
    def too_many():
        raise TooManyRequests()

    response = client.get("/_test/too-many")
    assert response.status_code == 429
    assert response.headers["Retry-After"]
    assert "<h1>" in response.text


def test_500_page_rolls_back(app, client, session):
    user = make_user(session, name="Före")
    session.commit()  # what the test set up stays; only the request's work is undone
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/_test/boom")
    def boom():
        user.name = "Halvskrivet"
        session.flush()
        raise RuntimeError("boom")

    response = client.get("/_test/boom")
    assert response.status_code == 500
    assert "RuntimeError" not in response.text
    assert "<h1>" in response.text
    session.expire_all()
    assert session.scalar(select(User.name).where(User.id == user.id)) == "Före"


def test_database_error_mid_request_is_503_and_leaves_nothing_half_written(
    app, client, session, monkeypatch
):
    """The change flushed before the failure is rolled back with the request."""
    user = make_user(session, name="Före")
    sign_in_quickly(client, session, user)
    session.commit()  # what the test set up stays; only the request's work is undone
    real_update = auth_services.update_profile

    def update_then_lose_the_database(*args, **kwargs):
        real_update(*args, **kwargs)
        raise OperationalError("UPDATE users", {}, Exception("server closed the connection"))

    monkeypatch.setattr(auth_services, "update_profile", update_then_lose_the_database)
    response = client.post("/auth/profile", data=profile_form(name="Halvskrivet"))
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert "server closed" not in response.text
    session.expire_all()
    assert session.scalar(select(User.name).where(User.id == user.id)) == "Före"


@pytest.mark.parametrize(
    "backend_name",
    [
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                not POSTGRES_URL, reason="EVENTAPP_TEST_POSTGRES_URL is not set"
            ),
        ),
    ],
)
def test_unreachable_database_gives_a_503_page(backend_name):
    app = create_app(_base_config(UNREACHABLE[backend_name]))
    response = app.test_client().get("/")
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert "<h1>" in response.text
    for detail in ("sqlite", "psycopg", "127.0.0.1", "OperationalError", "nonexistent"):
        assert detail not in response.text
