"""Factories for breakfast tests: networks, series (through the service) and form data."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from eventapp.breakfasts import services
from eventapp.breakfasts.models import BreakfastSeries, Frequency, HostNetwork
from eventapp.breakfasts.services import Rule, SeriesDetails
from eventapp.calendar.models import Attendance, Signup, SignupStatus
from eventapp.database import utcnow
from eventapp.i18n import STOCKHOLM


def today() -> date:
    return utcnow().astimezone(STOCKHOLM).date()


def next_weekday(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7 or 7)


def make_network(
    session, name: str = "Företagarna Mora", municipality: str = "Mora"
) -> HostNetwork:
    network = HostNetwork(name=name, municipality=municipality)
    session.add(network)
    session.flush()
    return network


def details(network: HostNetwork, **fields) -> SeriesDetails:
    rule_fields = {
        key: fields.pop(key)
        for key in ("frequency", "weekday", "local_time", "duration_minutes", "week_of_month")
        if key in fields
    }
    rule = Rule(
        frequency=rule_fields.get("frequency", Frequency.WEEKLY),
        weekday=rule_fields.get("weekday", 1),
        local_time=rule_fields.get("local_time", time(7, 30)),
        duration_minutes=rule_fields.get("duration_minutes", 90),
        week_of_month=rule_fields.get("week_of_month"),
    )
    values = {
        "network": network,
        "title": "Företagarfrukost",
        "description": "Kaffe och nätverk.",
        "place": "Mora Parken",
        "address": "Parkvägen 1",
        "municipality": network.municipality,
        "capacity": 20,
        "is_public": True,
        "rule": rule,
        "start_date": next_weekday(today(), 1),
        "end_date": None,
    }
    values.update(fields)
    return SeriesDetails(**values)


def make_series(
    session, organiser, network: HostNetwork | None = None, **fields
) -> BreakfastSeries:
    network = network or make_network(session)
    fields.setdefault(
        "end_date", fields.get("start_date", next_weekday(today(), 1)) + timedelta(weeks=5)
    )
    return services.create_series(session, details(network, **fields), organiser)


def series_form(network_id: int, **overrides) -> dict:
    start = next_weekday(today(), 1)
    data = {
        "network": str(network_id),
        "title": "Frukost i Mora",
        "description": "",
        "place": "Mora Parken",
        "address": "",
        "municipality": "Mora",
        "frequency": "weekly",
        "weekday": "1",
        "week_of_month": "1",
        "local_time": "07:30",
        "duration_minutes": "90",
        "capacity": "20",
        "is_public": "y",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(weeks=3)).isoformat(),
    }
    data.update(overrides)
    return data


def attended(session, event, user, *, present: bool = True) -> Signup:
    """A confirmed sign-up marked present (or unmarked), written directly for report data."""
    now = event.starts_at
    signup = Signup(
        event=event,
        user=user,
        status=SignupStatus.CONFIRMED,
        created_at=now - timedelta(days=3),
        confirmed_at=now - timedelta(days=3),
        attendance=Attendance.PRESENT if present else Attendance.UNMARKED,
    )
    session.add(signup)
    event.seats_taken += 1
    session.flush()
    return signup


def on_day(event) -> datetime:
    """A moment at the door: ten minutes after the start."""
    return event.starts_at + timedelta(minutes=10)
