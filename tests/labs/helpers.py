"""Factories for lab tests."""

from __future__ import annotations

from datetime import date, time, timedelta

from eventapp.database import utcnow
from eventapp.i18n import STOCKHOLM, combine_local
from eventapp.labs import services
from eventapp.labs.models import LabSeries, LabSession
from eventapp.labs.services import SeriesDetails
from tests.factories import make_event


def today() -> date:
    return utcnow().astimezone(STOCKHOLM).date()


def make_series(session, organiser=None, **fields) -> LabSeries:
    values = {
        "title": "Designtänkande",
        "description": "Vi testar idéer tillsammans.",
        "target_group": "Sociala entreprenörer",
        "facilitator": "Kim Facilitator",
        "default_capacity": 12,
        "default_place": "Kupolen",
        "default_address": "Kupolen 1",
        "municipality": "Borlänge",
    }
    values.update(fields)
    return services.create_series(session, SeriesDetails(**values), organiser)


def make_lab_session(session, series: LabSeries, **event_fields) -> LabSession:
    event_fields.setdefault("title", series.title)
    event_fields.setdefault("capacity", series.default_capacity)
    event = make_event(session, kind="lab", **event_fields)
    lab_session = LabSession(series=series, event=event)
    session.add(lab_session)
    session.flush()
    return lab_session


def session_form(day: date | None = None, **overrides) -> dict:
    day = day or today() + timedelta(days=30)
    data = {
        "title": "Designtänkande: prototyper",
        "description": "",
        "place": "Kupolen",
        "address": "",
        "municipality": "Borlänge",
        "start_date": day.isoformat(),
        "start_time": "13:00",
        "end_date": day.isoformat(),
        "end_time": "16:00",
        "capacity": "10",
        "is_public": "y",
    }
    data.update(overrides)
    return data


def series_form(**overrides) -> dict:
    data = {
        "title": "Offentlig upphandling",
        "description": "Så vinner du upphandlingar.",
        "target_group": "Sociala företag",
        "facilitator": "Lena Lärare",
        "default_capacity": "15",
        "default_place": "Falu Rådhus",
        "default_address": "",
        "municipality": "Falun",
    }
    data.update(overrides)
    return data


def local(day: date, hour: int, minute: int = 0):
    return combine_local(day, time(hour, minute))
