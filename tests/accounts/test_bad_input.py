"""BAD_INPUT.md for the account administration: unknown ids, bogus roles, odd searches."""

from __future__ import annotations

import re

import pytest

from eventapp.accounts.forms import SEARCH_MAX
from tests.accounts.helpers import signed_in_admin
from tests.factories import make_user
from tests.test_bad_input import BAD_VALUES, CONTROL_VALUES

CSRF_ON = pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}], indirect=True)


@pytest.fixture
def app_config(app_config, request):
    """The suite's configuration, plus ``request.param`` when a test parametrizes it."""
    return {**app_config, **getattr(request, "param", {})}


def roles_of(session, user) -> set[str]:
    session.expire(user)
    return {role.value for role in user.roles}


@pytest.mark.parametrize("user_id", ["999999", "2147483648", "99999999999999999999"])
def test_an_unknown_account_is_404(client, session, user_id):
    signed_in_admin(client, session)
    assert client.get(f"/admin/accounts/{user_id}").status_code == 404
    assert client.post(f"/admin/accounts/{user_id}", data={"roles": ["juror"]}).status_code == 404


@pytest.mark.parametrize("path", ["-1", "0x1", "abc", "1.5", "１２"])
def test_an_id_that_is_no_number_is_404(client, session, path):
    signed_in_admin(client, session)
    assert client.get(f"/admin/accounts/{path}").status_code == 404


@pytest.mark.parametrize(
    "roles", [["superuser"], ["juror", "god"], ["entrepreneur"], ["ADMIN"], [""], ["x" * 10_000]]
)
def test_bogus_roles_are_a_field_error_and_change_nothing(client, session, roles):
    signed_in_admin(client, session)
    person = make_user(session, "panelist")
    response = client.post(f"/admin/accounts/{person.id}", data={"roles": roles})
    assert response.status_code == 200
    assert 'id="roles-error"' in response.text
    assert "Choose roles from the list." in response.text
    assert roles_of(session, person) == {"entrepreneur", "panelist"}


def test_no_bad_value_in_the_account_form_gives_a_500(client, session):
    signed_in_admin(client, session)
    person = make_user(session, "juror")
    for field in ("roles", "is_disabled"):
        for name, value in BAD_VALUES.items():
            response = client.post(f"/admin/accounts/{person.id}", data={field: value})
            expected = {400} if name in CONTROL_VALUES else {200, 302}
            assert response.status_code in expected, (field, name, response.status_code)
            assert "<script>alert(1)" not in response.text, (field, name)


def test_extra_fields_are_ignored(client, session):
    signed_in_admin(client, session)
    person = make_user(session)
    other = make_user(session)
    response = client.post(
        f"/admin/accounts/{person.id}",
        data={
            "roles": ["juror"],
            "role": "admin",
            "user_id": other.id,
            "email": "x@evil.example",
            "deleted_at": "2020-01-01",
        },
    )
    assert response.status_code == 302
    assert roles_of(session, person) == {"entrepreneur", "juror"}
    assert roles_of(session, other) == {"entrepreneur"}
    assert person.email != "x@evil.example" and person.deleted_at is None


def test_the_wrong_method_is_refused(client, session):
    signed_in_admin(client, session)
    person = make_user(session)
    assert client.put(f"/admin/accounts/{person.id}", data={"roles": ["admin"]}).status_code == 405
    assert client.post("/admin/accounts", data={"q": "x"}).status_code == 405
    assert roles_of(session, person) == {"entrepreneur"}


@pytest.mark.parametrize("parameter", ["q", "role", "status", "page"])
def test_the_list_survives_every_bad_value(client, session, parameter):
    signed_in_admin(client, session)
    for name, value in BAD_VALUES.items():
        response = client.get("/admin/accounts", query_string={parameter: value})
        assert response.status_code == (400 if name in CONTROL_VALUES else 200), name
        assert "<script>alert(1)" not in response.text, name


def test_bogus_filters_are_field_errors(client, session):
    signed_in_admin(client, session)
    page = client.get("/admin/accounts", query_string={"role": "god", "status": "x"}).text
    assert 'id="role-error"' in page and 'id="status-error"' in page


def test_a_long_search_is_a_field_error_that_keeps_the_text(client, session):
    signed_in_admin(client, session)
    text = "Å" * (SEARCH_MAX + 1)
    response = client.get("/admin/accounts", query_string={"q": text})
    assert response.status_code == 200
    assert 'id="q-error"' in response.text and text in response.text
    assert 'href="/admin/accounts/' not in response.text


def test_unicode_searches_are_shown_back_escaped(client, session):
    signed_in_admin(client, session)
    make_user(session, name="👩‍👩‍👧 𝐀𝐁𝐂 Familjen")
    page = client.get("/admin/accounts", query_string={"q": "👩‍👩‍👧 𝐀𝐁𝐂"}).text
    assert "Familjen" in page
    page = client.get("/admin/accounts", query_string={"q": BAD_VALUES["html"]}).text
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    page = client.get("/admin/accounts", query_string={"q": BAD_VALUES["template"]}).text
    assert "{{7*7}}" in page


def test_names_with_markup_are_escaped_in_the_list_and_the_page(client, session):
    signed_in_admin(client, session)
    person = make_user(session, name=BAD_VALUES["html"])
    for path in ("/admin/accounts", f"/admin/accounts/{person.id}"):
        page = client.get(path).text
        assert "<img src=x" not in page and "&lt;img src=x" in page


def test_the_pager_never_passes_other_query_arguments_on(client, session):
    signed_in_admin(client, session)
    for number in range(55):
        make_user(session, name=f"Sida {number:02d}")
    page = client.get(
        "/admin/accounts", query_string={"_external": "1", "_scheme": "javascript", "q": "sida"}
    ).text
    links = re.findall(r'rel="next" href="([^"]+)"', page)
    assert links == ["/admin/accounts?page=2&amp;q=sida"]


@CSRF_ON
def test_with_csrf_on_unticking_every_box_takes_the_roles_away(client, session):
    signed_in_admin(client, session)
    person = make_user(session, roles=("juror", "organiser"))
    page = client.get(f"/admin/accounts/{person.id}").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post(f"/admin/accounts/{person.id}", data={}).status_code == 400
    assert roles_of(session, person) == {"entrepreneur", "juror", "organiser"}
    response = client.post(f"/admin/accounts/{person.id}", data={"csrf_token": token})
    assert response.status_code == 302
    assert roles_of(session, person) == {"entrepreneur"}
