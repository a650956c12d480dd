"""Factories for board tests: boards inserted directly (so they may lie in the past)."""

from __future__ import annotations

from datetime import datetime, timedelta

from eventapp.boards.models import (
    ApplicationStatus,
    BoardSession,
    FeedbackMode,
    PanelMember,
    PitchApplication,
    PitchSlot,
)
from eventapp.calendar.models import EventKind
from eventapp.database import utcnow
from tests.factories import make_event, make_user


def make_board(
    session,
    *,
    starts_at: datetime | None = None,
    slots: int = 4,
    minutes: int = 15,
    deadline: datetime | None = None,
    feedback_mode: FeedbackMode = FeedbackMode.ATTRIBUTED,
    organiser=None,
    panel=(),
    **event_fields,
) -> BoardSession:
    """A board 14 days ahead (slots from half an hour after the start), deadline in 7 days."""
    starts_at = starts_at or (utcnow() + timedelta(days=14)).replace(microsecond=0)
    event = make_event(
        session,
        kind=EventKind.BOARD,
        starts_at=starts_at,
        duration=timedelta(hours=3),
        organiser=organiser,
        **event_fields,
    )
    first = starts_at + timedelta(minutes=30)
    board = BoardSession(
        event=event,
        slot_count=slots,
        slot_minutes=minutes,
        first_slot_at=first,
        applications_close_at=deadline or min(utcnow() + timedelta(days=7), first),
        feedback_mode=feedback_mode,
        panel_help="Finansiering och offentlig upphandling",
        slots=[PitchSlot(position=n) for n in range(slots)],
    )
    session.add(board)
    session.flush()
    for user in panel:
        session.add(PanelMember(board=board, user=user))
    session.flush()
    return board


def make_application(session, board: BoardSession, applicant=None, **fields) -> PitchApplication:
    applicant = applicant or make_user(session)
    values = {
        "organisation_name": f"Företaget för {applicant.name}",
        "idea": "Återbruk av möbler med personer långt från arbetsmarknaden.",
        "social_impact": "Jobb och minskat avfall.",
        "wants_financing": True,
        "status": ApplicationStatus.APPLIED,
    }
    values.update(fields)
    application = PitchApplication(board=board, applicant=applicant, **values)
    session.add(application)
    session.flush()
    return application


def make_panelist(session, board: BoardSession | None = None, **fields):
    user = make_user(session, "panelist", **fields)
    if board is not None:
        session.add(PanelMember(board=board, user=user))
        session.flush()
    return user


def application_form(**overrides) -> dict:
    data = {
        "organisation_name": "Kooperativet Hantverket",
        "idea": "Vi lagar och säljer begagnade möbler.",
        "social_impact": "Arbetsträning för personer långt från arbetsmarknaden.",
        "wants": ["financing", "customers"],
        "other_wish": "",
        "accessibility_needs": "",
    }
    data.update(overrides)
    return data


def feedback_form(**overrides) -> dict:
    data = {
        "strengths": "Tydlig idé.",
        "advice": "Räkna på priserna.",
        "offers": "Prata med Almi.",
        "follow_up_wanted": "y",
    }
    data.update(overrides)
    return data
