"""The dashboard's words around the figures: one section per goal, with charts and tables.

Pure functions from the indicators' dataclasses to what the page and the CSV files show, so
the table on the page and the CSV export are the same rows and cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from eventapp.auth.models import SOCIAL_ENTREPRENEUR_DEFINITION
from eventapp.goals import indicators as ind
from eventapp.i18n import to_local
from eventapp.regions import municipality_label

Cell = str | int


@dataclass(frozen=True)
class Table:
    name: str  # in the CSV address
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    # Columns holding numbers (right-aligned on the page).
    numeric: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    label_heading: str
    value_heading: str
    bars: tuple[tuple[str, int], ...]
    target: int | None = None


@dataclass(frozen=True)
class Figure:
    """The current figure: the value of the period's last year, beside its target."""

    label: str
    value: int
    year: int
    target: int | None = None
    in_progress: bool = False  # the year is not over yet

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.value >= self.target

    @property
    def status(self) -> str:
        if self.target is None:
            return _("No target set in the action plan")
        if self.met:
            return _("Target met")
        return _("Target not met yet") if self.in_progress else _("Target not met")


@dataclass(frozen=True)
class Section:
    name: str
    title: str
    definition: tuple[str, ...]  # paragraphs
    figures: tuple[Figure, ...]
    charts: tuple[Chart, ...]
    tables: tuple[Table, ...]  # "years" first, then the drill-down lists

    def table(self, name: str) -> Table | None:
        return next((table for table in self.tables if table.name == name), None)


def _day(moment: datetime | None) -> str:
    return f"{to_local(moment):%Y-%m-%d}" if moment is not None else ""


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def _current(label: str, figures: tuple[ind.YearFigure, ...], today: date) -> Figure:
    last = figures[-1]
    return Figure(label, last.value, last.year, last.target, in_progress=last.year >= today.year)


def _bars(figures: tuple[ind.YearFigure, ...]) -> tuple[tuple[str, int], ...]:
    return tuple((figure.label, figure.value) for figure in figures)


def _years_table(
    columns: tuple[tuple[str, tuple[ind.YearFigure, ...]], ...], target: int | None = None
) -> Table:
    """Year by year: one column per series, and whether the first series met its target."""
    header = (_("Year"), *(heading for heading, _figures in columns))
    first = columns[0][1]
    rows = []
    for index, figure in enumerate(first):
        row: list[Cell] = [figure.year, *(series[index].value for _h, series in columns)]
        rows.append(row)
    if target is not None:
        header = (*header, _("Target"), _("Target met"))
        for row, figure in zip(rows, first, strict=True):
            row.extend([target, _yes_no(figure.met)])
    numeric = frozenset(range(1, len(columns) + 1 + (1 if target is not None else 0)))
    return Table("years", _("Year by year"), header, tuple(map(tuple, rows)), numeric)


def _chart(
    id: str, title: str, description: str, value_heading: str, figures, target=None
) -> Chart:
    return Chart(id, title, description, _("Year"), value_heading, _bars(figures), target)


