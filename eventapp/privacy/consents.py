"""Giving and withdrawing consents; the current state is the newest record.

Kept apart from ``privacy.services`` so areas that record a consent (the directory) need
only the models, not the export and deletion machinery.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from eventapp.auth.models import Organisation, User
from eventapp.calendar.models import Signup
from eventapp.database import utcnow
from eventapp.privacy.models import ConsentKind, ConsentRecord

PERSONAL_CONSENTS = (ConsentKind.PARTICIPANT_LIST, ConsentKind.INVITATIONS)
# The source of a consent given by ticking "show my name" on a sign-up: "signup_form:<event id>".
SIGNUP_FORM_SOURCE = "signup_form"


class PrivacyError(Exception):
    """A rule refused the action; ``message`` is safe to show to the person."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def current_consent(
    session: Session, user: User, kind: ConsentKind, organisation: Organisation | None = None
) -> ConsentRecord | None:
    """The newest record of this consent, or None if the person never chose (= not given)."""
    query = select(ConsentRecord).where(
        ConsentRecord.user_id == user.id, ConsentRecord.kind == kind
    )
    if kind == ConsentKind.DIRECTORY:
        # The organisation's consent: the newest record by any of its members counts.
        query = select(ConsentRecord).where(
            ConsentRecord.kind == kind,
            ConsentRecord.organisation_id == (organisation.id if organisation else None),
        )
    return session.scalar(query.order_by(ConsentRecord.at.desc(), ConsentRecord.id.desc()))


def has_consent(
    session: Session, user: User, kind: ConsentKind, organisation: Organisation | None = None
) -> bool:
    """Whether the consent is given now; unticked (False) until the person gives it."""
    record = current_consent(session, user, kind, organisation)
    return bool(record and record.given)


def shown_in_some_participant_list(session: Session, user: User) -> bool:
    """Whether a sign-up of the person shows their name (ticked on the sign-up form)."""
    return bool(
        session.scalar(
            select(Signup.id)
            .where(Signup.user_id == user.id, Signup.show_in_participant_list.is_(True))
            .limit(1)
        )
    )


def is_given(
    session: Session, user: User, kind: ConsentKind, organisation: Organisation | None = None
) -> bool:
    """The effective state. The sign-up form can also tick "show my name" for one event, so
    the participant-list consent counts as given while any sign-up shows the name: then
    withdrawing it here clears them all."""
    if kind != ConsentKind.PARTICIPANT_LIST:
        return has_consent(session, user, kind, organisation)
    if given_for_every_list(session, user):
        return True
    return shown_in_some_participant_list(session, user)


def given_for_every_list(session: Session, user: User) -> bool:
    """The participant-list consent given on the consents page (for every list), as opposed
    to a tick on one sign-up form, which counts only while some sign-up still shows the name
    (``purge`` clears those ticks after the retention period)."""
    record = current_consent(session, user, ConsentKind.PARTICIPANT_LIST)
    return bool(record and record.given and not record.source.startswith(SIGNUP_FORM_SOURCE))


def record_consent(
    session: Session,
    user: User,
    kind: ConsentKind,
    given: bool,
    *,
    source: str,
    organisation: Organisation | None = None,
    now: datetime | None = None,
) -> ConsentRecord | None:
    """Give or withdraw a consent: a new history row for each change, never an update.

    Choosing what is already the state (a resubmitted form, a second tab) adds nothing and
    returns the current record. The participant-list consent is also the
    ``show_in_participant_list`` flag of every sign-up of the person, so the lists follow
    the choice at once.
    """
    if kind == ConsentKind.DIRECTORY and organisation is None:
        raise PrivacyError(_l("Join an organisation in your profile first."))
    current = current_consent(session, user, kind, organisation)
    if is_given(session, user, kind, organisation) == given:
        return current
    record = ConsentRecord(
        user=user,
        kind=kind,
        given=given,
        source=source,
        organisation=organisation if kind == ConsentKind.DIRECTORY else None,
        at=now or utcnow(),
    )
    session.add(record)
    if kind == ConsentKind.PARTICIPANT_LIST:
        session.execute(
            update(Signup).where(Signup.user_id == user.id).values(show_in_participant_list=given)
        )
    session.flush()
    return record


def record_signup_form_choice(
    session: Session, user: User, event_id: int, *, now: datetime | None = None
) -> ConsentRecord | None:
    """The sign-up form's "show my name" box was ticked: keep that in the consent history.

    The tick itself lives on the sign-up (``show_in_participant_list``), but GDPR art. 7.1
    asks us to show when and where consent was given, so the first tick after the consent
    was absent, withdrawn or cleared by ``purge`` adds a history row naming the event. Later
    ticks add nothing while an earlier one is still in force.
    """
    if given_for_every_list(session, user):
        return None
    shown = session.scalar(
        select(func.count(Signup.id)).where(
            Signup.user_id == user.id, Signup.show_in_participant_list.is_(True)
        )
    )
    # Another sign-up already showed the name, and that tick is on record: nothing new.
    if shown > 1 and has_consent(session, user, ConsentKind.PARTICIPANT_LIST):
        return None
    record = ConsentRecord(
        user=user,
        kind=ConsentKind.PARTICIPANT_LIST,
        given=True,
        source=f"{SIGNUP_FORM_SOURCE}:{event_id}",
        at=now or utcnow(),
    )
    session.add(record)
    session.flush()
    return record
