"""`flask purge`: data past their retention period go, counted, and a second run does nothing.

Time is frozen by passing ``now`` explicitly (the services take it for exactly this).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from eventapp.auth.models import LoginSession
from eventapp.awards.models import Nomination
from eventapp.boards.models import ApplicationStatus
from eventapp.calendar.feed_models import FeedToken
from eventapp.calendar.models import Attendance, Signup, SignupStatus
from eventapp.database import utcnow
from eventapp.mail import OutboxMessage
from eventapp.privacy.retention import RULES, notice_rows, purge
from eventapp.privacy.services import REMOVED_TEXT
from tests.awards.jury_helpers import make_jury_cycle, make_jury_dossier
from tests.boards.helpers import make_application, make_board
from tests.factories import make_event, make_user

DAY = timedelta(days=1)


def _all_zero(report: dict[str, int]) -> bool:
    return all(count == 0 for count in report.values())


def test_defaults_are_documented_in_the_notice(app):
    rows = notice_rows(app.config)
    assert len(rows) == len(RULES)
    assert any("30" in action for _, action in rows)
    app.config["RETENTION_SENT_MAIL_DAYS"] = 45
    assert any("45" in action for _, action in notice_rows(app.config))


def test_unconfirmed_accounts_are_anonymised_after_their_period(app, session):
    now = utcnow()
    old = make_user(session, confirmed=False, created_at=now - 31 * DAY)
    young = make_user(session, confirmed=False, created_at=now - 29 * DAY)
    report = purge(session, app.config, now=now)
    assert report["unconfirmed_accounts"] == 1
    assert old.deleted_at is not None and old.email is None
    assert young.deleted_at is None
    assert _all_zero(purge(session, app.config, now=now))


def test_inactive_accounts_but_not_admins(app, session):
    now = utcnow()
    long_ago = now - (3 * 365 + 1) * DAY
    idle = make_user(session, last_login_at=long_ago, created_at=long_ago)
    admin = make_user(session, roles=("organiser", "admin"), last_login_at=long_ago)
    recent = make_user(session, last_login_at=now - 10 * DAY, created_at=long_ago)
    guest = make_user(session, is_guest=True, created_at=long_ago)
    recent_guest = make_user(session, is_guest=True, created_at=long_ago)
    event = make_event(session, starts_at=now - 100 * DAY)
    session.add(
        Signup(
            event=event,
            user=recent_guest,
            status=SignupStatus.CONFIRMED,
            confirmed_at=event.starts_at,
            attendance=Attendance.PRESENT,
        )
    )
    session.flush()
    report = purge(session, app.config, now=now)
    assert report["inactive_accounts"] == 2
    assert idle.deleted_at is not None and guest.deleted_at is not None
    assert admin.deleted_at is None and recent.deleted_at is None
    assert recent_guest.deleted_at is None


def test_sent_mail_and_ended_sessions_are_deleted(app, session):
    now = utcnow()
    user = make_user(session)
    old_mail = OutboxMessage(
        dedup_key="old",
        to_address="a@example.org",
        subject="s",
        body_text="b",
        created_at=now - 100 * DAY,
        sent_at=now - 91 * DAY,
    )
    new_mail = OutboxMessage(
        dedup_key="new",
        to_address="a@example.org",
        subject="s",
        body_text="b",
        created_at=now - 100 * DAY,
        sent_at=now - 89 * DAY,
    )
    pending = OutboxMessage(
        dedup_key="pending",
        to_address="a@example.org",
        subject="s",
        body_text="b",
        created_at=now - 100 * DAY,
    )
    revoked = LoginSession(token_hash="1" * 64, user=user, revoked_at=now - 31 * DAY)
    idle = LoginSession(token_hash="2" * 64, user=user, last_seen_at=now - 60 * DAY)
    live = LoginSession(token_hash="3" * 64, user=user, last_seen_at=now - DAY)
    old_feed = FeedToken(
        user=user, purpose="personal", token_hash="4" * 64, revoked_at=now - 31 * DAY
    )
    session.add_all([old_mail, new_mail, pending, revoked, idle, live, old_feed])
    session.flush()
    report = purge(session, app.config, now=now)
    session.expire_all()
    assert report["sent_mail"] == 1
    assert report["login_sessions"] == 3
    keys = set(session.scalars(select(OutboxMessage.dedup_key)))
    assert keys == {"new", "pending"}
    assert set(session.scalars(select(LoginSession.token_hash))) == {"3" * 64}
    assert _all_zero(purge(session, app.config, now=now))


def test_signup_details_go_but_attendance_stays(app, session):
    now = utcnow()
    old = make_event(session, starts_at=now - (3 * 365 + 2) * DAY)
    recent = make_event(session, starts_at=now - 30 * DAY)
    user = make_user(session)
    for event in (old, recent):
        session.add(
            Signup(
                event=event,
                user=user,
                status=SignupStatus.CONFIRMED,
                confirmed_at=event.starts_at,
                attendance=Attendance.PRESENT,
                show_in_participant_list=True,
            )
        )
    session.flush()
    report = purge(session, app.config, now=now)
    session.expire_all()
    assert report["signup_details"] == 1
    rows = {s.event_id: s for s in session.scalars(select(Signup).where(Signup.user_id == user.id))}
    assert not rows[old.id].show_in_participant_list
    assert rows[old.id].attendance == Attendance.PRESENT
    assert rows[recent.id].show_in_participant_list
    assert _all_zero(purge(session, app.config, now=now))


def test_board_texts_follow_their_periods(app, session):
    now = utcnow()
    board = make_board(session, starts_at=now - 40 * DAY, deadline=now - 50 * DAY)
    needs = make_application(session, board, accessibility_needs="Rullstol")
    declined = make_application(
        session, board, status=ApplicationStatus.DECLINED, decided_at=now - 366 * DAY
    )
    recent_decline = make_application(
        session, board, status=ApplicationStatus.DECLINED, decided_at=now - 100 * DAY
    )
    report = purge(session, app.config, now=now)
    session.expire_all()
    assert report["accessibility_needs"] == 1
    assert needs.accessibility_needs == "" and needs.idea != REMOVED_TEXT
    assert report["closed_applications"] == 1
    assert declined.idea == REMOVED_TEXT and declined.status == ApplicationStatus.DECLINED
    assert recent_decline.idea != REMOVED_TEXT
    assert _all_zero(purge(session, app.config, now=now))


def test_nominator_contact_data_go_two_years_after_scoring(app, session):
    cycle = make_jury_cycle(session, "deliberation")
    dossier = make_jury_dossier(session, cycle, "Alfa")
    nomination = dossier.nominations[0]
    closed = cycle.scoring_close_on
    just_before = datetime.combine(closed + timedelta(days=730), time(12), tzinfo=UTC)
    assert purge(session, app.config, now=just_before)["nominator_contact"] == 0
    after = just_before + 2 * DAY
    report = purge(session, app.config, now=after)
    session.expire_all()
    assert report["nominator_contact"] == 1
    assert nomination.nominator_email == "" and nomination.nominator_name == REMOVED_TEXT
    assert dossier.nomination_count == 1
    assert isinstance(closed, date)
    assert session.scalar(select(Nomination.id).where(Nomination.id == nomination.id))


def test_cli_prints_counts_and_is_idempotent(app, session, runner):
    now = utcnow()
    make_user(session, confirmed=False, created_at=now - 40 * DAY)
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "unconfirmed_accounts: 1" in result.output
    again = runner.invoke(args=["purge"])
    assert "unconfirmed_accounts: 0" in again.output


def test_inactive_accounts_are_warned_a_month_before(app, session):
    now = utcnow()
    period = timedelta(days=3 * 365)
    soon = make_user(session, last_login_at=now - period + 10 * DAY, locale="sv")
    later = make_user(session, last_login_at=now - period + 40 * DAY)
    report = purge(session, app.config, now=now)
    assert report["inactive_warnings"] == 1
    mail = session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == soon.email)
    ).one()
    assert "logga in" in mail.body_text.lower()
    assert "/auth/login" in mail.body_text
    assert not session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == later.email)
    ).all()
    assert soon.deleted_at is None
    assert purge(session, app.config, now=now)["inactive_warnings"] == 0
    # A month later, no sign-in: the account is anonymised.
    assert purge(session, app.config, now=now + 11 * DAY)["inactive_accounts"] == 1
    assert soon.deleted_at is not None
