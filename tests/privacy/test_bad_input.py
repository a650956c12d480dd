"""BAD_INPUT.md for the privacy forms: consents, deleting an account, an admin's deletion."""

from __future__ import annotations

from argon2 import PasswordHasher

from eventapp.auth import services as auth_services
from eventapp.privacy.consents import has_consent
from eventapp.privacy.models import ConsentKind
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.test_bad_input import BAD_VALUES


# One sign-in per test, every value in a loop: Argon2 makes each sign-in cost.
def test_delete_form_survives_every_bad_value(session, client, auth, monkeypatch):
    # A cheap hasher: each bad password is really checked, without 64 MiB per try.
    fast = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    monkeypatch.setattr(auth_services, "password_hasher", fast)
    user = make_user(session)
    user.password_hash = fast.hash(DEFAULT_PASSWORD)
    auth.login_as(user)
    for name, value in BAD_VALUES.items():
        for data in (
            {"password": value, "understood": "y"},
            {"password": "x", "understood": value},
        ):
            response = client.post("/integritet/radera-konto", data=data)
            # A wrong password or a bad box re-renders the form; NUL bytes are a 400.
            assert response.status_code in (200, 400), (name, response.status_code)
    assert user.deleted_at is None


def test_consent_form_survives_every_bad_value(session, client, auth):
    user = make_user(session)
    auth.login_as(user)
    for name, value in BAD_VALUES.items():
        for data in ({"kind": value, "given": "1"}, {"kind": "invitations", "given": value}):
            assert client.post("/integritet/samtycken", data=data).status_code == 400, name
    assert not has_consent(session, user, ConsentKind.INVITATIONS)


def test_a_ten_thousand_character_password_is_a_field_error(session, client, auth):
    user = make_user(session)
    auth.login_as(user)
    response = client.post(
        "/integritet/radera-konto", data={"password": "x" * 10_000, "understood": "y"}
    )
    assert response.status_code == 200
    assert 'id="password-error"' in response.get_data(as_text=True)
    assert user.deleted_at is None


def test_extra_fields_cannot_delete_someone_else(session, client, auth):
    user = make_user(session)
    other = make_user(session)
    auth.login_as(user)
    client.post(
        "/integritet/radera-konto",
        data={"password": "wrong", "understood": "y", "user_id": other.id},
    )
    client.post(
        "/integritet/samtycken",
        data={"kind": "invitations", "given": "1", "user_id": other.id},
    )
    assert other.deleted_at is None
    assert not has_consent(session, other, ConsentKind.INVITATIONS)
    assert has_consent(session, user, ConsentKind.INVITATIONS)


def test_admin_deletion_of_an_unknown_or_foreign_id(session, client, auth):
    admin = make_user(session, roles=("organiser", "admin"))
    organiser = make_user(session, "organiser")
    auth.login_as(admin)
    assert client.get("/integritet/konton/999999/radera").status_code == 404
    assert (
        client.post("/integritet/konton/999999/radera", data={"understood": "y"}).status_code == 404
    )
    # An admin's own account goes through the password-confirmed page.
    assert client.get(f"/integritet/konton/{admin.id}/radera").status_code == 302
    auth.logout()
    auth.login_as(organiser)
    target = make_user(session)
    response = client.post(f"/integritet/konton/{target.id}/radera", data={"understood": "y"})
    assert response.status_code == 403
    assert target.deleted_at is None


def test_get_never_deletes(session, client, auth):
    user = make_user(session)
    auth.login_as(user)
    client.get(f"/integritet/radera-konto?password={DEFAULT_PASSWORD}&understood=y")
    assert user.deleted_at is None
    assert client.delete("/integritet/radera-konto").status_code == 405


def test_posts_without_a_csrf_token_are_refused(app, session):
    from tests.test_route_matrix import sign_in

    user = make_user(session)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        sign_in(client, session, user)
        response = client.post("/integritet/samtycken", data={"kind": "invitations", "given": "1"})
        assert response.status_code == 400
        response = client.post(
            "/integritet/radera-konto", data={"password": DEFAULT_PASSWORD, "understood": "y"}
        )
        assert response.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert user.deleted_at is None
    assert not has_consent(session, user, ConsentKind.INVITATIONS)
