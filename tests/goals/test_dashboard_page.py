"""The dashboard page and its CSV exports, seen by an organiser."""

from __future__ import annotations

import csv
import io

import pytest

from eventapp.calendar.models import Attendance, EventKind
from eventapp.regions import MUNICIPALITIES, OrganisationType
from tests.factories import make_user
from tests.goals.helpers import held, local, person, publish_award, sign, social_org
from tests.route_matrix.goals import ROUTES

PERIOD = "from_year=2023&to_year=2025"


@pytest.fixture
def organiser(session, auth, client):
    # English, the source language, so the assertions read the strings as written.
    user = make_user(session, "organiser", locale="en")
    auth.login_as(user)
    return user


@pytest.fixture
def data(session):
    founder = person(session, uf_founder=True, name="Ulla UF")
    lab = held(session, starts_at=local(2024, 3, 10), title="Labb i Falun")
    sign(session, lab, founder, Attendance.PRESENT)
    sign(session, lab, person(session), Attendance.PRESENT)
    breakfast = held(
        session, EventKind.BREAKFAST, starts_at=local(2025, 2, 3, 7), municipality="Mora"
    )
    sign(session, breakfast, founder, Attendance.PRESENT)
    social_org(session, local(2024, 5, 1), name='=HYPERLINK("http://evil.example")')
    social_org(session, local(2024, 5, 2), name="<script>alert(1)</script> ek. för.")
    publish_award(session, 2024, "Vinnarna ek. för.")


def _csv(response) -> list[list[str]]:
    body = response.data.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


@pytest.mark.parametrize("role", ["entrepreneur", "juror", "panelist", "organiser", "admin"])
def test_only_organisers_and_admins_see_the_goals(session, client, auth, role):
    extra = {"entrepreneur": (), "admin": ("organiser", "admin")}.get(role, (role,))
    auth.login_as(make_user(session, roles=extra))
    expected = 200 if role in ("organiser", "admin") else 403
    for route in ROUTES:
        assert client.get(route.url(None)).status_code == expected, route.url(None)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for route in ROUTES:
        response = client.get(route.url(None))
        assert response.status_code == 302
        assert "/auth/login" in response.location


def test_the_dashboard_shows_every_goal_with_figures_charts_and_tables(client, organiser, data):
    page = client.get(f"/goals/?{PERIOD}").text
    for title in (
        "Entrepreneurship labs and their participants",
        "Social entrepreneurs at breakfast meetings, again and again",
        "Social Enterprise of the Year, awarded every year",
        "New social enterprises and initiatives",
        "Pitchers at social business boards and follow-ups brokered",
        "Participation by municipality and type of organisation",
    ):
        assert f">{title}</h2>" in page
    assert "A social entrepreneur is a person whose organisation" in page
    assert page.count('role="img"') == page.count("<svg")
    assert page.count("<svg") >= 10
    # Every chart has its title, description and table.
    assert page.count("<title id=") == page.count("<svg") == page.count("<desc id=")
    assert "Labs held per year" in page and "Labb i Falun" in page
    assert "Vinnarna ek. för." in page
    assert "Target 4" in page  # the target line of the new organisations chart
    for municipality in MUNICIPALITIES:
        assert f'<th scope="row">{municipality}</th>' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_the_default_period_is_the_last_five_years(client, organiser):
    page = client.get("/goals/").text
    assert 'name="from_year"' in page
    assert "Showing the years" in page


