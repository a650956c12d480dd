"""The admins' list of accounts: what it shows, search, filters, paging and query count."""

from __future__ import annotations

import unicodedata

import pytest

from eventapp.accounts import services
from eventapp.accounts.services import AccountFilter, AccountStatus, account_status
from eventapp.auth.models import Role, User
from eventapp.extensions import db
from eventapp.privacy.services import delete_account
from tests.accounts.helpers import signed_in_admin
from tests.auth.helpers import sign_in_quickly
from tests.factories import make_organisation, make_user
from tests.querycount import count_queries


def make_guest(session, name: str = "Gäst Gästsson") -> User:
    guest = User(name=name, email=None, password_hash=None, is_guest=True)
    session.add(guest)
    session.flush()
    return guest


def make_deleted(session) -> User:
    user = make_user(session, name="Borta Bortsson", email="borta@example.org")
    delete_account(session, user, actor=user)
    return user


@pytest.fixture
def people(session):
    """One account of every status, with names that sort in this order."""
    organisation = make_organisation(session, name="Kooperativet Ängen")
    return {
        "active": make_user(
            session, "juror", name="Åsa Öberg", email="asa@example.org", organisation=organisation
        ),
        "unconfirmed": make_user(session, name="Bo Ny", email="bo@example.org", confirmed=False),
        "disabled": make_user(
            session, "panelist", name="Cilla Stopp", email="cilla@example.org", is_disabled=True
        ),
        "guest": make_guest(session),
        "deleted": make_deleted(session),
    }


def names(result) -> list[str]:
    return [user.name for user in result.accounts]


def test_the_list_shows_name_address_organisation_roles_and_status(client, session, people):
    signed_in_admin(client, session, name="Admin Adminsson")
    response = client.get("/admin/accounts")
    assert response.status_code == 200
    page = response.text
    for text in ("Åsa Öberg", "asa@example.org", "Kooperativet Ängen", "Bo Ny", "Cilla Stopp"):
        assert text in page
    assert "Jurymedlem" in page or "Juror" in page
    assert f'href="/admin/accounts/{people["active"].id}"' in page
    # Every status is shown by its label, and deleted accounts are hidden by default.
    assert "Gäst Gästsson" in page
    assert people["deleted"].name not in page


def test_each_status_is_worked_out_and_filtered_the_same(session, people):
    for status in AccountStatus:
        assert account_status(people[status.value]) is status
        result = services.list_accounts(session, AccountFilter(status=status))
        assert [user.id for user in result.accounts] == [people[status.value].id], status


def test_deleted_accounts_only_when_asked_for(client, session, people):
    signed_in_admin(client, session)
    hidden = services.list_accounts(session, AccountFilter())
    assert people["deleted"].id not in [user.id for user in hidden.accounts]
    page = client.get("/admin/accounts?status=deleted").text
    assert f'href="/admin/accounts/{people["deleted"].id}"' in page
    assert "Åsa Öberg" not in page


def test_filter_by_role(session, people):
    result = services.list_accounts(session, AccountFilter(role=Role.JUROR))
    assert names(result) == ["Åsa Öberg"]
    result = services.list_accounts(session, AccountFilter(role=Role.PANELIST))
    assert names(result) == ["Cilla Stopp"]
    both = AccountFilter(role=Role.PANELIST, status=AccountStatus.ACTIVE)
    assert names(services.list_accounts(session, both)) == []


@pytest.mark.parametrize(
    "term",
    ["åsa", "ÅSA", "Öberg", unicodedata.normalize("NFD", "åsa öb"), "ASA@EXAMPLE", " asa@ "],
)
def test_search_ignores_case_and_normal_form_in_name_and_address(session, people, term):
    assert names(services.list_accounts(session, AccountFilter(q=term))) == ["Åsa Öberg"]


def test_search_treats_like_characters_literally(session, people):
    make_user(session, name="Procent 100% AB", email="procent@example.org")
    assert names(services.list_accounts(session, AccountFilter(q="%"))) == ["Procent 100% AB"]
    assert names(services.list_accounts(session, AccountFilter(q="_"))) == []
    assert names(services.list_accounts(session, AccountFilter(q="' OR 1=1--"))) == []


