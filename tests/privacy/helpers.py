"""A person with something in every corner of the app, for export and deletion tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from eventapp.auth.models import LoginSession, User
from eventapp.awards.models import ConflictTie, JuryMember, Nomination, TieType
from eventapp.boards.models import PanelMember, PitchApplication, PitchFeedback
from eventapp.calendar.feed_services import renew_personal_link
from eventapp.calendar.models import Attendance, Event, Signup, SignupStatus
from eventapp.calendar.services import sign_up
from eventapp.database import utcnow
from eventapp.mail import OutboxMessage
from eventapp.privacy.consents import record_consent
from eventapp.privacy.models import ConsentKind
from tests.awards.jury_helpers import scored_jury
from tests.boards.helpers import make_application, make_board, make_panelist
from tests.factories import make_event, make_organisation, make_user


@dataclass
class Person:
    user: User
    past_event: Event
    future_event: Event
    waiting: User  # next on the waiting list of future_event
    feed_token: str
    application: PitchApplication
    nomination: Nomination
    member: JuryMember
    cycle: object
    email: str


def make_person(session, email: str = "asa.oberg@example.org") -> Person:
    """Åsa: attended a past lab, has a seat at a full future one, applied to a board and got
    feedback, nominated an enterprise, sits on a jury that has scored, gave consents, has a
    feed link, a login session and mail in the outbox."""
    organisation = make_organisation(session, name="Kooperativet Ängen")
    user = make_user(session, "juror", email=email, name="Åsa Öberg", organisation=organisation)
    now = utcnow()

    past = make_event(session, starts_at=now - timedelta(days=30), capacity=10)
    session.add(
        Signup(
            event=past,
            user=user,
            status=SignupStatus.CONFIRMED,
            confirmed_at=past.starts_at - timedelta(days=3),
            created_at=past.starts_at - timedelta(days=3),
            attendance=Attendance.PRESENT,
            attendance_marked_at=past.ends_at,
        )
    )
    past.seats_taken = 1
    future = make_event(session, capacity=1)
    sign_up(session, future, user)
    waiting = make_user(session)
    sign_up(session, future, waiting)

    token = renew_personal_link(session, user)
    session.add(LoginSession(token_hash="a" * 64, user=user, user_agent="Firefox/130"))

    board = make_board(session)
    application = make_application(session, board, applicant=user)
    panelist = make_panelist(session, board)
    member = session.query(PanelMember).filter_by(user_id=panelist.id).one()
    session.add(PitchFeedback(application=application, panel_member=member, strengths="Stark idé"))

    cycle, dossiers, members = scored_jury(session, "deliberation", jurors=3)
    juror = members[1]
    juror.user = user
    session.add(
        ConflictTie(member=juror, organisation_name="Grannföretaget", tie_type=TieType.BOARD)
    )
    nomination = dossiers[0].nominations[0]
    nomination.user = user
    nomination.nominator_name = user.name
    nomination.nominator_email = user.email

    record_consent(session, user, ConsentKind.PARTICIPANT_LIST, True, source="test")
    record_consent(session, user, ConsentKind.INVITATIONS, True, source="test")
    session.add(
        OutboxMessage(
            dedup_key=f"test:{user.id}",
            to_address=user.email,
            subject="Välkommen",
            body_text="Hej Åsa",
        )
    )
    session.flush()
    return Person(
        user=user,
        past_event=past,
        future_event=future,
        waiting=waiting,
        feed_token=token,
        application=application,
        nomination=nomination,
        member=juror,
        cycle=cycle,
        email=email,
    )
