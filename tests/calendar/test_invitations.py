"""Invitations to a coming event: who gets one (the newest INVITATIONS consent record says
given, the address works, not signed up yet), the mail itself through a real local SMTP
server, no second mail on a second send, refusals, the organiser's page and one query for
the recipients whatever their number."""

from __future__ import annotations

import threading
from datetime import date, time, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from eventapp import create_app
from eventapp.auth.models import User
from eventapp.calendar import services
from eventapp.calendar.invitations import (
    InvitationCounts,
    InvitationError,
    invitation_counts,
    invitation_recipients,
    send_invitations,
)
from eventapp.calendar.models import Event, EventInvitation, EventStatus
from eventapp.database import utcnow
from eventapp.extensions import db
from eventapp.i18n import combine_local
from eventapp.mail import OutboxMessage, send_outbox
from eventapp.privacy.consents import record_consent
from eventapp.privacy.models import ConsentKind, ConsentRecord
from tests.backing_services import require_postgres
from tests.calendar import signup_rush
from tests.conftest import (
    _base_config,
    _create_postgres_database,
    _drop_postgres_database,
)
from tests.factories import make_event, make_user
from tests.querycount import count_queries


def consenting(session, **fields):
    """A person who has said yes to invitations."""
    user = make_user(session, **fields)
    record_consent(session, user, ConsentKind.INVITATIONS, True, source="test")
    return user


def _emails(users) -> set[str]:
    return {user.email for user in users}


def _outbox(session) -> list[OutboxMessage]:
    return session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


@pytest.fixture
def organiser(session):
    return make_user(session, "organiser", locale="en")


@pytest.fixture
def english(client):
    client.set_cookie("lang", "en")
    return client


# --- who is invited -------------------------------------------------------------------------


def test_only_the_newest_consent_record_counts(session):
    event = make_event(session)
    start = utcnow() - timedelta(days=30)
    yes = make_user(session, email="yes@example.org")
    withdrawn = make_user(session, email="withdrawn@example.org")
    again = make_user(session, email="again@example.org")
    never = make_user(session, email="never@example.org")
    only_no = make_user(session, email="no@example.org")
    record_consent(session, yes, ConsentKind.INVITATIONS, True, source="t", now=start)
    record_consent(session, withdrawn, ConsentKind.INVITATIONS, True, source="t", now=start)
    record_consent(
        session, withdrawn, ConsentKind.INVITATIONS, False, source="t", now=start + timedelta(1)
    )
    record_consent(session, again, ConsentKind.INVITATIONS, True, source="t", now=start)
    record_consent(
        session, again, ConsentKind.INVITATIONS, False, source="t", now=start + timedelta(1)
    )
    record_consent(
        session, again, ConsentKind.INVITATIONS, True, source="t", now=start + timedelta(2)
    )
    record_consent(session, only_no, ConsentKind.INVITATIONS, False, source="t", now=start)
    # Another consent given does not count as this one.
    record_consent(session, never, ConsentKind.PARTICIPANT_LIST, True, source="t")

    assert _emails(invitation_recipients(session, event)) == {
        "yes@example.org",
        "again@example.org",
    }


def test_equal_times_are_decided_by_the_newer_record(session):
    """Two records with the same time (a double click): the later row is the state."""
    event = make_event(session)
    moment = utcnow() - timedelta(days=1)
    user = make_user(session)
    for given in (True, False):
        session.add(
            ConsentRecord(
                user=user, kind=ConsentKind.INVITATIONS, given=given, at=moment, source="t"
            )
        )
    session.flush()
    assert invitation_recipients(session, event) == []


def test_people_who_cannot_be_mailed_are_left_out(session):
    event = make_event(session)
    consenting(session, email="ok@example.org")
    for fields in (
        {"is_guest": True},
        {"is_disabled": True},
        {"deleted_at": utcnow()},
        {"confirmed": False},
    ):
        consenting(session, **fields)
    no_address = consenting(session)
    no_address.email = None
    session.flush()
    assert _emails(invitation_recipients(session, event)) == {"ok@example.org"}


