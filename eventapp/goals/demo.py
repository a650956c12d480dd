"""Demo history for the goals dashboard: earlier years of labs, breakfasts, boards and new
social organisations, so the trends have something to show. Never run in production.

Past events are inserted directly (the services refuse past starts), each with its sign-ups
and attendance as an organiser would have marked it.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from eventapp.auth.models import Organisation, User
from eventapp.auth.services import create_user
from eventapp.awards import aggregation
from eventapp.awards.models import (
    AwardCycle,
    AwardResult,
    ConsentStatus,
    Criterion,
    Dossier,
    EligibilityStatus,
)
from eventapp.awards.results import PARAMETERS
from eventapp.awards.services import name_key
from eventapp.boards.models import (
    ApplicationStatus,
    BoardSession,
    FeedbackMode,
    PanelMember,
    PitchApplication,
    PitchFeedback,
    PitchSlot,
)
from eventapp.calendar.models import Attendance, Event, EventKind, Signup, SignupStatus
from eventapp.database import utcnow
from eventapp.i18n import STOCKHOLM, combine_local
from eventapp.labs.models import LabSeries, LabSession
from eventapp.regions import OrganisationType

MARKER = "Entreprenörslabb (tidigare år)"

# (name, type, municipality, month registered, years ago)
NEW_ORGANISATIONS = (
    ("Vansbro Vävkooperativ", OrganisationType.COOPERATIVE, "Vansbro", 3, 3),
    ("Hedemora Hjälps åt", OrganisationType.NONPROFIT, "Hedemora", 5, 3),
    ("Säters Second Hand", OrganisationType.WORK_INTEGRATION, "Säter", 9, 3),
    ("Orsa Odlar ek. för.", OrganisationType.COOPERATIVE, "Orsa", 2, 2),
    ("Gagnefs Gemenskap", OrganisationType.NONPROFIT, "Gagnef", 4, 2),
    ("Leksands Lunchlag", OrganisationType.WORK_INTEGRATION, "Leksand", 6, 2),
    ("Rättviks Reparatörer", OrganisationType.COOPERATIVE, "Rättvik", 8, 2),
    ("Smedjebackens Syateljé", OrganisationType.WORK_INTEGRATION, "Smedjebacken", 10, 2),
    ("Avesta Återbruk", OrganisationType.NONPROFIT, "Avesta", 3, 1),
    ("Malung-Sälens Fjällhjälp", OrganisationType.NONPROFIT, "Malung-Sälen", 5, 1),
    ("Älvdalens Ungdoms-UF 2", OrganisationType.UF_COMPANY, "Älvdalen", 9, 1),
    ("Mora Matlag", OrganisationType.COOPERATIVE, "Mora", 2, 0),
    ("Ludvika Läxhjälp", OrganisationType.NONPROFIT, "Ludvika", 4, 0),
)
LAB_PLACES = ("Falun", "Borlänge", "Mora", "Ludvika", "Avesta", "Leksand")
BREAKFAST_PLACES = ("Mora", "Ludvika", "Falun", "Hedemora")


def _past(day: date, today: date) -> bool:
    """Only days before yesterday: every demo event has ended."""
    return day < today - timedelta(days=1)


def _event(session: Session, kind, title, municipality, day: date, start: int, end: int, organiser):
    event = Event(
        kind=kind,
        title=title,
        description="",
        place=f"{municipality} centrum",
        address="",
        municipality=municipality,
        starts_at=combine_local(day, time(start)),
        ends_at=combine_local(day, time(end)),
        capacity=None,
        organiser=organiser,
    )
    session.add(event)
    session.flush()
    return event


def _attend(session: Session, event: Event, people, absent=(), marked: bool = True) -> None:
    # By id: User.__eq__ (Flask-Login) compares login tokens, which demo users have none of.
    absent_ids = {person.id for person in absent}
    for person in people:
        attendance = Attendance.UNMARKED
        if marked:
            attendance = Attendance.ABSENT if person.id in absent_ids else Attendance.PRESENT
        session.add(
            Signup(
                event=event,
                user=person,
                status=SignupStatus.CONFIRMED,
                created_at=event.starts_at - timedelta(days=7),
                confirmed_at=event.starts_at - timedelta(days=7),
                attendance=attendance,
                attendance_marked_at=event.ends_at if marked else None,
            )
        )
    event.seats_taken = len(people)
    session.flush()


def _people(session: Session, password: str | None, organisations) -> list[User]:
    """The labs demo's participants, given organisations and UF-founder answers."""
    people = []
    for number in range(1, 21):
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
        person.uf_founder = number % 4 == 1
        if person.organisation is None and number <= len(organisations) + 4:
            person.organisation = organisations[(number - 1) % len(organisations)]
        people.append(person)
    session.flush()
    return people