def lab_section(labs: ind.LabIndicator, today: date) -> Section:
    years = f"{labs.labs[0].year}–{labs.labs[-1].year}"
    return Section(
        name="labs",
        title=_("Entrepreneurship labs and their participants"),
        definition=(
            _(
                "Labs held: events of the kind entrepreneurship lab that were not cancelled "
                "and have ended, counted in the year they started (Swedish time)."
            ),
            _(
                "Participants: different people who took part, that is whose confirmed "
                "sign-up is marked present. When attendance was never marked for a lab, its "
                "confirmed sign-ups count instead. Deleted accounts and guests still count."
            ),
            _(
                "UF founders: participants who say in their profile that they run or have "
                "run a UF company."
            ),
            _(
                "In the whole period: %(labs)d labs, %(people)d different participants, of "
                "whom %(founders)d UF founders.",
                labs=labs.labs_total,
                people=labs.participants_total,
                founders=labs.uf_founders_total,
            ),
        ),
        figures=(
            _current(_("Labs held"), labs.labs, today),
            _current(_("Participants"), labs.participants, today),
            _current(_("Of whom UF founders"), labs.uf_founders, today),
        ),
        charts=(
            _chart(
                "chart-labs",
                _("Labs held per year"),
                _("Number of entrepreneurship labs held each year, %(years)s.", years=years),
                _("Labs held"),
                labs.labs,
            ),
            _chart(
                "chart-lab-participants",
                _("Lab participants per year"),
                _("Different people who took part in labs each year, %(years)s.", years=years),
                _("Participants"),
                labs.participants,
            ),
            _chart(
                "chart-lab-uf",
                _("UF founders at labs per year"),
                _(
                    "Lab participants each year who run or have run a UF company, %(years)s.",
                    years=years,
                ),
                _("UF founders"),
                labs.uf_founders,
            ),
        ),
        tables=(
            _years_table(
                (
                    (_("Labs held"), labs.labs),
                    (_("Participants"), labs.participants),
                    (_("UF founders"), labs.uf_founders),
                )
            ),
            Table(
                "list",
                _("Labs held in the period"),
                (_("Date"), _("Lab"), _("Municipality"), _("Participants"), _("UF founders")),
                tuple(
                    (
                        _day(row.starts_at),
                        row.title,
                        municipality_label(row.municipality),
                        row.participants,
                        row.uf_founders,
                    )
                    for row in labs.rows
                ),
                frozenset({3, 4}),
            ),
        ),
    )


def breakfast_section(breakfasts: ind.BreakfastIndicator, today: date) -> Section:
    figures = breakfasts.repeat_social_entrepreneurs
    years = f"{figures[0].year}–{figures[-1].year}"
    return Section(
        name="breakfasts",
        title=_("Social entrepreneurs at breakfast meetings, again and again"),
        definition=(
            str(SOCIAL_ENTREPRENEUR_DEFINITION),
            _(
                "Counted: social entrepreneurs who took part in at least %(count)d breakfast "
                "meetings held in the same calendar year. Target: %(target)d a year.",
                count=breakfasts.min_count,
                target=breakfasts.target,
            ),
        ),
        figures=(_current(_("Returning social entrepreneurs"), figures, today),),
        charts=(
            _chart(
                "chart-breakfasts",
                _("Returning social entrepreneurs per year"),
                _(
                    "Social entrepreneurs at %(count)d or more breakfast meetings each year, "
                    "%(years)s, against the target of %(target)d.",
                    count=breakfasts.min_count,
                    years=years,
                    target=breakfasts.target,
                ),
                _("Returning social entrepreneurs"),
                figures,
                breakfasts.target,
            ),
            _chart(
                "chart-breakfasts-held",
                _("Breakfast meetings held per year"),
                _("Number of breakfast meetings held each year, %(years)s.", years=years),
                _("Breakfast meetings"),
                breakfasts.breakfasts_held,
            ),
        ),
        tables=(
            _years_table(
                (
                    (_("Returning social entrepreneurs"), figures),
                    (_("Breakfast meetings held"), breakfasts.breakfasts_held),
                ),
                breakfasts.target,
            ),
            Table(
                "list",
                _("Returning social entrepreneurs"),
                (
                    _("Year"),
                    _("Name"),
                    _("Organisation"),
                    _("Municipality"),
                    _("Breakfasts attended"),
                ),
                tuple(
                    (
                        row.year,
                        row.name,
                        row.organisation_name or "",
                        municipality_label(row.municipality),
                        row.attended,
                    )
                    for row in breakfasts.rows
                ),
                frozenset({4}),
            ),
        ),
    )