def test_search_and_filters_together_in_the_page(client, session, people):
    signed_in_admin(client, session)
    page = client.get("/admin/accounts", query_string={"q": "ÅSA", "role": "juror"}).text
    assert "Åsa Öberg" in page and "Bo Ny" not in page
    assert 'value="ÅSA"' in page  # the search keeps what was typed


def test_paging_in_the_service(session):
    for number in range(5):
        make_user(session, name=f"Sida {number}", email=f"sida{number}@example.org")
    filters = AccountFilter(q="sida")
    first = services.list_accounts(session, filters, page=1, page_size=2)
    assert (first.total, first.pages, names(first)) == (5, 3, ["Sida 0", "Sida 1"])
    assert not first.has_previous and first.has_next
    last = services.list_accounts(session, filters, page=3, page_size=2)
    assert names(last) == ["Sida 4"] and last.has_previous and not last.has_next
    # Out of range pages show the nearest page that exists.
    assert services.list_accounts(session, filters, page=99, page_size=2).page == 3
    assert services.list_accounts(session, filters, page=0, page_size=2).page == 1
    # The same paging without a search term (the SQL path).
    unfiltered = services.list_accounts(session, AccountFilter(), page=2, page_size=2)
    assert names(unfiltered) == ["Sida 2", "Sida 3"]


def test_the_page_shows_fifty_and_links_the_next_page_keeping_the_search(client, session):
    signed_in_admin(client, session, name="Zorro Admin", email="zorro@example.org")
    for number in range(services.PAGE_SIZE + 5):
        make_user(session, name=f"Person {number:03d}", email=f"p{number}@example.org")
    page = client.get("/admin/accounts", query_string={"q": "person"}).text
    assert page.count('href="/admin/accounts/') == services.PAGE_SIZE
    assert "/admin/accounts?page=2&amp;q=person" in page
    second = client.get("/admin/accounts", query_string={"q": "person", "page": "2"}).text
    assert second.count('href="/admin/accounts/') == 5
    assert "Person 054" in second and "Person 000" not in second
    assert "/admin/accounts?page=1&amp;q=person" in second


def _grow(session, count: int) -> None:
    organisation = make_organisation(session)
    for number in range(count):
        make_user(
            session,
            ("juror", "panelist", "organiser")[number % 3],
            organisation=organisation if number % 2 else None,
        )
        make_guest(session, name=f"Gäst {number}")


@pytest.mark.parametrize("query", ["", "?q=person", "?role=juror&status=active"])
def test_the_statement_count_does_not_grow_with_the_number_of_accounts(app, session, query):
    admin = make_user(session, roles=("organiser", "admin"))
    _grow(session, 10)

    def measure() -> tuple[int, str]:
        client = app.test_client()
        sign_in_quickly(client, session, admin)
        session.expire_all()
        with count_queries(db.engine) as counter:
            response = client.get("/admin/accounts" + query)
        assert response.status_code == 200
        return counter.count, counter.summary()

    small = measure()
    _grow(session, 3 * services.PAGE_SIZE)
    large = measure()
    assert small[0] == large[0], f"{small[1]}\n---\n{large[1]}"


def test_only_admins_see_the_link_and_the_pages(client, session):
    organiser = make_user(session, "organiser", locale="en")
    sign_in_quickly(client, session, organiser)
    assert 'href="/admin/accounts"' not in client.get("/").text
    assert client.get("/admin/accounts").status_code == 403
    assert client.get(f"/admin/accounts/{organiser.id}").status_code == 403
    response = client.post(f"/admin/accounts/{organiser.id}", data={"roles": ["admin"]})
    assert response.status_code == 403
    assert not organiser.is_admin
    admin_client = client.application.test_client()
    signed_in_admin(admin_client, session)
    assert 'href="/admin/accounts"' in admin_client.get("/").text
