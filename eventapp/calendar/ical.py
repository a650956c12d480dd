"""iCalendar (RFC 5545) for events: pure functions from events to bytes, no HTTP.

One VEVENT shape everywhere: subscription feeds, the single-event download and the
e-mailed invites all use ``event_uid`` and ``_vevent``, so a client that sees the same
event by two routes merges it instead of showing it twice.

Choices that make every client read the same thing:

* DTSTAMP (and LAST-MODIFIED) is the event's last revision (``updated_at``), never the time
  of the request, so the same data gives byte-identical output (and a stable ETag).
* Local times carry ``TZID=Europe/Stockholm`` backed by a VTIMEZONE generated from the tz
  database for every year the calendar touches (both clock changes of each year). A time
  that is ambiguous or does not exist on the local clock (the autumn overlap, the spring
  gap) cannot be written with a TZID without guessing, so it is written in UTC instead.
* Subscription feeds have no METHOD (RFC 7986 name and refresh hints instead); invites are
  iTIP (RFC 5546) METHOD:REQUEST or METHOD:CANCEL with ORGANIZER and ATTENDEE.

Recurring breakfasts are written as individual occurrences, not as a series: each
occurrence is its own ``Event`` with its own UID (a moved one keeps its UID and gets a
higher SEQUENCE; a skipped one stays as STATUS:CANCELLED for 30 days). The issue allows
either form; occurrences are what every client reads the same way (no RRULE/EXDATE/
RECURRENCE-ID handling to get wrong, nothing to expand without an end), and the feed,
the single download and the invites then share one VEVENT shape. A feed's VTIMEZONE
covers every year from the first to the last instance in it.

``FeedItem`` is one VEVENT: usually an ``Event`` (``FeedItem.from_event``), but a personal
feed also holds entries that are not events of their own, such as a pitch slot inside a
board session.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from icalendar import Calendar, Timezone, vCalAddress, vDuration, vText
from icalendar import Event as VEvent

if TYPE_CHECKING:
    from eventapp.calendar.models import Event

PRODID = "-//Region Dalarna//eventapp//SV"
# The right-hand side of every UID: ours, stable, and saying nothing about any person.
UID_DOMAIN = "eventapp.regiondalarna.se"
TZID = "Europe/Stockholm"
ZONE = ZoneInfo(TZID)
# How often subscribed clients should look again (RFC 7986 REFRESH-INTERVAL, X-PUBLISHED-TTL).
DEFAULT_REFRESH = timedelta(hours=1)

InviteMethod = Literal["REQUEST", "CANCEL"]
EntryStatus = Literal["CONFIRMED", "TENTATIVE", "CANCELLED"]


def event_uid(event: Event) -> str:
    """Return the event's iCalendar UID, the same in every feed, download and invite."""
    return f"{event.uid}@{UID_DOMAIN}"


@dataclass(frozen=True)
class FeedItem:
    """One VEVENT as a feed shows it: an event, or an entry inside one (a pitch slot).

    ``status`` is the STATUS (a waiting-list place in a personal feed is TENTATIVE);
    ``note`` is put first in the description (for example "On the waiting list").
    ``dtstamp`` is the entry's last revision (DTSTAMP and LAST-MODIFIED), never the time of
    the request. ``event_uid`` is the ``Event.uid`` whose page the entry belongs to, so a
    view can link it (``url``).
    """

    uid: str
    summary: str
    start: datetime
    end: datetime
    dtstamp: datetime
    sequence: int = 0
    created: datetime | None = None
    location: str = ""
    description: str = ""
    status: EntryStatus = "CONFIRMED"
    note: str | None = None
    url: str | None = None
    event_uid: uuid.UUID | None = None

    @classmethod
    def from_event(
        cls,
        event: Event,
        *,
        status: EntryStatus | None = None,
        note: str | None = None,
        url: str | None = None,
    ) -> FeedItem:
        """The entry for an event; a cancelled event is CANCELLED whatever ``status`` says."""
        if event.is_cancelled:
            status = "CANCELLED"
        description = "\n\n".join(
            part
            for part in (
                event.cancellation_reason if event.is_cancelled else None,
                event.description,
            )
            if part
        )
        return cls(
            uid=event_uid(event),
            summary=event.title,
            start=event.starts_at,
            end=event.ends_at,
            dtstamp=event.updated_at or event.created_at,
            sequence=event.sequence or 0,
            created=event.created_at,
            location=", ".join(part for part in (event.place, event.address) if part),
            description=description,
            status=status or _event_status(event),
            note=note,
            url=url,
            event_uid=event.uid,
        )


