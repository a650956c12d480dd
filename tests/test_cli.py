"""The commands: init-db, seed-demo, create-admin and send-mail."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from eventapp import create_app
from eventapp.auth import services as auth_services
from eventapp.auth.models import Organisation, Role, User
from eventapp.calendar.models import Event
from eventapp.database_status import migrations_at_head
from eventapp.extensions import db
from eventapp.mail import OutboxMessage, queue_mail
from tests.conftest import _base_config
from tests.factories import _default_password_hash, make_user

DEMO_ACCOUNTS = {
    "admin@example.org": {Role.ADMIN, Role.ORGANISER},
    "organiser@example.org": {Role.ORGANISER},
    "entrepreneur@example.org": set(),
    **{f"juror{n}@example.org": {Role.JUROR} for n in range(1, 6)},
    "panel1@example.org": {Role.PANELIST},
}


@pytest.fixture
def fast_hashing(monkeypatch):
    """seed-demo hashes a password per account; the tests reuse one real hash."""
    known = _default_password_hash()
    monkeypatch.setattr(auth_services, "hash_password", lambda password: known)


def test_init_db_brings_an_empty_sqlite_file_to_head(tmp_path):
    database = tmp_path / "fresh.sqlite"
    app = create_app(_base_config(f"sqlite:///{database}"))
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert migrations_at_head(db.session)
        # Running it again is harmless.
        again = app.test_cli_runner().invoke(args=["init-db"])
        assert again.exit_code == 0, again.output
        assert migrations_at_head(db.session)
        db.engine.dispose()


def test_seed_demo_creates_the_listed_accounts_and_is_idempotent(
    app, runner, session, fast_hashing
):
    app.config["ENVIRONMENT"] = "development"
    result = runner.invoke(args=["seed-demo", "--password", "demo-lösenord-2026"])
    assert result.exit_code == 0, result.output
    for email, roles in DEMO_ACCOUNTS.items():
        user = session.scalar(select(User).where(User.email == email))
        assert user is not None, email
        assert user.roles == {Role.ENTREPRENEUR, *roles}, email
        assert user.email_confirmed_at is not None
    municipalities = set(session.scalars(select(Organisation.municipality)))
    assert len(municipalities) >= 3
    assert session.scalar(select(func.count()).select_from(Event)) >= 3
    assert len(set(session.scalars(select(Event.municipality)))) >= 3

    counts = [session.scalar(select(func.count()).select_from(model)) for model in (User, Event)]
    again = runner.invoke(args=["seed-demo", "--password", "demo-lösenord-2026"])
    assert again.exit_code == 0, again.output
    assert "already" in again.output
    assert [session.scalar(select(func.count()).select_from(m)) for m in (User, Event)] == counts


def test_seed_demo_uses_the_given_password(app, runner, session, monkeypatch):
    # Real Argon2id, with cheap parameters for the dozen accounts.
    monkeypatch.setattr(
        auth_services, "password_hasher", PasswordHasher(time_cost=1, memory_cost=64)
    )
    app.config["ENVIRONMENT"] = "development"
    runner.invoke(args=["seed-demo", "--password", "demo-lösenord-2026"])
    admin = session.scalar(select(User).where(User.email == "admin@example.org"))
    assert admin.password_hash.startswith("$argon2id$")
    assert auth_services.verify_password(admin, "demo-lösenord-2026")


@pytest.mark.parametrize("environment", ["production", "testing"])
def test_seed_demo_refuses_outside_development(app, runner, session, environment):
    app.config["ENVIRONMENT"] = environment
    result = runner.invoke(args=["seed-demo", "--password", "x" * 12])
    assert result.exit_code != 0
    assert "development" in result.output
    assert session.scalar(select(func.count()).select_from(User)) == 0


def test_seed_demo_runs_outside_development_when_forced(app, runner, session, fast_hashing):
    app.config["ENVIRONMENT"] = "testing"
    result = runner.invoke(args=["seed-demo", "--password", "x" * 12, "--force"])
    assert result.exit_code == 0, result.output
    assert session.scalar(select(User).where(User.email == "admin@example.org")) is not None


def test_create_admin_prompts_and_creates_a_confirmed_admin(runner, session):
    result = runner.invoke(
        args=["create-admin"],
        input="Anna Admin\nAnna@Example.org\nen lång lösenfras\nen lång lösenfras\n",
    )
    assert result.exit_code == 0, result.output
    assert "en lång lösenfras" not in result.output
    admin = session.scalar(select(User).where(User.email == "anna@example.org"))
    assert admin.roles == {Role.ENTREPRENEUR, Role.ORGANISER, Role.ADMIN}
    assert admin.email_confirmed_at is not None
    assert admin.password_hash.startswith("$argon2id$")


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("taken@example.org", "en lång lösenfras", "already exists"),
        ("not-an-address", "en lång lösenfras", "giltig e-postadress"),  # Swedish by default
        ("new@example.org", "kort", "too short"),
    ],
)
def test_create_admin_refuses_bad_input(runner, session, email, password, message):
    make_user(session, email="taken@example.org")
    result = runner.invoke(
        args=["create-admin", "--name", "Anna", "--email", email, "--password", password]
    )
    assert result.exit_code != 0
    assert message in result.output
    admins = session.scalars(select(User).where(User.email != "taken@example.org")).all()
    assert admins == []


def test_send_mail_sends_the_outbox(runner, session, smtp_server):
    user = make_user(session, email="asa@example.org")
    queue_mail(
        session,
        dedup_key="cli:1",
        to=user.email,
        subject="Hej",
        template="mail/confirm_email.txt",
        user=user,
        confirm_url="https://x.example",
    )
    session.commit()
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert "sent 1, failed 0" in result.output
    assert [m["To"] for m in smtp_server.messages] == ["asa@example.org"]
    assert session.scalar(select(OutboxMessage.sent_at)) is not None
    assert "sent 0, failed 0" in runner.invoke(args=["send-mail"]).output