def test_people_signed_up_for_the_event_are_left_out(session):
    event = make_event(session, capacity=1)
    confirmed = consenting(session)
    waiting = consenting(session)
    cancelled = consenting(session, email="cancelled@example.org")
    elsewhere = consenting(session, email="elsewhere@example.org")
    assert services.sign_up(session, event, confirmed).confirmed
    assert not services.sign_up(session, event, waiting).confirmed
    # Someone who cancelled may still want to come: they are invited.
    signup = services.sign_up(session, event, cancelled).signup
    services.cancel_signup(session, signup, cancelled)
    # A sign-up for another event is no sign-up for this one.
    services.sign_up(session, make_event(session), elsewhere)

    assert _emails(invitation_recipients(session, event)) == {
        "cancelled@example.org",
        "elsewhere@example.org",
    }


def test_counts_match_the_recipients_and_what_was_sent(session, organiser):
    event = make_event(session)
    for _ in range(3):
        consenting(session)
    counts = invitation_counts(session, event)
    assert (counts.queued, counts.already_invited) == (3, 0)
    send_invitations(session, event, organiser)
    consenting(session)
    counts = invitation_counts(session, event)
    assert (counts.queued, counts.already_invited) == (1, 3)


def _statements(session, event, expected_people: int) -> tuple[int, int]:
    """The statements of invitation_recipients and of invitation_counts, each on its own."""
    session.expire_all()
    assert event.id  # reload the event outside the counted blocks
    with count_queries(db.engine) as recipients:
        assert len(invitation_recipients(session, event)) == expected_people
    with count_queries(db.engine) as counts:
        assert invitation_counts(session, event).queued == expected_people
    return recipients.count, counts.count


def test_the_recipients_are_one_query_whatever_their_number(session):
    event = make_event(session)
    for _ in range(2):
        consenting(session)
    few = _statements(session, event, 2)
    for _ in range(30):
        signed_up = consenting(session)
        services.sign_up(session, make_event(session), signed_up)
    many = _statements(session, event, 32)
    assert few == many == (1, 1)


# --- sending --------------------------------------------------------------------------------


def test_the_invitation_mail_in_each_persons_language(app, session, smtp_server, organiser):
    day = date(utcnow().year + 1, 1, 15)
    starts = combine_local(day, time(18, 0))
    event = make_event(
        session,
        starts_at=starts,
        title="Frukost: {{7*7}} <b>",
        place="Kupolen, Borlänge",
    )
    consenting(session, name="Åsa Öberg", email="asa@example.org", locale="sv")
    consenting(session, name="Ann Smith", email="ann@example.org", locale="en")
    counts = send_invitations(session, event, organiser)
    assert (counts.queued, counts.already_invited) == (2, 0)
    session.commit()
    assert send_outbox(app).sent == 2

    [english] = smtp_server.to("ann@example.org")
    assert english["Subject"] == "Invitation: Frukost: {{7*7}} <b>"
    body = english.get_body(("plain",)).get_content()
    assert "Hello Ann Smith," in body
    assert "Frukost: {{7*7}} <b>" in body  # shown literally, never evaluated or escaped
    assert "18:00" in body and "17:00" not in body  # Swedish time, not UTC
    assert "January 15" in body
    assert "Kupolen, Borlänge" in body
    assert f"https://events.example.org/calendar/events/{event.uid}" in body
    assert "invitations to coming events" in body
    assert "https://events.example.org/integritet/samtycken" in body

    # Needs /tmp/sv-invitations.tsv merged into the catalogue.
    [swedish] = smtp_server.to("asa@example.org")
    assert swedish["Subject"] == "Inbjudan: Frukost: {{7*7}} <b>"
    body = swedish.get_body(("plain",)).get_content()
    assert "Hej Åsa Öberg!" in body and "Du är inbjuden" in body
    assert "januari" in body and "18:00" in body
    assert "https://events.example.org/integritet/samtycken" in body


