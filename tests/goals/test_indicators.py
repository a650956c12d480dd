"""Every indicator on hand-built data whose answers are worked out by hand.

Period 2023–2025; "now" is 15 January 2026 unless a test says otherwise. Year boundaries are
Swedish: 31 December 23:30 in Stockholm is still that year, 1 January 00:30 is the next one
although it is 23:30 on 31 December in UTC.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from eventapp.calendar.models import Attendance, EventKind, EventStatus, SignupStatus
from eventapp.goals import indicators
from eventapp.goals.indicators import Period
from eventapp.regions import MUNICIPALITIES, OUTSIDE_DALARNA, OrganisationType
from tests.goals.helpers import (
    board_with_pitches,
    cancelled,
    held,
    local,
    person,
    publish_award,
    sign,
    social_org,
    utc,
)

PERIOD = Period(2023, 2025)
NOW = utc(2026, 1, 15)


def values(figures):
    return {figure.year: figure.value for figure in figures}


@pytest.fixture
def people(session):
    """u1 (Falun cooperative), u2 (limited company outside Dalarna), u3 (UF founder, no
    organisation), u6 (UF founder, deleted account), u7, u8 (Mora non-profit)."""
    falun = social_org(session, utc(2020, 1, 1), name="Falu kooperativ", municipality="Falun")
    outside = social_org(
        session,
        utc(2020, 1, 1),
        name="Extern AB",
        org_type=OrganisationType.LIMITED_COMPANY,
        municipality=OUTSIDE_DALARNA,
    )
    mora = social_org(
        session,
        utc(2020, 1, 1),
        name="Gröna Mora",
        org_type=OrganisationType.NONPROFIT,
        municipality="Mora",
    )
    return {
        "u1": person(session, organisation=falun),
        "u2": person(session, organisation=outside),
        "u3": person(session, uf_founder=True),
        "u4": person(session),
        "u5": person(session),
        "u6": person(session, uf_founder=True, deleted_at=utc(2025, 3, 1), email=None),
        "u7": person(session),
        "u8": person(session, organisation=mora),
    }


@pytest.fixture
def activity(session, people):
    p = people
    lab_a = held(session, starts_at=local(2024, 3, 10), title="Labb A", municipality="Falun")
    sign(session, lab_a, p["u1"], Attendance.PRESENT)
    sign(session, lab_a, p["u2"], Attendance.ABSENT)
    sign(session, lab_a, p["u3"], Attendance.PRESENT)
    sign(session, lab_a, p["u4"], status=SignupStatus.WAITLISTED)
    sign(session, lab_a, p["u5"], status=SignupStatus.CANCELLED)
    # Never marked: its confirmed sign-ups count. 23:30 on New Year's Eve is still 2024.
    lab_b = held(
        session, starts_at=local(2024, 12, 31, 23, 30), title="Labb B", municipality="Falun"
    )
    sign(session, lab_b, p["u1"])
    sign(session, lab_b, p["u6"])
    # 00:30 on 1 January in Stockholm is 23:30 on 31 December in UTC: 2025 all the same.
    lab_c = held(
        session, starts_at=local(2025, 1, 1, 0, 30), title="Labb C", municipality="Borlänge"
    )
    sign(session, lab_c, p["u2"], Attendance.PRESENT)
    lab_d = cancelled(session, starts_at=local(2025, 5, 5), title="Labb D inställt")
    sign(session, lab_d, p["u7"])
    before = held(session, starts_at=local(2022, 12, 31, 23, 30), title="Labb före perioden")
    sign(session, before, p["u7"])
    after = held(session, starts_at=local(2026, 1, 1, 0, 0), title="Labb efter perioden")
    sign(session, after, p["u7"])
    # A breakfast: marked, so u1's unmarked sign-up does not count.
    breakfast = held(
        session, EventKind.BREAKFAST, starts_at=local(2024, 5, 2, 7), municipality="Mora"
    )
    sign(session, breakfast, p["u8"], Attendance.PRESENT)
    sign(session, breakfast, p["u1"])
    return {"lab_a": lab_a, "lab_b": lab_b, "lab_c": lab_c}


def test_labs_held_participants_and_uf_founders(session, activity):
    result = indicators.lab_indicator(session, PERIOD, now=NOW)
    assert values(result.labs) == {2023: 0, 2024: 2, 2025: 1}
    # 2024: u1 and u3 at A (u2 absent, u4 waiting, u5 cancelled); u1 and u6 at B (unmarked).
    assert values(result.participants) == {2023: 0, 2024: 3, 2025: 1}
    assert values(result.uf_founders) == {2023: 0, 2024: 2, 2025: 0}
    assert (result.labs_total, result.participants_total, result.uf_founders_total) == (3, 4, 2)
    assert [(row.title, row.participants, row.uf_founders) for row in result.rows] == [
        ("Labb A", 2, 1),
        ("Labb B", 2, 1),
        ("Labb C", 1, 0),
    ]


def test_a_lab_that_has_not_ended_is_not_held_yet(session, people):
    running = held(session, starts_at=utc(2025, 6, 1, 11), title="Pågår")
    sign(session, running, people["u1"], Attendance.PRESENT)
    during = indicators.lab_indicator(
        session, PERIOD, now=utc(2025, 6, 1, 11) + timedelta(minutes=30)
    )
    assert values(during.labs)[2025] == 0
    assert during.rows == ()
    later = indicators.lab_indicator(session, PERIOD, now=NOW)
    assert values(later.labs)[2025] == 1


def test_participation_per_year_municipality_and_organisation_type(session, activity):
    result = indicators.participation_indicator(session, PERIOD, now=NOW)
    # 2024: A (u1, u3) + B (u1, u6) + breakfast (u8 only, attendance was marked) = 5.
    assert values(result.participations) == {2023: 0, 2024: 5, 2025: 1}
    assert values(result.people) == {2023: 0, 2024: 4, 2025: 1}
    assert (result.participations_total, result.people_total) == (6, 5)

    rows = {row.municipality: row for row in result.municipalities}
    assert list(rows) == [*MUNICIPALITIES, OUTSIDE_DALARNA, ""]
    at_events = {place: row.at_events_here for place, row in rows.items() if row.at_events_here}
    assert at_events == {"Falun": 4, "Borlänge": 1, "Mora": 1}
    from_here = {place: row.from_here for place, row in rows.items() if row.from_here}
    assert from_here == {"Falun": 2, OUTSIDE_DALARNA: 1, "Mora": 1, "": 2}
    assert rows["Avesta"].at_events_here == 0 and rows["Älvdalen"].from_here == 0

    types = {row.org_type: (row.participations, row.people) for row in result.organisation_types}
    assert list(types) == [*OrganisationType, None]
    assert types[OrganisationType.COOPERATIVE] == (2, 1)
    assert types[OrganisationType.LIMITED_COMPANY] == (1, 1)
    assert types[OrganisationType.NONPROFIT] == (1, 1)
    assert types[None] == (2, 2)
    assert types[OrganisationType.UF_COMPANY] == (0, 0)


def test_new_social_organisations_per_year(session):
    social_org(
        session, local(2023, 2, 1), name="Arbetslaget", org_type=OrganisationType.WORK_INTEGRATION
    )
    social_org(session, local(2024, 6, 1), name="Kooperativet")
    social_org(
        session,
        local(2024, 7, 1),
        name="Vanligt AB",
        org_type=OrganisationType.LIMITED_COMPANY,
    )
    social_org(
        session,
        local(2025, 1, 1, 0, 30),
        name="Markerat AB",
        org_type=OrganisationType.LIMITED_COMPANY,
        marked_social_enterprise=True,
    )
    social_org(
        session,
        local(2022, 12, 31, 23, 30),
        name="För tidig förening",
        org_type=OrganisationType.NONPROFIT,
    )
    result = indicators.organisation_indicator(session, PERIOD)
    assert values(result.registered) == {2023: 1, 2024: 1, 2025: 1}
    assert [figure.met for figure in result.registered] == [False, False, False]
    assert [row.name for row in result.rows] == ["Arbetslaget", "Kooperativet", "Markerat AB"]
    assert result.rows[2].marked_social_enterprise is True


def test_four_new_social_organisations_meet_the_target(session):
    for number in range(4):
        social_org(session, local(2024, 3, 1 + number), name=f"Förening {number}")
    result = indicators.organisation_indicator(session, PERIOD)
    assert [figure.met for figure in result.registered] == [False, True, False]


def test_award_given_in_years_with_a_published_winner(session):
    publish_award(session, 2023, "Vinnarna ek. för.")
    publish_award(session, 2024, None)  # a cycle without a published result
    publish_award(session, 2026, "Senare AB")  # outside the period
    result = indicators.award_indicator(session, PERIOD)
    assert values(result.given) == {2023: 1, 2024: 0, 2025: 0}
    assert [figure.met for figure in result.given] == [True, False, False]
    assert [(row.year, row.winner, row.published_at is not None) for row in result.rows] == [
        (2023, "Vinnarna ek. för.", True),
        (2024, None, False),
    ]


def test_pitchers_and_follow_ups_per_year(session, people):
    p = people
    board_with_pitches(
        session,
        local(2024, 4, 10, 13),
        [p["u1"], p["u2"]],
        feedback=[
            ("Kontakt med Almi", False, True),  # offers: a follow-up, brokered
            ("", True, False),  # wish for follow-up, not yet brokered
            ("   ", False, False),  # nothing to broker
        ],
        title="Affärsråd april",
    )
    board, _ = board_with_pitches(session, local(2025, 2, 1, 13), [p["u3"]], title="Affärsråd feb")
    # An application that never got a slot is no pitcher.
    from tests.boards.helpers import make_application

    make_application(session, board, applicant=p["u4"])
    # A cancelled board pitches nothing.
    cancelled_board, _ = board_with_pitches(session, local(2025, 3, 1, 13), [p["u5"]])
    cancelled_board.event.status = EventStatus.CANCELLED
    cancelled_board.event.cancelled_at = cancelled_board.event.starts_at
    session.flush()

    result = indicators.board_indicator(session, PERIOD, now=NOW)
    assert values(result.pitchers) == {2023: 0, 2024: 2, 2025: 1}
    assert values(result.follow_ups) == {2023: 0, 2024: 2, 2025: 0}
    assert values(result.brokered) == {2023: 0, 2024: 1, 2025: 0}
    assert [(r.title, r.pitchers, r.follow_ups, r.brokered) for r in result.rows] == [
        ("Affärsråd april", 2, 2, 1),
        ("Affärsråd feb", 1, 0, 0),
    ]


def test_breakfast_indicator_asks_the_breakfast_report_once_per_year(session, monkeypatch):
    calls = []
    real = indicators.repeat_attendance

    def spy(session_, **kwargs):
        calls.append((kwargs["start"], kwargs["end"]))
        return real(session_, **kwargs)

    monkeypatch.setattr(indicators, "repeat_attendance", spy)
    result = indicators.breakfast_indicator(session, PERIOD, now=NOW)
    assert calls == [(date(y, 1, 1), date(y, 12, 31)) for y in (2023, 2024, 2025)]
    assert [figure.target for figure in result.repeat_social_entrepreneurs] == [10, 10, 10]


def test_repeat_social_entrepreneurs_at_breakfasts_per_year(session, people):
    p = people
    social = p["u1"]  # Falun cooperative
    p["u6"].organisation = p["u8"].organisation  # deleted account, non-profit: still counts
    session.flush()

    def breakfast(moment, *present):
        event = held(session, EventKind.BREAKFAST, starts_at=moment, municipality="Mora")
        for someone in present:
            sign(session, event, someone, Attendance.PRESENT)
        return event

    # 2024: three breakfasts; u1 and u6 at all three, u2 (a limited company) too, u8 at two.
    breakfast(local(2024, 2, 1, 7), social, p["u6"], p["u2"], p["u8"])
    breakfast(local(2024, 3, 1, 7), social, p["u6"], p["u2"], p["u8"])
    breakfast(local(2024, 12, 31, 23, 30), social, p["u6"], p["u2"])
    # 2025: u1 three times, counting the breakfast at 00:30 on New Year's Day.
    breakfast(local(2025, 1, 1, 0, 30), social)
    breakfast(local(2025, 4, 1, 7), social)
    breakfast(local(2025, 5, 1, 7), social)
    # Outside the period.
    breakfast(local(2022, 12, 31, 23, 30), p["u8"])

    result = indicators.breakfast_indicator(session, PERIOD, now=NOW)
    assert values(result.repeat_social_entrepreneurs) == {2023: 0, 2024: 2, 2025: 1}
    assert values(result.breakfasts_held) == {2023: 0, 2024: 3, 2025: 3}
    assert result.min_count == 3 and result.target == 10
    rows = [(row.year, row.organisation_name, row.attended) for row in result.rows]
    assert sorted(rows) == [
        (2024, "Falu kooperativ", 3),
        (2024, "Gröna Mora", 3),
        (2025, "Falu kooperativ", 3),
    ]


@pytest.mark.parametrize(
    ("first", "last"),
    [(2025, 2024), (1999, 2001), (2090, 2101), (2000, 2015)],
)
def test_a_period_outside_the_limits_is_refused(first, last):
    with pytest.raises(ValueError):
        Period(first, last)


def test_year_boundaries_are_swedish_midnight():
    assert indicators.year_start(2025) == utc(2024, 12, 31, 23)
    assert Period(2024, 2024).ends_at == utc(2024, 12, 31, 23)
