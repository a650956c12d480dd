"""Personal feeds beyond sign-ups: accepted pitch slots (own time, the invite's UID), panel
sessions and jury sessions; and, for every source, a change always gives a 200 with a new
ETag and a later Last-Modified, while unchanged data gives a 304 by ETag and by date."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import icalendar
import pytest
from sqlalchemy import select

from eventapp.awards import jury
from eventapp.awards.models import JuryRole
from eventapp.boards import services as boards
from eventapp.calendar import feed_queries, ical, services
from eventapp.calendar.feed_services import renew_personal_link
from eventapp.calendar.services import EventDetails
from eventapp.database import utcnow
from eventapp.mail import OutboxMessage
from tests.awards.jury_helpers import make_jury_cycle
from tests.boards.helpers import make_application, make_board, make_panelist
from tests.factories import make_event, make_user


def vevents(data: bytes) -> dict[str, icalendar.Event]:
    return {str(v["UID"]): v for v in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def feed_url(session, user) -> str:
    token = renew_personal_link(session, user)
    session.commit()
    return f"/calendar/private/{token}.ics"


def moved(event, delta: timedelta) -> EventDetails:
    return EventDetails(
        kind=event.kind,
        title=event.title,
        description=event.description,
        place=event.place,
        address=event.address,
        municipality=event.municipality,
        starts_at=event.starts_at + delta,
        ends_at=event.ends_at + delta,
        capacity=event.capacity,
        is_public=event.is_public,
    )


@pytest.fixture
def clock(monkeypatch):
    """The feed views' clock, ahead of the data and moved by hand.

    Last-Modified is only given once its second is over; moving the clock lets a test get
    one without sleeping. The data keep real timestamps, all earlier than this clock: a
    Last-Modified taken from data timestamps alone would then hide every change below.
    """
    from eventapp.calendar import feeds

    state = {"now": utcnow() + timedelta(hours=1)}
    monkeypatch.setattr(feeds, "utcnow", lambda: state["now"])
    monkeypatch.setattr(feeds, "STARTED_AT", utcnow() - timedelta(days=1))

    def tick(seconds: int = 10) -> None:
        state["now"] += timedelta(seconds=seconds)

    return tick


# --- what the feed holds --------------------------------------------------------------------


def test_pitch_slot_has_its_own_time_and_the_invite_uid(client, session):
    board = make_board(session, place="Falu Rådhus", title="Sociala styrelsen")
    me, other = make_user(session), make_user(session, name="Annan Pitchare")
    mine = make_application(session, board, me)
    theirs = make_application(session, board, other)
    boards.accept(session, mine, board.slots[2])
    boards.accept(session, theirs, board.slots[0])
    boards.confirm(session, mine)
    session.commit()

    data = client.get(feed_url(session, me)).data
    found = vevents(data)
    assert set(found) == {boards.pitch_uid(mine)}
    slot = found[boards.pitch_uid(mine)]
    assert slot["DTSTART"].dt == board.slots[2].starts_at
    assert slot["DTEND"].dt == board.slots[2].ends_at
    assert slot["DTSTART"].dt != board.event.starts_at
    assert int(slot["SEQUENCE"]) == mine.invite_sequence
    assert "Falu Rådhus" in str(slot["LOCATION"])
    assert str(slot["STATUS"]) == "CONFIRMED"
    # The same UID as the slot invite e-mailed to the pitcher.
    invites = session.scalars(
        select(OutboxMessage.ics_data).where(
            OutboxMessage.to_address == me.email, OutboxMessage.ics_data.is_not(None)
        )
    ).all()
    assert invites
    for data_in_mail in invites:
        [in_mail] = icalendar.Calendar.from_ical(data_in_mail).walk("VEVENT")
        assert str(in_mail["UID"]) == boards.pitch_uid(mine)
    # Never another participant.
    assert other.name.encode() not in data and other.email.encode() not in data
    assert b"ATTENDEE" not in data and me.email.encode() not in data


def test_offered_slot_asks_for_confirmation_and_withdrawn_or_declined_ones_leave(client, session):
    board = make_board(session)
    me = make_user(session, locale="en")  # the feed speaks the person's language
    application = make_application(session, board, me)
    boards.accept(session, application, board.slots[0])
    session.commit()
    url = feed_url(session, me)
    [entry] = vevents(client.get(url).data).values()
    assert str(entry["DESCRIPTION"]).startswith("You are offered this slot. Please confirm it")
    assert str(entry["SUMMARY"]) == f"Your pitch: {board.event.title}"
    boards.withdraw(session, application)
    session.commit()
    assert vevents(client.get(url).data) == {}


def test_reserve_and_applied_pitches_are_not_in_the_feed(client, session):
    board = make_board(session)
    me, you = make_user(session), make_user(session)
    make_application(session, board, me)
    boards.put_on_reserve(session, make_application(session, board, you))
    session.commit()
    assert vevents(client.get(feed_url(session, me)).data) == {}
    assert vevents(client.get(feed_url(session, you)).data) == {}


def test_cancelled_board_keeps_the_slot_as_cancelled_with_a_higher_sequence(client, session):
    organiser = make_user(session, "organiser")
    board = make_board(session, organiser=organiser)
    me = make_user(session)
    application = make_application(session, board, me)
    boards.accept(session, application, board.slots[1])
    before = application.invite_sequence
    services.cancel_event(session, board.event, "Sjukdom", organiser)
    session.commit()
    [entry] = vevents(client.get(feed_url(session, me)).data).values()
    assert str(entry["STATUS"]) == "CANCELLED"
    assert int(entry["SEQUENCE"]) == before + 1 == application.invite_sequence


def test_panel_member_gets_the_boards_they_sit_on_only(client, session):
    mine, theirs = make_board(session), make_board(session)
    me = make_panelist(session, mine)
    make_panelist(session, theirs)
    applicant = make_user(session, name="Pitchare Persson")
    boards.accept(session, make_application(session, mine, applicant), mine.slots[0])
    session.commit()
    data = client.get(feed_url(session, me)).data
    found = vevents(data)
    assert set(found) == {ical.event_uid(mine.event)}
    entry = found[ical.event_uid(mine.event)]
    assert entry["DTSTART"].dt == mine.event.starts_at
    # The panel member's feed shows the session, not who pitches in it.
    assert applicant.name.encode() not in data and applicant.email.encode() not in data


def test_juror_gets_the_gala_of_their_jury_only(client, session):
    cycle, other_cycle = make_jury_cycle(session, "scoring"), make_jury_cycle(session, "scoring")
    organiser = make_user(session, "organiser")
    me = make_user(session, "juror")
    jury.appoint_member(session, cycle, me, JuryRole.JUROR, is_chair=False, actor=organiser)
    session.commit()
    found = vevents(client.get(feed_url(session, me)).data)
    assert set(found) == {ical.event_uid(cycle.gala_event)}
    assert ical.event_uid(other_cycle.gala_event) not in found


def test_one_entry_when_an_event_comes_by_two_routes(client, session):
    board = make_board(session, capacity=10)
    me = make_panelist(session, board)
    services.sign_up(session, board.event, me)
    session.commit()
    assert list(vevents(client.get(feed_url(session, me)).data)) == [ical.event_uid(board.event)]


def test_pitch_slot_uid_is_opaque(session):
    board = make_board(session)
    me = make_user(session)
    application = make_application(session, board, me)
    uid = boards.pitch_uid(application)
    # A random UUID of the application: no address, name or id of anyone.
    assert uid == f"pitch-{application.uid}@eventapp"
    assert me.email not in uid and me.name not in uid


# --- a change is never hidden behind a 304 ----------------------------------------------------


@dataclass
class Scenario:
    """A person whose feed has one source's data, and a change to that data."""

    user: object
    change: Callable[[], None]