def test_a_second_send_mails_nobody_twice(app, session, smtp_server, organiser):
    event = make_event(session)
    first = consenting(session, email="first@example.org")
    consenting(session, email="second@example.org")
    assert send_invitations(session, event, organiser).queued == 2
    session.commit()
    send_outbox(app)

    again = send_invitations(session, event, organiser)
    assert (again.queued, again.already_invited) == (0, 2)
    newcomer = consenting(session, email="newcomer@example.org")
    later = send_invitations(session, event, organiser)
    assert (later.queued, later.already_invited) == (1, 2)
    session.commit()
    send_outbox(app)

    assert len(smtp_server.to(first.email)) == 1
    assert len(smtp_server.to(newcomer.email)) == 1
    assert len(smtp_server.messages) == 3
    # Another event is another invitation.
    assert send_invitations(session, make_event(session), organiser).queued == 3


def test_someone_who_withdrew_after_the_first_send_is_not_counted(session, organiser):
    event = make_event(session)
    person = consenting(session)
    send_invitations(session, event, organiser)
    record_consent(session, person, ConsentKind.INVITATIONS, False, source="t")
    counts = send_invitations(session, event, organiser)
    assert (counts.queued, counts.already_invited) == (0, 0)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"starts_at": utcnow() - timedelta(days=2)}, "already started"),
        ({"starts_at": utcnow() - timedelta(minutes=30)}, "already started"),
        ({"status": EventStatus.CANCELLED, "cancelled_at": utcnow()}, "cancelled"),
        ({"is_public": False}, "Only public events"),
    ],
    ids=["past", "running", "cancelled", "unlisted"],
)
def test_past_cancelled_and_unlisted_events_are_refused(session, organiser, fields, message):
    event = make_event(session, **fields)
    consenting(session)
    with pytest.raises(InvitationError) as error:
        send_invitations(session, event, organiser)
    with force_locale("en"):
        assert message in str(error.value.message)
    assert _outbox(session) == []


def test_now_decides_what_is_past(session, organiser):
    event = make_event(session)
    consenting(session)
    with pytest.raises(InvitationError):
        send_invitations(session, event, organiser, now=event.starts_at)
    assert send_invitations(session, event, organiser, now=event.starts_at - timedelta(1)).queued


# --- the organiser's page -------------------------------------------------------------------


def test_the_page_shows_the_number_and_sending_flashes_the_counts(
    client, auth, session, english, organiser, smtp_server, app
):
    event = make_event(session, title="Labb i Falun")
    for _ in range(3):
        consenting(session)
    consenting(session, is_guest=True)
    auth.login_as(organiser)
    page = client.get(f"/calendar/events/{event.uid}/invite")
    assert page.status_code == 200
    assert "Labb i Falun" in page.text
    assert "<dd>3</dd>" in page.text and "<dd>0</dd>" in page.text
    assert "Send the invitation" in page.text

    response = client.post(f"/calendar/events/{event.uid}/invite", follow_redirects=True)
    assert "Invitations queued: 3. Already invited before, not mailed again: 0." in response.text
    assert "There is nobody to invite right now." in response.text
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 3

    response = client.post(f"/calendar/events/{event.uid}/invite", follow_redirects=True)
    assert "Invitations queued: 0. Already invited before, not mailed again: 3." in response.text
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 3


def test_the_page_explains_a_refusal_and_sends_nothing(client, auth, session, english, organiser):
    event = make_event(session, is_public=False)
    consenting(session)
    auth.login_as(organiser)
    page = client.get(f"/calendar/events/{event.uid}/invite").text
    assert "Only public events can be sent as invitations." in page
    assert "Send the invitation" not in page
    response = client.post(f"/calendar/events/{event.uid}/invite", follow_redirects=True)
    assert "Only public events can be sent as invitations." in response.text
    assert _outbox(session) == []


def test_people_who_are_not_organisers_get_403(client, auth, session):
    event = make_event(session)
    consenting(session)
    auth.login_as(make_user(session, roles=("juror", "panelist")))
    assert client.get(f"/calendar/events/{event.uid}/invite").status_code == 403
    assert client.post(f"/calendar/events/{event.uid}/invite").status_code == 403
    assert _outbox(session) == []


def test_anonymous_visitors_are_sent_to_sign_in(client, session):
    event = make_event(session)
    response = client.get(f"/calendar/events/{event.uid}/invite")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_unknown_event_is_404(client, auth, organiser):
    auth.login_as(organiser)
    response = client.get("/calendar/events/00000000-0000-0000-0000-000000000000/invite")
    assert response.status_code == 404


