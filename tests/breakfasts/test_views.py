"""Pages: coordinator scope, the door on the day, whole-series sign-up, and bad input."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

import pytest
from sqlalchemy import select

from eventapp.auth.models import User
from eventapp.breakfasts import services
from eventapp.breakfasts.models import BreakfastSeries, HostNetwork
from eventapp.calendar import services as calendar
from eventapp.calendar.models import Attendance
from eventapp.database import utcnow
from tests.breakfasts.helpers import make_network, make_series, series_form
from tests.factories import make_user


@pytest.fixture
def two_series(session):
    organiser = make_user(session, "organiser")
    series_a = make_series(session, organiser, make_network(session, "A-nätverket", "Mora"))
    series_b = make_series(session, organiser, make_network(session, "B-nätverket", "Falun"))
    coordinator = make_user(session)
    services.set_coordinators(session, series_a, [coordinator])
    return series_a, series_b, coordinator


def _today_event(session, series):
    """Make the first occurrence start in half an hour, so the door is open."""
    event = series.occurrences[0].event
    event.starts_at = (utcnow() + timedelta(minutes=30)).replace(microsecond=0)
    event.ends_at = event.starts_at + timedelta(hours=1)
    session.flush()
    return event


def test_coordinator_manages_own_series_only(client, auth, session, two_series):
    series_a, series_b, coordinator = two_series
    auth.login_as(coordinator)
    a_uid = series_a.occurrences[1].event.uid
    b_uid = series_b.occurrences[1].event.uid
    assert client.get(f"/breakfasts/occurrences/{a_uid}/skip").status_code == 200
    assert client.get(f"/breakfasts/series/{series_a.id}/edit").status_code == 200
    assert (
        client.get(
            f"/breakfasts/occurrences/{series_a.occurrences[0].event.uid}/checkin"
        ).status_code
        == 200
    )
    for url in (
        f"/breakfasts/occurrences/{b_uid}/skip",
        f"/breakfasts/occurrences/{b_uid}/checkin",
        f"/breakfasts/series/{series_b.id}/edit",
        f"/breakfasts/series/{series_b.id}/end",
        f"/breakfasts/series/{series_a.id}/coordinators",
        "/breakfasts/series/new",
        "/breakfasts/report",
        "/breakfasts/networks",
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(f"/breakfasts/occurrences/{b_uid}/skip")
    assert response.status_code == 403
    assert not series_b.occurrences[1].event.is_cancelled
    assert client.post(f"/breakfasts/occurrences/{a_uid}/skip").status_code == 302
    session.refresh(series_a.occurrences[1].event)
    assert series_a.occurrences[1].event.is_cancelled
    # A coordinator of A finds it among "series you coordinate".
    index = client.get("/breakfasts/").get_data(as_text=True)
    assert f'href="/breakfasts/series/{series_a.id}"' in index.split("<h2>", 2)[1]


def test_check_in_at_the_door_and_walk_ins(client, auth, session, two_series):
    series_a, _, coordinator = two_series
    event = _today_event(session, series_a)
    person = make_user(session, name="Åsa Öberg")
    signup = calendar.sign_up(session, event, person).signup
    known = make_user(session, name="Bertil Känd")
    auth.login_as(coordinator)
    base = f"/breakfasts/occurrences/{event.uid}"
    page = client.get(base + "/checkin?q=" + unicodedata.normalize("NFD", "åsa"))
    assert page.status_code == 200 and "Åsa Öberg" in page.get_data(as_text=True)
    assert client.post(base + f"/checkin/{signup.id}", data={"q": "åsa"}).status_code == 302
    session.refresh(signup)
    assert signup.attendance == Attendance.PRESENT
    search = client.get(base + "/checkin?q=bertil").get_data(as_text=True)
    assert f"/walk-in/{known.id}" in search
    assert client.post(base + f"/walk-in/{known.id}").status_code == 302
    assert calendar.active_signup(session, event, known).attendance == Attendance.PRESENT
    response = client.post(
        base + "/guest",
        data={
            "name": "Gunilla Gäst",
            "new_organisation_name": "Ideella föreningen",
            "new_organisation_type": "nonprofit",
            "municipality": "Mora",
        },
    )
    assert response.status_code == 302
    guest = session.scalar(select(User).where(User.name == "Gunilla Gäst"))
    assert guest.is_guest and guest.email is None
    assert calendar.active_signup(session, event, guest).attendance == Attendance.PRESENT


def test_whole_series_signup_page(client, auth, session, two_series):
    series_a, _, _ = two_series
    person = make_user(session)
    auth.login_as(person)
    assert client.post(f"/breakfasts/series/{series_a.id}/signup").status_code == 302
    assert all(
        calendar.active_signup(session, o.event, person) is not None for o in series_a.occurrences
    )


BAD = {
    "too_long": "x" * 10_000,
    "empty": "",
    "spaces": " \t\u00a0",
    "nfd": unicodedata.normalize("NFD", "Åsa Öberg-Ängström"),
    "direction_marks": "abc\u202edef\u200bghi",
    "nul": "a\x00b",
    "html": '"><img src=x onerror=alert(1)><script>alert(1)</script>',
    "javascript_url": "JaVaScRiPt:alert(1)",
    "template": "{{7*7}}",
    "sql": "' OR 1=1--%_\\",
    "header": "Name\r\nBcc: x@evil.example",
    "formula": "=1+1",
    "fullwidth": "１２",
    "huge": "2147483648",
    "negative": "-1",
    "year_one": "0001-01-01",
    "feb29": "2027-02-29",
    "spring_gap": "02:30",
}


def _assert_safe(response, value):
    assert response.status_code in (200, 302, 400), response.status_code
    html = response.get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html


SERIES_KINDS = (
    "too_long",
    "spaces",
    "nul",
    "html",
    "header",
    "fullwidth",
    "year_one",
    "spring_gap",
)
FORMS = (
    "networks",
    "network_edit",
    "series_new",
    "series_edit",
    "coordinators",
    "cancel",
    "move",
    "guest",
)


def _forms(series, event) -> dict:
    network_id = series.network_id
    moved = series.occurrences[3]
    return {
        "networks": ("/breakfasts/networks", {"name": "N", "municipality": "Mora", "website": ""}),
        "network_edit": (
            f"/breakfasts/networks/{network_id}/edit",
            {"name": "N", "municipality": "Mora"},
        ),
        "series_new": ("/breakfasts/series/new", series_form(network_id)),
        "series_edit": (
            f"/breakfasts/series/{series.id}/edit",
            series_form(network_id, start_date=moved.original_date.isoformat()),
        ),
        "coordinators": (
            f"/breakfasts/series/{series.id}/coordinators",
            {"email": "x@example.org"},
        ),
        "cancel": (
            f"/breakfasts/occurrences/{series.occurrences[2].event.uid}/cancel",
            {"reason": "r"},
        ),
        "move": (
            f"/breakfasts/occurrences/{moved.event.uid}/move",
            {
                "day": moved.original_date.isoformat(),
                "local_time": "08:00",
                "duration_minutes": "60",
                "place": "P",
            },
        ),
        "guest": (
            f"/breakfasts/occurrences/{event.uid}/guest",
            {"name": "G", "municipality": "Mora"},
        ),
    }


@pytest.mark.parametrize("form_name", FORMS)
def test_every_form_survives_bad_input(client, auth, session, form_name):
    organiser = make_user(session, "organiser")
    series = make_series(session, organiser)
    event = _today_event(session, series)
    auth.login_as(organiser)
    url, base = _forms(series, event)[form_name]
    # The series forms regenerate a whole series per accepted post: a core subset keeps
    # them fast; the other forms get every value.
    kinds = SERIES_KINDS if form_name.startswith("series") else tuple(BAD)
    for kind in kinds:
        value = BAD[kind]
        for field in base:
            data = dict(base)
            data[field] = value
            _assert_safe(client.post(url, data=data), value)
    if form_name == "guest":
        for value in BAD.values():
            _assert_safe(
                client.get(
                    f"/breakfasts/occurrences/{event.uid}/checkin", query_string={"q": value}
                ),
                value,
            )
            query = {
                "start": value,
                "min_count": value,
                "network": value,
                "org_type": value,
                "municipality": value,
            }
            _assert_safe(client.get("/breakfasts/report", query_string=query), value)
    # Nothing blank or with hidden marks was stored as a name.
    for name in session.scalars(select(HostNetwork.name)):
        assert name.strip() and "\u202e" not in name and "\x00" not in name
    for title in session.scalars(select(BreakfastSeries.title)):
        assert title.strip() and "\u202e" not in title
    for name in session.scalars(select(User.name).where(User.is_guest.is_(True))):
        assert name.strip() and "\u202e" not in name and "\r" not in name
