"""The labs list pages through the series: coming sessions first, a fixed number of
statements however many years of series and sessions there are."""

from __future__ import annotations

from datetime import timedelta

from eventapp.database import utcnow
from eventapp.extensions import db
from eventapp.labs.services import series_page
from tests.labs.helpers import make_lab_session, make_series
from tests.querycount import count_queries


def _series_with_sessions(session, count: int, *, days_ahead: int | None, title: str):
    made = []
    for number in range(count):
        series = make_series(session, title=f"{title} {number:02d}")
        if days_ahead is not None:
            # Two coming sessions; the list shows the sooner one.
            start = utcnow() + timedelta(days=days_ahead + number)
            make_lab_session(session, series, starts_at=start + timedelta(days=7))
            make_lab_session(session, series, starts_at=start)
        else:
            make_lab_session(session, series, starts_at=utcnow() - timedelta(days=30 + number))
        made.append(series)
    return made


def test_series_with_a_coming_session_come_first_soonest_first(session):
    ended = _series_with_sessions(session, 3, days_ahead=None, title="Avslutad")
    coming = _series_with_sessions(session, 3, days_ahead=10, title="Kommande")
    cancelled = make_series(session, title="Inställd")
    cancelled.is_cancelled = True
    session.flush()
    listing = series_page(session)
    order = [series.title for series, _ in listing.items]
    assert order[:3] == [s.title for s in coming]
    assert set(order[3:6]) == {s.title for s in ended} and order[6] == "Inställd"
    first_series, first_next = listing.items[0]
    assert first_next.series_id == first_series.id
    assert first_next.event.starts_at == min(s.event.starts_at for s in first_series.sessions)
    assert all(upcoming is None for _, upcoming in listing.items[3:])


def test_pages_of_twenty_and_a_page_past_the_end_shows_the_last(session):
    _series_with_sessions(session, 25, days_ahead=5, title="Labb")
    first, second = series_page(session, 1), series_page(session, 2)
    assert (len(first.items), first.pages, first.total) == (20, 2, 25)
    assert len(second.items) == 5 and second.has_previous and not second.has_next
    assert not {s.id for s, _ in first.items} & {s.id for s, _ in second.items}
    assert series_page(session, 99).page == 2


def test_the_page_sends_the_same_statements_with_five_times_the_data(app, session, client):
    _series_with_sessions(session, 5, days_ahead=3, title="Labb")
    session.commit()
    with count_queries(db.engine) as small:
        assert client.get("/labs/").status_code == 200
    _series_with_sessions(session, 20, days_ahead=3, title="Fler")
    _series_with_sessions(session, 5, days_ahead=None, title="Gamla")
    session.commit()
    with count_queries(db.engine) as large:
        page = client.get("/labs/?page=2")
    assert page.status_code == 200 and "Nästa sida" not in page.text
    assert large.count == small.count, large.summary()


def test_a_bad_page_number_shows_the_first_page(client, session):
    _series_with_sessions(session, 1, days_ahead=3, title="Labb")
    session.commit()
    for raw in ("-1", "１２", "abc", "99999999999999999999", "1e309"):
        assert client.get(f"/labs/?page={raw}").status_code == 200
