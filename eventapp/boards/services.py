"""Board rules: sessions and panel, applications, selection into slots, notes and feedback.

Every function takes the session and the acting person explicitly, checks its rule on the
server (deadlines in real time, compared in UTC), queues the e-mails it causes in the same
transaction, flushes and never commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import NamedTuple

from flask import current_app
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager

from eventapp.auth.models import Role, User
from eventapp.boards.ical import build_pitch_invite
from eventapp.boards.models import (
    SLOTTED,
    ApplicationStatus,
    BoardSession,
    FeedbackMode,
    PanelMember,
    PanelNote,
    PanelWish,
    PitchApplication,
    PitchFeedback,
    PitchSlot,
)
from eventapp.calendar.models import Event, EventKind, EventStatus
from eventapp.calendar.services import (
    EventChange,
    EventDetails,
    EventError,
    create_event,
    update_event,
)
from eventapp.database import utcnow
from eventapp.errors import DomainError
from eventapp.mail import queue_mail


class BoardError(DomainError):
    """A board rule refused the action."""


# --- sessions and panel ---------------------------------------------------------------------


@dataclass(frozen=True)
class BoardDetails:
    """What an organiser sets for a board beside the event itself."""

    slot_count: int
    slot_minutes: int
    first_slot_at: datetime
    applications_close_at: datetime
    feedback_mode: FeedbackMode
    panel_help: str


def _check_board(event: EventDetails, details: BoardDetails) -> None:
    if details.first_slot_at < event.starts_at:
        raise BoardError(_l("The first pitch cannot start before the session does."))
    end_of_slots = details.first_slot_at + timedelta(
        minutes=details.slot_minutes * details.slot_count
    )
    if end_of_slots > event.ends_at:
        raise BoardError(
            _l("The pitch slots do not fit: the last one would end after the session.")
        )
    if details.applications_close_at > details.first_slot_at:
        raise BoardError(_l("The application deadline must be before the first pitch."))


def create_board(
    session: Session, event_details: EventDetails, details: BoardDetails, organiser: User
) -> BoardSession:
    """Create the board's event (kind board) and the board with its empty slots."""
    if event_details.kind != EventKind.BOARD:
        raise BoardError(_l("A board session is an event of kind board."))
    _check_board(event_details, details)
    if details.applications_close_at <= utcnow():
        raise BoardError(_l("The application deadline must be in the future."))
    event = create_event(session, event_details, organiser)
    board = BoardSession(
        event=event,
        slot_count=details.slot_count,
        slot_minutes=details.slot_minutes,
        first_slot_at=details.first_slot_at,
        applications_close_at=details.applications_close_at,
        feedback_mode=details.feedback_mode,
        panel_help=details.panel_help,
        slots=[PitchSlot(position=n) for n in range(details.slot_count)],
    )
    session.add(board)
    session.flush()
    return board


def update_board(
    session: Session, board: BoardSession, event_details: EventDetails, details: BoardDetails
) -> BoardSession:
    """Change a board; slots are added or (only when empty) removed; pitchers hear of new times."""
    _check_board(event_details, details)
    taken = [app.slot.position for app in _slotted(board)]
    if taken and max(taken) >= details.slot_count:
        raise BoardError(_l("A slot that would be removed already has a pitch. Move it first."))
    old_times = {app.id: (app.slot.starts_at, app.slot.ends_at) for app in _slotted(board)}
    # This page sets the slots itself, so the calendar must not move them as well.
    update_event(session, board.event, event_details, move_dependents=False)
    for slot in list(board.slots):
        if slot.position >= details.slot_count:
            board.slots.remove(slot)
    for position in range(len(board.slots), details.slot_count):
        board.slots.append(PitchSlot(position=position))
    board.slot_count = details.slot_count
    board.slot_minutes = details.slot_minutes
    board.first_slot_at = details.first_slot_at
    board.applications_close_at = details.applications_close_at
    board.feedback_mode = details.feedback_mode
    board.panel_help = details.panel_help
    session.flush()
    for application in _slotted(board):
        if old_times.get(application.id) != (application.slot.starts_at, application.slot.ends_at):
            application.invite_sequence += 1
            _mail(
                session,
                application,
                "moved",
                invite="REQUEST",
                key=f"board-moved:{application.id}:{application.invite_sequence}",
            )
    session.flush()
    return board


