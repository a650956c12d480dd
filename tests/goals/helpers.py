"""Hand-built data for the goals tests, with times given in Swedish local time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

from eventapp.awards.models import AwardResult
from eventapp.boards.models import ApplicationStatus, PanelMember, PitchFeedback
from eventapp.calendar.models import Attendance, EventKind, EventStatus, Signup, SignupStatus
from eventapp.i18n import STOCKHOLM
from tests.awards.helpers import make_cycle
from tests.awards.jury_helpers import make_jury_dossier
from tests.boards.helpers import make_application, make_board
from tests.factories import make_event, make_organisation, make_user

_numbers = count(1)


def local(year, month, day, hour=10, minute=0) -> datetime:
    """A Stockholm wall-clock time as an aware datetime (never in a DST gap in these tests)."""
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def utc(year, month, day, hour=12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def held(session, kind=EventKind.LAB, starts_at=None, **fields):
    return make_event(
        session, kind=kind, starts_at=starts_at, duration=timedelta(hours=1), **fields
    )


def sign(session, event, user, attendance=Attendance.UNMARKED, status=SignupStatus.CONFIRMED):
    """A sign-up as the engine would leave it (attendance only on confirmed ones)."""
    signup = Signup(
        event=event,
        user=user,
        status=status,
        confirmed_at=event.starts_at if status == SignupStatus.CONFIRMED else None,
        cancelled_at=event.starts_at if status == SignupStatus.CANCELLED else None,
        attendance=attendance,
    )
    session.add(signup)
    session.flush()
    return signup


def cancelled(session, kind=EventKind.LAB, starts_at=None, **fields):
    return held(
        session,
        kind,
        starts_at,
        status=EventStatus.CANCELLED,
        cancelled_at=starts_at,
        cancellation_reason="Sjukdom",
        **fields,
    )


def publish_award(session, year: int, winner_name: str | None = "Vinnarna ek. för."):
    """An award cycle of ``year``; with a winner name, its result published."""
    from datetime import date

    cycle = make_cycle(session, year=year, open_on=date(year, 2, 1))
    if winner_name is None:
        return cycle, None
    dossier = make_jury_dossier(session, cycle, winner_name)
    result = AwardResult(
        cycle=cycle,
        algorithm_version="test",
        parameters={},
        snapshot="{}",
        snapshot_hash="0" * 64,
        lot_seed="seed",
        outcome={"winner_id": dossier.id, "finalists": []},
        published_at=local(year, 11, 20, 20),
    )
    session.add(result)
    session.flush()
    return cycle, dossier


def board_with_pitches(session, starts_at, pitchers, *, feedback=(), **event_fields):
    """A held board with ``pitchers`` confirmed pitches; ``feedback`` holds (offers,
    follow_up_wanted, brokered) per feedback row on the first pitch."""
    board = make_board(session, starts_at=starts_at, slots=max(len(pitchers), 1), **event_fields)
    applications = [
        make_application(
            session,
            board,
            applicant=person,
            status=ApplicationStatus.CONFIRMED,
            slot_id=board.slots[index].id,
        )
        for index, person in enumerate(pitchers)
    ]
    for offers, wanted, brokered in feedback:
        member = PanelMember(board=board, guest_name=f"Panel {next(_numbers)}")
        session.add(member)
        session.flush()
        session.add(
            PitchFeedback(
                application=applications[0],
                panel_member=member,
                offers=offers,
                follow_up_wanted=wanted,
                brokered_at=starts_at + timedelta(days=3) if brokered else None,
            )
        )
    session.flush()
    return board, applications


def person(session, *, organisation=None, **fields):
    return make_user(session, organisation=organisation, **fields)


def social_org(session, created_at, **fields):
    organisation = make_organisation(session, **fields)
    organisation.created_at = created_at
    session.flush()
    return organisation
