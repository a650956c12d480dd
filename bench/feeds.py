"""How fast are the calendar feeds? Prints, for 1,000 and 10,000 events (or --sizes):

* a full render of the public feed (query + build, cache empty) next to building the same
  calendar with bare ``icalendar`` in the same run (the floor: our extra work on top of it);
* a cached 200 and a 304 (If-None-Match) of ``/calendar.ics`` next to a trivial Flask
  endpoint, all through the Flask test client in the same process (so the numbers show the
  app's own cost, without a network or a server in between).

Runs on a temporary SQLite database (or EVENTAPP_BENCH_DATABASE_URL). Not part of the tests.

    .venv/bin/python bench/feeds.py                 # 1,000 and 10,000 events
    .venv/bin/python bench/feeds.py --sizes 1000    # well under a minute
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from icalendar import Calendar  # noqa: E402
from icalendar import Event as VEvent  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from eventapp import create_app  # noqa: E402
from eventapp.calendar.models import Event  # noqa: E402
from eventapp.extensions import db  # noqa: E402


def make_app(database_url: str):
    app = create_app(
        {
            "TESTING": True,
            "ENVIRONMENT": "testing",
            "SECRET_KEY": "bench-" + "x" * 40,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": False,
        }
    )
    app.add_url_rule("/_bench/trivial", "bench_trivial", lambda: "ok")
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=app.extensions["migrate"].directory, revision="heads")
    return app


def fill(app, count: int) -> None:
    """Insert ``count`` public events spread over two years, some cancelled."""
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=100)
    kinds = ("lab", "board", "breakfast", "award", "other")
    rows = []
    for number in range(count):
        begins = start + timedelta(hours=17 * number % (24 * 700))
        rows.append(
            {
                "uid": uuid.uuid4(),
                "kind": kinds[number % 5],
                "title": f"Entreprenörslabb {number}: Åsa Öberg-Ängström ☕",
                "description": "Ta med din affärsplan. " * 5,
                "place": "Kupolen",
                "address": "Stationsgatan 1, Borlänge",
                "municipality": "Borlänge",
                "starts_at": begins,
                "ends_at": begins + timedelta(hours=2),
                "status": "cancelled" if number % 50 == 0 else "scheduled",
                "cancelled_at": begins if number % 50 == 0 else None,
                "sequence": number % 3,
                "is_public": True,
                "seats_taken": 0,
                "created_at": start,
                "updated_at": start,
            }
        )
    with app.app_context():
        db.session.execute(db.delete(Event))
        db.session.execute(insert(Event), rows)
        db.session.commit()


def bare_icalendar(app) -> float:
    """Build the same events with icalendar alone (no VTIMEZONE logic, no query)."""
    with app.app_context():
        events = db.session.scalars(db.select(Event).order_by(Event.starts_at)).all()
        began = time.perf_counter()
        calendar = Calendar()
        calendar.add("prodid", "-//bench//")
        calendar.add("version", "2.0")
        for event in events:
            vevent = VEvent()
            vevent.add("uid", str(event.uid))
            vevent.add("dtstamp", event.updated_at)
            vevent.add("dtstart", event.starts_at)
            vevent.add("dtend", event.ends_at)
            vevent.add("summary", event.title)
            vevent.add("description", event.description)
            vevent.add("location", event.place)
            calendar.add_component(vevent)
        calendar.to_ical()
        return time.perf_counter() - began


def timed(call, repeat: int) -> float:
    """Median seconds of ``repeat`` calls."""
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def run(app, count: int, repeat: int) -> None:
    fill(app, count)
    client = app.test_client()
    cache = lambda: app.extensions.get("eventapp.feed_cache")  # noqa: E731

    def cold_render():
        if cache():
            cache().clear()
        response = client.get("/calendar.ics")
        assert response.status_code == 200

    render = timed(cold_render, max(1, repeat // 20))
    bare = statistics.median(bare_icalendar(app) for _ in range(max(1, repeat // 20)))
    first = client.get("/calendar.ics")
    etag, size = first.headers["ETag"], len(first.data)
    renders_before = cache().renders
    cached = timed(lambda: client.get("/calendar.ics"), repeat)
    renders = cache().renders - renders_before
    not_modified = timed(
        lambda: client.get("/calendar.ics", headers={"If-None-Match": etag}), repeat
    )
    trivial = timed(lambda: client.get("/_bench/trivial"), repeat)
    assert client.get("/calendar.ics", headers={"If-None-Match": etag}).status_code == 304
    print(f"\n{count:,} events ({size / 1e6:.1f} MB feed)")
    print(f"  full render (query + build, cold cache) {render * 1000:9.1f} ms")
    print(f"  same calendar with bare icalendar       {bare * 1000:9.1f} ms")
    print(f"  cached 200 /calendar.ics                {cached * 1000:9.2f} ms")
    print(f"    renders during those {repeat} polls      {renders:9d}")
    print(f"  304 (If-None-Match)                     {not_modified * 1000:9.2f} ms")
    print(f"  trivial Flask endpoint                  {trivial * 1000:9.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=100, help="requests per timing")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("EVENTAPP_BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite"
        app = make_app(url)
        print(f"database: {url.split('@')[-1]}; medians of {arguments.repeat} requests")
        for count in arguments.sizes:
            run(app, count, arguments.repeat)


if __name__ == "__main__":
    main()
