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

A recurring series (a later issue) plugs in at ``FeedItem``/``_components_for``: one item
may then give a master VEVENT with RRULE/EXDATE plus RECURRENCE-ID overrides.
"""

from __future__ import annotations

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
    """One event as a feed shows it.

    ``status`` overrides the event's own STATUS (a waiting-list place in a personal feed is
    TENTATIVE); ``note`` is put first in the description (for example "On the waiting
    list"). ``url`` links back to the event's page.
    """

    event: Event
    status: EntryStatus | None = None
    note: str | None = None
    url: str | None = None


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
    _add_items(calendar, [FeedItem(event, url=url)])
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
    _add_timezone(calendar, [event])
    status: EntryStatus = "CANCELLED" if method == "CANCEL" else _event_status(event)
    vevent = _vevent(FeedItem(event, status=status, url=url), sequence=sequence)
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
    events = [item.event for item in items]
    _add_timezone(calendar, events)
    for item in items:
        for component in _components_for(item):
            calendar.add_component(component)


def _components_for(item: FeedItem) -> list[VEvent]:
    """The VEVENTs for one item: one today; a series later adds its overrides here."""
    return [_vevent(item)]


def _event_status(event: Event) -> EntryStatus:
    return "CANCELLED" if event.is_cancelled else "CONFIRMED"


def _vevent(item: FeedItem, *, sequence: int | None = None) -> VEvent:
    event = item.event
    vevent = VEvent()
    vevent.add("uid", event_uid(event))
    revision = _utc(event.updated_at or event.created_at)
    vevent.add("dtstamp", revision)
    vevent.add("last-modified", revision)
    if event.created_at is not None:
        vevent.add("created", _utc(event.created_at))
    vevent.add("sequence", (event.sequence or 0) if sequence is None else sequence)
    _add_time(vevent, "dtstart", event.starts_at)
    _add_time(vevent, "dtend", event.ends_at)
    vevent.add("summary", event.title)
    description = "\n\n".join(
        part
        for part in (
            item.note,
            event.cancellation_reason if event.is_cancelled else None,
            event.description,
        )
        if part
    )
    if description:
        vevent.add("description", description)
    location = ", ".join(part for part in (event.place, event.address) if part)
    if location:
        vevent.add("location", location)
    if item.url:
        vevent.add("url", item.url)
    status = item.status or _event_status(event)
    if event.is_cancelled:
        status = "CANCELLED"
    vevent.add("status", status)
    vevent.add("transp", "TRANSPARENT" if status == "CANCELLED" else "OPAQUE")
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


def _add_timezone(calendar: Calendar, events: Sequence[Event]) -> None:
    """Add the VTIMEZONE for Europe/Stockholm, covering every year the events touch."""
    if not events:
        return
    first = min(_utc(e.starts_at).astimezone(ZONE).year for e in events)
    last = max(_utc(e.ends_at).astimezone(ZONE).year for e in events)
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
    return Timezone.from_tzinfo(ZONE, TZID, date(years[0], 1, 1), date(years[-1] + 1, 1, 1))


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
