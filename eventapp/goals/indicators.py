"""The region's measurable goals as figures: one plain function per indicator.

Every function takes the session and a ``Period`` (whole calendar years in Europe/Stockholm)
and returns a frozen dataclass. Counting happens in SQL with GROUP BY; the number of
statements depends on the number of years in the period, never on the number of rows, so the
dashboard stays fast as the data grows (tests/goals/test_statement_count.py).

Decisions where the action plan is silent (also shown on the dashboard):

- An event is *held* when it is not cancelled and has ended; it belongs to the year (in
  Stockholm time) in which it started.
- A person *took part* in a held event when their confirmed sign-up is marked present. When
  attendance was never marked for an event (no sign-up of that event is marked at all),
  its confirmed sign-ups count instead: small events are often not marked, and leaving them
  out would undercount. Once anyone at an event is marked, only those marked present count.
- Deleted (anonymised) accounts and walk-in guests count like everyone else: they took part.
- Breakfasts are the exception: the breakfast area's ``repeat_attendance`` owns that rule
  (marked present only), and this module only asks it, once per year.
- Participation by municipality is shown twice: where the events took place, and where the
  participants' organisations are (people without an organisation are "not given").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import and_, case, distinct, func, literal_column, or_, select
from sqlalchemy.orm import Session, aliased

from eventapp.auth.models import Organisation, User, social_organisation_condition
from eventapp.awards.models import AwardCycle, AwardResult, Dossier
from eventapp.boards.models import (
    SLOTTED,
    BoardSession,
    PitchApplication,
    PitchFeedback,
)
from eventapp.breakfasts.reports import (
    DEFAULT_MIN_COUNT,
    REPEAT_ATTENDANCE_GOAL,
    repeat_attendance,
)
from eventapp.calendar.models import (
    Attendance,
    Event,
    EventKind,
    EventStatus,
    Signup,
    SignupStatus,
)
from eventapp.database import utcnow
from eventapp.i18n import combine_local
from eventapp.regions import MUNICIPALITIES, OUTSIDE_DALARNA, OrganisationType

FIRST_YEAR = 2000
LAST_YEAR = 2100
# A longer period would make the breakfast trend one statement per year for many years.
YEAR_SPAN_MAX = 15
DEFAULT_YEARS = 5

AWARDS_PER_YEAR_TARGET = 1
NEW_SOCIAL_ORGANISATIONS_TARGET = 4


def year_start(year: int) -> datetime:
    """Midnight on 1 January of ``year`` in Stockholm, as UTC."""
    return combine_local(date(year, 1, 1), time(0)).astimezone(UTC)


@dataclass(frozen=True)
class Period:
    """Whole calendar years ``first_year`` to ``last_year``, both included."""

    first_year: int
    last_year: int

    def __post_init__(self) -> None:
        if not FIRST_YEAR <= self.first_year <= self.last_year <= LAST_YEAR:
            raise ValueError(f"bad period {self.first_year}-{self.last_year}")
        if self.last_year - self.first_year + 1 > YEAR_SPAN_MAX:
            raise ValueError(f"period longer than {YEAR_SPAN_MAX} years")

    @classmethod
    def default(cls, today: date) -> Period:
        """The last five years up to and including this one."""
        return cls(today.year - DEFAULT_YEARS + 1, today.year)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.first_year, self.last_year + 1))

    @property
    def starts_at(self) -> datetime:
        return year_start(self.first_year)

    @property
    def ends_at(self) -> datetime:
        """The first moment after the period (exclusive)."""
        return year_start(self.last_year + 1)

    def contains(self, column) -> Any:
        return and_(column >= self.starts_at, column < self.ends_at)

    def year_of(self, column) -> Any:
        """SQL: the Stockholm calendar year of a UTC timestamp inside the period.

        A CASE over the year boundaries rather than a date function, because SQLite has no
        time zones and the boundaries move with daylight saving time.
        """
        whens = [(column < year_start(year + 1), literal_column(str(year))) for year in self.years]
        return case(*whens)


@dataclass(frozen=True)
class YearFigure:
    year: int
    value: int
    target: int | None = None

    @property
    def label(self) -> str:
        return str(self.year)

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.value >= self.target


def _per_year(period: Period, counts: dict[int, int], target: int | None) -> tuple[YearFigure, ...]:
    return tuple(YearFigure(year, int(counts.get(year) or 0), target) for year in period.years)


def held_events(period: Period, now: datetime) -> Any:
    """SQL condition: the event started in the period, was not cancelled and has ended."""
    return and_(
        Event.status != EventStatus.CANCELLED,
        Event.ends_at <= now,
        period.contains(Event.starts_at),
    )


def took_part() -> Any:
    """SQL condition on ``Signup``: the person took part (see the module docstring)."""
    marked = aliased(Signup)
    events_with_marked_attendance = select(marked.event_id).where(
        marked.attendance != Attendance.UNMARKED
    )
    return and_(
        Signup.status == SignupStatus.CONFIRMED,
        or_(
            Signup.attendance == Attendance.PRESENT,
            and_(
                Signup.attendance == Attendance.UNMARKED,
                Signup.event_id.not_in(events_with_marked_attendance),
            ),
        ),
    )


# --- 1. entrepreneurship labs -----------------------------------------------------------------


@dataclass(frozen=True)
class LabRow:
    starts_at: datetime
    title: str
    municipality: str | None
    participants: int
    uf_founders: int


@dataclass(frozen=True)
class LabIndicator:
    labs: tuple[YearFigure, ...]
    participants: tuple[YearFigure, ...]
    uf_founders: tuple[YearFigure, ...]
    # Distinct over the whole period: a person at labs in two years counts once here.
    labs_total: int
    participants_total: int
    uf_founders_total: int
    rows: tuple[LabRow, ...]


def lab_indicator(session: Session, period: Period, *, now: datetime | None = None) -> LabIndicator:
    """Labs held per year, their distinct participants and how many are UF founders."""
    now = now or utcnow()
    is_lab = and_(Event.kind == EventKind.LAB, held_events(period, now))

    held = select(period.year_of(Event.starts_at).label("year"), Event.id).where(is_lab).subquery()
    labs = dict(session.execute(select(held.c.year, func.count()).group_by(held.c.year)).all())

    attended = (
        select(
            period.year_of(Event.starts_at).label("year"),
            Signup.user_id,
            User.uf_founder,
        )
        .join(Event, Event.id == Signup.event_id)
        .join(User, User.id == Signup.user_id)
        .where(is_lab, took_part())
        .subquery()
    )
    uf_user = case((attended.c.uf_founder.is_(True), attended.c.user_id))
    per_year = session.execute(
        select(
            attended.c.year,
            func.count(distinct(attended.c.user_id)),
            func.count(distinct(uf_user)),
        ).group_by(attended.c.year)
    ).all()
    totals = session.execute(
        select(func.count(distinct(attended.c.user_id)), func.count(distinct(uf_user)))
    ).one()

    present = aliased(User)
    rows = session.execute(
        select(
            Event.starts_at,
            Event.title,
            Event.municipality,
            func.count(Signup.id),
            func.count(case((present.uf_founder.is_(True), Signup.id))),
        )
        .select_from(Event)
        .outerjoin(Signup, and_(Signup.event_id == Event.id, took_part()))
        .outerjoin(present, present.id == Signup.user_id)
        .where(is_lab)
        .group_by(Event.id, Event.starts_at, Event.title, Event.municipality)
        .order_by(Event.starts_at, Event.id)
    ).all()
    return LabIndicator(
        labs=_per_year(period, labs, None),
        participants=_per_year(period, {row[0]: row[1] for row in per_year}, None),
        uf_founders=_per_year(period, {row[0]: row[2] for row in per_year}, None),
        labs_total=sum(labs.values()),
        participants_total=totals[0],
        uf_founders_total=totals[1],
        rows=tuple(LabRow(*row) for row in rows),
    )


# --- 2. social entrepreneurs at breakfasts, repeatedly ---------------------------------------


@dataclass(frozen=True)
class BreakfastRow:
    year: int
    name: str
    organisation_name: str | None
    municipality: str | None
    attended: int


@dataclass(frozen=True)
class BreakfastIndicator:
    repeat_social_entrepreneurs: tuple[YearFigure, ...]
    breakfasts_held: tuple[YearFigure, ...]
    min_count: int
    target: int
    rows: tuple[BreakfastRow, ...]


def breakfast_indicator(
    session: Session, period: Period, *, now: datetime | None = None
) -> BreakfastIndicator:
    """Social entrepreneurs who came to at least ``min_count`` breakfasts, year by year.

    The breakfast area owns the rule (``repeat_attendance``: marked present only, the shared
    social definition); this asks it once per year of the period, so the statement count
    grows with the years asked for (three per year), never with the data.
    """
    now = now or utcnow()
    repeat: dict[int, int] = {}
    held: dict[int, int] = {}
    rows: list[BreakfastRow] = []
    for year in period.years:
        report = repeat_attendance(session, start=date(year, 1, 1), end=date(year, 12, 31), now=now)
        repeat[year] = len(report.repeat_social_entrepreneurs)
        held[year] = report.breakfasts_held
        rows.extend(
            BreakfastRow(
                year,
                person.name,
                person.organisation_name,
                person.municipality,
                person.attended,
            )
            for person in report.repeat_social_entrepreneurs
        )
    return BreakfastIndicator(
        repeat_social_entrepreneurs=_per_year(period, repeat, REPEAT_ATTENDANCE_GOAL),
        breakfasts_held=_per_year(period, held, None),
        min_count=DEFAULT_MIN_COUNT,
        target=REPEAT_ATTENDANCE_GOAL,
        rows=tuple(rows),
    )


# --- 3. the award, given each year ------------------------------------------------------------


@dataclass(frozen=True)
class AwardRow:
    year: int
    title: str
    winner: str | None
    published_at: datetime | None


@dataclass(frozen=True)
class AwardIndicator:
    given: tuple[YearFigure, ...]
    rows: tuple[AwardRow, ...]


def award_indicator(session: Session, period: Period) -> AwardIndicator:
    """Award cycles of the period and whether a winner was published (target: every year)."""
    # The published result stores the winning dossier's id in its outcome (winner_id).
    winner_id = AwardResult.outcome["winner_id"].as_integer()
    rows = session.execute(
        select(AwardCycle.year, AwardCycle.title, Dossier.name, AwardResult.published_at)
        .outerjoin(
            AwardResult,
            and_(AwardResult.cycle_id == AwardCycle.id, AwardResult.published_at.is_not(None)),
        )
        .outerjoin(Dossier, Dossier.id == winner_id)
        .where(AwardCycle.year.between(period.first_year, period.last_year))
        .order_by(AwardCycle.year)
    ).all()
    given = {row.year: 1 for row in rows if row.published_at is not None}
    return AwardIndicator(
        given=_per_year(period, given, AWARDS_PER_YEAR_TARGET),
        rows=tuple(AwardRow(*row) for row in rows),
    )


# --- 4. new social enterprises and initiatives ------------------------------------------------


@dataclass(frozen=True)
class OrganisationRow:
    created_at: datetime
    name: str
    org_type: OrganisationType
    municipality: str | None
    marked_social_enterprise: bool


@dataclass(frozen=True)
class OrganisationIndicator:
    registered: tuple[YearFigure, ...]
    rows: tuple[OrganisationRow, ...]


def organisation_indicator(session: Session, period: Period) -> OrganisationIndicator:
    """Social organisations registered in each year (the one shared definition)."""
    condition = and_(social_organisation_condition(), period.contains(Organisation.created_at))
    created = (
        select(period.year_of(Organisation.created_at).label("year"), Organisation.id)
        .where(condition)
        .subquery()
    )
    counts = dict(
        session.execute(select(created.c.year, func.count()).group_by(created.c.year)).all()
    )
    rows = session.execute(
        select(
            Organisation.created_at,
            Organisation.name,
            Organisation.org_type,
            Organisation.municipality,
            Organisation.marked_social_enterprise,
        )
        .where(condition)
        .order_by(Organisation.created_at, Organisation.id)
    ).all()
    return OrganisationIndicator(
        registered=_per_year(period, counts, NEW_SOCIAL_ORGANISATIONS_TARGET),
        rows=tuple(OrganisationRow(*row) for row in rows),
    )


# --- 5. social business boards: pitchers and follow-ups ---------------------------------------


@dataclass(frozen=True)
class BoardRow:
    starts_at: datetime
    title: str
    municipality: str | None
    pitchers: int
    follow_ups: int
    brokered: int


@dataclass(frozen=True)
class BoardIndicator:
    pitchers: tuple[YearFigure, ...]
    follow_ups: tuple[YearFigure, ...]
    brokered: tuple[YearFigure, ...]
    rows: tuple[BoardRow, ...]


def _needs_brokering() -> Any:
    """SQL twin of ``PitchFeedback.needs_brokering``: offers written or follow-up wanted."""
    return or_(
        PitchFeedback.follow_up_wanted.is_(True),
        func.length(func.trim(PitchFeedback.offers)) > 0,
    )


def board_indicator(
    session: Session, period: Period, *, now: datetime | None = None
) -> BoardIndicator:
    """Pitchers at boards held per year, follow-ups asked for and follow-ups brokered.

    A pitcher is an application holding a slot (accepted or confirmed) at a board that was
    held. A follow-up is a panel member's feedback with offers or a wish for follow-up; it is
    brokered when an organiser has ticked it off. Both count in the board's year.
    """
    now = now or utcnow()
    needs = _needs_brokering()
    wanted = case((needs, PitchFeedback.id))
    brokered = case((and_(needs, PitchFeedback.brokered_at.is_not(None)), PitchFeedback.id))
    base = (
        select()
        .select_from(Event)
        .join(BoardSession, BoardSession.event_id == Event.id)
        .join(
            PitchApplication,
            and_(
                PitchApplication.board_id == BoardSession.id,
                PitchApplication.status.in_(SLOTTED),
            ),
        )
        .outerjoin(PitchFeedback, PitchFeedback.application_id == PitchApplication.id)
        .where(Event.kind == EventKind.BOARD, held_events(period, now))
    )
    facts = base.add_columns(
        period.year_of(Event.starts_at).label("year"),
        PitchApplication.id.label("application_id"),
        wanted.label("wanted_id"),
        brokered.label("brokered_id"),
    ).subquery()
    per_year = session.execute(
        select(
            facts.c.year,
            func.count(distinct(facts.c.application_id)),
            func.count(distinct(facts.c.wanted_id)),
            func.count(distinct(facts.c.brokered_id)),
        ).group_by(facts.c.year)
    ).all()
    rows = session.execute(
        base.add_columns(
            Event.starts_at,
            Event.title,
            Event.municipality,
            func.count(distinct(PitchApplication.id)),
            func.count(distinct(wanted)),
            func.count(distinct(brokered)),
        )
        .group_by(Event.id, Event.starts_at, Event.title, Event.municipality)
        .order_by(Event.starts_at, Event.id)
    ).all()
    return BoardIndicator(
        pitchers=_per_year(period, {row[0]: row[1] for row in per_year}, None),
        follow_ups=_per_year(period, {row[0]: row[2] for row in per_year}, None),
        brokered=_per_year(period, {row[0]: row[3] for row in per_year}, None),
        rows=tuple(BoardRow(*row) for row in rows),
    )


# --- 6. participation by municipality and organisation type -----------------------------------

NOT_GIVEN = ""


@dataclass(frozen=True)
class MunicipalityRow:
    municipality: str  # one of MUNICIPALITIES, OUTSIDE_DALARNA, or NOT_GIVEN
    at_events_here: int  # participations at events held in the municipality
    from_here: int  # participations by people whose organisation is in it


@dataclass(frozen=True)
class OrganisationTypeRow:
    org_type: OrganisationType | None  # None: no organisation
    participations: int
    people: int


@dataclass(frozen=True)
class ParticipationIndicator:
    participations: tuple[YearFigure, ...]
    people: tuple[YearFigure, ...]
    participations_total: int
    people_total: int
    municipalities: tuple[MunicipalityRow, ...]
    organisation_types: tuple[OrganisationTypeRow, ...]


def participation_indicator(
    session: Session, period: Period, *, now: datetime | None = None
) -> ParticipationIndicator:
    """Who took part in any held event: per year, by municipality and by organisation type."""
    now = now or utcnow()
    facts = (
        select(
            period.year_of(Event.starts_at).label("year"),
            Signup.id.label("signup_id"),
            Signup.user_id,
            Event.municipality.label("event_municipality"),
            Organisation.municipality.label("organisation_municipality"),
            Organisation.org_type,
        )
        .join(Event, Event.id == Signup.event_id)
        .join(User, User.id == Signup.user_id)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(held_events(period, now), took_part())
        .subquery()
    )
    per_year = session.execute(
        select(facts.c.year, func.count(), func.count(distinct(facts.c.user_id))).group_by(
            facts.c.year
        )
    ).all()
    totals = session.execute(select(func.count(), func.count(distinct(facts.c.user_id)))).one()
    at_events = dict(
        session.execute(
            select(facts.c.event_municipality, func.count()).group_by(facts.c.event_municipality)
        ).all()
    )
    from_here = dict(
        session.execute(
            select(facts.c.organisation_municipality, func.count()).group_by(
                facts.c.organisation_municipality
            )
        ).all()
    )
    by_type = {
        row[0]: row[1:]
        for row in session.execute(
            select(facts.c.org_type, func.count(), func.count(distinct(facts.c.user_id))).group_by(
                facts.c.org_type
            )
        ).all()
    }
    places = (*MUNICIPALITIES, OUTSIDE_DALARNA, NOT_GIVEN)
    municipalities = tuple(
        MunicipalityRow(
            place,
            at_events.get(place or None, 0),
            from_here.get(place or None, 0),
        )
        for place in places
    )
    types = (*OrganisationType, None)
    organisation_types = tuple(
        OrganisationTypeRow(kind, *by_type.get(kind, (0, 0))) for kind in types
    )
    return ParticipationIndicator(
        participations=_per_year(period, {row[0]: row[1] for row in per_year}, None),
        people=_per_year(period, {row[0]: row[2] for row in per_year}, None),
        participations_total=totals[0],
        people_total=totals[1],
        municipalities=municipalities,
        organisation_types=organisation_types,
    )


# --- the whole dashboard ----------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    period: Period
    labs: LabIndicator
    breakfasts: BreakfastIndicator
    award: AwardIndicator
    organisations: OrganisationIndicator
    boards: BoardIndicator
    participation: ParticipationIndicator


def dashboard(session: Session, period: Period, *, now: datetime | None = None) -> Dashboard:
    """Every indicator for one period."""
    now = now or utcnow()
    return Dashboard(
        period=period,
        labs=lab_indicator(session, period, now=now),
        breakfasts=breakfast_indicator(session, period, now=now),
        award=award_indicator(session, period),
        organisations=organisation_indicator(session, period),
        boards=board_indicator(session, period, now=now),
        participation=participation_indicator(session, period, now=now),
    )


# What one CSV export computes: the indicator of its section only.
INDICATORS = {
    "labs": lambda session, period, now: lab_indicator(session, period, now=now),
    "breakfasts": lambda session, period, now: breakfast_indicator(session, period, now=now),
    "award": lambda session, period, now: award_indicator(session, period),
    "organisations": lambda session, period, now: organisation_indicator(session, period),
    "boards": lambda session, period, now: board_indicator(session, period, now=now),
    "participation": lambda session, period, now: participation_indicator(session, period, now=now),
}
