"""Changing one account: roles, disabling, the lock-out rules and the log."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from eventapp.accounts import services
from eventapp.accounts.services import AccountAdminError, update_account
from eventapp.auth.models import LoginSession, Role
from eventapp.awards.jury import appoint_member
from eventapp.awards.models import JuryRole
from eventapp.awards.services import AwardError
from eventapp.privacy.services import delete_account
from tests.accounts.helpers import account_log, signed_in_admin
from tests.accounts.test_list import make_guest
from tests.auth.helpers import is_signed_in, sign_in_quickly
from tests.awards.jury_helpers import make_jury_cycle
from tests.factories import make_user


def roles_of(session, user) -> set[str]:
    session.expire(user, ["role_rows"])
    return {role.value for role in user.roles}


def test_the_page_shows_the_roles_held_and_links_to_deletion(client, session):
    signed_in_admin(client, session)
    person = make_user(session, "juror", name="Åsa Öberg")
    page = client.get(f"/admin/accounts/{person.id}").text
    assert "Åsa Öberg" in page and person.email in page
    assert 'value="juror" checked' in page or 'checked id="roles-0"' in page
    assert 'value="admin"' in page and 'value="admin" checked' not in page
    assert f'href="/integritet/konton/{person.id}/radera"' in page


def test_an_admin_makes_someone_a_juror_and_panel_member(client, session):
    admin = signed_in_admin(client, session)
    person = make_user(session)
    with account_log() as lines:
        response = client.post(
            f"/admin/accounts/{person.id}", data={"roles": ["juror", "panelist"]}
        )
    assert response.status_code == 302
    assert response.location == f"/admin/accounts/{person.id}"
    assert roles_of(session, person) == {"entrepreneur", "juror", "panelist"}
    assert lines == [
        f"account {person.id} roles changed by user {admin.id}: added juror,panelist, removed -"
    ]
    assert person.email not in " ".join(lines) and person.name not in " ".join(lines)
    assert "The account is saved." in client.get(response.location).text


def test_unticking_takes_roles_away_and_entrepreneur_stays(client, session):
    admin = signed_in_admin(client, session)
    person = make_user(session, roles=("juror", "organiser"))
    with account_log() as lines:
        client.post(f"/admin/accounts/{person.id}", data={"roles": ["organiser", "admin"]})
        client.post(f"/admin/accounts/{person.id}", data={})
    assert roles_of(session, person) == {"entrepreneur"}
    assert lines == [
        f"account {person.id} roles changed by user {admin.id}: added admin, removed juror",
        f"account {person.id} roles changed by user {admin.id}: added -, removed admin,organiser",
    ]


def test_saving_without_changes_changes_nothing(client, session):
    signed_in_admin(client, session)
    person = make_user(session, "juror")
    with account_log() as lines:
        response = client.post(
            f"/admin/accounts/{person.id}", data={"roles": ["juror"]}, follow_redirects=True
        )
    assert response.status_code == 200
    assert lines == []
    assert roles_of(session, person) == {"entrepreneur", "juror"}


def test_a_person_made_juror_here_can_be_appointed_to_a_jury(client, session):
    """The point of the page: someone becomes a juror without the command line."""
    admin = signed_in_admin(client, session)
    cycle = make_jury_cycle(session, "jury_preparation")
    person = make_user(session)
    with pytest.raises(AwardError):
        appoint_member(session, cycle, person, JuryRole.JUROR, is_chair=False, actor=admin)
    client.post(f"/admin/accounts/{person.id}", data={"roles": ["juror"]})
    session.expire(person)
    member = appoint_member(session, cycle, person, JuryRole.JUROR, is_chair=False, actor=admin)
    assert member.user_id == person.id


def test_disabling_stops_the_persons_sessions_at_once(app, client, session):
    admin = signed_in_admin(client, session)
    person = make_user(session)
    browser = app.test_client()
    sign_in_quickly(browser, session, person)
    assert is_signed_in(browser)
    with account_log() as lines:
        response = client.post(f"/admin/accounts/{person.id}", data={"is_disabled": "y"})
    assert response.status_code == 302
    assert not is_signed_in(browser)
    live = select(func.count()).where(
        LoginSession.user_id == person.id, LoginSession.revoked_at.is_(None)
    )
    assert session.scalar(live) == 0
    assert lines == [f"account {person.id} disabled by user {admin.id}"]
    # Enabling again lets the person sign in anew, but the old browser stays signed out.
    client.post(f"/admin/accounts/{person.id}", data={})
    session.expire(person)
    assert not person.is_disabled
    assert not is_signed_in(browser)


def test_an_admin_cannot_remove_their_own_admin_role(client, session):
    admin = signed_in_admin(client, session)
    make_user(session, roles=("admin",))  # another admin exists: the rule is about oneself
    response = client.post(f"/admin/accounts/{admin.id}", data={"roles": ["organiser"]})
    assert response.status_code == 200
    assert 'id="roles-error"' in response.text
    assert roles_of(session, admin) == {"entrepreneur", "organiser", "admin"}


def test_an_admin_cannot_disable_themself(client, session):
    admin = signed_in_admin(client, session)
    response = client.post(
        f"/admin/accounts/{admin.id}", data={"roles": ["organiser", "admin"], "is_disabled": "y"}
    )
    assert response.status_code == 200
    assert 'id="is_disabled-error"' in response.text
    session.expire(admin)
    assert not admin.is_disabled
    assert is_signed_in(client)


def test_an_admin_may_change_their_other_roles(client, session):
    admin = signed_in_admin(client, session)
    response = client.post(f"/admin/accounts/{admin.id}", data={"roles": ["juror", "admin"]})
    assert response.status_code == 302
    assert roles_of(session, admin) == {"entrepreneur", "juror", "admin"}


def test_another_admin_can_be_demoted_or_disabled(client, session):
    signed_in_admin(client, session)
    other = make_user(session, roles=("admin",))
    client.post(f"/admin/accounts/{other.id}", data={"roles": ["admin"], "is_disabled": "y"})
    session.expire(other)
    assert other.is_disabled
    client.post(f"/admin/accounts/{other.id}", data={})
    assert roles_of(session, other) == {"entrepreneur"}


@pytest.mark.parametrize("change", ["remove_admin", "disable"])
def test_the_last_active_admin_keeps_the_role_and_access(session, change):
    """Through the page the self-rule answers first; the service refuses on its own too
    (a disabled or deleted admin does not count)."""
    last = make_user(session, roles=("admin",))
    make_user(session, roles=("admin",), is_disabled=True)
    gone = make_user(session, roles=("admin",))
    delete_account(session, gone, actor=gone)
    actor = make_user(session, "organiser")
    roles = [] if change == "remove_admin" else [Role.ADMIN]
    with pytest.raises(AccountAdminError) as refused:
        update_account(session, last, roles=roles, disabled=change == "disable", actor=actor)
    assert "enda aktiva administratören" in str(refused.value.message)
    assert refused.value.field == ("roles" if change == "remove_admin" else "is_disabled")
    assert last.is_admin and not last.is_disabled


def test_with_a_second_active_admin_the_first_may_go(session):
    first = make_user(session, roles=("admin",))
    make_user(session, roles=("admin",))
    actor = make_user(session, "organiser")
    assert update_account(session, first, roles=[], disabled=True, actor=actor)
    assert not first.is_admin and first.is_disabled


def test_a_guest_cannot_get_roles(client, session):
    signed_in_admin(client, session)
    guest = make_guest(session)
    response = client.post(f"/admin/accounts/{guest.id}", data={"roles": ["juror"]})
    assert response.status_code == 200
    assert 'id="roles-error"' in response.text
    assert roles_of(session, guest) == set()


def test_a_deleted_account_cannot_get_roles_or_be_changed(client, session):
    signed_in_admin(client, session)
    person = make_user(session)
    delete_account(session, person, actor=person)
    page = client.get(f"/admin/accounts/{person.id}").text
    assert "/radera" not in page.split("<main", 1)[1]  # no link to delete it again
    assert 'name="roles"' not in page  # no form to change it
    response = client.post(f"/admin/accounts/{person.id}", data={"roles": ["admin"]})
    assert response.status_code == 200
    assert 'name="roles"' not in response.text and 'class="notice"' in response.text
    assert roles_of(session, person) == set()
    with pytest.raises(AccountAdminError):
        update_account(session, person, roles=[], disabled=True, actor=person)


def test_entrepreneur_cannot_be_taken_or_given_through_the_form(session):
    person = make_user(session)
    actor = make_user(session, "admin")
    update_account(session, person, roles=[Role.ENTREPRENEUR], disabled=False, actor=actor)
    assert person.roles == frozenset({Role.ENTREPRENEUR})
    assert services.GRANTABLE_ROLES == (Role.JUROR, Role.PANELIST, Role.ORGANISER, Role.ADMIN)