def board_of_event(session: Session, event: Event) -> BoardSession | None:
    return session.scalar(select(BoardSession).where(BoardSession.event_id == event.id))


def check_event_change(session: Session, event: Event, details: EventDetails) -> None:
    """Refuse a calendar edit of a board's event that its pitch slots cannot follow.

    The slots keep their order and length and move by as much as the start does; if they
    would then fall outside the new times, or the application deadline would come after
    the first pitch, the change is refused: only the board's own page can re-plan slots.
    """
    board = board_of_event(session, event)
    if board is None:
        return
    if details.kind != EventKind.BOARD:
        raise EventError(_l("This event is a board session; its kind cannot be changed."))
    shift = details.starts_at - event.starts_at
    first, last_end = board.first_slot_at + shift, board.last_slot_ends_at + shift
    if first < details.starts_at or last_end > details.ends_at:
        raise EventError(
            _l(
                "The pitch slots move with the start time and would then end after the "
                "session. Make the session longer, or change the slots on the board's page."
            )
        )
    if board.applications_close_at > first:
        raise EventError(
            _l(
                "The application deadline would come after the first pitch. Change the "
                "deadline on the board's page first."
            )
        )


def follow_event_change(session: Session, change: EventChange) -> None:
    """Move the pitch slots with their board's event, or cancel them; tell each pitcher.

    Called by the calendar after any change of the board event's time, place or status
    (made outside the board's own page): every accepted or confirmed pitcher gets one
    mail with an updated invite (METHOD:REQUEST) or a METHOD:CANCEL, SEQUENCE one higher.
    """
    board = board_of_event(session, change.event)
    if board is None:
        return
    if change.shift and not change.cancelled:
        board.first_slot_at = board.first_slot_at + change.shift
    session.flush()
    notice, invite = ("cancelled", "CANCEL") if change.cancelled else ("changed", "REQUEST")
    for application in _slotted(board):
        application.invite_sequence += 1
        session.flush()
        _mail(
            session,
            application,
            notice,
            invite=invite,
            key=f"board-{notice}:{application.id}:{application.invite_sequence}",
        )


def _slotted(board: BoardSession) -> list[PitchApplication]:
    return [app for app in board.applications if app.status in SLOTTED and app.slot is not None]


def add_panel_user(session: Session, board: BoardSession, user: User) -> PanelMember:
    """Seat a user who holds the panelist role on the board's panel."""
    if not user.has_role(Role.PANELIST):
        raise BoardError(_l("Only people with the panel member role can sit on a panel."))
    if any(member.user_id == user.id for member in board.panel_members):
        raise BoardError(_l("%(name)s is already on the panel.", name=user.name))
    member = PanelMember(board=board, user=user)
    session.add(member)
    # The panel member's personal feed gains the board (see feed.board_feed_revision).
    board.updated_at = utcnow()
    session.flush()
    return member


def add_panel_guest(
    session: Session, board: BoardSession, name: str, organisation: str, title: str
) -> PanelMember:
    """Seat a named external guest, who has no account, on the panel."""
    member = PanelMember(
        board=board, guest_name=name, guest_organisation=organisation, guest_title=title
    )
    session.add(member)
    session.flush()
    return member


def remove_panel_member(session: Session, member: PanelMember) -> None:
    """Take someone off the panel; their feedback stays unless none was given."""
    exists = session.scalar(
        select(func.count())
        .select_from(PitchFeedback)
        .where(PitchFeedback.panel_member_id == member.id)
    )
    if exists:
        raise BoardError(_l("This panel member has given feedback and cannot be removed."))
    # A deleted row leaves no timestamp: touch the board, which personal feeds watch.
    member.board.updated_at = utcnow()
    session.delete(member)
    session.flush()


def panel_member_of(board: BoardSession, user: User | None) -> PanelMember | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return next((m for m in board.panel_members if m.user_id == user.id), None)


def boards_on_panel(session: Session, user: User) -> list[BoardSession]:
    """The boards whose panel ``user`` sits on, soonest first."""
    return list(
        session.scalars(
            select(BoardSession)
            .join(PanelMember, PanelMember.board_id == BoardSession.id)
            .join(Event, Event.id == BoardSession.event_id)
            .where(PanelMember.user_id == user.id)
            .order_by(Event.starts_at.desc())
            .options(contains_eager(BoardSession.event))
        )
    )


