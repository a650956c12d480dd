"""A person's board entries in their personal calendar feed: pitch slots and panel sessions.

Registered with ``eventapp.calendar.feed_queries.register_personal_source`` when the
blueprint is imported. A pitch slot is its own entry, with the slot's own time and the
same UID and SEQUENCE as the slot invite e-mailed to the pitcher
(``services.pitch_uid``, ``PitchApplication.invite_sequence``), so a client that got both
keeps one copy. A panel member gets the whole board session.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from eventapp.auth.models import User
from eventapp.boards.models import (
    SLOTTED,
    ApplicationStatus,
    BoardSession,
    PanelMember,
    PitchApplication,
)
from eventapp.boards.services import boards_on_panel, pitch_title, pitch_uid
from eventapp.calendar.feed_queries import event_in_window, window_condition
from eventapp.calendar.ical import FeedItem
from eventapp.calendar.models import Event


def pitch_feed_items(session: Session, user: User, now: datetime) -> list[FeedItem]:
    """The person's accepted or confirmed pitch slots (cancelled with their board)."""
    applications = session.scalars(
        select(PitchApplication)
        .join(BoardSession, BoardSession.id == PitchApplication.board_id)
        .join(Event, Event.id == BoardSession.event_id)
        .where(
            PitchApplication.applicant_id == user.id,
            PitchApplication.status.in_(SLOTTED),
            window_condition(now),
        )
        .order_by(Event.starts_at, PitchApplication.id)
    ).all()
    return [_pitch_item(application) for application in applications if application.slot]


def _pitch_item(application: PitchApplication) -> FeedItem:
    board = application.board
    event = board.event
    note = None
    if application.status == ApplicationStatus.ACCEPTED:
        note = str(_l("You are offered this slot. Please confirm it on your application page."))
    description = "\n\n".join(
        part
        for part in (event.cancellation_reason if event.is_cancelled else None, event.description)
        if part
    )
    return FeedItem(
        uid=pitch_uid(application),
        summary=pitch_title(application),
        start=application.slot.starts_at,
        end=application.slot.ends_at,
        # The last change of anything the entry shows: the application (slot, SEQUENCE),
        # the board (slot times) or its event (place, status).
        dtstamp=max(application.updated_at, board.updated_at, event.updated_at),
        sequence=application.invite_sequence,
        created=application.created_at,
        location=", ".join(part for part in (event.place, event.address) if part),
        description=description,
        status="CANCELLED" if event.is_cancelled else "CONFIRMED",
        note=note,
        event_uid=event.uid,
    )


def panel_feed_items(session: Session, user: User, now: datetime) -> list[FeedItem]:
    """The board sessions the person sits on the panel of."""
    note = str(_l("You sit on the panel of this board."))
    return [
        FeedItem.from_event(board.event, note=note)
        for board in boards_on_panel(session, user)
        if event_in_window(board.event, now)
    ]


def board_feed_items(session: Session, user: User, now: datetime) -> list[FeedItem]:
    return [*pitch_feed_items(session, user, now), *panel_feed_items(session, user, now)]


def board_feed_revision(session: Session, user: User) -> Iterable[datetime | str | None]:
    """Last changes of the person's applications, and of the boards they pitch at or sit on."""
    pitches = session.execute(
        select(
            func.max(PitchApplication.updated_at),
            func.max(BoardSession.updated_at),
            func.max(Event.updated_at),
        )
        .select_from(PitchApplication)
        .join(BoardSession, BoardSession.id == PitchApplication.board_id)
        .join(Event, Event.id == BoardSession.event_id)
        .where(PitchApplication.applicant_id == user.id)
    ).one()
    panel_events = session.scalar(
        select(func.max(Event.updated_at))
        .select_from(PanelMember)
        .join(BoardSession, BoardSession.id == PanelMember.board_id)
        .join(Event, Event.id == BoardSession.event_id)
        .where(PanelMember.user_id == user.id)
    )
    # Taking someone off a panel deletes their row and touches the board, so the last
    # change of any board counts (over-approximating costs one full download, never a 304).
    any_board = session.scalar(select(func.max(BoardSession.updated_at)))
    return [*pitches, panel_events, any_board]
