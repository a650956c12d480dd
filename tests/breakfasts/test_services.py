"""Skip, move, cancel, edit from a date, end; whole-series sign-up; check-in and walk-ins."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import select

from eventapp.breakfasts import services
from eventapp.breakfasts.models import BreakfastOccurrence, OccurrenceChange
from eventapp.breakfasts.services import BreakfastError, GuestDetails
from eventapp.calendar import services as calendar
from eventapp.calendar.models import Attendance, EventStatus, Signup, SignupStatus
from eventapp.database import utcnow
from eventapp.regions import OrganisationType
from tests.breakfasts.helpers import details, make_series, on_day, today
from tests.factories import make_organisation, make_user


@pytest.fixture
def organiser(session):
    return make_user(session, "organiser")


@pytest.fixture
def series(session, organiser):
    return make_series(session, organiser)


def test_skip_cancels_one_event_and_keeps_the_series(session, organiser, series):
    first, second = series.occurrences[:2]
    sequence = first.event.sequence
    services.skip_occurrence(session, first, organiser)
    assert first.change == OccurrenceChange.SKIPPED
    assert first.event.status == EventStatus.CANCELLED
    assert first.event.sequence == sequence + 1
    assert second.event.status == EventStatus.SCHEDULED
    with pytest.raises(BreakfastError):
        services.skip_occurrence(session, first, organiser)


def test_move_keeps_the_uid_and_bumps_the_sequence(session, organiser, series):
    occurrence = series.occurrences[1]
    uid, sequence = occurrence.event.uid, occurrence.event.sequence
    new_day = occurrence.original_date + timedelta(days=1)
    services.move_occurrence(
        session,
        occurrence,
        day=new_day,
        clock=time(8, 0),
        duration_minutes=60,
        place="Stadshuset",
        address="",
    )
    local = occurrence.event.starts_at.astimezone(services.STOCKHOLM)
    assert (local.date(), local.time()) == (new_day, time(8, 0))
    assert occurrence.event.uid == uid
    assert occurrence.event.sequence == sequence + 1
    assert occurrence.event.place == "Stadshuset"
    assert occurrence.change == OccurrenceChange.MOVED
    assert occurrence.original_date == new_day - timedelta(days=1)


def test_cancel_keeps_the_reason(session, organiser, series):
    occurrence = series.occurrences[2]
    services.cancel_occurrence(session, occurrence, "Lokalen är stängd", organiser)
    assert occurrence.event.cancellation_reason == "Lokalen är stängd"
    assert occurrence.change == OccurrenceChange.CANCELLED


def test_edit_from_date_updates_in_place_cancels_creates_and_keeps_overrides(
    session, organiser, series
):
    occurrences = list(series.occurrences)
    moved = occurrences[3]
    services.move_occurrence(
        session,
        moved,
        day=moved.original_date,
        clock=time(9, 0),
        duration_minutes=60,
        place="Annan plats",
        address="",
    )
    someone = make_user(session)
    calendar.sign_up(session, occurrences[2].event, someone)
    from_date = occurrences[2].original_date
    kept_uids = {o.original_date: o.event.uid for o in occurrences}
    # From the third date on: every other week, at 08:00 in another place.
    result = services.edit_series_from(
        session,
        series,
        details(
            series.network,
            frequency=services.Frequency.BIWEEKLY,
            local_time=time(8, 0),
            place="Nya stället",
            start_date=from_date,
            end_date=series.end_date,
        ),
        organiser,
    )
    updated_dates = [o.original_date for o in result.updated]
    assert (
        updated_dates
        == [from_date, from_date + timedelta(weeks=2), from_date + timedelta(weeks=4)][
            : len(updated_dates)
        ]
    )
    assert from_date in updated_dates
    for occurrence in result.updated:
        assert occurrence.event.uid == kept_uids[occurrence.original_date]
        assert occurrence.event.place == "Nya stället"
        assert occurrence.event.starts_at.astimezone(services.STOCKHOLM).time() == time(8, 0)
    assert [o.id for o in result.kept_overrides] == [moved.id]
    assert moved.event.place == "Annan plats"  # the individual move wins
    assert all(o.event.is_cancelled and o.superseded_at for o in result.cancelled)
    assert from_date + timedelta(weeks=1) not in {o.original_date for o in result.updated}
    # The sign-up on the kept date survives the change.
    assert calendar.active_signup(session, occurrences[2].event, someone) is not None
    # Earlier dates are untouched.
    assert occurrences[0].event.place == "Mora Parken"
    assert occurrences[0].event.starts_at.astimezone(services.STOCKHOLM).time() == time(7, 30)


def test_edit_from_date_with_a_new_weekday_creates_new_events(session, organiser, series):
    from_date = series.occurrences[1].original_date
    result = services.edit_series_from(
        session,
        series,
        details(series.network, weekday=2, start_date=from_date, end_date=series.end_date),
        organiser,
    )
    assert result.updated == []
    assert len(result.cancelled) == 5
    assert len(result.created) == 4  # the last Wednesday would fall after the end date
    assert all(o.original_date.weekday() == 2 for o in result.created)
    again = services.extend_all_series(session)
    assert again == 0


def test_edit_from_today_or_earlier_is_refused(session, organiser, series):
    with pytest.raises(BreakfastError):
        services.edit_series_from(
            session, series, details(series.network, start_date=today()), organiser
        )


def test_end_series_cancels_later_dates_and_stops_generation(session, organiser, series):
    last = series.occurrences[1].original_date
    cancelled = services.end_series(session, series, last, organiser)
    assert len(cancelled) == 4
    assert series.is_ended
    assert services.extend_all_series(session) == 0
    with pytest.raises(BreakfastError):
        services.end_series(session, series, last, organiser)


def test_whole_series_signup_gives_seats_and_a_waiting_place_where_full(session, organiser):
    series = make_series(session, organiser, capacity=1)
    first_comer = make_user(session)
    calendar.sign_up(session, series.occurrences[2].event, first_comer)
    person = make_user(session)
    result = services.sign_up_for_series(session, series, person)
    assert len(result.confirmed) == 5
    assert [e.id for e in result.waitlisted] == [series.occurrences[2].event.id]
    again = services.sign_up_for_series(session, series, person)
    assert len(again.already) == 6 and not again.confirmed
    # Each stays cancellable on its own.
    signup = calendar.active_signup(session, series.occurrences[0].event, person)
    calendar.cancel_signup(session, signup, person)
    assert calendar.active_signup(session, series.occurrences[1].event, person) is not None


def test_check_in_marks_a_confirmed_participant_present(session, organiser, series):
    event = series.occurrences[0].event
    person = make_user(session)
    signup = calendar.sign_up(session, event, person).signup
    with pytest.raises(BreakfastError):
        services.check_in(session, signup, organiser, now=event.starts_at - timedelta(days=2))
    services.check_in(session, signup, organiser, now=on_day(event))
    assert signup.attendance == Attendance.PRESENT


def test_walk_in_of_an_existing_user_even_when_full_keeps_the_counter_honest(session, organiser):
    series = make_series(session, organiser, capacity=1)
    event = series.occurrences[0].event
    calendar.sign_up(session, event, make_user(session))
    waiting = make_user(session)
    calendar.sign_up(session, event, waiting)
    walk_in = make_user(session)
    services.check_in_walk_in(session, event, walk_in, organiser, now=on_day(event))
    services.check_in_walk_in(session, event, waiting, organiser, now=on_day(event))
    # A second tap on the same person changes nothing.
    services.check_in_walk_in(session, event, walk_in, organiser, now=on_day(event))
    session.refresh(event)
    confirmed = session.scalars(
        select(Signup).where(Signup.event_id == event.id, Signup.status == SignupStatus.CONFIRMED)
    ).all()
    assert len(confirmed) == 3
    assert event.seats_taken == 3 == event.capacity
    present = {s.user_id for s in confirmed if s.attendance == Attendance.PRESENT}
    assert present == {walk_in.id, waiting.id}


def test_new_guest_with_a_new_organisation_is_counted_but_never_mailable(
    session, organiser, series
):
    event = series.occurrences[0].event
    guest = services.create_guest(
        session,
        GuestDetails(
            name="Åsa Gäst",
            new_organisation_name="Kooperativet Gröna",
            new_organisation_type=OrganisationType.COOPERATIVE,
            municipality="Mora",
        ),
    )
    signup = services.check_in_walk_in(session, event, guest, organiser, now=on_day(event))
    assert guest.is_guest and guest.email is None and guest.password_hash is None
    assert not guest.is_active and not guest.can_receive_mail
    assert guest.organisation.is_social and guest.organisation.municipality == "Mora"
    assert signup.attendance == Attendance.PRESENT
    existing = make_organisation(session, name="Befintlig AB")
    other = services.create_guest(session, GuestDetails(name="Bo", organisation=existing))
    assert other.organisation_id == existing.id


def test_find_people_matches_swedish_letters_and_literal_wildcards(session):
    make_user(session, name="Åsa Öberg")
    make_user(session, name="100% Kaffe")
    make_user(session, name="Bertil")
    assert [p.name for p in services.find_people(session, "åsa")] == ["Åsa Öberg"]
    assert [p.name for p in services.find_people(session, "%")] == ["100% Kaffe"]
    assert services.find_people(session, "   ") == []


def test_generation_skips_already_started_dates(session, organiser):
    start = today()
    series = services.create_series(
        session,
        details(
            make_series(session, organiser).network,
            weekday=start.weekday(),
            local_time=time(0, 5),
            start_date=start,
            end_date=start + timedelta(weeks=2),
        ),
        organiser,
    )
    assert all(o.event.starts_at > utcnow() for o in series.occurrences)
    assert (
        session.scalar(
            select(BreakfastOccurrence).where(
                BreakfastOccurrence.series_id == series.id,
                BreakfastOccurrence.original_date == start,
            )
        )
        is None
    )
