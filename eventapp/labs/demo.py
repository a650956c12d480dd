"""Demo lab series for development: sessions ahead, one nearly full with a waiting list."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from eventapp.auth.models import User
from eventapp.auth.services import create_user
from eventapp.calendar import services as calendar_services
from eventapp.calendar.models import Event, EventKind
from eventapp.calendar.services import EventDetails, SignupWindow
from eventapp.database import utcnow
from eventapp.i18n import STOCKHOLM, combine_local
from eventapp.labs import services
from eventapp.labs.models import LabSession
from eventapp.labs.services import SeriesDetails

SERIES = (
    SeriesDetails(
        title="Designtänkande för sociala företag",
        description=(
            "Fyra träffar där vi går från behov till prototyp. Ta med en utmaning från din "
            "verksamhet; vi arbetar i små grupper och testar idéer på riktigt."
        ),
        target_group="Sociala entreprenörer, nuvarande och tidigare UF-företagare",
        facilitator="Karin Lind",
        default_capacity=12,
        default_place="Dalarnas museum",
        default_address="Stigaregatan 2–4, Falun",
        municipality="Falun",
    ),
    SeriesDetails(
        title="Offentlig upphandling",
        description="Hur sociala företag lämnar anbud och samarbetar med kommuner.",
        target_group="Arbetsintegrerande sociala företag",
        facilitator="Per Dahl",
        default_capacity=20,
        default_place="Kupolen",
        default_address="Kupolen, Borlänge",
        municipality="Borlänge",
    ),
)


def _participants(session: Session, password: str | None, count: int) -> list[User]:
    people = []
    for number in range(1, count + 1):
        email = f"deltagare{number}@example.org"
        person = session.scalar(select(User).where(User.email == email))
        if person is None:
            person = create_user(
                session,
                name=f"Deltagare {number}",
                email=email,
                password=password or "demo-password-123",
                confirmed=True,
            )
        people.append(person)
    return people


def seed_labs(session: Session, organiser: User, password: str | None = None) -> None:
    """Two series with sessions; the first session is nearly full with people waiting."""
    today = utcnow().astimezone(STOCKHOLM).date()
    people = _participants(session, password, 14)
    for index, details in enumerate(SERIES):
        series = services.create_series(session, details, organiser)
        for week in range(3):
            day = today + timedelta(days=10 + 14 * week + 3 * index)
            starts = combine_local(day, time(13))
            details_ = EventDetails(
                kind=EventKind.LAB,
                title=f"{details.title}: träff {week + 1}",
                description=details.description,
                place=details.default_place,
                address=details.default_address,
                municipality=details.municipality,
                starts_at=starts,
                ends_at=combine_local(day, time(16)),
                capacity=10 if (index, week) == (0, 0) else details.default_capacity,
                signup_window=SignupWindow(
                    closes_at=combine_local(day - timedelta(days=2), time(23, 59)),
                    cancellation_deadline=combine_local(day - timedelta(days=1), time(12)),
                ),
            )
            lab_session = services.create_session(session, series, details_, organiser)
            if index == 0 and week < 2:
                # The first session is full with two people waiting; the second nearly full.
                for person in people[: 12 if week == 0 else 11]:
                    calendar_services.sign_up(
                        session,
                        lab_session.event,
                        person,
                        show_in_participant_list=person.id % 2 == 0,
                    )
            elif week == 0:
                for person in people[:4]:
                    calendar_services.sign_up(session, lab_session.event, person)
    _adopt_loose_lab_events(session, organiser)


def _adopt_loose_lab_events(session: Session, organiser: User) -> None:
    """Put lab events created without a series (the general demo data) in a series."""
    loose = session.scalars(
        select(Event)
        .where(Event.kind == EventKind.LAB, Event.id.not_in(select(LabSession.event_id)))
        .order_by(Event.starts_at)
    ).all()
    if not loose:
        return
    series = services.create_series(
        session,
        SeriesDetails(
            title="Entreprenörslabb",
            description="Öppna labbträffar för dig som driver eller vill starta socialt företag.",
            target_group="Alla sociala entreprenörer i Dalarna",
            facilitator="Olle Organisatör",
            default_capacity=15,
            default_place="Kupolen",
            default_address="",
            municipality="Borlänge",
        ),
        organiser,
    )
    for event in loose:
        session.add(LabSession(series=series, event=event))
    session.flush()
