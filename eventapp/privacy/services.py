"""Privacy rules: consents, the own-data export files, and deleting an account.

Functions take the session first and the acting user explicitly, flush, and never commit.
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from eventapp.auth.models import LoginSession, Role, User, UserRole
from eventapp.auth.services import verify_password
from eventapp.awards.models import ConflictTie, JuryMember, Nomination
from eventapp.boards.models import PanelNote, PitchApplication, PitchFeedback
from eventapp.calendar.feed_models import FeedToken
from eventapp.calendar.models import ACTIVE_SIGNUP_STATUSES, Event, EventInvitation, Signup
from eventapp.calendar.services import SignupError, cancel_signup
from eventapp.database import utcnow
from eventapp.extensions import db
from eventapp.mail import OutboxMessage
from eventapp.privacy.consents import (
    PERSONAL_CONSENTS,
    PrivacyError,
    current_consent,
    given_for_every_list,
    is_given,
)
from eventapp.privacy.models import ConsentKind, ConsentRecord
from eventapp.privacy.registry import SECTIONS, export_for, plain
from eventapp.spreadsheets import csv_text

# What an anonymised account and its free text are replaced with. Stored, so it is in the
# platform's language; it names no one.
DELETED_NAME = "Raderad användare"
REMOVED_TEXT = "–"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConsentState:
    given: bool
    # When the current choice was made here; None when never chosen on the consents page.
    at: datetime | None
    # Given on the sign-up form, for some events.
    from_signup_form: bool = False


def consent_states(session: Session, user: User) -> dict[ConsentKind, ConsentState]:
    """The effective state of each personal consent (the directory one is on its own page)."""
    states = {}
    for kind in PERSONAL_CONSENTS:
        record = current_consent(session, user, kind)
        given = is_given(session, user, kind)
        states[kind] = ConsentState(
            given=given,
            at=record.at if record else None,
            from_signup_form=given
            and kind == ConsentKind.PARTICIPANT_LIST
            and not given_for_every_list(session, user),
        )
    return states


# --- export ---------------------------------------------------------------------------------


def export_json(session: Session, user: User, now: datetime | None = None) -> bytes:
    data = {
        "generated_at": plain(now or utcnow()),
        "format": "eventapp-personal-data/1",
        "sections": export_for(session, user),
    }
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_value).encode("utf-8")


def _json_value(value):
    converted = plain(value)
    return str(value) if converted is value else converted


def _cell_text(value) -> str:
    return "" if value is None else str(plain(value))


def export_csv_zip(session: Session, user: User) -> bytes:
    """A zip with one CSV per category: their columns differ too much for one sheet."""
    buffer = io.BytesIO()
    data = export_for(session, user)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for section in SECTIONS:
            rows = data[section.key]["rows"]
            header: list[str] = []
            for row in rows:
                header.extend(key for key in row if key not in header)
            lines = [header or ["(empty)"]]
            lines += [[_cell_text(row.get(key)) for key in header] for row in rows]
            archive.writestr(f"{section.key}.csv", csv_text(lines).encode("utf-8"))
    return buffer.getvalue()


# --- deleting an account --------------------------------------------------------------------


def check_deletion_password(user: User, password: str) -> None:
    if not verify_password(user, password):
        raise PrivacyError(_l("The password is wrong."))


def check_not_last_admin(session: Session, user: User) -> None:
    """Refuse to delete the only administrator: nobody could then manage accounts."""
    if not user.is_admin:
        return
    others = session.scalar(
        select(UserRole.user_id)
        .join(User, User.id == UserRole.user_id)
        .where(
            UserRole.role == Role.ADMIN,
            UserRole.user_id != user.id,
            User.deleted_at.is_(None),
            User.is_disabled.is_(False),
        )
        .limit(1)
    )
    if others is None:
        raise PrivacyError(
            _l("You are the only administrator. Make someone else an administrator first.")
        )


def delete_account(
    session: Session, user: User, *, actor: User, now: datetime | None = None
) -> User:
    """Remove or anonymise everything personal about ``user``; keep what counts need.

    The row stays (``deleted_at`` set) so attendance, panel feedback, jury scores and award
    results that point at it stay consistent: they now point at an anonymous person. Future
    sign-ups are cancelled so the seat goes to the waiting list. Login sessions and feed
    links are deleted, so the browser and the personal calendar feed stop working at once.
    """
    if user.deleted_at is not None:
        return user
    now = now or utcnow()
    _cancel_future_signups(session, user, now)
    session.execute(
        update(Signup)
        .where(Signup.user_id == user.id)
        .values(show_in_participant_list=False, cancellation_reason=None)
    )
    _strip_applications(session, user)
    # Nominations made signed in, or signed out with the same address: the nomination keeps
    # counting for the enterprise, the nominator's contact data go.
    made_by_person = [Nomination.user_id == user.id]
    if user.email:
        made_by_person.append(Nomination.nominator_email == user.email)
    session.execute(
        update(Nomination)
        .where(or_(*made_by_person))
        .values(nominator_name=DELETED_NAME, nominator_email="", user_id=None)
    )
    _delete_jury_ties(session, user)
    # Coordinating a breakfast series is a permission to run its check-in: it ends too.
    coordinators = db.metadata.tables["breakfast_coordinators"]
    session.execute(delete(coordinators).where(coordinators.c.user_id == user.id))
    session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    session.execute(delete(FeedToken).where(FeedToken.user_id == user.id))
    session.execute(delete(EventInvitation).where(EventInvitation.user_id == user.id))
    if user.email:
        session.execute(delete(OutboxMessage).where(OutboxMessage.to_address == user.email))
    # Personal consents end with the account; a directory consent is the organisation's and
    # stays as its history.
    session.execute(
        delete(ConsentRecord).where(
            ConsentRecord.user_id == user.id, ConsentRecord.kind.in_(PERSONAL_CONSENTS)
        )
    )
    session.execute(delete(UserRole).where(UserRole.user_id == user.id))
    session.expire(user, ["role_rows"])
    user.name = DELETED_NAME
    user.email = None
    user.password_hash = None
    user.organisation = None
    user.email_confirmed_at = None
    user.last_login_at = None
    user.deleted_at = now
    session.flush()
    # Counts only: who deleted which id, never the name or address that are now gone.
    log.info("account %d deleted by %s", user.id, "self" if actor is user else f"user {actor.id}")
    return user


def _cancel_future_signups(session: Session, user: User, now: datetime) -> None:
    signups = session.scalars(
        select(Signup)
        .join(Event, Signup.event_id == Event.id)
        .where(
            Signup.user_id == user.id,
            Signup.status.in_(ACTIVE_SIGNUP_STATUSES),
            Event.starts_at > now,
        )
    ).all()
    for signup in signups:
        try:
            cancel_signup(session, signup, user, by_organiser=True, now=now)
        except SignupError:
            continue  # cancelled meanwhile: nothing to free


def _strip_applications(session: Session, user: User) -> None:
    """Keep each application (the boards' counts) but not what the person wrote."""
    application_ids = select(PitchApplication.id).where(PitchApplication.applicant_id == user.id)
    session.execute(
        update(PitchApplication)
        .where(PitchApplication.applicant_id == user.id)
        .values(
            organisation_name=REMOVED_TEXT,
            idea=REMOVED_TEXT,
            social_impact=REMOVED_TEXT,
            other_wish="",
            accessibility_needs="",
            decline_message=None,
            show_publicly=False,
        )
    )
    session.execute(
        update(PitchFeedback)
        .where(PitchFeedback.application_id.in_(application_ids))
        .values(strengths="", advice="", offers="")
    )
    session.execute(
        update(PanelNote).where(PanelNote.application_id.in_(application_ids)).values(body="")
    )


def _delete_jury_ties(session: Session, user: User) -> None:
    """The conflict register lists the person's own ties; the declarations and scores stay."""
    member_ids = select(JuryMember.id).where(JuryMember.user_id == user.id)
    session.execute(delete(ConflictTie).where(ConflictTie.member_id.in_(member_ids)))