def seed_goals(session: Session, organiser: User, password: str | None = None) -> None:
    """Three earlier years (and this year so far) of activity the goals count."""
    if session.scalar(select(LabSeries.id).where(LabSeries.title == MARKER)) is not None:
        return
    today = utcnow().astimezone(STOCKHOLM).date()
    organisations = []
    for name, kind, municipality, month, years_ago in NEW_ORGANISATIONS:
        registered = combine_local(date(today.year - years_ago, month, 12), time(10))
        if registered.date() >= today:
            continue
        organisation = Organisation(
            name=name, org_type=kind, municipality=municipality, year_founded=registered.year
        )
        session.add(organisation)
        session.flush()
        organisation.created_at = registered
        organisations.append(organisation)
    session.flush()
    people = _people(session, password, organisations)

    series = LabSeries(
        title=MARKER,
        description="Labbträffar från tidigare år.",
        target_group="Sociala entreprenörer, nuvarande och tidigare UF-företagare",
        facilitator="Karin Lind",
        municipality="Falun",
        created_by=organiser,
    )
    session.add(series)
    for years_ago in (3, 2, 1, 0):
        year = today.year - years_ago
        for number in range(3 + years_ago % 2 + (1 if years_ago < 2 else 0)):
            day = date(year, 2 + number * 2, 10 + number)
            if not _past(day, today):
                continue
            place = LAB_PLACES[(number + years_ago) % len(LAB_PLACES)]
            event = _event(
                session, EventKind.LAB, f"Entreprenörslabb {place}", place, day, 13, 16, organiser
            )
            session.add(LabSession(series=series, event=event))
            group = people[number * 3 + years_ago : number * 3 + years_ago + 6 + years_ago]
            # One lab a year was never marked: its confirmed sign-ups count.
            _attend(session, event, group, absent=group[-1:], marked=number != 1)
        for number in range(6):
            day = date(year, 1 + number * 2, 5 + number)
            if not _past(day, today):
                continue
            place = BREAKFAST_PLACES[number % len(BREAKFAST_PLACES)]
            event = _event(
                session,
                EventKind.BREAKFAST,
                f"Företagarfrukost i {place}",
                place,
                day,
                7,
                9,
                organiser,
            )
            # A core of regulars comes back; a few more drop in now and then.
            regulars = people[: 8 + (3 - years_ago) * 2]
            _attend(
                session, event, regulars[: len(regulars) - number % 3] + people[15 + number % 5 :]
            )
        _board_of_year(session, organiser, people, date(year, 4, 20), today)
    for years_ago in (3, 2):
        _award_of_year(session, organiser, today.year - years_ago)
    session.flush()


def _board_of_year(session: Session, organiser: User, people, day: date, today: date) -> None:
    if not _past(day, today):
        return
    event = _event(
        session, EventKind.BOARD, "Socialt affärsråd", "Borlänge", day, 13, 16, organiser
    )
    board = BoardSession(
        event=event,
        slot_count=4,
        slot_minutes=20,
        first_slot_at=event.starts_at + timedelta(minutes=30),
        applications_close_at=event.starts_at - timedelta(days=7),
        feedback_mode=FeedbackMode.ATTRIBUTED,
        slots=[PitchSlot(position=n) for n in range(4)],
    )
    session.add(board)
    member = PanelMember(board=board, guest_name="Gunilla Gäst", guest_organisation="Dala Invest")
    session.add(member)
    session.flush()
    pitchers = [person for person in people if person.organisation is not None][day.year % 3 :][:4]
    for position, applicant in enumerate(pitchers):
        application = PitchApplication(
            board=board,
            applicant=applicant,
            organisation_name=applicant.organisation.name,
            idea="En idé om arbete för fler i Dalarna.",
            social_impact="Fler i arbete.",
            status=ApplicationStatus.CONFIRMED,
            slot_id=board.slots[position].id,
            decided_at=event.starts_at - timedelta(days=6),
            confirmed_at=event.starts_at - timedelta(days=5),
        )
        session.add(application)
        session.flush()
        wants = position < 2
        session.add(
            PitchFeedback(
                application_id=application.id,
                panel_member_id=member.id,
                strengths="Tydlig samhällsnytta.",
                advice="Räkna på kundens betalningsvilja.",
                offers="Kontakt med Almi Dalarna." if wants else "",
                follow_up_wanted=wants,
                brokered_at=event.ends_at + timedelta(days=5) if position == 0 else None,
                brokered_by=organiser if position == 0 else None,
            )
        )
    session.flush()