def _pitcher(session, *, status: str = "accepted"):
    organiser = make_user(session, "organiser")
    board = make_board(session, organiser=organiser)
    me = make_user(session)
    application = make_application(session, board, me)
    if status != "applied":
        boards.accept(session, application, board.slots[1])
    return board, me, application, organiser


def sign_up_then_cancel(session):
    me = make_user(session)
    signup = services.sign_up(session, make_event(session, capacity=5), me).signup
    return Scenario(me, lambda: services.cancel_signup(session, signup, me))


def waitlist_then_promoted(session):
    me, other = make_user(session), make_user(session)
    event = make_event(session, capacity=1)
    seat = services.sign_up(session, event, other).signup
    services.sign_up(session, event, me)
    return Scenario(me, lambda: services.cancel_signup(session, seat, other))


def pitch_accepted(session):
    board, me, application, _ = _pitcher(session, status="applied")
    return Scenario(me, lambda: boards.accept(session, application, board.slots[0]))


def pitch_confirmed(session):
    _, me, application, _ = _pitcher(session)
    return Scenario(me, lambda: boards.confirm(session, application))


def pitch_moved_to_another_slot(session):
    board, me, application, _ = _pitcher(session)
    return Scenario(me, lambda: boards.accept(session, application, board.slots[3]))


