"""Mina uppgifter: the person sees and downloads everything stored about them."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from eventapp.privacy.registry import SECTIONS, export_for
from eventapp.privacy.services import export_csv_zip
from tests.factories import make_user
from tests.privacy.helpers import make_person


def test_every_category_of_the_person_is_in_the_export(session):
    person = make_person(session)
    data = export_for(session, person.user)
    rows = {key: section["rows"] for key, section in data.items()}
    assert rows["profile"][0]["email"] == person.email
    assert rows["organisation"][0]["name"] == "Kooperativet Ängen"
    assert {row["attendance"] for row in rows["signups"]} >= {"present"}
    assert len(rows["signups"]) == 2
    assert rows["board_applications"][0]["idea"].startswith("Återbruk")
    assert rows["feedback_received"][0]["strengths"] == "Stark idé"
    assert rows["nominations"][0]["nominator_email"] == person.email
    records = {row["record"] for row in rows["jury"]}
    assert records >= {"appointment", "declaration", "score_sheet", "score", "conflict_tie"}
    assert [row["kind"] for row in rows["consents"]] == ["participant_list", "invitations"]
    assert rows["login_sessions"][0]["user_agent"] == "Firefox/130"
    assert rows["feed_tokens"][0]["active"] is True
    assert "Välkommen" in {row["subject"] for row in rows["mail"]}
    assert {row["role"] for row in rows["roles"]} == {"entrepreneur", "juror"}


def test_secrets_are_never_exported(session):
    person = make_person(session)
    text = json.dumps(export_for(session, person.user), default=str)
    assert person.user.password_hash not in text
    assert "a" * 64 not in text  # the login session's token hash
    assert person.feed_token not in text
    assert "token_hash" not in text and "password_hash" not in text


def test_a_new_account_has_only_a_profile(session):
    user = make_user(session)
    data = export_for(session, user)
    filled = {key for key, section in data.items() if section["rows"]}
    assert filled == {"profile", "roles"}


def test_json_download(session, client, auth):
    person = make_person(session)
    auth.login_as(person.user)
    response = client.get("/integritet/mina-uppgifter.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    data = json.loads(response.get_data(as_text=True))
    assert set(data["sections"]) == {section.key for section in SECTIONS}
    assert data["sections"]["profile"]["rows"][0]["name"] == "Åsa Öberg"


def test_csv_download_is_a_zip_of_one_csv_per_category(session, client, auth):
    person = make_person(session)
    auth.login_as(person.user)
    response = client.get("/integritet/mina-uppgifter.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert set(archive.namelist()) == {f"{section.key}.csv" for section in SECTIONS}
    profile = list(
        csv.DictReader(io.StringIO(archive.read("profile.csv").decode("utf-8-sig")), delimiter=";")
    )
    assert profile[0]["email"] == person.email


def test_csv_neutralises_formulas(session):
    user = make_user(session, name='=HYPERLINK("http://evil")')
    archive = zipfile.ZipFile(io.BytesIO(export_csv_zip(session, user)))
    text = archive.read("profile.csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_my_data_page_shows_the_data_escaped(session, client, auth):
    user = make_user(session, name="<script>alert(1)</script> {{7*7}}")
    auth.login_as(user)
    page = client.get("/integritet/mina-uppgifter").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{7*7}}" in page
    assert "<script>alert(1)" not in page


def test_downloads_are_for_the_signed_in_person_only(client):
    for url in (
        "/integritet/mina-uppgifter",
        "/integritet/mina-uppgifter.json",
        "/integritet/mina-uppgifter.zip",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.location.startswith("/auth/login")


def test_an_admin_downloads_a_guests_data_for_a_request_for_access(session, client, auth):
    """A breakfast guest cannot sign in, so an admin answers their request for access."""
    guest = make_user(session, email=None, is_guest=True, name="Gäst Gästsson")
    admin = make_user(session, roles=("admin",))
    organiser = make_user(session, roles=("organiser",))
    session.commit()
    url = f"/integritet/konton/{guest.id}/uppgifter.json"
    auth.login_as(organiser)
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login_as(admin)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    data = json.loads(response.data)
    assert data["sections"]["profile"]["rows"][0]["name"] == "Gäst Gästsson"
    assert client.get("/integritet/konton/999999/uppgifter.json").status_code == 404