def test_csv_export_of_a_list(client, organiser, data):
    response = client.get(f"/goals/export/organisations/list.csv?{PERIOD}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _csv(response)
    assert rows[0] == [
        "Registered",
        "Organisation",
        "Type of organisation",
        "Municipality",
        "Marked by an organiser",
    ]
    names = [row[1] for row in rows[1:]]
    # A cell a spreadsheet would run as a formula is neutralised.
    assert names == ['\'=HYPERLINK("http://evil.example")', "<script>alert(1)</script> ek. för."]
    assert rows[1][0] == "2024-05-01"
    assert rows[1][2] == OrganisationType.COOPERATIVE.label


def test_csv_export_of_the_figures_by_year(client, organiser, data):
    rows = _csv(client.get(f"/goals/export/labs/years.csv?{PERIOD}"))
    assert rows == [
        ["Year", "Labs held", "Participants", "UF founders"],
        ["2023", "0", "0", "0"],
        ["2024", "1", "2", "1"],
        ["2025", "0", "0", "0"],
    ]
    award = _csv(client.get(f"/goals/export/award/years.csv?{PERIOD}"))
    assert award[0] == ["Year", "Awards given", "Target", "Target met"]
    assert award[2] == ["2024", "1", "1", "Yes"]


def test_csv_export_covers_all_municipalities(client, organiser, data):
    rows = _csv(client.get(f"/goals/export/participation/municipalities.csv?{PERIOD}"))
    assert [row[0] for row in rows[1:16]] == list(MUNICIPALITIES)
    assert dict((row[0], row[1]) for row in rows[1:])["Mora"] == "1"


@pytest.mark.parametrize(
    "url",
    ["/goals/export/nothing/years.csv", "/goals/export/labs/nothing.csv"],
)
def test_unknown_exports_are_not_found(client, organiser, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"from_year": "abc"}, "Enter a whole number using the digits 0-9."),
        ({"from_year": "１２"}, "Enter a whole number using the digits 0-9."),
        ({"from_year": "3.5"}, "Enter a whole number using the digits 0-9."),
        ({"to_year": "1e309"}, "Enter a whole number using the digits 0-9."),
        ({"to_year": "NaN"}, "Enter a whole number using the digits 0-9."),
        ({"from_year": "2147483648"}, "Enter a whole number using the digits 0-9."),
        ({"from_year": "-1"}, "Enter a year between 2000 and 2100."),
        ({"from_year": "1", "to_year": "9999"}, "Enter a year between 2000 and 2100."),
        (
            {"from_year": "2025", "to_year": "2023"},
            "The last year cannot be before the first year.",
        ),
        ({"from_year": "2000", "to_year": "2030"}, "Choose at most 15 years at a time."),
        ({"from_year": "<script>x</script>"}, "Enter a whole number using the digits 0-9."),
        ({"to_year": "' OR 1=1--"}, "Enter a whole number using the digits 0-9."),
        ({"from_year": "9" * 10_000}, "Enter a whole number using the digits 0-9."),
        ({"to_year": "\u202e2025"}, "Enter a whole number using the digits 0-9."),
        ({"to_year": "{{7*7}}"}, "Enter a whole number using the digits 0-9."),
    ],
)
def test_a_bad_period_is_refused_clearly_and_kept(client, organiser, query, message):
    for url in ("/goals/", "/goals/export/labs/years.csv"):
        response = client.get(url, query_string=query)
        assert response.status_code == 400
        page = response.text
        assert message in page
        assert 'class="error-summary"' in page
        for value in query.values():
            # What was typed stays in its field, escaped.
            escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            escaped = escaped.replace('"', "&#34;").replace("'", "&#39;")
            assert f'value="{escaped}"' in page
        assert "<script>x" not in page


@pytest.mark.parametrize("blank", ["", "   ", "\t", "\u00a0"])
def test_an_empty_year_takes_the_default(client, organiser, blank):
    response = client.get("/goals/", query_string={"from_year": blank, "to_year": "2025"})
    assert response.status_code == 200
    assert "Showing the years 2021–2025." in response.text


def test_a_nul_byte_in_the_period_is_a_bad_request(client, organiser):
    assert client.get("/goals/?from_year=20%0025").status_code == 400


def test_nav_link_for_organisers_only(session, client, auth):
    user = make_user(session)
    auth.login_as(user)
    assert 'href="/goals/"' not in client.get("/").text
    auth.logout()
    auth.login_as(make_user(session, "organiser"))
    assert 'href="/goals/"' in client.get("/").text
