"""Event pages: organisers create, edit and cancel; times in UTC shown in Swedish time;
validation of dates, DST traps and numbers; the home page lists and filters events."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from eventapp.calendar.models import Event, EventKind, EventStatus
from eventapp.database import utcnow
from eventapp.i18n import STOCKHOLM
from tests.auth.helpers import sign_in_quickly
from tests.factories import make_event, make_user

NEXT_YEAR = utcnow().year + 1


def event_form(**overrides) -> dict:
    day = (utcnow().astimezone(STOCKHOLM) + timedelta(days=30)).date().isoformat()
    data = {
        "kind": "lab",
        "title": "Entreprenörslabb: designtänkande",
        "description": "Vi testar idéer.\nTa med dator.",
        "place": "Dalarnas museum",
        "address": "Stigaregatan 2",
        "municipality": "Falun",
        "start_date": day,
        "start_time": "13:00",
        "end_date": day,
        "end_time": "16:00",
        "capacity": "12",
        "is_public": "y",
    }
    data.update(overrides)
    return data


@pytest.fixture
def organiser(client, session):
    # English pages, so assertions do not depend on the Swedish catalogue's wording.
    user = make_user(session, "organiser", locale="en")
    sign_in_quickly(client, session, user)
    return user


def _events(session) -> list[Event]:
    return session.scalars(select(Event).order_by(Event.id)).all()


def _form_errors(response) -> str:
    assert response.status_code == 200, response.status_code
    assert "error-summary" in response.text
    return response.text


# --- create, edit, cancel ----------------------------------------------------------------------


def test_organiser_creates_an_event(client, session, organiser):
    response = client.post("/calendar/events/new", data=event_form())
    assert response.status_code == 302
    [event] = _events(session)
    assert response.location == f"/calendar/events/{event.uid}"
    assert event.organiser is organiser
    assert event.kind == EventKind.LAB
    assert event.capacity == 12
    assert event.sequence == 0
    assert event.status == EventStatus.SCHEDULED
    assert event.starts_at.tzinfo is not None
    assert event.starts_at.astimezone(STOCKHOLM).strftime("%H:%M") == "13:00"
    page = client.get(response.location).text
    assert "Entreprenörslabb: designtänkande" in page
    assert "13:00" in page and "16:00" in page
    assert "Edit event" in page and "Cancel event" in page


def test_event_page_hides_organiser_tools_from_others(client, session):
    event = make_event(session)
    sign_in_quickly(client, session, make_user(session))
    page = client.get(f"/calendar/events/{event.uid}").text
    assert f"/calendar/events/{event.uid}/edit" not in page
    assert client.get(f"/calendar/events/{event.uid}/edit").status_code == 403


def test_edit_form_starts_from_the_stored_local_times(client, session, organiser):
    starts = datetime(NEXT_YEAR, 7, 1, 5, 30, tzinfo=UTC)  # 07:30 in Stockholm (summer)
    event = make_event(session, starts_at=starts)
    page = client.get(f"/calendar/events/{event.uid}/edit").text
    assert 'value="07:30"' in page
    assert f'value="{NEXT_YEAR}-07-01"' in page


def test_sequence_goes_up_on_time_and_place_changes_but_not_on_title(client, session, organiser):
    client.post("/calendar/events/new", data=event_form())
    [event] = _events(session)
    edit = f"/calendar/events/{event.uid}/edit"

    assert client.post(edit, data=event_form(title="Nytt namn")).status_code == 302
    assert (event.title, event.sequence) == ("Nytt namn", 0)

    assert (
        client.post(edit, data=event_form(title="Nytt namn", start_time="12:00")).status_code == 302
    )
    assert event.sequence == 1

    moved = event_form(title="Nytt namn", start_time="12:00", place="Kupolen")
    assert client.post(edit, data=moved).status_code == 302
    assert event.sequence == 2

    cancel = client.post(f"/calendar/events/{event.uid}/cancel", data={"reason": "Sjukdom"})
    assert cancel.status_code == 302
    assert event.status == EventStatus.CANCELLED
    assert event.sequence == 3


def test_cancelled_event_page_says_so_and_cannot_be_edited(client, session, organiser):
    event = make_event(session, title="Frukost")
    response = client.post(
        f"/calendar/events/{event.uid}/cancel", data={"reason": "Lokalen <b>är</b> stängd"}
    )
    assert response.location == f"/calendar/events/{event.uid}"
    page = client.get(response.location).text
    assert "This event is cancelled." in page
    assert "Lokalen &lt;b&gt;är&lt;/b&gt; stängd" in page
    assert f"/calendar/events/{event.uid}/edit" not in page
    edit = client.post(f"/calendar/events/{event.uid}/edit", data=event_form())
    assert edit.status_code == 200
    assert event.title == "Frukost"
    again = client.post(f"/calendar/events/{event.uid}/cancel", data={"reason": "Igen"})
    assert again.status_code == 302
    assert event.cancellation_reason == "Lokalen <b>är</b> stängd"
    # Cancelled events leave the home page.
    assert "Frukost" not in client.get("/").text


def test_cancel_needs_a_reason(client, session, organiser):
    event = make_event(session)
    response = client.post(f"/calendar/events/{event.uid}/cancel", data={"reason": " \u00a0 "})
    _form_errors(response)
    assert event.status == EventStatus.SCHEDULED


# --- times --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "utc_hour", "utc_minute"),
    [(1, 6, 30), (7, 5, 30)],
    ids=["winter", "summer"],
)
def test_times_are_stored_in_utc_and_shown_in_swedish_time(
    client, session, organiser, month, utc_hour, utc_minute
):
    day = date(NEXT_YEAR, month, 14).isoformat()
    response = client.post(
        "/calendar/events/new",
        data=event_form(start_date=day, end_date=day, start_time="07:30", end_time="09:00"),
    )
    assert response.status_code == 302
    [event] = _events(session)
    stored = session.execute(
        select(Event.starts_at)
        .where(Event.id == event.id)
        .execution_options(populate_existing=True)
    ).scalar_one()
    assert stored.utcoffset() == timedelta(0)
    assert (stored.hour, stored.minute) == (utc_hour, utc_minute)
    page = client.get(response.location).text
    # Shown in Swedish time; the machine-readable attribute is the exact UTC instant.
    assert "07:30–09:00" in page
    assert f'datetime="{day}T{utc_hour:02d}:{utc_minute:02d}:00+00:00"' in page


def test_dst_spring_gap_is_refused_with_a_message(client, session, organiser):
    response = client.post(
        "/calendar/events/new",
        data=event_form(
            start_date="2027-03-28", end_date="2027-03-28", start_time="02:30", end_time="04:00"
        ),
    )
    assert "does not exist in Sweden" in _form_errors(response)
    assert _events(session) == []


def test_dst_autumn_overlap_is_refused_with_a_message(client, session, organiser):
    response = client.post(
        "/calendar/events/new",
        data=event_form(
            start_date="2027-10-31", end_date="2027-10-31", start_time="01:00", end_time="02:30"
        ),
    )
    assert "happens twice in Sweden" in _form_errors(response)
    assert _events(session) == []


def test_times_next_to_the_dst_change_are_accepted(client, session, organiser):
    response = client.post(
        "/calendar/events/new",
        data=event_form(
            start_date="2027-03-28", end_date="2027-03-28", start_time="01:30", end_time="03:30"
        ),
    )
    assert response.status_code == 302
    [event] = _events(session)
    # 01:30 CET to 03:30 CEST is one hour.
    assert event.ends_at - event.starts_at == timedelta(hours=1)


@pytest.mark.parametrize(
    "fields",
    [
        {"end_time": "12:00"},  # ends before it starts
        {"end_time": "13:00"},  # ends when it starts
        {"start_date": "2020-01-01", "end_date": "2020-01-01"},  # in the past
        {"start_date": "0001-01-01", "end_date": "0001-01-01"},
        {"start_date": "9999-12-31", "end_date": "9999-12-31"},
        {"start_date": "2027-02-29", "end_date": "2027-02-29"},  # not a leap year
        {"start_date": "2027-13-01"},
        {"start_date": "31/12/2027"},
        {"start_time": "25:00"},
        {"start_time": "7.30"},
        {"start_date": ""},
        {"end_time": ""},
    ],
    ids=repr,
)
def test_bad_dates_and_times_are_refused(client, session, organiser, fields):
    response = client.post("/calendar/events/new", data=event_form(**fields))
    _form_errors(response)
    assert _events(session) == []


def test_past_start_is_refused_on_create_with_a_message(client, session, organiser):
    yesterday = (utcnow().astimezone(STOCKHOLM) - timedelta(days=1)).date().isoformat()
    response = client.post(
        "/calendar/events/new", data=event_form(start_date=yesterday, end_date=yesterday)
    )
    assert "must start in the future" in _form_errors(response)


@pytest.mark.parametrize(
    "capacity", ["-1", "0", "2147483648", "1e309", "NaN", "3.5", "3,5", "１２", "10001", "1 2"]
)
def test_bad_capacity_is_refused(client, session, organiser, capacity):
    response = client.post("/calendar/events/new", data=event_form(capacity=capacity))
    assert 'id="capacity-error"' in _form_errors(response)
    assert _events(session) == []


@pytest.mark.parametrize(("capacity", "stored"), [("", None), ("1", 1), ("10000", 10000)])
def test_capacity_limits_and_no_limit(client, session, organiser, capacity, stored):
    assert (
        client.post("/calendar/events/new", data=event_form(capacity=capacity)).status_code == 302
    )
    assert _events(session)[0].capacity == stored


def test_unknown_kind_and_municipality_are_refused(client, session, organiser):
    response = client.post(
        "/calendar/events/new", data=event_form(kind="party", municipality="Stockholm")
    )
    text = _form_errors(response)
    assert 'id="kind-error"' in text and 'id="municipality-error"' in text


def test_form_keeps_what_was_typed_after_an_error(client, session, organiser):
    response = client.post("/calendar/events/new", data=event_form(title="Min titel", capacity="x"))
    assert 'value="Min titel"' in _form_errors(response)


# --- visibility ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, "juror", "panelist"])
def test_unlisted_events_are_404_for_non_organisers(client, session, role):
    event = make_event(session, is_public=False, title="Hemligt möte")
    if role is not None:
        sign_in_quickly(client, session, make_user(session, role))
    assert client.get(f"/calendar/events/{event.uid}").status_code == 404
    assert "Hemligt möte" not in client.get("/").text


@pytest.mark.parametrize("role", ["organiser", "admin"])
def test_unlisted_events_are_shown_to_organisers(client, session, role):
    event = make_event(session, is_public=False, title="Hemligt möte")
    sign_in_quickly(client, session, make_user(session, role))
    assert client.get(f"/calendar/events/{event.uid}").status_code == 200
    assert "Hemligt möte" in client.get("/").text


def test_unknown_event_is_404(client):
    assert client.get("/calendar/events/6f1c1f0e-0000-4000-8000-000000000000").status_code == 404
    assert client.get("/calendar/events/not-a-uuid").status_code == 404


# --- the home page ------------------------------------------------------------------------------


@pytest.fixture
def listed(session):
    return {
        "lab_falun": make_event(session, kind="lab", municipality="Falun", title="Labb i Falun"),
        "breakfast_mora": make_event(
            session, kind="breakfast", municipality="Mora", title="Frukost i Mora"
        ),
        "board_mora": make_event(session, kind="board", municipality="Mora", title="Råd i Mora"),
        "past": make_event(
            session, starts_at=utcnow() - timedelta(days=2), title="Gammalt evenemang"
        ),
    }


def _titles(client, query="") -> set[str]:
    page = client.get("/" + query)
    assert page.status_code == 200
    return {
        t
        for t in ("Labb i Falun", "Frukost i Mora", "Råd i Mora", "Gammalt evenemang")
        if t in page.text
    }


def test_home_page_lists_upcoming_events_with_links(client, session, listed):
    page = client.get("/").text
    assert _titles(client) == {"Labb i Falun", "Frukost i Mora", "Råd i Mora"}
    assert f'href="/calendar/events/{listed["lab_falun"].uid}"' in page


def test_home_page_filters_by_kind_and_municipality(client, listed):
    assert _titles(client, "?kind=breakfast") == {"Frukost i Mora"}
    assert _titles(client, "?municipality=Mora") == {"Frukost i Mora", "Råd i Mora"}
    assert _titles(client, "?kind=board&municipality=Mora") == {"Råd i Mora"}
    assert _titles(client, "?kind=lab&municipality=Mora") == set()


@pytest.mark.parametrize(
    "query",
    [
        "?kind=party",
        "?municipality=Stockholm",
        "?kind=%3Cscript%3E",
        "?kind=&municipality=",
        "?kind=lab&kind=board",
        "?municipality=' OR 1=1--",
        "?kind=" + "x" * 5000,
    ],
)
def test_home_page_ignores_bogus_filter_values(client, listed, query):
    titles = _titles(client, query)
    assert titles <= {"Labb i Falun", "Frukost i Mora", "Råd i Mora"}
    assert "<script>" not in client.get("/" + query).text.split("</header>", 1)[1]


def test_home_page_filter_form_keeps_the_choice(client, listed):
    page = client.get("/?municipality=Mora").text
    assert 'selected value="Mora"' in page or 'value="Mora" selected' in page


def test_counts_are_untouched_by_viewing(client, session, listed):
    before = session.scalar(select(func.count()).select_from(Event))
    client.get("/?kind=lab")
    assert session.scalar(select(func.count()).select_from(Event)) == before
