"""/healthz says the process is up; /readyz says the database answers and is at head."""

import pytest
from sqlalchemy import text

from eventapp import create_app
from tests.conftest import POSTGRES_URL, _base_config

UNREACHABLE = {
    "sqlite": "sqlite:////nonexistent-folder/for-eventapp-tests/db.sqlite",
    "postgresql": "postgresql://postgres@127.0.0.1:1/eventapp",
}


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_when_the_database_is_at_head(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_is_503_when_migrations_are_behind(client, session):
    session.execute(text("DELETE FROM alembic_version"))
    session.execute(text("INSERT INTO alembic_version (version_num) VALUES ('0001_foundation')"))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable"}
    assert "0001" not in response.text


def test_readyz_is_503_when_migrations_never_ran(client, session):
    session.execute(text("DELETE FROM alembic_version"))
    assert client.get("/readyz").status_code == 503


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
def test_readyz_is_503_without_details_when_the_database_is_unreachable(backend_name):
    app = create_app(_base_config(UNREACHABLE[backend_name]))
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable"}
    for secret in ("sqlite", "postgres", "127.0.0.1", "Error", "nonexistent"):
        assert secret not in response.text
