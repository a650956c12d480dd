"""The e-mailed iCalendar invite for one pitch slot: a pure function from values to bytes.

``eventapp.calendar.ical.build_invite`` takes an ``Event`` and uses the event's own times;
a pitch is a sub-event with its own slot time and its own UID, so it is built here with the
``icalendar`` package directly. Times are written in UTC (``...Z``), which every client
reads the same way and which needs no VTIMEZONE.
"""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as VEvent

PRODID = "-//Region Dalarna//eventapp boards//SV"


def build_pitch_invite(
    *,
    uid: str,
    sequence: int,
    method: str,
    title: str,
    description: str,
    place: str,
    starts_at: datetime,
    ends_at: datetime,
    stamp: datetime,
    organiser_email: str,
    organiser_name: str,
    attendee_email: str,
    attendee_name: str,
    attendee_status: str = "NEEDS-ACTION",
) -> bytes:
    """Return a METHOD:REQUEST or METHOD:CANCEL calendar for one pitch slot."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"unsupported METHOD {method!r}")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = VEvent()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", starts_at.astimezone(UTC))
    event.add("dtend", ends_at.astimezone(UTC))
    event.add("summary", title)
    if description:
        event.add("description", description)
    if place:
        event.add("location", place)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    organiser = vCalAddress(f"mailto:{organiser_email}")
    organiser.params["cn"] = vText(organiser_name)
    event["organizer"] = organiser
    attendee = vCalAddress(f"mailto:{attendee_email}")
    attendee.params["cn"] = vText(attendee_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("DECLINED" if method == "CANCEL" else attendee_status)
    attendee.params["rsvp"] = vText("FALSE")
    event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()
