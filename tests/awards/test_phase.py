"""The phase rules at their edges, in Swedish days, including the days the clocks change."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from eventapp.awards.models import AwardCycle
from eventapp.awards.phase import Phase, cycle_phase, edges
from tests.awards.helpers import make_cycle

PUBLISHED = datetime(2026, 1, 1, tzinfo=UTC)


def timeline(open_on, close_on, screening_close_on, scoring_open_on, scoring_close_on, **extra):
    values = {
        "nominations_open_on": open_on,
        "nominations_close_on": close_on,
        "screening_close_on": screening_close_on,
        "scoring_open_on": scoring_open_on,
        "scoring_close_on": scoring_close_on,
        "call_published_at": PUBLISHED,
        "results_published_at": None,
    }
    values.update(extra)
    return SimpleNamespace(**values)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# Nominations open on the day summer time starts (29 March 2026, a 23-hour day) and close on
# the day it ends (25 October 2026, a 25-hour day).
DST_CYCLE = timeline(
    date(2026, 3, 29),
    date(2026, 10, 25),
    date(2026, 10, 31),
    date(2026, 11, 2),
    date(2026, 11, 15),
)
TICK = timedelta(microseconds=1)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # 00:00 CET on 29 March is 23:00 UTC the day before.
        (utc(2026, 3, 28, 23) - TICK, Phase.ANNOUNCED),
        (utc(2026, 3, 28, 23), Phase.NOMINATING),
        # The window ends at 00:00 CET on 26 October, 23:00 UTC on the 25th (not 22:00).
        (utc(2026, 10, 25, 22, 30), Phase.NOMINATING),
        (utc(2026, 10, 25, 23) - TICK, Phase.NOMINATING),
        (utc(2026, 10, 25, 23), Phase.SCREENING),
        # Screening ends at the end of 31 October (CET): 23:00 UTC.
        (utc(2026, 10, 31, 23) - TICK, Phase.SCREENING),
        (utc(2026, 10, 31, 23), Phase.JURY_PREPARATION),
        (utc(2026, 11, 1, 23), Phase.SCORING),
        (utc(2026, 11, 15, 23) - TICK, Phase.SCORING),
        (utc(2026, 11, 15, 23), Phase.DELIBERATION),
    ],
)
def test_phase_edges_follow_stockholm_days(moment, expected):
    assert cycle_phase(DST_CYCLE, moment) == expected


def test_summer_edges_are_at_2200_utc():
    cycle = timeline(
        date(2026, 6, 1),
        date(2026, 6, 30),
        date(2026, 7, 10),
        date(2026, 8, 1),
        date(2026, 8, 20),
    )
    assert edges(cycle).nominations_open == utc(2026, 5, 31, 22)
    assert cycle_phase(cycle, utc(2026, 6, 30, 22) - TICK) == Phase.NOMINATING
    assert cycle_phase(cycle, utc(2026, 6, 30, 22)) == Phase.SCREENING


def test_a_day_lasts_23_and_25_hours_when_the_clocks_change():
    spring = timeline(
        date(2026, 3, 29),
        date(2026, 3, 29),
        date(2026, 4, 1),
        date(2026, 4, 2),
        date(2026, 4, 3),
    )
    at = edges(spring)
    assert at.nominations_close - at.nominations_open == timedelta(hours=23)
    autumn = timeline(
        date(2026, 10, 25),
        date(2026, 10, 25),
        date(2026, 11, 1),
        date(2026, 11, 2),
        date(2026, 11, 3),
    )
    at = edges(autumn)
    assert at.nominations_close - at.nominations_open == timedelta(hours=25)


def test_explicit_actions_override_the_dates():
    draft = timeline(
        date(2026, 6, 1),
        date(2026, 6, 30),
        date(2026, 7, 10),
        date(2026, 8, 1),
        date(2026, 8, 20),
        call_published_at=None,
    )
    assert cycle_phase(draft, utc(2026, 6, 15)) == Phase.DRAFT
    done = timeline(
        date(2026, 6, 1),
        date(2026, 6, 30),
        date(2026, 7, 10),
        date(2026, 8, 1),
        date(2026, 8, 20),
        results_published_at=utc(2026, 8, 25),
    )
    assert cycle_phase(done, utc(2026, 8, 26)) == Phase.PUBLISHED


def test_naive_time_is_refused():
    with pytest.raises(ValueError):
        cycle_phase(DST_CYCLE, datetime(2026, 6, 1))


def test_phase_of_a_stored_cycle(session):
    cycle = make_cycle(session, open_on=date(2026, 3, 29))
    session.expire_all()
    stored = session.get(AwardCycle, cycle.id)
    assert cycle_phase(stored, utc(2026, 3, 28, 23)) == Phase.NOMINATING
    assert cycle_phase(stored, utc(2026, 3, 28, 23) - TICK) == Phase.ANNOUNCED


def test_timeline_order_is_a_database_constraint(session):
    from sqlalchemy.exc import IntegrityError

    cycle = make_cycle(session)
    cycle.screening_close_on = cycle.nominations_close_on
    with pytest.raises(IntegrityError), session.begin_nested():
        session.flush()
