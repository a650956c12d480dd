"""Demo boards: one held three weeks ago with feedback, one upcoming with open applications."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from eventapp.auth.models import Role, User
from eventapp.boards.models import (
    ApplicationStatus,
    BoardSession,
    FeedbackMode,
    PanelMember,
    PitchApplication,
    PitchFeedback,
    PitchSlot,
)
from eventapp.calendar.models import Event, EventKind
from eventapp.database import utcnow
from eventapp.i18n import STOCKHOLM, combine_local

PANEL_HELP = (
    "Finansiering, offentlig upphandling, att hitta de första kunderna och att bygga en styrelse."
)
PITCHES = (
    (
        "entrepreneur2@example.org",
        "Arbetslaget i Borlänge",
        "Vi renoverar cyklar och säljer dem vidare, med personer som står långt från "
        "arbetsmarknaden.",
        "Fler i arbete och mindre avfall.",
    ),
    (
        "entrepreneur3@example.org",
        "Föreningen Gröna Mora",
        "Stadsodling och matkassar från lokala odlare.",
        "Gemenskap och hållbar mat.",
    ),
    (
        "entrepreneur4@example.org",
        "Älvdalens Ungdoms-UF",
        "Unga som gör appar för föreningslivet.",
        "Unga får arbetslivserfarenhet och föreningar blir digitala.",
    ),
)


def _local(day: date, hour: int, minute: int = 0):
    return combine_local(day, time(hour, minute), STOCKHOLM)


def _board(session: Session, event: Event, first_slot, deadline, slots: int) -> BoardSession:
    board = BoardSession(
        event=event,
        slot_count=slots,
        slot_minutes=20,
        first_slot_at=first_slot,
        applications_close_at=deadline,
        feedback_mode=FeedbackMode.ATTRIBUTED,
        panel_help=PANEL_HELP,
        slots=[PitchSlot(position=n) for n in range(slots)],
    )
    session.add(board)
    session.flush()
    return board


def seed_boards(session: Session, organiser: User) -> None:
    """Create the two demo boards; uses the demo users seeded before."""
    users = {user.email: user for user in session.scalars(select(User))}
    panelists = [user for user in users.values() if user.has_role(Role.PANELIST)]
    today = utcnow().astimezone(STOCKHOLM).date()

    # The past board: inserted directly, since create_event refuses past starts.
    past_day = today - timedelta(days=21)
    past_event = Event(
        kind=EventKind.BOARD,
        title="Socialt affärsråd: våren",
        description="Sociala entreprenörer pitchade för rådet.",
        place="Falu Rådhus",
        address="Stora Torget, Falun",
        municipality="Falun",
        starts_at=_local(past_day, 13),
        ends_at=_local(past_day, 16),
        capacity=30,
        organiser=organiser,
    )
    session.add(past_event)
    session.flush()
    past = _board(
        session, past_event, _local(past_day, 13, 30), _local(past_day - timedelta(days=7), 23), 4
    )
    members = [PanelMember(board=past, user=user) for user in panelists]
    members.append(
        PanelMember(
            board=past,
            guest_name="Gunilla Gäst",
            guest_title="VD",
            guest_organisation="Dala Invest",
        )
    )
    session.add_all(members)
    session.flush()
    for position, (email, organisation, idea, impact) in enumerate(PITCHES):
        applicant = users.get(email)
        if applicant is None:
            continue
        application = PitchApplication(
            board=past,
            applicant=applicant,
            organisation_name=organisation,
            idea=idea,
            social_impact=impact,
            wants_financing=True,
            wants_customers=position % 2 == 0,
            show_publicly=True,
            status=ApplicationStatus.CONFIRMED,
            slot_id=past.slots[position].id,
            decided_at=past_event.starts_at - timedelta(days=6),
            confirmed_at=past_event.starts_at - timedelta(days=5),
        )
        session.add(application)
        session.flush()
        if members and members[0].user is not None:
            session.add(
                PitchFeedback(
                    application_id=application.id,
                    panel_member_id=members[0].id,
                    strengths="Tydlig samhällsnytta och ett engagerat team.",
                    advice="Räkna på vad en kund betalar och vad det kostar er.",
                    offers="Prata med Almi Dalarna om ett lån." if position == 0 else "",
                    follow_up_wanted=position == 0,
                )
            )
    session.flush()

    # The upcoming board: the demo's board event if it has no board yet, else a new event.
    event = session.scalar(
        select(Event)
        .outerjoin(BoardSession, BoardSession.event_id == Event.id)
        .where(Event.kind == EventKind.BOARD, Event.starts_at > utcnow())
        .where(BoardSession.id.is_(None))
        .order_by(Event.starts_at)
    )
    if event is None:
        day = today + timedelta(days=21)
        event = Event(
            kind=EventKind.BOARD,
            title="Socialt affärsråd: pitcha din idé",
            place="Falu Rådhus",
            municipality="Falun",
            starts_at=_local(day, 14),
            ends_at=_local(day, 17),
            capacity=30,
            organiser=organiser,
        )
        session.add(event)
        session.flush()
    first_slot = event.starts_at + timedelta(minutes=30)
    deadline = min(event.starts_at - timedelta(days=7), first_slot)
    upcoming = _board(session, event, first_slot, deadline, 6)
    session.add_all([PanelMember(board=upcoming, user=user) for user in panelists])
    applicant = users.get("entrepreneur@example.org")
    if applicant is not None:
        session.add(
            PitchApplication(
                board=upcoming,
                applicant=applicant,
                organisation_name="Kooperativet Hantverket",
                idea="Vi lagar och säljer begagnade möbler.",
                social_impact="Arbetsträning för personer långt från arbetsmarknaden.",
                wants_partners=True,
                wants_customers=True,
            )
        )
    session.flush()
