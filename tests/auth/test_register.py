"""Registration: no enumeration, a confirmation mail over real SMTP, confirm before sign-in."""

from sqlalchemy import func, select

from eventapp.auth.models import Role, User
from eventapp.mail import OutboxMessage, send_outbox
from tests.auth.helpers import link_in, register_form
from tests.factories import DEFAULT_PASSWORD, make_user


def test_register_new_and_existing_address_give_the_same_response(client, session):
    make_user(session, email="taken@example.org")
    new = client.post("/auth/register", data=register_form(email="new@example.org"))
    taken = client.post("/auth/register", data=register_form(email="TAKEN@example.org"))
    assert new.status_code == taken.status_code == 302
    assert new.location == taken.location == "/auth/check-mail"
    assert client.get(new.location).status_code == 200
    # The existing account is unchanged and not duplicated.
    assert session.scalar(select(func.count()).where(User.email == "taken@example.org")) == 1


def test_registration_stores_an_unconfirmed_entrepreneur_with_an_argon2id_hash(client, session):
    client.post("/auth/register", data=register_form(email="Ny.Person@Example.ORG"))
    user = session.scalar(select(User).where(User.email == "ny.person@example.org"))
    assert user is not None
    assert user.roles == {Role.ENTREPRENEUR}
    assert user.email_confirmed_at is None
    assert user.password_hash.startswith("$argon2id$")
    assert DEFAULT_PASSWORD not in user.password_hash


def test_confirmation_mail_arrives_and_its_link_confirms(app, client, session, smtp_server):
    client.post("/auth/register", data=register_form(email="asa@example.org"))
    report = send_outbox(app)
    assert report.sent == 1
    [message] = smtp_server.to("asa@example.org")
    link = link_in(message, "/auth/confirm/")

    # Unconfirmed: the right password still does not sign in.
    refused = client.post(
        "/auth/login", data={"email": "asa@example.org", "password": DEFAULT_PASSWORD}
    )
    assert refused.status_code == 200
    assert client.get("/auth/profile").status_code == 302

    confirmed = client.get(link)
    assert confirmed.status_code == 302
    assert confirmed.location == "/auth/login"
    user = session.scalar(select(User).where(User.email == "asa@example.org"))
    assert user.email_confirmed_at is not None

    signed_in = client.post(
        "/auth/login", data={"email": "asa@example.org", "password": DEFAULT_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert client.get("/auth/profile").status_code == 200


def test_unconfirmed_account_cannot_sign_in(client, session):
    user = make_user(session, confirmed=False)
    response = client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    assert client.get("/auth/profile").status_code == 302


def test_existing_address_gets_a_mail_not_a_second_account(app, client, session, smtp_server):
    make_user(session, email="taken@example.org", name="Karin")
    client.post("/auth/register", data=register_form(email="taken@example.org"))
    send_outbox(app)
    [message] = smtp_server.to("taken@example.org")
    # It offers a password reset instead of a confirmation.
    assert link_in(message, "/auth/reset/")


def test_confirm_link_with_a_bad_token_is_refused(client):
    response = client.get("/auth/confirm/not-a-token")
    assert response.status_code == 302
    assert response.location == "/auth/confirm"


def test_resend_confirmation_says_the_same_for_every_address(app, client, session, smtp_server):
    make_user(session, email="waiting@example.org", confirmed=False)
    make_user(session, email="done@example.org")
    answers = [
        client.post("/auth/confirm", data={"email": address})
        for address in ("waiting@example.org", "done@example.org", "nobody@example.org")
    ]
    assert {(r.status_code, r.location) for r in answers} == {(302, "/auth/check-mail")}
    send_outbox(app)
    assert [m["To"] for m in smtp_server.messages] == ["waiting@example.org"]


def test_registration_refuses_mismatched_and_short_passwords(client, session):
    short = client.post(
        "/auth/register",
        data=register_form(password="short", password_confirm="short"),
    )
    other = client.post(
        "/auth/register", data=register_form(password_confirm="something else entirely")
    )
    assert short.status_code == other.status_code == 200
    assert session.scalar(select(func.count()).select_from(User)) == 0
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
