"""Profile edit: organisation details are checked, extra fields are ignored."""

import pytest
from sqlalchemy import func, select

from eventapp.auth.models import Organisation, Role
from tests.auth.helpers import profile_form, sign_in_quickly
from tests.factories import make_organisation, make_user

VALID_ORG_NUMBER = "556036-0793"  # a real check digit


@pytest.fixture
def user(session, client):
    user = make_user(session, name="Åsa")
    sign_in_quickly(client, session, user)
    return user


def _save(client, **fields):
    return client.post("/auth/profile", data=profile_form(**fields))


def test_profile_saves_name_language_and_organisation(client, session, user):
    response = _save(
        client,
        name="Åsa Öberg",
        locale="en",
        organisation_name="Kooperativet Hantverket",
        org_number="5560360793",
        org_type="cooperative",
        municipality="Falun",
        website="hantverket.example.se",
        year_founded="2014",
    )
    assert response.status_code == 302
    assert response.location == "/auth/profile"
    assert response.headers.getlist("Set-Cookie")
    assert user.name == "Åsa Öberg"
    assert user.locale == "en"
    organisation = user.organisation
    assert organisation.name == "Kooperativet Hantverket"
    assert organisation.org_number == VALID_ORG_NUMBER
    assert organisation.municipality == "Falun"
    assert organisation.website == "https://hantverket.example.se"
    assert organisation.year_founded == 2014


@pytest.mark.parametrize(
    "number", ["556036-0794", "5560360790", "55603-60793", "abc", "５５６０３６-０７９３"]
)
def test_organisation_number_needs_a_valid_check_digit(client, user, number):
    response = _save(client, organisation_name="Hantverket", org_number=number)
    assert response.status_code == 200
    assert 'id="org_number-error"' in response.text
    assert user.organisation is None


@pytest.mark.parametrize(
    "website",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://files.example.se",
        "https://",
        "http://exa mple.se",
    ],
)
def test_website_must_be_http_or_https(client, user, website):
    response = _save(client, organisation_name="Hantverket", website=website)
    assert response.status_code == 200
    assert 'id="website-error"' in response.text
    assert user.organisation is None


@pytest.mark.parametrize(
    "year", ["1799", "2101", "-1", "0", "20.5", "2,0", "１９９９", "NaN", "1e3"]
)
def test_year_founded_must_be_a_plausible_ascii_year(client, user, year):
    response = _save(client, organisation_name="Hantverket", year_founded=year)
    assert response.status_code == 200
    assert 'id="year_founded-error"' in response.text
    assert user.organisation is None


@pytest.mark.parametrize("year", ["1800", "2100"])
def test_year_founded_accepts_the_limits(client, user, year):
    assert _save(client, organisation_name="Hantverket", year_founded=year).status_code == 302
    assert user.organisation.year_founded == int(year)


def test_unknown_municipality_and_type_are_refused(client, user):
    response = _save(
        client, organisation_name="Hantverket", municipality="Stockholm", org_type="bank"
    )
    assert response.status_code == 200
    assert 'id="municipality-error"' in response.text
    assert 'id="org_type-error"' in response.text


def test_extra_fields_are_ignored(client, session, user):
    other = make_user(session)
    response = client.post(
        "/auth/profile",
        data=profile_form(
            role="admin",
            roles="admin",
            is_disabled="y",
            email="someone.else@example.org",
            user_id=str(other.id),
            id=str(other.id),
            password_hash="x",
            email_confirmed_at="",
        ),
    )
    assert response.status_code == 302
    assert user.roles == {Role.ENTREPRENEUR}
    assert not user.is_admin
    assert user.email.startswith("person")
    assert not user.is_disabled
    assert user.password_hash.startswith("$argon2id$")
    assert other.name != "Åsa Öberg"


def test_joining_a_registered_organisation_does_not_rewrite_it(client, session, user):
    shared = make_organisation(session, name="Delad förening", org_number=VALID_ORG_NUMBER)
    make_user(session, organisation=shared)
    response = _save(client, organisation_name="Mitt namn", org_number=VALID_ORG_NUMBER)
    assert response.status_code == 302
    assert user.organisation is shared
    assert shared.name == "Delad förening"
    assert session.scalar(select(func.count()).select_from(Organisation)) == 1


def test_organisation_fields_without_a_name_are_refused(client, user):
    response = _save(client, website="https://example.se")
    assert response.status_code == 200
    assert 'id="organisation_name-error"' in response.text


def test_profile_form_shows_the_stored_values(client, session, user):
    user.organisation = make_organisation(session, name="Gröna Mora", municipality="Mora")
    session.flush()
    page = client.get("/auth/profile").text
    assert 'value="Gröna Mora"' in page
    assert '<option selected value="Mora">' in page or 'value="Mora" selected' in page
