"""Realistic demo data for development and the two-command set-up. Never run in production."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from eventapp.auth.models import Organisation, Role, User
from eventapp.auth.services import create_user
from eventapp.calendar.models import Event, EventKind
from eventapp.database import utcnow
from eventapp.i18n import STOCKHOLM, combine_local
from eventapp.regions import OrganisationType

ORGANISATIONS = (
    ("Kooperativet Hantverket", "769600-0004", OrganisationType.COOPERATIVE, "Falun", 2014),
    ("Arbetslaget i Borlänge", "556036-0793", OrganisationType.WORK_INTEGRATION, "Borlänge", 2011),
    ("Föreningen Gröna Mora", "802453-9002", OrganisationType.NONPROFIT, "Mora", 2018),
    ("Älvdalens Ungdoms-UF", None, OrganisationType.UF_COMPANY, "Älvdalen", 2026),
    ("Ludvika Återbruk", None, OrganisationType.NONPROFIT, "Ludvika", 2020),
)


def _local(day: date, hour: int, minute: int = 0):
    return combine_local(day, time(hour, minute), STOCKHOLM)


def _next_weekday(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7 or 7)


def seed_demo(session: Session, password: str) -> bool:
    """Create demo users, organisations and upcoming events; False if already seeded."""
    if session.scalar(select(User).where(User.email == "admin@example.org")) is not None:
        return False

    organisations = []
    for name, number, kind, municipality, founded in ORGANISATIONS:
        organisation = Organisation(
            name=name,
            org_number=number,
            org_type=kind,
            municipality=municipality,
            year_founded=founded,
            website=None,
        )
        session.add(organisation)
        organisations.append(organisation)
    session.flush()

    def person(name, email, roles, organisation=None):
        return create_user(
            session,
            name=name,
            email=email,
            password=password,
            roles=(Role.ENTREPRENEUR, *roles),
            confirmed=True,
            organisation=organisation,
        )

    person("Anna Administratör", "admin@example.org", (Role.ORGANISER, Role.ADMIN))
    organiser = person("Olle Organisatör", "organiser@example.org", (Role.ORGANISER,))
    person("Åsa Öberg-Ängström", "entrepreneur@example.org", (), organisations[0])
    juror_names = ("Karin Lind", "Per Dahl", "Maja Berg", "Erik Sund", "Sara Holm")
    for number, name in enumerate(juror_names, start=1):
        person(name, f"juror{number}@example.org", (Role.JUROR,))
    person("Lars Panel", "panel1@example.org", (Role.PANELIST,))
    for index, organisation in enumerate(organisations[1:], start=2):
        person(f"Entreprenör {index}", f"entrepreneur{index}@example.org", (), organisation)

    today = utcnow().astimezone(STOCKHOLM).date()
    tuesday = _next_weekday(today, 1)
    events = [
        (
            EventKind.LAB,
            "Entreprenörslabb: designtänkande",
            "Dalarnas museum",
            "Falun",
            tuesday,
            13,
            16,
            12,
        ),
        (
            EventKind.LAB,
            "Entreprenörslabb: affärsutveckling",
            "Kupolen",
            "Borlänge",
            tuesday + timedelta(days=14),
            13,
            16,
            15,
        ),
        (
            EventKind.BREAKFAST,
            "Företagarfrukost i Mora",
            "Mora Parken",
            "Mora",
            tuesday + timedelta(days=2),
            7,
            9,
            None,
        ),
        (
            EventKind.BREAKFAST,
            "Företagarfrukost i Ludvika",
            "Ludvika Folkets hus",
            "Ludvika",
            tuesday + timedelta(days=9),
            7,
            9,
            40,
        ),
        (
            EventKind.BOARD,
            "Socialt affärsråd: pitcha din idé",
            "Falu Rådhus",
            "Falun",
            tuesday + timedelta(days=21),
            14,
            17,
            30,
        ),
        (
            EventKind.AWARD,
            "Gala: Årets sociala företag",
            "Dalhalla",
            "Rättvik",
            tuesday + timedelta(days=60),
            18,
            22,
            200,
        ),
    ]
    for kind, title, place, municipality, day, start, end, capacity in events:
        session.add(
            Event(
                kind=kind,
                title=title,
                place=place,
                address="",
                municipality=municipality,
                description="Välkommen! Anmäl dig i förväg, platserna är begränsade.",
                starts_at=_local(day, start),
                ends_at=_local(day, end, 30 if end == 9 else 0),
                capacity=capacity,
                organiser=organiser,
            )
        )
    session.flush()

    from eventapp.awards.demo import seed_awards

    seed_awards(session, organiser)

    from eventapp.labs.demo import seed_labs

    seed_labs(session, organiser, password)

    from eventapp.boards.demo import seed_boards

    seed_boards(session, organiser)

    from eventapp.goals.demo import seed_goals

    seed_goals(session, organiser, password)

    from eventapp.breakfasts.demo import seed_breakfasts

    seed_breakfasts(session, organiser)

    from eventapp.directory.demo import seed_directory

    seed_directory(session)
    return True
