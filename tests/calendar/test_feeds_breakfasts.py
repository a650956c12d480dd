"""Recurring breakfasts as individual occurrences, read back from the real feed by independent
parsers across both clock changes of 2026; and VTIMEZONE blocks that cover every instance of
a feed, also events years apart.

The series is built by hand with UTC times worked out from the rule "Stockholm is UTC+2
from the last Sunday of March to the last Sunday of October, else UTC+1", not with zoneinfo,
so the expected values do not come from the code under test.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
import recurring_ical_events
import vobject

from eventapp.calendar import feed_queries, ical
from eventapp.calendar.models import EventKind, EventStatus
from tests.factories import make_event

# 2026: summer time from Sunday 29 March 02:00, winter time from Sunday 25 October 03:00.
SPRING_2026, AUTUMN_2026 = date(2026, 3, 29), date(2026, 10, 25)
CANCELLED_ON = date(2026, 4, 5)  # Easter Sunday: skipped
MOVED_ON = AUTUMN_2026  # the autumn change day: moved from 07:30 to 09:00 local


def breakfast_utc(day: date, hour: int = 7, minute: int = 30) -> datetime:
    """A local wall-clock time on ``day`` in UTC, by the EU summer-time rule (2026 only)."""
    offset = 2 if SPRING_2026 <= day < AUTUMN_2026 else 1
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(
        hours=offset
    )


def test_the_hand_rule_matches_the_known_utc_times():
    assert breakfast_utc(date(2026, 3, 22)) == datetime(2026, 3, 22, 6, 30, tzinfo=UTC)
    assert breakfast_utc(SPRING_2026) == datetime(2026, 3, 29, 5, 30, tzinfo=UTC)
    assert breakfast_utc(date(2026, 10, 18)) == datetime(2026, 10, 18, 5, 30, tzinfo=UTC)
    assert breakfast_utc(AUTUMN_2026) == datetime(2026, 10, 25, 6, 30, tzinfo=UTC)


@pytest.fixture
def breakfast_feed(client, session, monkeypatch):
    """Every Sunday of March to November 2026 at 07:30, one skipped and one moved."""
    # Keep the whole 2026 series in the feed whatever today's date is.
    monkeypatch.setattr(feed_queries, "HISTORY_KEPT_DAYS", 365 * 20)
    monkeypatch.setattr(feed_queries, "CANCELLED_KEPT_DAYS", 365 * 20)
    day, expected = date(2026, 3, 1), {}
    while day <= date(2026, 11, 29):
        fields = {}
        starts_at = breakfast_utc(day)
        if day == CANCELLED_ON:
            fields = {
                "status": EventStatus.CANCELLED,
                "cancellation_reason": "Påskdagen",
                "cancelled_at": starts_at - timedelta(days=10),
                "sequence": 1,
            }
        if day == MOVED_ON:
            starts_at = breakfast_utc(day, 9, 0)
            fields = {"sequence": 2}
        event = make_event(
            session,
            kind=EventKind.BREAKFAST,
            title="Frukostmöte: sociala företag",
            starts_at=starts_at,
            duration=timedelta(minutes=90),
            municipality="Falun",
            **fields,
        )
        expected[ical.event_uid(event)] = (day, event)
        day += timedelta(days=7)
    make_event(session, kind=EventKind.LAB, starts_at=breakfast_utc(date(2026, 5, 5)))
    session.commit()
    response = client.get("/calendar/breakfasts.ics")
    assert response.status_code == 200
    return response.data, expected


def _by_icalendar(data: bytes) -> dict[str, tuple[datetime, str, int]]:
    """icalendar with recurring-ical-events: the zone by its name (zoneinfo)."""
    calendar = icalendar.Calendar.from_ical(data)
    window = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    found = {}
    for occurrence in recurring_ical_events.of(calendar).between(*window):
        uid = str(occurrence["UID"])
        assert uid not in found, f"{uid} expanded twice"
        found[uid] = (
            occurrence["DTSTART"].dt.astimezone(UTC),
            str(occurrence["STATUS"]),
            int(occurrence["SEQUENCE"]),
        )
    return found


def _by_vobject(data: bytes) -> dict[str, tuple[datetime, str, int]]:
    """vobject builds the zone from the VTIMEZONE block itself."""
    calendar = vobject.readOne(data.decode("utf-8"))
    found = {}
    for vevent in calendar.vevent_list:
        start = vevent.dtstart.value
        assert "zoneinfo" not in type(start.tzinfo).__module__
        found[vevent.uid.value] = (
            start.astimezone(UTC),
            vevent.status.value,
            int(vevent.sequence.value),
        )
    return found


def _icaljs_or_skip():
    from tests.calendar.icaljs import icaljs_missing_reason, starts_by_icaljs

    reason = icaljs_missing_reason()
    if reason is not None:
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail(f"ical.js check could not run in CI: {reason}")
        pytest.skip(f"ical.js check skipped: {reason}")
    return starts_by_icaljs


def test_breakfast_feed_holds_only_breakfasts_as_single_occurrences(breakfast_feed):
    data, expected = breakfast_feed
    calendar = icalendar.Calendar.from_ical(data)
    vevents = calendar.walk("VEVENT")
    assert {str(v["UID"]) for v in vevents} == set(expected)
    assert len(vevents) == len(expected) == 40
    # Occurrences, not a series: nothing for a client to expand or to skip wrongly.
    for name in ("RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"):
        assert all(name not in v for v in vevents)
    [vtimezone] = calendar.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Europe/Stockholm"
    assert b"TZID=Europe/Stockholm:20260329T073000" in data  # the spring change day, local


def test_independent_parsers_agree_on_every_breakfast(breakfast_feed):
    data, expected = breakfast_feed
    truth = {uid: event.starts_at for uid, (_, event) in expected.items()}
    by_name, by_block = _by_icalendar(data), _by_vobject(data)
    assert {uid: start for uid, (start, _, _) in by_name.items()} == truth
    assert {uid: start for uid, (start, _, _) in by_block.items()} == truth
    assert by_name == by_block  # also STATUS and SEQUENCE
    for uid, (day, _) in expected.items():
        start, status, sequence = by_name[uid]
        if day == CANCELLED_ON:
            assert status == "CANCELLED" and sequence == 1
        elif day == MOVED_ON:
            assert start == datetime(2026, 10, 25, 8, 0, tzinfo=UTC)  # 09:00 winter time
            assert status == "CONFIRMED" and sequence == 2
        else:
            assert status == "CONFIRMED" and sequence == 0
            # 07:30 in Stockholm: 06:30 UTC in winter, 05:30 UTC in summer.
            winter = not SPRING_2026 <= day < AUTUMN_2026
            assert (start.hour, start.minute) == ((6, 30) if winter else (5, 30))


def test_mozilla_icaljs_agrees_on_every_breakfast(breakfast_feed):
    starts_by_icaljs = _icaljs_or_skip()
    data, expected = breakfast_feed
    assert starts_by_icaljs(data) == {uid: event.starts_at for uid, (_, event) in expected.items()}


# --- VTIMEZONE coverage ------------------------------------------------------------------------


def _items_years_apart() -> list[ical.FeedItem]:
    moments = [
        datetime(2026, 3, 29, 0, 59, tzinfo=UTC),  # last minute of winter time
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # first minute of summer time
        datetime(2031, 7, 1, 10, tzinfo=UTC),
        datetime(2038, 1, 19, 3, 14, tzinfo=UTC),  # past the 32-bit time_t limit
        datetime(2044, 10, 30, 0, 59, tzinfo=UTC),  # 02:59 CEST, just before the change
        datetime(2044, 10, 30, 2, 0, tzinfo=UTC),  # 03:00 CET, just after
    ]
    return [
        ical.FeedItem(
            uid=f"years-{n}@test",
            summary="Långt fram",
            start=moment,
            end=moment + timedelta(hours=1),
            dtstamp=datetime(2026, 1, 1, tzinfo=UTC),
        )
        for n, moment in enumerate(moments)
    ]


@pytest.mark.parametrize("eu_rules", [True, False], ids=["yearly-rules", "generated-from-tzdb"])
def test_every_vtimezone_covers_every_instance_of_events_years_apart(monkeypatch, eu_rules):
    if not eu_rules:
        # The fallback VTIMEZONE (if the EU rules ever stop matching the tz database).
        monkeypatch.setattr(ical, "_eu_rules_hold", lambda year: False)
    items = _items_years_apart()
    data = ical.build_feed(items, name="År")
    truth = {item.uid: item.start for item in items}
    assert {uid: start for uid, (start, _, _) in _by_vobject(data).items()} == truth
    calendar = icalendar.Calendar.from_ical(data)
    assert {str(v["UID"]): v["DTSTART"].dt.astimezone(UTC) for v in calendar.walk("VEVENT")} == (
        truth
    )
    [vtimezone] = calendar.walk("VTIMEZONE")
    if not eu_rules:
        # One block per transition, from before the first to after the last instance, and
        # no RDATE lists (ical.js reads only their first value).
        assert "RDATE" not in vtimezone.to_ical().decode()
        onsets = [block["DTSTART"].dt for block in vtimezone.subcomponents]
        assert min(onsets).year <= 2026 and max(onsets).year >= 2044
        assert len(onsets) == 1 + 2 * (2045 - 2025 + 1)
