"""The award cycle's phase, derived from its Swedish calendar days and organiser actions.

Nothing stores the phase: ``cycle_phase`` computes it from the dates, so a cycle never
gets stuck in a phase because a job did not run. Each day is a Europe/Stockholm day from
local midnight to local midnight (23 or 25 hours long on the days the clocks change).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

STOCKHOLM = ZoneInfo("Europe/Stockholm")


class Phase(StrEnum):
    DRAFT = "draft"  # the call is not published; only organisers see the cycle
    ANNOUNCED = "announced"  # published, nominations not open yet
    NOMINATING = "nominating"
    SCREENING = "screening"
    # Between screening and scoring: jurors declare conflicts (part 2); no new screening.
    JURY_PREPARATION = "jury_preparation"
    SCORING = "scoring"
    DELIBERATION = "deliberation"  # scoring closed, results not published
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return str(PHASE_LABELS[self])


PHASE_LABELS = {
    Phase.DRAFT: _l("Draft"),
    Phase.ANNOUNCED: _l("Announced"),
    Phase.NOMINATING: _l("Open for nominations"),
    Phase.SCREENING: _l("Screening"),
    Phase.JURY_PREPARATION: _l("Jury preparation"),
    Phase.SCORING: _l("Jury scoring"),
    Phase.DELIBERATION: _l("Scoring closed"),
    Phase.PUBLISHED: _l("Results published"),
}


class CycleTimeline(Protocol):
    nominations_open_on: date
    nominations_close_on: date
    screening_close_on: date
    scoring_open_on: date
    scoring_close_on: date
    call_published_at: datetime | None
    results_published_at: datetime | None
    # An organiser may close scoring early (everyone is done); None means "by the date".
    scoring_closed_at: datetime | None


def start_of_day(day: date) -> datetime:
    """Local midnight of ``day`` in Stockholm (midnight always exists there), in UTC.

    Returned in UTC because Python compares and subtracts two times of the same zone by
    wall clock, which is an hour off across a change to or from summer time.
    """
    return datetime.combine(day, time(0), tzinfo=STOCKHOLM).astimezone(UTC)


def end_of_day(day: date) -> datetime:
    """The first instant after ``day`` in Stockholm."""
    return start_of_day(day + timedelta(days=1))


@dataclass(frozen=True)
class Edges:
    """The instants at which the phases change."""

    nominations_open: datetime
    nominations_close: datetime
    screening_close: datetime
    scoring_open: datetime
    scoring_close: datetime


def edges(cycle: CycleTimeline) -> Edges:
    return Edges(
        nominations_open=start_of_day(cycle.nominations_open_on),
        nominations_close=end_of_day(cycle.nominations_close_on),
        screening_close=end_of_day(cycle.screening_close_on),
        scoring_open=start_of_day(cycle.scoring_open_on),
        scoring_close=end_of_day(cycle.scoring_close_on),
    )


def cycle_phase(cycle: CycleTimeline, now: datetime) -> Phase:
    """Return the phase of ``cycle`` at the aware instant ``now``."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("naive datetime refused; attach a time zone")
    if cycle.call_published_at is None:
        return Phase.DRAFT
    if cycle.results_published_at is not None:
        return Phase.PUBLISHED
    at = edges(cycle)
    if now < at.nominations_open:
        return Phase.ANNOUNCED
    if now < at.nominations_close:
        return Phase.NOMINATING
    if now < at.screening_close:
        return Phase.SCREENING
    if now < at.scoring_open:
        return Phase.JURY_PREPARATION
    closed_early = getattr(cycle, "scoring_closed_at", None)
    if now < at.scoring_close and (closed_early is None or now < closed_early):
        return Phase.SCORING
    return Phase.DELIBERATION


# What each action allows; services check these on the server.
CRITERIA_EDITABLE = frozenset({Phase.DRAFT, Phase.ANNOUNCED})
NOMINATION_OPEN = frozenset({Phase.NOMINATING})
SCREENING_OPEN = frozenset({Phase.NOMINATING, Phase.SCREENING})
# Redaction is for text the jury has not read yet.
REDACTION_OPEN = frozenset({Phase.NOMINATING, Phase.SCREENING, Phase.JURY_PREPARATION})
CONSENT_ACCEPT_OPEN = frozenset({Phase.NOMINATING, Phase.SCREENING, Phase.JURY_PREPARATION})
# Jurors keep their conflict register and declare until scoring closes.
DECLARATION_OPEN = frozenset({Phase.JURY_PREPARATION, Phase.SCORING})
# The jury is appointed before scoring; reserves can still be brought in while it runs.
JURY_APPOINTMENT_OPEN = frozenset(
    {Phase.NOMINATING, Phase.SCREENING, Phase.JURY_PREPARATION, Phase.SCORING}
)
SCORING_OPEN = frozenset({Phase.SCORING})
RESULTS_OPEN = frozenset({Phase.DELIBERATION})
# A nominee may withdraw until the results are out.
CONSENT_DECLINE_OPEN = CONSENT_ACCEPT_OPEN | {Phase.SCORING, Phase.DELIBERATION}
