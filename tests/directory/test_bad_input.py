"""BAD_INPUT.md for the directory: the listing form, the filters and the organisers' mark."""

from __future__ import annotations

from urllib.parse import urlencode

from eventapp.directory import services
from eventapp.directory.models import MISSION_MAX
from tests.factories import make_organisation, make_user
from tests.test_bad_input import BAD_VALUES, CONTROL_VALUES


def _member(session):
    return make_user(session, organisation=make_organisation(session, name="Föreningen"))


def test_listing_form_survives_every_bad_value(session, client, auth):
    member = _member(session)
    auth.login_as(member)
    for name, value in BAD_VALUES.items():
        response = client.post("/organisations/mine", data={"mission": value, "consent": "y"})
        if name in CONTROL_VALUES:
            assert response.status_code in (302, 400), name
        else:
            assert response.status_code in (200, 302), name
        listing = services.listing_for(session, member.organisation)
        if listing is not None and listing.is_listed:
            assert listing.mission.strip(), name  # never a blank mission listed
            assert "\x00" not in listing.mission


def test_too_long_is_a_field_error_that_keeps_the_text(session, client, auth):
    member = _member(session)
    auth.login_as(member)
    text = "Å" * (MISSION_MAX + 1)
    response = client.post("/organisations/mine", data={"mission": text, "consent": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="mission-error"' in page and text in page
    assert services.listing_for(session, member.organisation) is None


def test_blank_missions_are_required(session, client, auth):
    member = _member(session)
    auth.login_as(member)
    for value in ("", "   ", "\t", "\u00a0", "\u200b"):
        response = client.post("/organisations/mine", data={"mission": value, "consent": "y"})
        assert response.status_code == 200
        assert 'id="mission-error"' in response.get_data(as_text=True)
    assert services.listing_for(session, member.organisation) is None


def test_script_and_template_syntax_are_shown_literally(session, client, auth):
    member = _member(session)
    auth.login_as(member)
    client.post("/organisations/mine", data={"mission": BAD_VALUES["html"], "consent": "y"})
    client.post("/organisations/mine", data={"mission": BAD_VALUES["template"], "consent": "y"})
    page = client.get("/organisations/").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "{{7*7}}" in page


def test_filters_survive_every_bad_value(session, client):
    for name, value in BAD_VALUES.items():
        for key in ("municipality", "org_type"):
            response = client.get("/organisations/?" + urlencode({key: value}))
            assert response.status_code in (200, 400), (name, response.status_code)


def test_the_mark_survives_every_bad_value(session, client, auth):
    organiser = make_user(session, "organiser")
    organisation = make_organisation(session)
    auth.login_as(organiser)
    for name, value in BAD_VALUES.items():
        response = client.post(f"/organisations/{organisation.id}/social", data={"marked": value})
        assert response.status_code == 400, name
    assert not organisation.marked_social_enterprise


def test_extra_fields_are_ignored(session, client, auth):
    member = _member(session)
    other = make_organisation(session, name="Någon annans")
    auth.login_as(member)
    client.post(
        "/organisations/mine",
        data={
            "mission": "Vårt uppdrag.",
            "consent": "y",
            "organisation_id": other.id,
            "marked_social_enterprise": "y",
            "is_listed": "y",
        },
    )
    assert services.listing_for(session, other) is None
    assert not member.organisation.marked_social_enterprise
    assert services.listing_for(session, member.organisation).is_listed


def test_get_never_changes_anything(session, client, auth):
    organiser = make_user(session, "organiser")
    organisation = make_organisation(session)
    auth.login_as(organiser)
    assert client.get(f"/organisations/{organisation.id}/social?marked=1").status_code == 405
    assert client.get("/organisations/mine/withdraw").status_code == 405
    assert not organisation.marked_social_enterprise