def build_feed(
    items: Iterable[FeedItem],
    *,
    name: str,
    description: str | None = None,
    refresh: timedelta = DEFAULT_REFRESH,
) -> bytes:
    """Return a subscription calendar (no METHOD) with name and refresh hints."""
    calendar = _calendar()
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    if description:
        calendar.add("description", description)
        calendar.add("x-wr-caldesc", description)
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(refresh))
    _add_items(calendar, list(items))
    return calendar.to_ical()


def build_event_file(event: Event, *, url: str | None = None) -> bytes:
    """Return a one-event calendar for download from the event's page (no METHOD)."""
    calendar = _calendar()
    _add_items(calendar, [FeedItem.from_event(event, url=url)])
    return calendar.to_ical()


def build_invite(
    event: Event,
    *,
    method: str,
    attendee_email: str,
    attendee_name: str,
    organiser_email: str,
    organiser_name: str,
    sequence: int | None = None,
    url: str | None = None,
) -> bytes:
    """Return an iTIP invite: METHOD:REQUEST, or METHOD:CANCEL with STATUS:CANCELLED.

    The UID is ``event_uid(event)``; SEQUENCE is ``event.sequence`` unless given (a CANCEL
    for one attendee of an event that still takes place must be given a higher one).
    """
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"unsupported METHOD {method!r}")
    if sequence is not None and sequence < 0:
        raise ValueError("SEQUENCE cannot be negative")
    calendar = _calendar()
    calendar.add("method", method)
    status: EntryStatus = "CANCELLED" if method == "CANCEL" else _event_status(event)
    item = FeedItem.from_event(event, status=status, url=url)
    _add_timezone(calendar, [item])
    vevent = _vevent(item, sequence=sequence)
    vevent.add("organizer", _address(organiser_email, organiser_name), encode=0)
    attendee = _address(attendee_email, attendee_name)
    attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
    attendee.params["PARTSTAT"] = vText("DECLINED" if method == "CANCEL" else "ACCEPTED")
    attendee.params["RSVP"] = vText("FALSE")
    vevent.add("attendee", attendee, encode=0)
    calendar.add_component(vevent)
    return calendar.to_ical()


# --- building blocks -------------------------------------------------------------------------


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    return calendar


def _add_items(calendar: Calendar, items: Sequence[FeedItem]) -> None:
    _add_timezone(calendar, items)
    for item in items:
        calendar.add_component(_vevent(item))


def _event_status(event: Event) -> EntryStatus:
    return "CANCELLED" if event.is_cancelled else "CONFIRMED"


def _vevent(item: FeedItem, *, sequence: int | None = None) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", item.uid)
    revision = _utc(item.dtstamp)
    vevent.add("dtstamp", revision)
    vevent.add("last-modified", revision)
    if item.created is not None:
        vevent.add("created", _utc(item.created))
    vevent.add("sequence", item.sequence if sequence is None else sequence)
    _add_time(vevent, "dtstart", item.start)
    _add_time(vevent, "dtend", item.end)
    vevent.add("summary", item.summary)
    description = "\n\n".join(part for part in (item.note, item.description) if part)
    if description:
        vevent.add("description", description)
    if item.location:
        vevent.add("location", item.location)
    if item.url:
        vevent.add("url", item.url)
    vevent.add("status", item.status)
    vevent.add("transp", "TRANSPARENT" if item.status == "CANCELLED" else "OPAQUE")
    return vevent


def _add_time(vevent: VEvent, name: str, moment: datetime) -> None:
    """Add a DATE-TIME in Europe/Stockholm, or in UTC where the local clock is ambiguous."""
    local = _utc(moment).astimezone(ZONE)
    if _unambiguous(local):
        vevent.add(name, local)
    else:
        vevent.add(name, _utc(moment))


def _unambiguous(local: datetime) -> bool:
    """True when the wall-clock reading maps back to exactly this instant."""
    naive = local.replace(tzinfo=None)
    first = naive.replace(tzinfo=ZONE, fold=0)
    second = naive.replace(tzinfo=ZONE, fold=1)
    return first.utcoffset() == second.utcoffset() and first == local


