"""The repeat-attendance report on hand-built data with known answers, its fixed number of
SQL statements, and the CSV export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import event as sa_event

from eventapp.breakfasts.models import BreakfastOccurrence, BreakfastSeries, Frequency
from eventapp.breakfasts.reports import repeat_attendance
from eventapp.calendar.models import EventStatus
from eventapp.database import utcnow
from eventapp.extensions import db
from eventapp.regions import OrganisationType
from tests.breakfasts.helpers import attended, make_network
from tests.factories import make_event, make_organisation, make_user

START, END = date(2026, 1, 1), date(2026, 6, 30)


def _series(session, network) -> BreakfastSeries:
    series = BreakfastSeries(
        network=network,
        title="Frukost",
        municipality=network.municipality,
        frequency=Frequency.WEEKLY,
        weekday=1,
        local_time=time(7, 30),
        duration_minutes=90,
        rule_start=date(2026, 1, 6),
    )
    session.add(series)
    session.flush()
    return series


def _breakfasts(session, series, count: int, first: date = date(2026, 1, 6), **fields):
    events = []
    for number in range(count):
        day = first + timedelta(weeks=number)
        starts = datetime.combine(day, time(6, 30), UTC)
        event = make_event(
            session, kind="breakfast", starts_at=starts, municipality=series.municipality, **fields
        )
        session.add(BreakfastOccurrence(event=event, series=series, original_date=day))
        events.append(event)
    session.flush()
    return events


@pytest.fixture
def world(session):
    """Mora: 4 breakfasts (one cancelled), Falun: 2. Known answers in the tests."""
    mora = _series(session, make_network(session, "Företagarna Mora", "Mora"))
    falun = _series(session, make_network(session, "Falu näringsliv", "Falun"))
    mora_events = _breakfasts(session, mora, 4)
    mora_events[3].status = EventStatus.CANCELLED
    mora_events[3].cancelled_at = utcnow()
    falun_events = _breakfasts(session, falun, 2, first=date(2026, 2, 3))
    coop = make_organisation(
        session, name="Kooperativ", org_type=OrganisationType.COOPERATIVE, municipality="Mora"
    )
    wise = make_organisation(
        session, name="Wise AB", org_type=OrganisationType.WORK_INTEGRATION, municipality="Falun"
    )
    company = make_organisation(
        session, name="Vanligt AB", org_type=OrganisationType.LIMITED_COMPANY, municipality="Falun"
    )
    marked = make_organisation(
        session,
        name="Märkt AB",
        org_type=OrganisationType.LIMITED_COMPANY,
        marked_social_enterprise=True,
    )
    anna = make_user(session, name="Anna", organisation=coop)  # 3 Mora present -> repeat
    bo = make_user(session, name="Bo", organisation=wise)  # 2 Mora + 1 Falun -> repeat (all)
    cia = make_user(session, name="Cia", organisation=company)  # 3 present, not social
    dan = make_user(session, name="Dan", organisation=marked)  # 2 present + 1 cancelled event
    eva = make_user(session, name="Eva", organisation=coop)  # signed up, never marked present
    gone = make_user(session, name="Gammal", organisation=coop, deleted_at=utcnow())  # 3 present
    for event in mora_events[:3]:
        attended(session, event, anna)
        attended(session, event, cia)
        attended(session, event, gone)
        attended(session, event, eva, present=False)
    attended(session, mora_events[0], bo)
    attended(session, mora_events[1], bo)
    attended(session, falun_events[0], bo)
    attended(session, mora_events[0], dan)
    attended(session, falun_events[1], dan)
    attended(session, mora_events[3], dan)  # on a cancelled breakfast: does not count
    return {"mora": mora, "falun": falun, "anna": anna, "bo": bo, "gone": gone}


def test_counts_with_known_answers(session, world):
    report = repeat_attendance(session, start=START, end=END)
    assert report.breakfasts_held == 5
    assert report.distinct_attendees == 5  # anna, bo, cia, dan, gone (eva never present)
    names = [(p.name, p.attended) for p in report.repeat_social_entrepreneurs]
    assert names == [("Anna", 3), ("Bo", 3), ("Deleted user", 3)] or names == [
        ("Anna", 3),
        ("Bo", 3),
        ("Raderad användare", 3),
    ]
    assert report.repeat_social_entrepreneurs[2].is_deleted
    assert report.goal == 10 and not report.goal_met and report.progress_percent == 30


def test_filters_min_count_and_period(session, world):
    mora = repeat_attendance(session, start=START, end=END, network_id=world["mora"].network_id)
    assert mora.breakfasts_held == 3
    assert [p.name for p in mora.repeat_social_entrepreneurs][:1] == ["Anna"]
    assert len(mora.repeat_social_entrepreneurs) == 2  # Anna and the deleted user; Bo has 2
    falun = repeat_attendance(session, start=START, end=END, municipality="Falun", min_count=1)
    assert falun.breakfasts_held == 2
    assert {p.name for p in falun.repeat_social_entrepreneurs} == {"Bo", "Dan"}
    wise_only = repeat_attendance(
        session, start=START, end=END, org_type=OrganisationType.WORK_INTEGRATION
    )
    assert wise_only.distinct_attendees == 1
    assert [p.name for p in wise_only.repeat_social_entrepreneurs] == ["Bo"]
    two = repeat_attendance(session, start=START, end=END, min_count=2)
    assert {p.name for p in two.repeat_social_entrepreneurs} >= {"Anna", "Bo", "Dan"}
    january = repeat_attendance(session, start=date(2026, 1, 1), end=date(2026, 1, 13))
    assert january.breakfasts_held == 2
    assert january.repeat_social_entrepreneurs == []
    with pytest.raises(ValueError):
        repeat_attendance(session, start=START, end=END, min_count=0)


def _count_statements(session, **kwargs) -> int:
    statements = []
    engine = db.engine

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa_event.listen(engine, "before_cursor_execute", record)
    try:
        repeat_attendance(session, start=START, end=END, **kwargs)
    finally:
        sa_event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def test_statement_count_does_not_grow_with_data(session, world):
    small = _count_statements(session)
    big_series = _series(session, make_network(session, "Stor", "Leksand"))
    events = _breakfasts(session, big_series, 15, first=date(2026, 1, 7))
    people = [make_user(session, organisation=make_organisation(session)) for _ in range(25)]
    for event in events:
        for person in people:
            attended(session, event, person)
    session.flush()
    large = _count_statements(session)
    filtered = _count_statements(
        session, network_id=big_series.network_id, org_type=OrganisationType.COOPERATIVE
    )
    assert small == large == filtered == 3
    assert len(repeat_attendance(session, start=START, end=END).repeat_social_entrepreneurs) == 28


def test_report_page_and_csv(client, auth, session, world):
    organiser = make_user(session, "organiser")
    auth.login_as(organiser)
    page = client.get("/breakfasts/report?start=2026-01-01&end=2026-06-30&min_count=3")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<svg" in html and "Anna" in html and "<table" in html
    world["anna"].name = '=HYPERLINK("x")'
    session.flush()
    response = client.get("/breakfasts/report.csv?start=2026-01-01&end=2026-06-30")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert rows[1][0] == '\'=HYPERLINK("x")'
    assert any(row[:1] and row[1:2] == ["5"] for row in rows)
    bad = client.get("/breakfasts/report?start=2026-13-01&min_count=%EF%BC%91")
    assert bad.status_code == 400


def test_report_is_for_organisers_only(client, auth, session):
    auth.login_as(make_user(session))
    assert client.get("/breakfasts/report").status_code == 403
    assert client.get("/breakfasts/report.csv").status_code == 403