def pitch_slot_time_moved_with_its_board(session):
    board, me, _, _ = _pitcher(session)
    return Scenario(
        me,
        lambda: services.update_event(session, board.event, moved(board.event, timedelta(hours=1))),
    )


def pitch_withdrawn(session):
    _, me, application, _ = _pitcher(session)
    return Scenario(me, lambda: boards.withdraw(session, application))


def pitch_declined(session):
    _, me, application, _ = _pitcher(session)
    return Scenario(me, lambda: boards.decline(session, application, "Tyvärr."))


def board_cancelled_under_a_pitch(session):
    board, me, _, organiser = _pitcher(session)
    return Scenario(me, lambda: services.cancel_event(session, board.event, "Snö", organiser))


def added_to_a_panel(session):
    board = make_board(session)
    me = make_panelist(session)
    return Scenario(me, lambda: boards.add_panel_user(session, board, me))


def removed_from_a_panel(session):
    board = make_board(session)
    me = make_user(session, "panelist")
    member = boards.add_panel_user(session, board, me)
    return Scenario(me, lambda: boards.remove_panel_member(session, member))


def panel_board_moved(session):
    board = make_board(session)
    me = make_panelist(session, board)
    return Scenario(
        me,
        lambda: services.update_event(session, board.event, moved(board.event, timedelta(days=1))),
    )


def appointed_to_a_jury(session):
    cycle = make_jury_cycle(session, "jury_preparation")
    organiser, me = make_user(session, "organiser"), make_user(session, "juror")
    return Scenario(
        me,
        lambda: jury.appoint_member(
            session, cycle, me, JuryRole.RESERVE, is_chair=False, actor=organiser
        ),
    )


def removed_from_a_jury(session):
    cycle = make_jury_cycle(session, "jury_preparation")
    organiser, me = make_user(session, "organiser"), make_user(session, "juror")
    member = jury.appoint_member(
        session, cycle, me, JuryRole.JUROR, is_chair=False, actor=organiser
    )
    return Scenario(me, lambda: jury.remove_member(session, member, organiser))


def gala_moved(session):
    cycle = make_jury_cycle(session, "jury_preparation")
    organiser, me = make_user(session, "organiser"), make_user(session, "juror")
    jury.appoint_member(session, cycle, me, JuryRole.JUROR, is_chair=False, actor=organiser)
    gala = cycle.gala_event
    return Scenario(
        me, lambda: services.update_event(session, gala, moved(gala, timedelta(hours=2)))
    )


SCENARIOS = [
    sign_up_then_cancel,
    waitlist_then_promoted,
    pitch_accepted,
    pitch_confirmed,
    pitch_moved_to_another_slot,
    pitch_slot_time_moved_with_its_board,
    pitch_withdrawn,
    pitch_declined,
    board_cancelled_under_a_pitch,
    added_to_a_panel,
    removed_from_a_panel,
    panel_board_moved,
    appointed_to_a_jury,
    removed_from_a_jury,
    gala_moved,
]