def award_section(award: ind.AwardIndicator, today: date) -> Section:
    years = f"{award.given[0].year}–{award.given[-1].year}"
    return Section(
        name="award",
        title=_("Social Enterprise of the Year, awarded every year"),
        definition=(
            _(
                "Counted: an award year whose winner has been published. Target: the award "
                "is given at least once a year."
            ),
        ),
        figures=(_current(_("Awards given"), award.given, today),),
        charts=(
            _chart(
                "chart-award",
                _("Awards given per year"),
                _(
                    "1 when the winner of the year was published, 0 when not, %(years)s.",
                    years=years,
                ),
                _("Awards given"),
                award.given,
                ind.AWARDS_PER_YEAR_TARGET,
            ),
        ),
        tables=(
            _years_table(((_("Awards given"), award.given),), ind.AWARDS_PER_YEAR_TARGET),
            Table(
                "list",
                _("Award years in the period"),
                (_("Year"), _("Award"), _("Winner"), _("Published")),
                tuple(
                    (
                        row.year,
                        row.title,
                        row.winner or ("" if row.published_at is None else _("(name removed)")),
                        _day(row.published_at) or _("Not published"),
                    )
                    for row in award.rows
                ),
            ),
        ),
    )


def organisation_section(organisations: ind.OrganisationIndicator, today: date) -> Section:
    figures = organisations.registered
    years = f"{figures[0].year}–{figures[-1].year}"
    target = ind.NEW_SOCIAL_ORGANISATIONS_TARGET
    return Section(
        name="organisations",
        title=_("New social enterprises and initiatives"),
        definition=(
            str(SOCIAL_ENTREPRENEUR_DEFINITION),
            _(
                "Counted: organisations of that kind registered in the year (Swedish time). "
                "Target: at least %(target)d a year.",
                target=target,
            ),
        ),
        figures=(_current(_("New social organisations"), figures, today),),
        charts=(
            _chart(
                "chart-organisations",
                _("New social organisations per year"),
                _(
                    "Social enterprises and initiatives registered each year, %(years)s, "
                    "against the target of %(target)d.",
                    years=years,
                    target=target,
                ),
                _("New social organisations"),
                figures,
                target,
            ),
        ),
        tables=(
            _years_table(((_("New social organisations"), figures),), target),
            Table(
                "list",
                _("Social organisations registered in the period"),
                (
                    _("Registered"),
                    _("Organisation"),
                    _("Type of organisation"),
                    _("Municipality"),
                    _("Marked by an organiser"),
                ),
                tuple(
                    (
                        _day(row.created_at),
                        row.name,
                        row.org_type.label,
                        municipality_label(row.municipality),
                        _yes_no(row.marked_social_enterprise),
                    )
                    for row in organisations.rows
                ),
            ),
        ),
    )


def board_section(boards: ind.BoardIndicator, today: date) -> Section:
    years = f"{boards.pitchers[0].year}–{boards.pitchers[-1].year}"
    return Section(
        name="boards",
        title=_("Pitchers at social business boards and follow-ups brokered"),
        definition=(
            _(
                "Pitchers: applications that held a pitch slot (accepted or confirmed) at a "
                "board that was held, counted in the board's year."
            ),
            _(
                "Follow-ups: panel members' feedback with offers, contacts or a wish for "
                "follow-up. Brokered: those an organiser has marked as done."
            ),
        ),
        figures=(
            _current(_("Pitchers"), boards.pitchers, today),
            _current(_("Follow-ups asked for"), boards.follow_ups, today),
            _current(_("Follow-ups brokered"), boards.brokered, today),
        ),
        charts=(
            _chart(
                "chart-pitchers",
                _("Pitchers per year"),
                _("Pitches at social business boards each year, %(years)s.", years=years),
                _("Pitchers"),
                boards.pitchers,
            ),
            _chart(
                "chart-brokered",
                _("Follow-ups brokered per year"),
                _(
                    "Follow-ups from the panels that organisers brokered each year, %(years)s.",
                    years=years,
                ),
                _("Follow-ups brokered"),
                boards.brokered,
            ),
        ),
        tables=(
            _years_table(
                (
                    (_("Pitchers"), boards.pitchers),
                    (_("Follow-ups asked for"), boards.follow_ups),
                    (_("Follow-ups brokered"), boards.brokered),
                )
            ),
            Table(
                "list",
                _("Boards held in the period"),
                (
                    _("Date"),
                    _("Board"),
                    _("Municipality"),
                    _("Pitchers"),
                    _("Follow-ups asked for"),
                    _("Follow-ups brokered"),
                ),
                tuple(
                    (
                        _day(row.starts_at),
                        row.title,
                        municipality_label(row.municipality),
                        row.pitchers,
                        row.follow_ups,
                        row.brokered,
                    )
                    for row in boards.rows
                ),
                frozenset({3, 4, 5}),
            ),
        ),
    )