def upcoming_boards(session: Session, *, include_unlisted: bool = False) -> list[BoardSession]:
    query = (
        select(BoardSession)
        .join(Event, Event.id == BoardSession.event_id)
        .where(Event.status == EventStatus.SCHEDULED, Event.ends_at > utcnow())
        .order_by(Event.starts_at)
        .options(contains_eager(BoardSession.event))
    )
    if not include_unlisted:
        query = query.where(Event.is_public.is_(True))
    return list(session.scalars(query))


def past_boards(session: Session, *, include_unlisted: bool = False) -> list[BoardSession]:
    query = (
        select(BoardSession)
        .join(Event, Event.id == BoardSession.event_id)
        .where(Event.ends_at <= utcnow())
        .order_by(Event.starts_at.desc())
        .limit(20)
        .options(contains_eager(BoardSession.event))
    )
    if not include_unlisted:
        query = query.where(Event.is_public.is_(True))
    return list(session.scalars(query))


# --- applications ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationData:
    organisation_name: str
    idea: str
    social_impact: str
    wants: frozenset[PanelWish]
    other_wish: str
    accessibility_needs: str
    show_publicly: bool


def _apply_data(application: PitchApplication, data: ApplicationData) -> None:
    application.organisation_name = data.organisation_name
    application.idea = data.idea
    application.social_impact = data.social_impact
    for wish in PanelWish:
        setattr(application, f"wants_{wish.value}", wish in data.wants)
    application.other_wish = data.other_wish if PanelWish.OTHER in data.wants else ""
    application.accessibility_needs = data.accessibility_needs
    application.show_publicly = data.show_publicly


def application_of(session: Session, board: BoardSession, user: User) -> PitchApplication | None:
    return session.scalar(
        select(PitchApplication).where(
            PitchApplication.board_id == board.id, PitchApplication.applicant_id == user.id
        )
    )


def apply(
    session: Session, board: BoardSession, user: User, data: ApplicationData
) -> PitchApplication:
    """Apply to pitch; one application per person and board, until the deadline.

    A person who withdrew may apply again before the deadline: the same row comes back.
    """
    if not board.applications_open():
        raise BoardError(_l("Applications for this board are closed."))
    existing = application_of(session, board, user)
    if existing is not None:
        if existing.status != ApplicationStatus.WITHDRAWN:
            raise BoardError(_l("You have already applied to this board."))
        _apply_data(existing, data)
        existing.status = ApplicationStatus.APPLIED
        existing.withdrawn_at = None
        session.flush()
        _mail(session, existing, "received")
        return existing
    application = PitchApplication(
        board_id=board.id, applicant_id=user.id, status=ApplicationStatus.APPLIED
    )
    _apply_data(application, data)
    try:
        # A double click or a second tab races us to the unique constraint.
        with session.begin_nested():
            session.add(application)
            session.flush()
    except IntegrityError as error:
        raise BoardError(_l("You have already applied to this board.")) from error
    session.expire(board, ["applications"])
    _mail(session, application, "received")
    return application


def edit_application(
    session: Session, application: PitchApplication, data: ApplicationData
) -> PitchApplication:
    """Change an application until the deadline, unless it is withdrawn or declined."""
    if not application.board.applications_open():
        raise BoardError(_l("The application deadline has passed; it can no longer be changed."))
    if not application.is_active:
        raise BoardError(_l("This application is no longer active."))
    _apply_data(application, data)
    session.flush()
    return application


def withdraw(session: Session, application: PitchApplication) -> PitchApplication | None:
    """Withdraw an application; a freed slot goes to the first reserve. Returns the promoted.

    Before the deadline anyone may withdraw. After it, people who were selected (accepted,
    confirmed or on the reserve list) may still withdraw until the session starts, so their
    slot can go to someone else rather than stand empty.
    """
    board = application.board
    if not application.is_active:
        raise BoardError(_l("This application is already withdrawn or closed."))
    selected = application.status in (*SLOTTED, ApplicationStatus.RESERVE)
    if board.has_started() or not (board.applications_open() or selected):
        raise BoardError(_l("It is too late to withdraw. Please contact the organisers."))
    slot = application.slot if application.status in SLOTTED else None
    freed = _close(application, ApplicationStatus.WITHDRAWN)
    application.withdrawn_at = utcnow()
    session.flush()
    if slot is not None:
        _mail(session, application, "withdrawn", invite="CANCEL", slot_time=freed)
        return offer_slot_to_first_reserve(session, board, slot)
    _mail(session, application, "withdrawn")
    return None