@pytest.mark.parametrize("make_scenario", SCENARIOS, ids=lambda f: f.__name__)
def test_every_change_gives_200_and_no_change_gives_304(client, session, clock, make_scenario):
    scenario = make_scenario(session)
    session.commit()
    url = feed_url(session, scenario.user)
    client.get(url)
    clock()
    first = client.get(url)
    etag, since = first.headers["ETag"], first.headers["Last-Modified"]
    # Unchanged: 304 by ETag and by date.
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": since}).status_code == 304

    revision_before = feed_queries.personal_revision(session, scenario.user, utcnow())
    scenario.change()
    session.commit()
    revision_after = feed_queries.personal_revision(session, scenario.user, utcnow())
    # The cheap timestamp summary moves too (also for deleted panel and jury seats).
    assert revision_after > revision_before
    clock()

    # A client that only keeps the date must not be told "unchanged".
    by_date = client.get(url, headers={"If-Modified-Since": since})
    assert by_date.status_code == 200 and by_date.data != first.data
    by_tag = client.get(url, headers={"If-None-Match": etag})
    assert by_tag.status_code == 200 and by_tag.headers["ETag"] != etag
    clock()
    settled = client.get(url)
    assert _when(settled.headers["Last-Modified"]) > _when(since)
    assert settled.headers["ETag"] == by_tag.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": settled.headers["ETag"]}).status_code == 304
    assert (
        client.get(url, headers={"If-Modified-Since": settled.headers["Last-Modified"]}).status_code
        == 304
    )


def _when(http_date: str) -> datetime:
    from werkzeug.http import parse_date

    return parse_date(http_date)


def test_the_render_record_is_written_once_per_change_not_per_poll(client, session, clock):
    from eventapp.calendar.feed_models import FeedRender

    me = make_user(session)
    services.sign_up(session, make_event(session, capacity=5), me)
    session.commit()
    url = feed_url(session, me)
    client.get(url)
    [record] = session.scalars(select(FeedRender)).all()
    first_change = record.changed_at
    for _ in range(3):
        clock()
        client.get(url)
    session.refresh(record)
    assert record.changed_at == first_change


def test_a_refused_render_record_still_serves_the_feed_and_never_a_wrong_304(
    client, session, clock, monkeypatch
):
    from sqlalchemy.exc import OperationalError

    from eventapp.calendar import feed_services

    me = make_user(session)
    services.sign_up(session, make_event(session, capacity=5), me)
    session.commit()
    url = feed_url(session, me)
    client.get(url)
    clock()
    since = client.get(url).headers["Last-Modified"]

    def locked(*args, **kwargs):
        raise OperationalError("UPDATE feed_renders", {}, Exception("database is locked"))

    monkeypatch.setattr(feed_services, "content_changed_at", locked)
    clock()
    response = client.get(url, headers={"If-Modified-Since": since})
    # Without the record the body counts as changed now: a 200, not a guess of "unchanged".
    assert response.status_code == 200 and len(vevents(response.data)) == 1


@pytest.mark.parametrize(("days_ago", "shown"), [(29, True), (31, False)])
def test_cancelled_panel_and_pitch_entries_leave_30_days_after_their_date(
    client, session, days_ago, shown
):
    from eventapp.calendar.models import EventStatus

    starts_at = (utcnow() - timedelta(days=days_ago)).replace(microsecond=0)
    board = make_board(session, starts_at=starts_at, deadline=starts_at - timedelta(days=1))
    panelist = make_panelist(session, board)
    pitcher = make_user(session)
    application = make_application(session, board, pitcher)
    application.status, application.slot = "confirmed", board.slots[0]
    board.event.status = EventStatus.CANCELLED
    board.event.cancelled_at = starts_at - timedelta(days=2)
    session.commit()
    for person, uid in (
        (panelist, ical.event_uid(board.event)),
        (pitcher, boards.pitch_uid(application)),
    ):
        found = vevents(client.get(feed_url(session, person)).data)
        assert (uid in found) is shown
        if shown:
            assert str(found[uid]["STATUS"]) == "CANCELLED"