AWARD_FINALISTS = (
    ("Vansbro Vävkooperativ", "Vansbro", (5, 4, 5)),
    ("Säters Second Hand", "Säter", (4, 4, 3)),
    ("Hedemora Hjälps åt", "Hedemora", (3, 3, 4)),
)


def _scores_of(year: int) -> list[tuple[int, ...]]:
    """The finalists' scores, turned around each year so the winners differ."""
    scores = [scores for _name, _place, scores in AWARD_FINALISTS]
    shift = year % len(scores)
    return scores[shift:] + scores[:shift]


def _award_of_year(session: Session, organiser: User, year: int) -> None:
    """A finished award year with its result published at the gala.

    The result is computed by the award's own aggregation from a snapshot of three jurors'
    scores, so the public results page reads it like any real one.
    """
    if session.scalar(select(AwardCycle.id).where(AwardCycle.year == year)) is not None:
        return
    gala = _event(
        session,
        EventKind.AWARD,
        f"Gala: Årets sociala företag {year}",
        "Rättvik",
        date(year, 11, 20),
        18,
        22,
        organiser,
    )
    cycle = AwardCycle(
        year=year,
        title=f"Årets sociala företag {year}",
        call_text="Nominera ett socialt företag i Dalarna!",
        nominations_open_on=date(year, 3, 1),
        nominations_close_on=date(year, 4, 30),
        screening_close_on=date(year, 6, 15),
        scoring_open_on=date(year, 8, 15),
        scoring_close_on=date(year, 10, 15),
        gala_event=gala,
        created_by_id=organiser.id,
        call_published_at=combine_local(date(year, 2, 20), time(10)),
        call_published_by_id=organiser.id,
        criteria=[
            Criterion(name="Social nytta", guidance="", weight=3, position=0),
            Criterion(name="Hållbar affärsmodell", guidance="", weight=2, position=1),
        ],
    )
    session.add(cycle)
    session.flush()
    dossiers = []
    for name, municipality, _scores in AWARD_FINALISTS:
        dossier = Dossier(
            cycle=cycle,
            name=name,
            municipality=municipality,
            name_key=name_key(name, municipality),
            nomination_count=1,
            consent_status=ConsentStatus.ACCEPTED,
            eligibility_status=EligibilityStatus.ELIGIBLE,
        )
        session.add(dossier)
        dossiers.append(dossier)
    session.flush()
    criteria = [aggregation.CriterionSpec(c.id, c.name, c.weight) for c in cycle.criteria]
    snapshot = aggregation.Snapshot(
        cycle_id=cycle.id,
        jury_size=3,
        criteria=tuple(criteria),
        nominations=tuple(aggregation.NominationSpec(d.id, d.name) for d in dossiers),
        sheets=tuple(
            aggregation.Sheet(juror, dossier.id, tuple((c.id, scores[juror - 1]) for c in criteria))
            for dossier, scores in zip(dossiers, _scores_of(year), strict=True)
            for juror in (1, 2, 3)
        ),
        lot_seed=f"demo-{year}",
    )
    outcome = aggregation.aggregate(snapshot, PARAMETERS)
    published = combine_local(date(year, 11, 20), time(20))
    session.add(
        AwardResult(
            cycle=cycle,
            computed_at=combine_local(date(year, 10, 20), time(10)),
            computed_by_id=organiser.id,
            algorithm_version=outcome.algorithm_version,
            parameters=asdict(PARAMETERS),
            snapshot=aggregation.snapshot_to_json(snapshot),
            snapshot_hash=aggregation.snapshot_hash(snapshot),
            lot_seed=snapshot.lot_seed,
            outcome=aggregation.results_to_dict(outcome),
            motivation="För att de skapar arbete och gemenskap i hela kommunen.",
            named_finalist_ids=[d.id for d in dossiers],
            published_at=published,
            published_by_id=organiser.id,
        )
    )
    cycle.results_published_at, cycle.results_published_by_id = published, organiser.id
    session.flush()
