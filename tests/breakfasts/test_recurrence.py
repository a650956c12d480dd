"""Recurrence in Stockholm wall-clock time: dates, DST answers, the horizon, generation."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from eventapp.breakfasts import services
from eventapp.breakfasts.models import BreakfastOccurrence, Frequency
from eventapp.breakfasts.services import BreakfastError, Rule
from eventapp.calendar.models import EventKind
from tests.breakfasts.helpers import details, make_network, make_series, next_weekday, today
from tests.factories import make_user


def _rule(**fields) -> Rule:
    values = {"frequency": Frequency.WEEKLY, "weekday": 6, "local_time": time(7, 30)}
    values.update(fields)
    return Rule(**values)


def test_weekly_sunday_breakfast_keeps_local_time_across_both_clock_changes():
    # 2027: summer time starts Sunday 28 March, ends Sunday 31 October.
    days = services.occurrence_dates(_rule(), date(2027, 3, 21), date(2027, 11, 7))
    starts = {day: services.local_start(day, time(7, 30)) for day in days}
    utc = {day: moment.astimezone(UTC).time() for day, moment in starts.items()}
    assert utc[date(2027, 3, 21)] == time(6, 30)  # winter: UTC+1
    assert utc[date(2027, 3, 28)] == time(5, 30)  # the spring change day: UTC+2
    assert utc[date(2027, 10, 24)] == time(5, 30)  # still summer time
    assert utc[date(2027, 10, 31)] == time(6, 30)  # the autumn change day: back to UTC+1
    assert utc[date(2027, 11, 7)] == time(6, 30)
    assert all(
        moment.astimezone(services.STOCKHOLM).time() == time(7, 30) for moment in starts.values()
    )


def test_every_other_week_counts_from_the_first_date():
    days = services.occurrence_dates(
        _rule(frequency=Frequency.BIWEEKLY, weekday=2), date(2027, 1, 1), date(2027, 2, 28)
    )
    assert days == [date(2027, 1, 6), date(2027, 1, 20), date(2027, 2, 3), date(2027, 2, 17)]


def test_first_tuesday_and_last_thursday():
    first_tuesday = _rule(frequency=Frequency.MONTHLY, weekday=1, week_of_month=1)
    assert services.occurrence_dates(first_tuesday, date(2027, 1, 1), date(2027, 4, 30)) == [
        date(2027, 1, 5),
        date(2027, 2, 2),
        date(2027, 3, 2),
        date(2027, 4, 6),
    ]
    last_thursday = _rule(frequency=Frequency.MONTHLY, weekday=3, week_of_month=-1)
    assert services.occurrence_dates(last_thursday, date(2027, 1, 1), date(2027, 4, 30)) == [
        date(2027, 1, 28),
        date(2027, 2, 25),
        date(2027, 3, 25),
        date(2027, 4, 29),
    ]


@pytest.mark.parametrize(
    ("day", "clock", "word"),
    [(date(2027, 3, 28), time(2, 30), "fram"), (date(2027, 10, 31), time(2, 30), "tillbaka")],
)
def test_times_in_the_gap_or_overlap_are_refused_with_a_message(app, day, clock, word):
    with pytest.raises(BreakfastError) as caught:
        services.local_start(day, clock)
    assert word in str(caught.value.message)  # Swedish is the default language
    assert "02:30" in str(caught.value.message)


def test_series_with_a_sunday_0230_start_is_refused_when_a_clock_change_falls_in_it(session):
    organiser = make_user(session, "organiser")
    network = make_network(session)
    first = date(today().year + 1, 3, 1)
    with pytest.raises(BreakfastError):
        services.create_series(
            session,
            details(network, weekday=6, local_time=time(2, 30), start_date=first),
            organiser,
        )


def test_generation_is_bounded_by_the_horizon_and_idempotent(session):
    organiser = make_user(session, "organiser")
    network = make_network(session)
    series = services.create_series(
        session, details(network, end_date=None), organiser, horizon_months=3
    )
    count = len(series.occurrences)
    limit = services.horizon_end(today(), 3)
    assert 12 <= count <= 14  # about 13 weeks
    assert all(o.original_date <= limit for o in series.occurrences)
    assert all(o.event.kind == EventKind.BREAKFAST for o in series.occurrences)
    assert services.extend_all_series(session, horizon_months=3) == 0
    created = services.extend_all_series(session, horizon_months=6)
    assert created >= 12
    assert services.extend_all_series(session, horizon_months=6) == 0
    total = session.scalar(
        select(func.count(BreakfastOccurrence.id)).where(BreakfastOccurrence.series_id == series.id)
    )
    assert total == count + created
    # However large the configured horizon, expansion stops at the maximum.
    services.extend_all_series(session, horizon_months=10_000)
    last = session.scalar(
        select(func.max(BreakfastOccurrence.original_date)).where(
            BreakfastOccurrence.series_id == series.id
        )
    )
    assert last <= services.horizon_end(today(), services.HORIZON_MONTHS_MAX)


def test_extend_command_runs_twice_without_duplicates(app, session, runner):
    organiser = make_user(session, "organiser")
    make_series(session, organiser, end_date=None)
    app.config["BREAKFAST_HORIZON_MONTHS"] = 2
    first = runner.invoke(args=["breakfasts", "extend"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["breakfasts", "extend"])
    assert second.exit_code == 0
    assert second.output.strip().endswith(" 0.")


def test_start_in_the_past_and_a_rule_without_dates_are_refused(session):
    organiser = make_user(session, "organiser")
    network = make_network(session)
    with pytest.raises(BreakfastError):
        services.create_series(
            session, details(network, start_date=today() - timedelta(days=1)), organiser
        )
    start = next_weekday(today(), 1)
    with pytest.raises(BreakfastError):
        services.create_series(
            session,
            details(network, start_date=start, end_date=start + timedelta(days=2), weekday=5),
            organiser,
        )


def test_occurrences_are_ordinary_events_with_their_own_uid_and_utc_times(session):
    organiser = make_user(session, "organiser")
    series = make_series(session, organiser)
    uids = {o.event.uid for o in series.occurrences}
    assert len(uids) == len(series.occurrences) == 6
    for occurrence in series.occurrences:
        local = occurrence.event.starts_at.astimezone(services.STOCKHOLM)
        assert local.date() == occurrence.original_date
        assert local.time() == time(7, 30)
        assert occurrence.event.starts_at.utcoffset() == timedelta(0)
        assert occurrence.event.starts_at > datetime.now(UTC)
