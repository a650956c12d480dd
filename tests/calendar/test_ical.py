"""eventapp.calendar.ical on its own: invites, single files and feeds parsed back, and the
RFC 5545 details (CRLF, folding, escaping, VTIMEZONE) that clients trip over."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from eventapp.calendar import ical
from eventapp.calendar.models import Event, EventKind, EventStatus

REVISION = datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC)


def transient_event(**fields) -> Event:
    """An Event with every field the builders read, not stored anywhere."""
    starts_at = fields.pop("starts_at", datetime(2026, 5, 12, 7, 0, tzinfo=UTC))
    values = {
        "uid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "kind": EventKind.LAB,
        "title": "Entreprenörslabb: finansiering",
        "description": "Ta med din affärsplan.",
        "place": "Kupolen",
        "address": "Stationsgatan 1, Borlänge",
        "municipality": "Borlänge",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "status": EventStatus.SCHEDULED,
        "sequence": 3,
        "created_at": REVISION - timedelta(days=10),
        "updated_at": REVISION,
    }
    values.update(fields)
    return Event(**values)


def invite(event: Event, **overrides) -> bytes:
    arguments = {
        "method": "REQUEST",
        "attendee_email": "asa@example.org",
        "attendee_name": "Åsa Öberg",
        "organiser_email": "olle@example.org",
        "organiser_name": "Olle Organisatör",
    }
    arguments.update(overrides)
    return ical.build_invite(event, **arguments)


def only_vevent(calendar: icalendar.Calendar) -> icalendar.Event:
    [vevent] = calendar.walk("VEVENT")
    return vevent


def assert_rfc5545_lines(data: bytes) -> None:
    """CRLF after every line, no bare CR or LF, no line over 75 octets, UTF-8 intact."""
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold inside a multi-byte character fails here


def test_uid_is_opaque_and_stable():
    event = transient_event()
    uid = ical.event_uid(event)
    assert uid == f"12345678-1234-5678-1234-567812345678@{ical.UID_DOMAIN}"
    assert ical.event_uid(transient_event(title="Other title", sequence=9)) == uid


def test_request_invite_parses_back():
    event = transient_event()
    data = invite(event)
    assert_rfc5545_lines(data)
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["PRODID"]) == ical.PRODID
    vevent = only_vevent(calendar)
    assert str(vevent["UID"]) == ical.event_uid(event)
    assert int(vevent["SEQUENCE"]) == 3
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert vevent["DTSTAMP"].dt == REVISION
    assert str(vevent["ORGANIZER"]) == "mailto:olle@example.org"
    assert vevent["ORGANIZER"].params["CN"] == "Olle Organisatör"
    attendee = vevent["ATTENDEE"]
    assert str(attendee) == "mailto:asa@example.org"
    assert attendee.params["CN"] == "Åsa Öberg"
    assert vevent["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert vevent["DTSTART"].dt.astimezone(UTC) == event.starts_at
    assert vevent["DTEND"].dt.astimezone(UTC) == event.ends_at
    [timezone] = calendar.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == "Europe/Stockholm"


def test_cancel_invite_has_status_cancelled_and_the_given_sequence():
    event = transient_event()
    calendar = icalendar.Calendar.from_ical(invite(event, method="CANCEL", sequence=7))
    assert str(calendar["METHOD"]) == "CANCEL"
    vevent = only_vevent(calendar)
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert int(vevent["SEQUENCE"]) == 7
    assert str(vevent["UID"]) == ical.event_uid(event)
    assert vevent["ATTENDEE"].params["PARTSTAT"] == "DECLINED"


def test_cancelled_event_request_says_cancelled():
    event = transient_event(status=EventStatus.CANCELLED, cancellation_reason="Sjukdom")
    vevent = only_vevent(icalendar.Calendar.from_ical(invite(event, method="CANCEL")))
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert "Sjukdom" in str(vevent["DESCRIPTION"])


@pytest.mark.parametrize("method", ["PUBLISH", "request", "", "REQUEST\r\nX:y"])
def test_invite_refuses_other_methods(method):
    with pytest.raises(ValueError):
        invite(transient_event(), method=method)


def test_invite_refuses_negative_sequence():
    with pytest.raises(ValueError):
        invite(transient_event(), sequence=-1)


def test_invite_is_byte_identical_for_the_same_data():
    assert invite(transient_event()) == invite(transient_event())
    changed = transient_event(updated_at=REVISION + timedelta(seconds=1))
    assert invite(changed) != invite(transient_event())


def test_long_swedish_and_emoji_text_folds_without_splitting_characters():
    title = "Åsa Öberg-Ängström 👩🏽‍💻 " * 12
    data = invite(transient_event(title=title, description="ÅÄÖ åäö 🧑‍🤝‍🧑 " * 40))
    assert_rfc5545_lines(data)
    assert any(line.startswith(b" ") for line in data.split(b"\r\n"))  # it did fold
    vevent = only_vevent(icalendar.Calendar.from_ical(data))
    assert str(vevent["SUMMARY"]) == title


@pytest.mark.parametrize("field", ["title", "place", "description"])
def test_line_breaks_in_text_cannot_inject_properties(field):
    hostile = "Labb\r\nATTENDEE:mailto:x@evil.example\r\nBEGIN:VALARM\nX;Y:z,\\"
    data = invite(transient_event(**{field: hostile}))
    assert_rfc5545_lines(data)
    assert not re.search(rb"\r\n(ATTENDEE:mailto:x|BEGIN:VALARM)", data)
    vevent = only_vevent(icalendar.Calendar.from_ical(data))
    attendees = vevent["ATTENDEE"]
    assert not isinstance(attendees, list) and str(attendees) == "mailto:asa@example.org"
    assert not vevent.walk("VALARM")
    shown = {"title": "SUMMARY", "place": "LOCATION", "description": "DESCRIPTION"}[field]
    assert "mailto:x@evil.example" in str(vevent[shown])


def test_ambiguous_autumn_time_is_written_in_utc():
    # 02:30 on 25 October 2026 happens twice in Stockholm; the second one is 01:30 UTC.
    starts_at = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    data = invite(transient_event(starts_at=starts_at))
    assert b"DTSTART:20261025T013000Z" in data
    vevent = only_vevent(icalendar.Calendar.from_ical(data))
    assert vevent["DTSTART"].dt == starts_at


def test_feed_has_names_refresh_hints_and_no_method():
    data = ical.build_feed(
        [ical.FeedItem.from_event(transient_event())], name="Region Dalarna: alla evenemang"
    )
    assert_rfc5545_lines(data)
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in data
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in data
    calendar = icalendar.Calendar.from_ical(data)
    assert "METHOD" not in calendar
    assert (
        str(calendar["NAME"]) == str(calendar["X-WR-CALNAME"]) == "Region Dalarna: alla evenemang"
    )


def test_waiting_list_item_is_tentative_with_its_note():
    item = ical.FeedItem.from_event(transient_event(), status="TENTATIVE", note="På väntelistan")
    vevent = only_vevent(icalendar.Calendar.from_ical(ical.build_feed([item], name="Mina")))
    assert str(vevent["STATUS"]) == "TENTATIVE"
    assert str(vevent["DESCRIPTION"]).startswith("På väntelistan")


def test_single_event_file_matches_the_feed_event():
    event = transient_event()
    single = only_vevent(
        icalendar.Calendar.from_ical(ical.build_event_file(event, url="https://x/e"))
    )
    in_feed = only_vevent(
        icalendar.Calendar.from_ical(
            ical.build_feed([ical.FeedItem.from_event(event, url="https://x/e")], name="n")
        )
    )
    assert single.to_ical() == in_feed.to_ical()
    assert str(single["URL"]) == "https://x/e"


def test_empty_feed_is_valid():
    calendar = icalendar.Calendar.from_ical(ical.build_feed([], name="Tom"))
    assert calendar.walk("VEVENT") == [] and str(calendar["VERSION"]) == "2.0"


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        invite(transient_event(starts_at=datetime(2026, 5, 1, 10)))