def _place(value: str) -> str:
    return municipality_label(value) if value else _("Not given")


def participation_section(participation: ind.ParticipationIndicator, today: date) -> Section:
    years = f"{participation.participations[0].year}–{participation.participations[-1].year}"
    municipalities = participation.municipalities
    types = participation.organisation_types
    return Section(
        name="participation",
        title=_("Participation by municipality and type of organisation"),
        definition=(
            _(
                "Participations: every time someone took part in an event of any kind that "
                "was held (labs, boards, breakfast meetings, the gala, other events). People: "
                "different people who took part."
            ),
            _(
                "By municipality: where the events took place, and where the participants' "
                "organisations are. People without an organisation count as not given."
            ),
            _(
                "In the whole period: %(count)d participations by %(people)d different people.",
                count=participation.participations_total,
                people=participation.people_total,
            ),
        ),
        figures=(
            _current(_("Participations"), participation.participations, today),
            _current(_("People"), participation.people, today),
        ),
        charts=(
            _chart(
                "chart-participations",
                _("Participations per year"),
                _("Participations in held events each year, %(years)s.", years=years),
                _("Participations"),
                participation.participations,
            ),
            Chart(
                "chart-municipalities",
                _("Participations by municipality where the events took place"),
                _(
                    "Participations in %(years)s at events in each of Dalarna's 15 "
                    "municipalities, outside Dalarna, and without a municipality.",
                    years=years,
                ),
                _("Municipality"),
                _("Participations"),
                tuple((_place(row.municipality), row.at_events_here) for row in municipalities),
            ),
            Chart(
                "chart-organisation-types",
                _("Participants by type of organisation"),
                _(
                    "Different people in %(years)s by the type of their organisation.",
                    years=years,
                ),
                _("Type of organisation"),
                _("People"),
                tuple(
                    (row.org_type.label if row.org_type else _("No organisation"), row.people)
                    for row in types
                ),
            ),
        ),
        tables=(
            _years_table(
                (
                    (_("Participations"), participation.participations),
                    (_("People"), participation.people),
                )
            ),
            Table(
                "municipalities",
                _("Participations by municipality"),
                (
                    _("Municipality"),
                    _("At events held there"),
                    _("By people from organisations there"),
                ),
                tuple(
                    (_place(row.municipality), row.at_events_here, row.from_here)
                    for row in municipalities
                ),
                frozenset({1, 2}),
            ),
            Table(
                "organisation-types",
                _("Participation by type of organisation"),
                (_("Type of organisation"), _("Participations"), _("People")),
                tuple(
                    (
                        row.org_type.label if row.org_type else _("No organisation"),
                        row.participations,
                        row.people,
                    )
                    for row in types
                ),
                frozenset({1, 2}),
            ),
        ),
    )


SECTION_BUILDERS = {
    "labs": lab_section,
    "breakfasts": breakfast_section,
    "award": award_section,
    "organisations": organisation_section,
    "boards": board_section,
    "participation": participation_section,
}


def sections(dashboard: ind.Dashboard, today: date) -> tuple[Section, ...]:
    """Every section of the dashboard, in the order of the action plan."""
    return tuple(
        builder(getattr(dashboard, name), today) for name, builder in SECTION_BUILDERS.items()
    )
