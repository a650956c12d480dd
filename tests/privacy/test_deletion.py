"""Deleting an account: personal data go, counts and award records stay the same."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from eventapp.auth.models import LoginSession, UserRole
from eventapp.awards.models import ConflictTie, Score, ScoreSheet
from eventapp.awards.results import build_snapshot
from eventapp.calendar.feed_models import FeedToken
from eventapp.calendar.models import Attendance, Signup, SignupStatus
from eventapp.mail import OutboxMessage
from eventapp.privacy.models import ConsentKind, ConsentRecord
from eventapp.privacy.services import DELETED_NAME, REMOVED_TEXT, delete_account
from tests.conftest import AuthActions
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.privacy.helpers import make_person


def _count(session, *conditions) -> int:
    return session.scalar(select(func.count()).select_from(Signup).where(*conditions))


def test_the_person_is_anonymised_and_cannot_sign_in(session):
    person = make_person(session)
    user = person.user
    delete_account(session, user, actor=user)
    session.expire_all()
    assert user.deleted_at is not None
    assert user.name == DELETED_NAME
    assert user.email is None and user.password_hash is None
    assert user.organisation is None
    assert user.roles == frozenset()
    assert not user.is_active and not user.can_receive_mail
    assert session.scalar(select(func.count()).where(LoginSession.user_id == user.id)) == 0
    assert session.scalar(select(func.count()).where(FeedToken.user_id == user.id)) == 0
    assert session.scalar(select(func.count()).where(UserRole.user_id == user.id)) == 0
    assert session.scalar(select(func.count()).where(OutboxMessage.to_address == person.email)) == 0
    kinds = session.scalars(select(ConsentRecord.kind).where(ConsentRecord.user_id == user.id))
    assert ConsentKind.PARTICIPANT_LIST not in set(kinds)


def test_attendance_counts_stay_and_future_seats_go_to_the_waiting_list(session):
    person = make_person(session)
    present_before = _count(
        session, Signup.event_id == person.past_event.id, Signup.attendance == Attendance.PRESENT
    )
    delete_account(session, person.user, actor=person.user)
    session.expire_all()
    assert present_before == 1
    assert (
        _count(
            session,
            Signup.event_id == person.past_event.id,
            Signup.attendance == Attendance.PRESENT,
        )
        == present_before
    )
    past = session.scalars(select(Signup).where(Signup.event_id == person.past_event.id)).one()
    assert past.user_id == person.user.id and not past.show_in_participant_list
    # The seat at the full future event went to the person waiting.
    statuses = {
        signup.user_id: signup.status
        for signup in session.scalars(
            select(Signup).where(Signup.event_id == person.future_event.id)
        )
    }
    assert statuses[person.user.id] == SignupStatus.CANCELLED
    assert statuses[person.waiting.id] == SignupStatus.CONFIRMED
    assert person.future_event.seats_taken == 1


def test_jury_scores_and_aggregated_results_are_unchanged(session):
    from eventapp.awards import aggregation
    from eventapp.awards.results import PARAMETERS

    person = make_person(session)
    before = build_snapshot(session, person.cycle, "seed")
    outcome_before = aggregation.results_to_dict(aggregation.aggregate(before, PARAMETERS))
    scores_before = session.scalar(select(func.count()).where(Score.member_id == person.member.id))

    delete_account(session, person.user, actor=person.user)
    session.expire_all()

    after = build_snapshot(session, person.cycle, "seed")
    assert aggregation.snapshot_hash(after) == aggregation.snapshot_hash(before)
    assert aggregation.results_to_dict(aggregation.aggregate(after, PARAMETERS)) == outcome_before
    assert scores_before > 0
    assert (
        session.scalar(select(func.count()).where(Score.member_id == person.member.id))
        == scores_before
    )
    assert session.scalar(select(func.count()).where(ScoreSheet.member_id == person.member.id)) > 0
    # The member row is the anonymous juror; the person's conflict register is gone.
    assert person.member.user.name == DELETED_NAME
    assert (
        session.scalar(select(func.count()).where(ConflictTie.member_id == person.member.id)) == 0
    )


def test_nominations_stay_without_the_nominators_contact_data(session):
    person = make_person(session)
    dossier = person.nomination.dossier
    count_before = dossier.nomination_count
    delete_account(session, person.user, actor=person.user)
    session.expire_all()
    assert person.nomination.nominator_email == ""
    assert person.nomination.nominator_name == DELETED_NAME
    assert person.nomination.user_id is None
    assert person.nomination.dossier.nomination_count == count_before
    assert person.nomination.motivations  # the enterprise's nomination still counts


def test_board_applications_keep_their_count_but_not_their_text(session):
    person = make_person(session)
    application = person.application
    delete_account(session, person.user, actor=person.user)
    session.expire_all()
    assert application.applicant_id == person.user.id
    assert application.status is not None
    assert application.idea == REMOVED_TEXT and application.social_impact == REMOVED_TEXT
    assert application.organisation_name == REMOVED_TEXT
    assert all(item.strengths == "" for item in application.feedback)
    assert len(application.feedback) == 1


def test_deleting_twice_changes_nothing(session):
    person = make_person(session)
    first = delete_account(session, person.user, actor=person.user).deleted_at
    assert delete_account(session, person.user, actor=person.user).deleted_at == first


def test_an_admin_can_delete_an_account(session):
    person = make_person(session)
    admin = make_user(session, "admin")
    delete_account(session, person.user, actor=admin)
    assert person.user.deleted_at is not None
    assert admin.deleted_at is None


def test_deleting_through_the_page_ends_the_session_and_the_feed_at_once(
    app, session, client, auth
):
    person = make_person(session)
    auth.login_as(person.user)
    other_browser = app.test_client()
    AuthActions(other_browser).login_as(person.user)
    feed = f"/calendar/private/{person.feed_token}.ics"
    assert client.get(feed).status_code == 200

    page = client.get("/integritet/radera-konto")
    assert page.status_code == 200
    response = client.post(
        "/integritet/radera-konto", data={"password": DEFAULT_PASSWORD, "understood": "y"}
    )
    assert response.status_code == 302
    assert client.get(feed).status_code == 404
    # Both browsers are signed out: the profile sends them to sign in.
    for browser in (client, other_browser):
        assert browser.get("/auth/profile").status_code == 302
    # And nobody can sign in with the old address.
    assert auth.login(person.email).status_code == 200


def test_a_wrong_password_deletes_nothing_and_keeps_the_page(session, client, auth):
    user = make_user(session)
    auth.login_as(user)
    response = client.post(
        "/integritet/radera-konto", data={"password": "wrong password", "understood": "y"}
    )
    assert response.status_code == 200
    assert "aria-invalid" in response.get_data(as_text=True)
    assert user.deleted_at is None


def test_the_box_must_be_ticked(session, client, auth):
    user = make_user(session)
    auth.login_as(user)
    response = client.post("/integritet/radera-konto", data={"password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    assert user.deleted_at is None


def test_admin_page_deletes_another_account(session, client, auth):
    admin = make_user(session, roles=("organiser", "admin"))
    person = make_user(session)
    auth.login_as(admin)
    assert client.get(f"/integritet/konton/{person.id}/radera").status_code == 200
    response = client.post(f"/integritet/konton/{person.id}/radera", data={"understood": "y"})
    assert response.status_code == 302
    assert person.deleted_at is not None
    # A deleted account is no longer there to delete.
    assert client.get(f"/integritet/konton/{person.id}/radera").status_code == 404


def test_breakfast_coordination_is_exported_and_ends_with_the_account(session):
    from eventapp.breakfasts.models import BreakfastCoordinator
    from eventapp.privacy.registry import export_for
    from tests.breakfasts.helpers import make_series

    organiser = make_user(session, "organiser")
    coordinator = make_user(session)
    series = make_series(session, organiser)
    session.add(BreakfastCoordinator(series_id=series.id, user_id=coordinator.id))
    session.flush()
    rows = export_for(session, coordinator)["breakfast_coordination"]["rows"]
    assert [row["title"] for row in rows] == [series.title]
    delete_account(session, coordinator, actor=coordinator)
    remaining = session.scalars(
        select(BreakfastCoordinator).where(BreakfastCoordinator.user_id == coordinator.id)
    ).all()
    assert remaining == []
    assert series.created_by_id == organiser.id


def test_the_only_administrator_cannot_delete_their_account(session, client, auth):
    from eventapp.auth.models import Role
    from eventapp.privacy.services import PrivacyError, check_not_last_admin

    for user in session.scalars(select(UserRole).where(UserRole.role == Role.ADMIN)):
        session.delete(user)  # a clean slate: no admin but the one below
    session.flush()
    admin = make_user(session, roles=("organiser", "admin"))
    auth.login_as(admin)
    response = client.post(
        "/integritet/radera-konto", data={"password": DEFAULT_PASSWORD, "understood": "y"}
    )
    assert response.status_code == 200
    assert admin.deleted_at is None
    make_user(session, roles=("admin",))
    check_not_last_admin(session, admin)  # another admin now: allowed
    for other in session.scalars(select(UserRole).where(UserRole.role == Role.ADMIN)):
        if other.user_id != admin.id:
            other.user.is_disabled = True  # a disabled admin does not count
    with pytest.raises(PrivacyError):
        check_not_last_admin(session, admin)