def _close(application: PitchApplication, status: ApplicationStatus) -> SlotTime | None:
    """Leave the slot or reserve list; return the freed slot's time for the cancel invite."""
    freed = None
    if application.status in SLOTTED and application.slot is not None:
        freed = SlotTime(application.slot.starts_at, application.slot.ends_at)
        application.invite_sequence += 1
    application.status = status
    application.slot = None
    application.slot_id = None
    application.reserve_position = None
    return freed


def offer_slot_to_first_reserve(
    session: Session, board: BoardSession, slot: PitchSlot, *, skip: int | None = None
) -> PitchApplication | None:
    """Give ``slot`` to the first on the reserve list; each reserve is promoted at most once.

    The conditional UPDATE claims the reserve only while still on the list, so two
    withdrawals at once never promote the same person twice.
    """
    candidates = session.scalars(
        select(PitchApplication.id)
        .where(
            PitchApplication.board_id == board.id,
            PitchApplication.status == ApplicationStatus.RESERVE,
            PitchApplication.id != (skip or 0),
        )
        .order_by(PitchApplication.reserve_position)
    ).all()
    for candidate_id in candidates:
        claimed = session.execute(
            update(PitchApplication)
            .where(
                PitchApplication.id == candidate_id,
                PitchApplication.status == ApplicationStatus.RESERVE,
            )
            .values(
                status=ApplicationStatus.ACCEPTED,
                slot_id=slot.id,
                reserve_position=None,
                decided_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed:
            promoted = session.get(PitchApplication, candidate_id)
            session.refresh(promoted)
            session.expire(slot, ["application"])
            _mail(session, promoted, "promoted", invite="REQUEST")
            return promoted
    return None


# --- selection ------------------------------------------------------------------------------


def _decidable(application: PitchApplication) -> None:
    if application.board.has_started():
        raise BoardError(_l("The session has started; selection is closed."))
    if application.status == ApplicationStatus.WITHDRAWN:
        raise BoardError(_l("The entrepreneur has withdrawn this application."))


def accept(session: Session, application: PitchApplication, slot: PitchSlot) -> PitchApplication:
    """Offer ``slot`` to an application; the entrepreneur then confirms it."""
    _decidable(application)
    if slot.board_id != application.board_id:
        raise BoardError(_l("Choose a slot of this board."))
    holder = session.scalar(select(PitchApplication.id).where(PitchApplication.slot_id == slot.id))
    if holder is not None and holder != application.id:
        raise BoardError(_l("That slot is already taken. Choose another."))
    if application.status in SLOTTED and application.slot_id == slot.id:
        raise BoardError(_l("The application already has this slot."))
    moved = application.status in SLOTTED
    if application.status == ApplicationStatus.DECLINED:
        application.decline_message = None
    application.status = ApplicationStatus.ACCEPTED
    application.slot = slot
    application.reserve_position = None
    application.decline_message = None
    application.confirmed_at = None
    application.decided_at = utcnow()
    if moved:
        application.invite_sequence += 1
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as error:
        raise BoardError(_l("That slot is already taken. Choose another.")) from error
    session.expire(slot, ["application"])
    _mail(session, application, "accepted", invite="REQUEST")
    return application


def put_on_reserve(session: Session, application: PitchApplication) -> PitchApplication:
    """Put an application last on the reserve list."""
    _decidable(application)
    if application.status == ApplicationStatus.RESERVE:
        raise BoardError(_l("The application is already on the reserve list."))
    slot = application.slot if application.status in SLOTTED else None
    last = session.scalar(
        select(func.max(PitchApplication.reserve_position)).where(
            PitchApplication.board_id == application.board_id
        )
    )
    freed = _close(application, ApplicationStatus.RESERVE)
    application.reserve_position = (last or 0) + 1
    application.decline_message = None
    application.decided_at = utcnow()
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as error:
        raise BoardError(_l("The reserve list changed meanwhile. Try again.")) from error
    _mail(session, application, "reserve", invite="CANCEL" if freed else None, slot_time=freed)
    if slot is not None:
        offer_slot_to_first_reserve(session, application.board, slot, skip=application.id)
    return application


def decline(session: Session, application: PitchApplication, message: str) -> PitchApplication:
    """Decline with a message to the entrepreneur; a freed slot goes to the first reserve."""
    _decidable(application)
    if application.status == ApplicationStatus.DECLINED:
        raise BoardError(_l("The application is already declined."))
    slot = application.slot if application.status in SLOTTED else None
    freed = _close(application, ApplicationStatus.DECLINED)
    application.decline_message = message
    application.decided_at = utcnow()
    session.flush()
    _mail(session, application, "declined", invite="CANCEL" if freed else None, slot_time=freed)
    if slot is not None:
        offer_slot_to_first_reserve(session, application.board, slot)
    return application


def confirm(session: Session, application: PitchApplication) -> PitchApplication:
    """The entrepreneur confirms the slot they were offered."""
    if application.status != ApplicationStatus.ACCEPTED:
        raise BoardError(_l("There is no slot offer to confirm."))
    if application.board.has_started():
        raise BoardError(_l("The session has started."))
    application.status = ApplicationStatus.CONFIRMED
    application.confirmed_at = utcnow()
    session.flush()
    _mail(session, application, "confirmed", invite="REQUEST")
    return application


# --- panel notes and feedback ---------------------------------------------------------------


def save_note(
    session: Session, application: PitchApplication, member: PanelMember, body: str
) -> PanelNote:
    """Keep a panel member's private note on a pitch (one per member and pitch)."""
    note = session.scalar(
        select(PanelNote).where(
            PanelNote.application_id == application.id, PanelNote.panel_member_id == member.id
        )
    )
    if note is None:
        note = PanelNote(application_id=application.id, panel_member_id=member.id, body=body)
        try:
            with session.begin_nested():
                session.add(note)
                session.flush()
        except IntegrityError:
            note = session.scalar(
                select(PanelNote).where(
                    PanelNote.application_id == application.id,
                    PanelNote.panel_member_id == member.id,
                )
            )
    note.body = body
    session.flush()
    session.expire(application, ["notes"])
    return note


def note_of(session: Session, application: PitchApplication, member: PanelMember):
    return session.scalar(
        select(PanelNote).where(
            PanelNote.application_id == application.id, PanelNote.panel_member_id == member.id
        )
    )


def feedback_open(application: PitchApplication, now: datetime | None = None) -> bool:
    """Feedback opens when the pitch's slot has begun."""
    return application.has_slot and (now or utcnow()) >= application.slot.starts_at


@dataclass(frozen=True)
class FeedbackData:
    strengths: str
    advice: str
    offers: str
    follow_up_wanted: bool


def feedback_of(
    session: Session, application: PitchApplication, member: PanelMember
) -> PitchFeedback | None:
    return session.scalar(
        select(PitchFeedback).where(
            PitchFeedback.application_id == application.id,
            PitchFeedback.panel_member_id == member.id,
        )
    )


def give_feedback(
    session: Session, application: PitchApplication, member: PanelMember, data: FeedbackData
) -> PitchFeedback:
    """Save (or update) a panel member's feedback on a pitch that has been held."""
    if member.board_id != application.board_id:
        raise BoardError(_l("You are not on this board's panel."))
    if not feedback_open(application):
        raise BoardError(_l("Feedback opens when the pitch has started."))
    if not any((data.strengths, data.advice, data.offers)):
        raise BoardError(_l("Write at least one of strengths, advice or contacts and offers."))
    feedback = feedback_of(session, application, member)
    if feedback is None:
        feedback = PitchFeedback(application_id=application.id, panel_member_id=member.id)
        try:
            with session.begin_nested():
                session.add(feedback)
                session.flush()
        except IntegrityError:
            feedback = feedback_of(session, application, member)
    feedback.strengths = data.strengths
    feedback.advice = data.advice
    feedback.offers = data.offers
    feedback.follow_up_wanted = data.follow_up_wanted
    session.flush()
    session.expire(application, ["feedback"])
    return feedback


def follow_ups(session: Session, board: BoardSession) -> list[PitchFeedback]:
    """Feedback with offers, contacts or a wish for follow-up: the organisers' brokering list."""
    rows = session.scalars(
        select(PitchFeedback)
        .join(PitchApplication, PitchApplication.id == PitchFeedback.application_id)
        .where(PitchApplication.board_id == board.id)
        .order_by(PitchFeedback.brokered_at.is_not(None), PitchFeedback.id)
    ).all()
    return [row for row in rows if row.needs_brokering]


def mark_brokered(session: Session, feedback: PitchFeedback, actor: User, done: bool) -> None:
    feedback.brokered_at = utcnow() if done else None
    feedback.brokered_by = actor if done else None
    session.flush()


# --- running order and personal feeds -------------------------------------------------------


class SlotTime(NamedTuple):
    starts_at: datetime
    ends_at: datetime


class PitchSlotItem(NamedTuple):
    """One pitch slot in a pitcher's personal calendar feed."""

    uid: str
    title: str
    start: datetime
    end: datetime
    place: str


def pitch_uid(application: PitchApplication) -> str:
    """The pitch's iCalendar UID: opaque, stable, distinct from the session's own UID."""
    return f"pitch-{application.uid}@eventapp"


def pitch_title(application: PitchApplication) -> str:
    return gettext("Your pitch: %(title)s", title=application.board.event.title)


def pitch_slots_for_user(session: Session, user: User) -> list[PitchSlotItem]:
    """The user's accepted or confirmed pitch slots on boards that are not cancelled."""
    applications = session.scalars(
        select(PitchApplication)
        .join(BoardSession, BoardSession.id == PitchApplication.board_id)
        .join(Event, Event.id == BoardSession.event_id)
        .where(
            PitchApplication.applicant_id == user.id,
            PitchApplication.status.in_(SLOTTED),
            Event.status == EventStatus.SCHEDULED,
        )
        .order_by(Event.starts_at)
    ).all()
    return [
        PitchSlotItem(
            uid=pitch_uid(application),
            title=pitch_title(application),
            start=application.slot.starts_at,
            end=application.slot.ends_at,
            place=application.board.event.place,
        )
        for application in applications
        if application.slot is not None
    ]


# --- mail -----------------------------------------------------------------------------------

_SUBJECTS = {
    "received": _l("We have received your pitch application"),
    "accepted": _l("You are offered a pitch slot – please confirm"),
    "promoted": _l("A pitch slot has opened for you – please confirm"),
    "confirmed": _l("Your pitch slot is confirmed"),
    "moved": _l("The time of your pitch has changed"),
    "reserve": _l("You are on the reserve list"),
    "declined": _l("About your pitch application"),
    "withdrawn": _l("Your pitch application is withdrawn"),
    "changed": _l("The time or place of your pitch has changed"),
    "cancelled": _l("The board session is cancelled"),
}


def _mail(
    session: Session,
    application: PitchApplication,
    notice: str,
    invite: str | None = None,
    slot_time: SlotTime | None = None,
    key: str | None = None,
) -> None:
    """Queue a notice to the entrepreneur, with the slot invite when ``invite`` is set.

    ``key`` deduplicates the notice (for example per invite SEQUENCE); by default each
    call is its own notice.
    """
    user = application.applicant
    board = application.board
    event = board.event
    if slot_time is None and application.slot is not None:
        slot_time = SlotTime(application.slot.starts_at, application.slot.ends_at)
    ics = None
    if invite is not None and slot_time is not None:
        if event.organiser is not None:
            organiser_name, organiser_email = event.organiser.name, event.organiser.email
        else:
            organiser_name, organiser_email = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
        with force_locale(user.locale):
            title = pitch_title(application)
        ics = build_pitch_invite(
            uid=pitch_uid(application),
            sequence=application.invite_sequence,
            method=invite,
            title=title,
            description=event.description,
            place=", ".join(part for part in (event.place, event.address) if part),
            starts_at=slot_time.starts_at,
            ends_at=slot_time.ends_at,
            stamp=utcnow(),
            organiser_email=organiser_email,
            organiser_name=organiser_name,
            attendee_email=user.email,
            attendee_name=user.name,
            attendee_status=(
                "ACCEPTED" if application.status == ApplicationStatus.CONFIRMED else "NEEDS-ACTION"
            ),
        )
    else:
        invite = None
    with force_locale(user.locale):
        subject = str(_SUBJECTS[notice])
    queue_mail(
        session,
        dedup_key=key or f"board-{notice}:{application.id}:{utcnow().isoformat()}",
        to=user.email,
        subject=subject,
        template=f"mail/board_{notice}.txt",
        locale=user.locale,
        ics_data=ics,
        ics_method=invite,
        application=application,
        board=board,
        event=event,
        user=user,
        slot_time=slot_time,
        application_url=(
            f"{current_app.config['BASE_URL'].rstrip('/')}/boards/applications/{application.id}"
        ),
    )
