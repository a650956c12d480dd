"""Route x role matrix for privacy: the notice and the accessibility statement are public,
own-data pages are for the signed-in person, deleting someone else's account is for admins.

Deleting one's own account is exercised with a wrong password (the page comes back), so the
role's account survives for the routes that follow."""

from __future__ import annotations

from tests.factories import make_user
from tests.route_matrix import Route, World

EVERYONE = {"default": 200}
SIGNED_IN = {"anonymous": 302, "default": 200}
SIGNED_IN_POST = {"anonymous": 302, "default": 302}
ADMINS = {"admin": 200, "anonymous": 302, "default": 403}


def build(session, world: World) -> None:
    world.privacy_person = make_user(session)


def _admin_delete(world: World) -> str:
    return f"/integritet/konton/{world.privacy_person.id}/radera"


ROUTES = [
    Route("privacy.notice", "GET", lambda w: "/integritet", EVERYONE),
    Route("privacy.accessibility", "GET", lambda w: "/tillganglighet", EVERYONE),
    Route("privacy.my_data", "GET", lambda w: "/integritet/mina-uppgifter", SIGNED_IN),
    Route("privacy.my_data_json", "GET", lambda w: "/integritet/mina-uppgifter.json", SIGNED_IN),
    Route("privacy.my_data_csv", "GET", lambda w: "/integritet/mina-uppgifter.zip", SIGNED_IN),
    Route("privacy.consents", "GET", lambda w: "/integritet/samtycken", SIGNED_IN),
    Route(
        "privacy.consents",
        "POST",
        lambda w: "/integritet/samtycken",
        SIGNED_IN_POST,
        data=lambda w: {"kind": "invitations", "given": "1"},
    ),
    Route("privacy.delete_own_account", "GET", lambda w: "/integritet/radera-konto", SIGNED_IN),
    Route(
        "privacy.delete_own_account",
        "POST",
        lambda w: "/integritet/radera-konto",
        SIGNED_IN,
        data=lambda w: {"password": "not the password", "understood": "y"},
        note="wrong password: the form comes back",
    ),
    Route(
        "privacy.account_data_json",
        "GET",
        lambda w: f"/integritet/konton/{w.privacy_person.id}/uppgifter.json",
        ADMINS,
    ),
    Route("privacy.delete_account_as_admin", "GET", _admin_delete, ADMINS),
    Route(
        "privacy.delete_account_as_admin",
        "POST",
        _admin_delete,
        ADMINS,
        data=lambda w: {},
        note="box not ticked: the form comes back",
    ),
]
