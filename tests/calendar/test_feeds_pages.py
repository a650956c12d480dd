"""The calendar page (month and list) and the organisers' export (.ics, CSV)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from eventapp.calendar import ical
from eventapp.i18n import to_local
from tests.factories import make_event, make_user


def month_of(event) -> str:
    return f"{to_local(event.starts_at):%Y-%m}"


def test_month_view_is_a_real_table_with_links(client, session):
    event = make_event(session, title="Labb <b>fet</b>")
    session.commit()
    page = client.get(f"/calendar/?month={month_of(event)}").get_data(as_text=True)
    assert "<caption>" in page and '<th scope="col">' in page and '<th scope="row">' in page
    assert f'href="/calendar/events/{event.uid}"' in page
    assert "Labb &lt;b&gt;fet&lt;/b&gt;" in page


def test_list_view_and_filters(client, session):
    falun = make_event(session, municipality="Falun", kind="breakfast")
    mora = make_event(session, municipality="Mora", kind="lab")
    session.commit()
    month = month_of(falun)
    page = client.get(f"/calendar/?month={month}&view=list&municipality=Falun").get_data(
        as_text=True
    )
    assert str(falun.uid) in page and str(mora.uid) not in page
    page = client.get(f"/calendar/?month={month}&view=list&kind=labs").get_data(as_text=True)
    assert str(mora.uid) in page and str(falun.uid) not in page
    assert "/calendar.ics?kind=labs" in page and "webcal://" in page


def test_unlisted_events_are_not_on_the_page(client, session):
    hidden = make_event(session, is_public=False)
    session.commit()
    page = client.get(f"/calendar/?month={month_of(hidden)}").get_data(as_text=True)
    assert str(hidden.uid) not in page


@pytest.mark.parametrize(
    "query",
    ["month=2026-13", "month=0001-01", "month=x", "view=grid", "kind=parties", "month=2026-1"],
)
def test_bad_page_parameters_are_400(client, query):
    assert client.get(f"/calendar/?{query}").status_code == 400


def test_multi_day_event_shows_on_each_day(client, session):
    event = make_event(
        session, starts_at=datetime(2030, 5, 10, 8, tzinfo=UTC), duration=timedelta(days=2)
    )
    session.commit()
    page = client.get("/calendar/?month=2030-05&view=list").get_data(as_text=True)
    assert page.count(f'href="/calendar/events/{event.uid}"') == 3


# --- export ---------------------------------------------------------------------------------


@pytest.fixture
def organiser(session, auth):
    user = make_user(session, "organiser")
    session.commit()
    auth.login_as(user)
    return user


def test_csv_export_opens_in_excel_and_neutralises_formulas(client, session, organiser):
    hostile = make_event(session, title='=HYPERLINK("http://evil")', place="+46 1", address="@x")
    make_event(session, title="Åsa Öberg-Ängström")
    session.commit()
    response = client.get("/calendar/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    raw = response.data
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3
    by_uid = {row[-1]: row for row in rows[1:]}
    row = by_uid[ical.event_uid(hostile)]
    assert row[0] == '\'=HYPERLINK("http://evil")' and row[5] == "'+46 1" and row[6] == "'@x"
    assert any(r[0] == "Åsa Öberg-Ängström" for r in rows)


def test_export_filters_by_date_range_mine_and_unlisted(client, session, organiser):
    mine = make_event(session, organiser=organiser, is_public=False)
    theirs = make_event(session, starts_at=mine.starts_at + timedelta(days=60))
    session.commit()
    start = to_local(mine.starts_at).date()
    data = client.get(f"/calendar/export.ics?start={start}&end={start}&unlisted=y").data
    assert {str(v["UID"]) for v in icalendar.Calendar.from_ical(data).walk("VEVENT")} == {
        ical.event_uid(mine)
    }
    data = client.get("/calendar/export.ics?mine=y").data
    assert {str(v["UID"]) for v in icalendar.Calendar.from_ical(data).walk("VEVENT")} == set()
    data = client.get("/calendar/export.ics?mine=y&unlisted=y").data
    assert ical.event_uid(theirs) not in data.decode()
    page = client.get("/calendar/export?kind=labs").get_data(as_text=True)
    assert "/calendar.ics?kind=labs" in page  # a public selection: a public address
    page = client.get("/calendar/export?unlisted=y").get_data(as_text=True)
    assert "/calendar/export/links" in page  # otherwise a private link


def test_export_refuses_bad_dates(client, organiser):
    assert client.get("/calendar/export.csv?start=2026-02-30").status_code == 400
    assert client.get("/calendar/export?start=2026-05-02&end=2026-05-01").status_code == 400


def test_export_is_for_organisers(client, session, auth):
    auth.login_as(make_user(session))
    assert client.get("/calendar/export.csv").status_code == 403
    assert client.get("/calendar/export.ics").status_code == 403