def _add_timezone(calendar: Calendar, items: Sequence[FeedItem]) -> None:
    """Add the VTIMEZONE for Europe/Stockholm, covering every year the entries touch."""
    if not items:
        return
    first = min(_utc(item.start).astimezone(ZONE).year for item in items)
    last = max(_utc(item.end).astimezone(ZONE).year for item in items)
    calendar.add_component(timezone_component(first, last))


# Europe/Stockholm as the EU has defined it since 1996, written the way Outlook and Apple
# write it: one yearly rule per transition. Every parser expands these rules (some mishandle
# the long RDATE lists of a generated VTIMEZONE); ``timezone_component`` checks them
# against the tz database for the years a calendar needs and falls back to a generated
# VTIMEZONE if the rules ever stop matching.
_EU_RULES = (
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/Stockholm\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0200\r\n"
    "TZNAME:CEST\r\n"
    "DTSTART:19960331T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0100\r\n"
    "TZNAME:CET\r\n"
    "DTSTART:19961027T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
)


def timezone_component(first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE for Europe/Stockholm, valid for every instant of the given years.

    The yearly EU rules when the tz database agrees with them for every year from a year
    before ``first_year`` to a year after ``last_year``; otherwise one generated from the
    tz database for exactly that range.
    """
    years = range(first_year - 1, last_year + 2)
    if all(_eu_rules_hold(year) for year in years):
        return Timezone.from_ical(_EU_RULES)
    return Timezone.from_ical(_generated_vtimezone(years[0], years[-1]))


@functools.lru_cache(maxsize=32)
def _generated_vtimezone(first_year: int, last_year: int) -> str:
    """Europe/Stockholm from the tz database, one STANDARD/DAYLIGHT block per transition.

    Written by hand rather than with ``Timezone.from_tzinfo``: that one lists later
    transitions as a comma-separated RDATE, of which Mozilla's ical.js (Thunderbird) reads
    only the first (every later summer is then an hour off), and it writes the spring onset
    in the new offset where RFC 5545 wants the local time before the change.
    """
    start = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{TZID}"]

    def block(onset: datetime, before: timedelta) -> None:
        after = onset.astimezone(ZONE)
        kind = "DAYLIGHT" if after.dst() else "STANDARD"
        lines.extend(
            [
                f"BEGIN:{kind}",
                f"DTSTART:{(onset + before).replace(tzinfo=None):%Y%m%dT%H%M%S}",
                f"TZNAME:{after.tzname()}",
                f"TZOFFSETFROM:{_offset_text(before)}",
                f"TZOFFSETTO:{_offset_text(after.utcoffset())}",
                f"END:{kind}",
            ]
        )

    previous = start.astimezone(ZONE).utcoffset()
    block(start, previous)  # the offset in force when the range begins
    day = start
    while day < end:
        offset = (day + timedelta(days=1)).astimezone(ZONE).utcoffset()
        if offset != previous:
            # The change lies within this UTC day: find its minute.
            low, high = 0, 24 * 60
            while high - low > 1:
                middle = (low + high) // 2
                moment = day + timedelta(minutes=middle)
                if moment.astimezone(ZONE).utcoffset() == previous:
                    low = middle
                else:
                    high = middle
            block(day + timedelta(minutes=high), previous)
            previous = offset
        day += timedelta(days=1)
    lines.append("END:VTIMEZONE")
    return "\r\n".join(lines) + "\r\n"


def _offset_text(offset: timedelta | None) -> str:
    minutes = int((offset or timedelta(0)).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def _eu_rules_hold(year: int) -> bool:
    """Does Stockholm change clocks at 01:00 UTC on the last Sundays of March and October?"""
    if not 1996 <= year <= 9998:
        return False
    spring = datetime.combine(_last_sunday(year, 3), datetime.min.time(), UTC) + timedelta(hours=1)
    autumn = datetime.combine(_last_sunday(year, 10), datetime.min.time(), UTC) + timedelta(hours=1)
    second = timedelta(seconds=1)
    offsets = [
        (moment + delta).astimezone(ZONE).utcoffset()
        for moment in (spring, autumn)
        for delta in (-second, timedelta(0))
    ]
    winter = datetime(year, 1, 15, tzinfo=UTC).astimezone(ZONE).utcoffset()
    hour = timedelta(hours=1)
    return offsets == [hour, 2 * hour, 2 * hour, hour] and winter == hour


def _address(email: str, name: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = vText(name)
    return address


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime refused; attach a time zone")
    return moment.astimezone(UTC)
