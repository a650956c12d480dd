"""The sign-up engine's rules, on every backend: seats, waiting list, promotion order,
deadlines in Europe/Stockholm, double submits, capacity changes and attendance."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from eventapp.calendar import services
from eventapp.calendar.models import Attendance, Event, Signup, SignupStatus
from eventapp.calendar.services import EventDetails, SignupError, SignupWindow
from eventapp.database import utcnow
from eventapp.i18n import combine_local
from tests.factories import make_event, make_user


@pytest.fixture(autouse=True)
def english(app):
    """Messages are matched in English; outside a request the app speaks Swedish."""
    with force_locale("en"):
        yield


def _confirmed_rows(session, event) -> int:
    return session.scalar(
        select(func.count(Signup.id)).where(
            Signup.event_id == event.id, Signup.status == SignupStatus.CONFIRMED
        )
    )


def _fresh(session, event) -> Event:
    session.expire(event)
    return event


def test_confirmed_while_seats_remain_then_waiting_list_with_positions(session):
    event = make_event(session, capacity=2)
    people = [make_user(session) for _ in range(4)]
    outcomes = [services.sign_up(session, event, person) for person in people]
    assert [o.signup.status for o in outcomes] == [
        SignupStatus.CONFIRMED,
        SignupStatus.CONFIRMED,
        SignupStatus.WAITLISTED,
        SignupStatus.WAITLISTED,
    ]
    assert [o.position for o in outcomes] == [None, None, 1, 2]
    assert _fresh(session, event).seats_taken == 2 == _confirmed_rows(session, event)


def test_unlimited_event_confirms_everyone_and_counts_seats(session):
    event = make_event(session, capacity=None)
    for _ in range(3):
        assert services.sign_up(session, event, make_user(session)).confirmed
    assert _fresh(session, event).seats_taken == 3


def test_second_sign_up_is_refused_with_a_friendly_message(session):
    event = make_event(session, capacity=5)
    person = make_user(session)
    services.sign_up(session, event, person)
    with pytest.raises(SignupError, match="already signed up"):
        services.sign_up(session, event, person)
    assert _fresh(session, event).seats_taken == 1


def test_race_on_the_unique_index_rolls_back_only_the_savepoint(session, monkeypatch):
    """Two requests that both passed the "already signed up?" check: the index decides."""
    event = make_event(session, capacity=5)
    person = make_user(session)
    services.sign_up(session, event, person)
    monkeypatch.setattr(services, "active_signup", lambda *args: None)
    with pytest.raises(SignupError, match="already signed up"):
        services.sign_up(session, event, person)
    # The seat taken inside the savepoint was given back, and the transaction still works.
    assert _fresh(session, event).seats_taken == 1
    assert session.scalar(select(func.count(Signup.id)).where(Signup.event_id == event.id)) == 1
    assert services.sign_up(session, event, make_user(session)).confirmed


def test_a_cancelled_person_may_sign_up_again_at_the_back_of_the_queue(session):
    event = make_event(session, capacity=1)
    first, second = make_user(session), make_user(session)
    mine = services.sign_up(session, event, first).signup
    services.sign_up(session, event, second)
    services.cancel_signup(session, mine, first)
    again = services.sign_up(session, event, first)
    assert again.position == 1 and again.signup.id != mine.id


def _waitlisted_at(session, event, person, moment):
    outcome = services.sign_up(session, event, person, now=moment)
    assert outcome.signup.status == SignupStatus.WAITLISTED
    return outcome.signup


def test_cancelling_a_seat_promotes_the_first_in_created_order(session):
    event = make_event(session, capacity=1)
    holder = make_user(session)
    seat = services.sign_up(session, event, holder).signup
    base = utcnow() - timedelta(hours=1)
    # Inserted out of id order: the waiting list follows created_at, then id.
    later = _waitlisted_at(session, event, make_user(session), base + timedelta(minutes=2))
    earlier = _waitlisted_at(session, event, make_user(session), base + timedelta(minutes=1))
    assert services.waitlist_position(session, earlier) == 1
    assert services.waitlist_position(session, later) == 2

    promoted = services.cancel_signup(session, seat, holder)

    assert promoted.id == earlier.id
    assert earlier.status == SignupStatus.CONFIRMED and earlier.confirmed_at is not None
    assert services.waitlist_position(session, later) == 1
    assert _fresh(session, event).seats_taken == 1 == _confirmed_rows(session, event)


def test_same_created_time_falls_back_to_id_order(session):
    event = make_event(session, capacity=1)
    services.sign_up(session, event, make_user(session))
    moment = utcnow() - timedelta(minutes=5)
    first = _waitlisted_at(session, event, make_user(session), moment)
    second = _waitlisted_at(session, event, make_user(session), moment)
    assert (
        services.waitlist_position(session, first),
        services.waitlist_position(session, second),
    ) == (1, 2)


def test_nobody_is_promoted_twice_and_a_double_cancel_frees_one_seat(session):
    event = make_event(session, capacity=2)
    holders = [make_user(session) for _ in range(2)]
    seats = [services.sign_up(session, event, person).signup for person in holders]
    waiting = [services.sign_up(session, event, make_user(session)).signup for _ in range(3)]

    first = services.cancel_signup(session, seats[0], holders[0])
    with pytest.raises(SignupError, match="already cancelled"):
        services.cancel_signup(session, seats[0], holders[0])
    second = services.cancel_signup(session, seats[1], holders[1])

    assert [first.id, second.id] == [waiting[0].id, waiting[1].id]
    assert waiting[2].status == SignupStatus.WAITLISTED
    # A promotion run with no free seat changes nothing.
    assert services.promote_from_waitlist(session, event) == []
    assert _fresh(session, event).seats_taken == 2 == _confirmed_rows(session, event)


def test_promotion_skips_someone_a_concurrent_request_already_moved(session, monkeypatch):
    """The status flip is conditional: a row that is no longer waitlisted is skipped."""
    event = make_event(session, capacity=1)
    holder = make_user(session)
    seat = services.sign_up(session, event, holder).signup
    gone = services.sign_up(session, event, make_user(session)).signup
    nxt = services.sign_up(session, event, make_user(session)).signup
    real_take_seat = services._take_seat

    def take_seat_while_someone_leaves(session_, event_):
        # Between choosing the candidate and flipping it, the candidate leaves the list.
        session_.execute(
            Signup.__table__.update()
            .where(Signup.__table__.c.id == gone.id)
            .values(status="cancelled", cancelled_at=utcnow())
        )
        monkeypatch.setattr(services, "_take_seat", real_take_seat)
        return real_take_seat(session_, event_)

    monkeypatch.setattr(services, "_take_seat", take_seat_while_someone_leaves)
    promoted = services.cancel_signup(session, seat, holder)
    assert promoted.id == nxt.id
    assert _fresh(session, event).seats_taken == 1 == _confirmed_rows(session, event)


def _details(event: Event, **changes) -> EventDetails:
    values = {
        name: getattr(event, name)
        for name in (
            "kind",
            "title",
            "description",
            "place",
            "address",
            "municipality",
            "starts_at",
            "ends_at",
            "capacity",
            "is_public",
        )
    }
    values.update(changes)
    return EventDetails(**values)


def test_raising_capacity_promotes_in_order(session):
    event = make_event(session, capacity=1)
    services.sign_up(session, event, make_user(session))
    waiting = [services.sign_up(session, event, make_user(session)).signup for _ in range(3)]
    services.update_event(session, event, _details(event, capacity=3))
    assert [s.status for s in waiting] == [
        SignupStatus.CONFIRMED,
        SignupStatus.CONFIRMED,
        SignupStatus.WAITLISTED,
    ]
    assert _fresh(session, event).seats_taken == 3 == _confirmed_rows(session, event)


def test_removing_the_limit_promotes_everyone(session):
    event = make_event(session, capacity=1)
    services.sign_up(session, event, make_user(session))
    waiting = [services.sign_up(session, event, make_user(session)).signup for _ in range(2)]
    services.update_event(session, event, _details(event, capacity=None))
    assert all(s.status == SignupStatus.CONFIRMED for s in waiting)


def test_lowering_capacity_below_confirmed_is_refused_with_the_number(session):
    event = make_event(session, capacity=5)
    for _ in range(3):
        services.sign_up(session, event, make_user(session))
    with pytest.raises(services.EventError, match="3 people have confirmed seats"):
        services.update_event(session, event, _details(event, capacity=2, title="Changed"))
    assert _fresh(session, event).capacity == 5
    assert event.title != "Changed"
    services.update_event(session, event, _details(event, capacity=3))
    assert _fresh(session, event).capacity == 3


def test_the_check_constraint_backs_up_the_counter(session):
    from sqlalchemy.exc import IntegrityError

    event = make_event(session, capacity=1)
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(
            Event.__table__.update().where(Event.__table__.c.id == event.id).values(seats_taken=2)
        )


# --- windows and deadlines, in Swedish time --------------------------------------------------


@pytest.mark.parametrize(
    ("day", "offset_hours"),
    [(date(2027, 3, 28), 2), (date(2027, 10, 31), 1)],
    ids=["spring-forward-day", "fall-back-day"],
)
def test_sign_up_deadline_at_2359_local_on_a_dst_day(session, day, offset_hours):
    deadline = combine_local(day, time(23, 59))
    assert deadline.utcoffset() == timedelta(hours=offset_hours)
    starts = combine_local(day + timedelta(days=1), time(10))
    event = make_event(session, starts_at=starts, capacity=10, registration_closes_at=deadline)

    just_before = deadline - timedelta(seconds=1)
    assert services.signup_closed_reason(event, just_before) is None
    assert services.sign_up(session, event, make_user(session), now=just_before).confirmed
    assert "deadline" in services.signup_closed_reason(event, deadline)
    # 23:59:30 Swedish time is still after the deadline; a wrong offset would say "open".
    wrong_zone_open = deadline + timedelta(hours=1) - timedelta(minutes=30)
    with pytest.raises(SignupError, match="deadline"):
        services.sign_up(session, event, make_user(session), now=wrong_zone_open)
    with pytest.raises(SignupError, match="deadline"):
        services.sign_up(session, event, make_user(session), now=deadline)


def test_registration_opens_at_its_instant(session):
    opens = combine_local(date(2027, 3, 28), time(3, 0))  # the first hour after the gap
    event = make_event(
        session, starts_at=opens + timedelta(days=3), capacity=3, registration_opens_at=opens
    )
    reason = services.signup_closed_reason(event, opens - timedelta(seconds=1))
    assert reason.startswith("Sign-up opens")
    with pytest.raises(SignupError):
        services.sign_up(session, event, make_user(session), now=opens - timedelta(seconds=1))
    assert services.sign_up(session, event, make_user(session), now=opens).confirmed


def test_no_sign_up_for_past_started_or_cancelled_events(session):
    started = make_event(session, starts_at=utcnow() - timedelta(minutes=1), capacity=5)
    with pytest.raises(SignupError, match="started"):
        services.sign_up(session, started, make_user(session))
    cancelled = make_event(session, capacity=5)
    services.cancel_event(session, cancelled, "Sjukdom", make_user(session, "organiser"))
    with pytest.raises(SignupError, match="cancelled"):
        services.sign_up(session, cancelled, make_user(session))


def test_cancellation_deadline_holds_for_seats_not_for_the_waiting_list(session):
    starts = combine_local(date(2027, 10, 31), time(18))
    deadline = combine_local(date(2027, 10, 30), time(23, 59))
    event = make_event(session, starts_at=starts, capacity=1, cancellation_deadline=deadline)
    holder, waiter = make_user(session), make_user(session)
    early = deadline - timedelta(days=2)
    seat = services.sign_up(session, event, holder, now=early).signup
    waiting = services.sign_up(session, event, waiter, now=early).signup

    assert services.can_cancel_own(seat, deadline - timedelta(seconds=1))
    with pytest.raises(SignupError, match="cancellation deadline"):
        services.cancel_signup(session, seat, holder, now=deadline)
    services.cancel_signup(session, waiting, waiter, now=deadline)
    assert waiting.status == SignupStatus.CANCELLED
    # An organiser may still cancel, with a reason.
    organiser = make_user(session, "organiser")
    services.cancel_signup(
        session, seat, organiser, reason="Dubbelbokad", by_organiser=True, now=deadline
    )
    assert seat.status == SignupStatus.CANCELLED
    assert seat.cancelled_by_id == organiser.id and seat.cancellation_reason == "Dubbelbokad"


def test_window_must_make_sense(session):
    organiser = make_user(session, "organiser")
    event = make_event(session, capacity=3, organiser=organiser)
    with pytest.raises(services.EventError, match="close after it opens"):
        services.update_event(
            session,
            event,
            _details(
                event,
                signup_window=SignupWindow(
                    opens_at=event.starts_at - timedelta(days=1),
                    closes_at=event.starts_at - timedelta(days=2),
                ),
            ),
        )
    with pytest.raises(services.EventError, match="after the start"):
        services.update_event(
            session,
            event,
            _details(
                event,
                signup_window=SignupWindow(
                    cancellation_deadline=event.starts_at + timedelta(minutes=1)
                ),
            ),
        )
    window = SignupWindow(closes_at=event.starts_at - timedelta(days=1))
    services.update_event(session, event, _details(event, signup_window=window))
    assert event.registration_closes_at == window.closes_at
    # The general event form sends no window: the one set stays.
    services.update_event(session, event, _details(event, title="Nytt namn"))
    assert event.registration_closes_at == window.closes_at


# --- attendance -----------------------------------------------------------------------------


def test_attendance_from_the_event_day_for_confirmed_only(session):
    starts = combine_local(date(2027, 3, 29), time(9))
    event = make_event(session, starts_at=starts, capacity=1)
    organiser = make_user(session, "organiser")
    seat = services.sign_up(session, event, make_user(session), now=starts - timedelta(days=5))
    waiting = services.sign_up(session, event, make_user(session), now=starts - timedelta(days=5))
    day_before_late = combine_local(date(2027, 3, 28), time(23, 59))
    with pytest.raises(SignupError, match="day of the event"):
        services.mark_attendance(
            session, seat.signup, Attendance.PRESENT, organiser, now=day_before_late
        )
    on_the_day = combine_local(date(2027, 3, 29), time(0, 1))
    with pytest.raises(SignupError, match="confirmed participants"):
        services.mark_attendance(
            session, waiting.signup, Attendance.PRESENT, organiser, now=on_the_day
        )
    services.mark_attendance(session, seat.signup, Attendance.ABSENT, organiser, now=on_the_day)
    assert seat.signup.attendance == Attendance.ABSENT
    assert seat.signup.attendance_marked_by_id == organiser.id
    later = on_the_day + timedelta(days=3)
    services.mark_attendance(session, seat.signup, Attendance.EXCUSED, organiser, now=later)
    assert seat.signup.attendance == Attendance.EXCUSED


def test_name_search_matches_literally(session):
    event = make_event(session, capacity=10)
    for name in ("Åsa Öberg", "100% Anna", "Per_Olsson", "Pelle Olsson"):
        services.sign_up(session, event, make_user(session, name=name))
    names = lambda term: [s.user.name for s in services.search_confirmed(session, event, term)]  # noqa: E731
    assert names("%") == ["100% Anna"]
    assert names("_") == ["Per_Olsson"]
    assert names("åsa") == ["Åsa Öberg"]
    assert names("A\u030asa") == ["Åsa Öberg"]  # typed in NFD
    assert names("olsson") == ["Pelle Olsson", "Per_Olsson"]
    assert len(names("")) == 4


def test_only_opted_in_participants_are_visible(session):
    event = make_event(session, capacity=10)
    shown = make_user(session, name="Visas Gärna")
    services.sign_up(session, event, shown, show_in_participant_list=True)
    services.sign_up(session, event, make_user(session, name="Hemlig Person"))
    assert [u.name for u in services.visible_participants(session, event)] == ["Visas Gärna"]


def test_my_signups_splits_upcoming_and_past(session):
    person = make_user(session)
    soon = make_event(session, capacity=3)
    done = make_event(session, starts_at=utcnow() - timedelta(days=3), capacity=3)
    services.sign_up(session, soon, person)
    session.add(
        Signup(
            event=done, user=person, status=SignupStatus.CONFIRMED, attendance=Attendance.PRESENT
        )
    )
    session.flush()
    upcoming, past = services.my_signups(session, person)
    assert [s.event_id for s in upcoming] == [soon.id]
    assert [s.event_id for s in past] == [done.id]


def test_attendance_opens_an_hour_before_an_event_just_after_midnight(session):
    starts = combine_local(date(2027, 10, 31), time(0, 30))
    event = make_event(session, starts_at=starts, capacity=3)
    assert not services.attendance_open(event, starts - timedelta(hours=1, seconds=1))
    assert services.attendance_open(event, starts - timedelta(hours=1))