def test_the_event_page_links_to_the_invitation_page_for_organisers(
    client, auth, session, english, organiser
):
    event = make_event(session)
    unlisted = make_event(session, is_public=False)
    link = f'href="/calendar/events/{event.uid}/invite"'
    assert link not in client.get(f"/calendar/events/{event.uid}").text
    auth.login_as(organiser)
    assert link in client.get(f"/calendar/events/{event.uid}").text
    assert "/invite" not in client.get(f"/calendar/events/{unlisted.uid}").text


# --- two sends at once ----------------------------------------------------------------------


@pytest.fixture
def committed_postgres():
    """A fresh migrated PostgreSQL database whose rows really commit (not rolled back)."""
    require_postgres()  # skips locally without PostgreSQL, fails in CI
    url = _create_postgres_database()
    signup_rush.migrate(url)
    app = create_app(_base_config(url))
    yield app
    with app.app_context():
        db.engine.dispose()
    _drop_postgres_database(url)


def test_two_sends_at_once_take_turns_on_postgresql(committed_postgres):
    """The second send waits for the first to commit, then finds every key taken. Without
    the row lock it would wait on the outbox's unique key instead and fail (a 500)."""
    app = committed_postgres
    with app.app_context(), Session(db.engine) as setup:
        sender = make_user(setup, "organiser")
        event = make_event(setup)
        for _ in range(3):
            consenting(setup)
        setup.commit()
        sender_id, event_id = sender.id, event.id

    second_result: list = []

    def second_send():
        with app.app_context(), Session(db.engine) as session:
            try:
                second_result.append(
                    send_invitations(
                        session, session.get(Event, event_id), session.get(User, sender_id)
                    )
                )
                session.commit()
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                second_result.append(error)

    with app.app_context(), Session(db.engine) as first:
        sent = send_invitations(first, first.get(Event, event_id), first.get(User, sender_id))
        assert sent.queued == 3
        thread = threading.Thread(target=second_send)
        thread.start()
        thread.join(timeout=1.0)
        assert thread.is_alive(), "the second send did not wait for the first"
        first.commit()
    thread.join(timeout=10.0)
    assert not thread.is_alive()
    [second] = second_result
    assert second == InvitationCounts(queued=0, already_invited=3)
    with app.app_context(), Session(db.engine) as check:
        assert check.scalar(select(func.count()).select_from(OutboxMessage)) == 3


def test_a_send_costs_the_same_statements_for_three_or_thirty_people(session, organiser):
    """Rendered one by one, inserted together: no statement per person while the event
    row is locked."""

    def statements_of_a_send(people: int) -> int:
        event = make_event(session)
        for _ in range(people):
            consenting(session)
        session.flush()
        session.expire_all()
        assert event.id and organiser.id  # loaded before counting
        with count_queries(db.engine) as counter:
            assert send_invitations(session, event, organiser).queued >= people
        return counter.count

    few = statements_of_a_send(3)
    many = statements_of_a_send(30)
    assert many == few, (few, many)


def test_purging_the_sent_mail_does_not_make_people_invited_again(app, session, organiser):
    """Sent mail goes after 90 days; an event can be further ahead than that."""
    from eventapp.privacy.retention import purge

    event = make_event(session, starts_at=utcnow() + timedelta(days=200))
    consenting(session)
    assert send_invitations(session, event, organiser).queued == 1
    for message in _outbox(session):
        message.sent_at = utcnow()
    session.flush()
    report = purge(session, app.config, now=utcnow() + timedelta(days=91))
    assert report["sent_mail"] == 1 and _outbox(session) == []
    again = send_invitations(session, event, organiser, now=utcnow() + timedelta(days=91))
    assert (again.queued, again.already_invited) == (0, 1)
    # Once the event is over the record goes too (RETENTION_EVENT_INVITATION_DAYS after it).
    after = event.ends_at + timedelta(days=app.config["RETENTION_EVENT_INVITATION_DAYS"] + 1)
    assert purge(session, app.config, now=after)["event_invitations"] == 1
    assert session.scalar(select(func.count(EventInvitation.id))) == 0
