"""The map of social enterprises: opt-in listing, public filters, organisers' marks."""

from __future__ import annotations

from sqlalchemy import select

from eventapp.directory import services
from eventapp.directory.services import DirectoryFilter
from eventapp.privacy.consents import has_consent
from eventapp.privacy.models import ConsentKind, ConsentRecord
from eventapp.regions import OrganisationType
from tests.factories import make_organisation, make_user


def _member(session, **organisation_fields):
    organisation = make_organisation(session, **organisation_fields)
    return make_user(session, organisation=organisation), organisation


def test_only_opted_in_organisations_are_public(session, client):
    member, listed = _member(session, name="Kooperativet Ängen")
    make_organisation(session, name="Hemliga AB")
    services.opt_in(session, listed, "Arbetsträning i Falun.", member)
    page = client.get("/organisations/").get_data(as_text=True)
    assert "Kooperativet Ängen" in page and "Arbetsträning i Falun." in page
    assert "Hemliga AB" not in page


def test_filters_by_municipality_and_type(session, client):
    member, falun = _member(session, name="Falu kooperativ", municipality="Falun")
    other, mora = _member(
        session, name="Mora förening", municipality="Mora", org_type=OrganisationType.NONPROFIT
    )
    services.opt_in(session, falun, "Uppdrag ett.", member)
    services.opt_in(session, mora, "Uppdrag två.", other)
    assert [o.name for o, _ in services.public_listings(session, DirectoryFilter("Mora"))] == [
        "Mora förening"
    ]
    typed = DirectoryFilter(org_type=OrganisationType.COOPERATIVE)
    assert [o.name for o, _ in services.public_listings(session, typed)] == ["Falu kooperativ"]
    page = client.get("/organisations/?municipality=Mora").get_data(as_text=True)
    assert "Mora förening" in page and "Falu kooperativ" not in page
    # Unknown filter values are ignored, not an error.
    response = client.get("/organisations/?municipality=Atlantis&org_type=%00")
    assert response.status_code in (200, 400)


def test_opt_in_records_consent_and_withdraw_is_one_click(session, client, auth):
    member, organisation = _member(session)
    auth.login_as(member)
    page = client.get("/organisations/mine").get_data(as_text=True)
    assert 'type="checkbox"' in page and "checked" not in page
    response = client.post("/organisations/mine", data={"mission": "Vi ger jobb.", "consent": "y"})
    assert response.status_code == 302
    assert has_consent(session, member, ConsentKind.DIRECTORY, organisation)
    assert client.post("/organisations/mine/withdraw").status_code == 302
    assert not has_consent(session, member, ConsentKind.DIRECTORY, organisation)
    history = session.scalars(
        select(ConsentRecord.given).where(ConsentRecord.organisation_id == organisation.id)
    ).all()
    assert history == [True, False]
    assert services.public_listings(session, DirectoryFilter()) == []


def test_listing_needs_the_box_ticked_and_a_mission(session, client, auth):
    member, organisation = _member(session)
    auth.login_as(member)
    response = client.post("/organisations/mine", data={"mission": "Vi ger jobb."})
    assert response.status_code == 200
    assert "Vi ger jobb." in response.get_data(as_text=True)
    response = client.post("/organisations/mine", data={"mission": " \u00a0 ", "consent": "y"})
    assert response.status_code == 200
    assert services.listing_for(session, organisation) is None


def test_without_an_organisation_the_page_points_to_the_profile(session, client, auth):
    user = make_user(session)
    auth.login_as(user)
    page = client.get("/organisations/mine").get_data(as_text=True)
    assert "/auth/profile" in page
    assert (
        client.post("/organisations/mine", data={"mission": "x", "consent": "y"}).status_code == 200
    )
    assert client.post("/organisations/mine/withdraw").status_code == 404


def test_organisers_see_every_organisation_and_mark_after_checking(session, client, auth):
    organiser = make_user(session, "organiser")
    organisation = make_organisation(
        session, name="Oklart AB", org_type=OrganisationType.LIMITED_COMPANY
    )
    assert not organisation.is_social
    auth.login_as(organiser)
    assert "Oklart AB" in client.get("/organisations/manage").get_data(as_text=True)
    response = client.post(f"/organisations/{organisation.id}/social", data={"marked": "1"})
    assert response.status_code == 302
    assert organisation.is_social
    listing = services.listing_for(session, organisation)
    assert listing.marked_by_id == organiser.id and not listing.is_listed
    client.post(f"/organisations/{organisation.id}/social", data={"marked": "0"})
    assert not organisation.is_social
    assert (
        client.post(f"/organisations/{organisation.id}/social", data={"marked": "x"}).status_code
        == 400
    )
    assert client.post("/organisations/999999/social", data={"marked": "1"}).status_code == 404


def test_the_mission_is_shown_escaped(session, client):
    member, organisation = _member(session, name="<b>Fet</b>")
    services.opt_in(session, organisation, "<script>alert(1)</script> {{7*7}}", member)
    page = client.get("/organisations/").get_data(as_text=True)
    assert "&lt;script&gt;" in page and "<script>alert(1)" not in page
    assert "{{7*7}}" in page and "&lt;b&gt;Fet&lt;/b&gt;" in page
