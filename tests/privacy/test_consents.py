"""Consents: unticked by default, recorded with time, withdrawn with one click."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from eventapp.calendar.models import Signup
from eventapp.calendar.services import sign_up, visible_participants
from eventapp.database import utcnow
from eventapp.privacy.consents import has_consent, record_consent
from eventapp.privacy.models import ConsentKind, ConsentRecord
from tests.factories import make_event, make_user


def test_nothing_is_given_by_default(session):
    user = make_user(session)
    assert not any(has_consent(session, user, kind) for kind in ConsentKind)


def test_giving_and_withdrawing_keeps_the_history(session):
    user = make_user(session)
    start = utcnow()
    record_consent(session, user, ConsentKind.INVITATIONS, True, source="t", now=start)
    record_consent(
        session, user, ConsentKind.INVITATIONS, False, source="t", now=start + timedelta(1)
    )
    assert not has_consent(session, user, ConsentKind.INVITATIONS)
    history = session.scalars(
        select(ConsentRecord.given)
        .where(ConsentRecord.user_id == user.id)
        .order_by(ConsentRecord.at)
    ).all()
    assert history == [True, False]


def test_participant_list_consent_follows_into_every_signup(session):
    user = make_user(session)
    event = make_event(session)
    sign_up(session, event, user)
    assert visible_participants(session, event) == []
    record_consent(session, user, ConsentKind.PARTICIPANT_LIST, True, source="t")
    assert visible_participants(session, event) == [user]
    record_consent(session, user, ConsentKind.PARTICIPANT_LIST, False, source="t")
    session.expire_all()
    assert visible_participants(session, event) == []
    assert not session.scalar(select(Signup.show_in_participant_list))


def test_the_page_gives_and_withdraws_with_one_click(session, client, auth):
    user = make_user(session)
    auth.login_as(user)
    page = client.get("/integritet/samtycken").get_data(as_text=True)
    assert page.count('name="given" value="1"') == 2  # both off to begin with
    response = client.post("/integritet/samtycken", data={"kind": "invitations", "given": "1"})
    assert response.status_code == 302
    assert has_consent(session, user, ConsentKind.INVITATIONS)
    page = client.get("/integritet/samtycken").get_data(as_text=True)
    assert 'name="given" value="0"' in page
    client.post("/integritet/samtycken", data={"kind": "invitations", "given": "0"})
    assert not has_consent(session, user, ConsentKind.INVITATIONS)


def test_unknown_kinds_and_choices_are_refused(session, client, auth):
    user = make_user(session)
    auth.login_as(user)
    for data in (
        {"kind": "directory", "given": "1"},  # the organisation's; on its own page
        {"kind": "admin", "given": "1"},
        {"kind": "invitations", "given": "yes"},
        {"kind": "invitations\x00", "given": "1"},
        {},
    ):
        assert client.post("/integritet/samtycken", data=data).status_code == 400, data
    assert session.scalar(select(ConsentRecord.id)) is None


def test_a_name_shown_from_the_signup_form_can_be_withdrawn_here(session, client, auth):
    user = make_user(session)
    event = make_event(session)
    sign_up(session, event, user, show_in_participant_list=True)
    auth.login_as(user)
    page = client.get("/integritet/samtycken").get_data(as_text=True)
    assert 'name="kind" value="participant_list">\n' in page or "participant_list" in page
    assert 'value="0"' in page  # shown as given, with a withdraw button
    client.post("/integritet/samtycken", data={"kind": "participant_list", "given": "0"})
    session.expire_all()
    assert visible_participants(session, event) == []
    assert not has_consent(session, user, ConsentKind.PARTICIPANT_LIST)


def test_resubmitting_the_same_choice_adds_no_history(session, client, auth):
    user = make_user(session)
    auth.login_as(user)
    for _ in range(2):
        client.post("/integritet/samtycken", data={"kind": "invitations", "given": "1"})
    count = session.scalars(select(ConsentRecord.id).where(ConsentRecord.user_id == user.id))
    assert len(count.all()) == 1


def test_ticking_show_my_name_on_the_signup_form_enters_the_history(session, client, auth):
    user = make_user(session)
    first, second, third = make_event(session), make_event(session), make_event(session)
    session.commit()
    auth.login_as(user)

    def history():
        session.expire_all()
        return session.scalars(
            select(ConsentRecord).where(ConsentRecord.user_id == user.id).order_by(ConsentRecord.id)
        ).all()

    client.post(f"/calendar/events/{first.uid}/signup")  # box not ticked: nothing to record
    assert history() == []
    client.post(f"/calendar/events/{second.uid}/signup", data={"show_in_participant_list": "y"})
    client.post(f"/calendar/events/{third.uid}/signup", data={"show_in_participant_list": "y"})
    records = history()
    assert [(r.kind, r.given, r.source) for r in records] == [
        (ConsentKind.PARTICIPANT_LIST, True, f"signup_form:{second.id}")
    ]
    page = client.get("/integritet/samtycken").get_data(as_text=True)
    assert "i anmälningsformuläret" in page
    # Withdrawing adds the second row, and a later tick a third: the history is complete.
    client.post("/integritet/samtycken", data={"kind": "participant_list", "given": "0"})
    client.post(f"/calendar/events/{first.uid}/signup/cancel")
    client.post(f"/calendar/events/{first.uid}/signup", data={"show_in_participant_list": "y"})
    assert [r.given for r in history()] == [True, False, True]


def test_a_signup_form_tick_stops_counting_once_purge_clears_it(session):
    """The consents page must not say "given" after retention cleared every ticked box."""
    from eventapp.privacy.consents import is_given, record_signup_form_choice
    from eventapp.privacy.services import consent_states

    user = make_user(session)
    event = make_event(session)
    sign_up(session, event, user, show_in_participant_list=True)
    record_signup_form_choice(session, user, event.id)
    assert is_given(session, user, ConsentKind.PARTICIPANT_LIST)
    assert consent_states(session, user)[ConsentKind.PARTICIPANT_LIST].from_signup_form
    # What purge's signup_details category does after the retention period.
    session.execute(
        Signup.__table__.update()
        .where(Signup.user_id == user.id)
        .values(show_in_participant_list=False)
    )
    session.expire_all()
    assert not is_given(session, user, ConsentKind.PARTICIPANT_LIST)
    assert not consent_states(session, user)[ConsentKind.PARTICIPANT_LIST].given
    # A new tick after that is a new consent, with its own history row.
    later = make_event(session)
    sign_up(session, later, user, show_in_participant_list=True)
    assert record_signup_form_choice(session, user, later.id) is not None
