"""The nominee is informed and asked; only accepted dossiers go on, a decline strips the data."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from eventapp.awards import services
from eventapp.awards.models import (
    AuditEntry,
    ConsentStatus,
    Dossier,
    EligibilityStatus,
    Motivation,
    Nomination,
)
from eventapp.awards.services import AwardError
from eventapp.mail import OutboxMessage, send_outbox
from tests.awards.helpers import (
    BASE_URL,
    TOKENS,
    link_in,
    make_cycle,
    nominate,
    nominate_counted,
)


def consent_mail(app, smtp_server, address="karin@hantverket.example"):
    send_outbox(app)
    mails = smtp_server.to(address)
    assert len(mails) == 1
    return mails[0]


def test_nominee_gets_one_informative_mail(app, session, smtp_server):
    cycle = make_cycle(session)
    nominate_counted(session, cycle)
    nominate_counted(session, cycle, nominator_email="second@example.org")
    mail = consent_mail(app, smtp_server)
    body = mail.get_body(("plain",)).get_content()
    assert "Kooperativet Hantverket" in mail["Subject"]
    # Who we are, what is stored, how long, how to decline.
    assert "Region Dalarna" in body
    assert "e-postadress" in body
    assert "24 månader" in body
    assert "24" in body
    assert "/awards/consent/" in body
    # Nominators are not named to the nominee.
    assert "Nils Nominator" not in body and "nils@example.org" not in body


def test_nominee_mail_waits_for_a_counted_nomination(app, session, smtp_server):
    cycle = make_cycle(session)
    nominate(session, cycle)
    send_outbox(app)
    assert smtp_server.to("karin@hantverket.example") == []


def test_accept_through_the_link(app, client, session, smtp_server):
    cycle = make_cycle(session)
    nomination = nominate_counted(session, cycle)
    link = link_in(consent_mail(app, smtp_server), "/awards/consent/")
    page = client.get(link)
    assert page.status_code == 200
    assert "Kooperativet Hantverket" in page.text
    assert page.headers["Cache-Control"] == "no-store"
    response = client.post(link, data={"answer": "accept"})
    assert response.status_code == 302
    session.refresh(nomination.dossier)
    assert nomination.dossier.consent_status == ConsentStatus.ACCEPTED
    assert "Ni har tackat ja" in client.get(link).text


def test_decline_removes_personal_data_and_keeps_counts(app, client, session, smtp_server):
    cycle = make_cycle(session)
    nominate_counted(session, cycle, org_number="769600-0004", website="https://h.example")
    nominate_counted(session, cycle, nominator_email="b@example.org", is_self_nomination=True)
    dossier_id = session.scalar(select(Dossier.id))
    link = link_in(consent_mail(app, smtp_server), "/awards/consent/")
    assert client.post(link, data={"answer": "decline"}).status_code == 302
    session.expire_all()
    dossier = session.get(Dossier, dossier_id)
    assert dossier.consent_status == ConsentStatus.DECLINED
    assert dossier.nomination_count == 2 and dossier.self_nomination_count == 1
    for field in ("name", "org_number", "website", "contact_name", "contact_email"):
        assert getattr(dossier, field) is None
    assert session.scalar(select(Nomination)) is None
    assert session.scalar(select(Motivation)) is None
    assert "tackat nej" in client.get(link).text
    # The audit log of the decline names no personal data.
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "consent.declined"))
    assert "Karin" not in str(entry.changes) and "hantverket" not in str(entry.changes)


def test_a_later_nomination_of_a_declined_enterprise_is_only_counted(app, session, smtp_server):
    cycle = make_cycle(session)
    first = nominate_counted(session, cycle, org_number="769600-0004")
    dossier = first.dossier
    services.answer_consent(session, dossier, accept=False)
    send_outbox(app)
    smtp_server.clear()
    nominate_counted(session, cycle, org_number="769600-0004", nominator_email="x@example.org")
    assert dossier.nomination_count == 2
    assert dossier.nominations == []
    send_outbox(app)
    assert smtp_server.to("karin@hantverket.example") == []


def test_only_accepted_and_eligible_dossiers_go_to_the_jury(session):
    cycle = make_cycle(session)
    dossier = nominate_counted(session, cycle).dossier
    dossier.eligibility_status = EligibilityStatus.ELIGIBLE
    assert not dossier.goes_to_jury
    services.answer_consent(session, dossier, accept=True)
    assert dossier.goes_to_jury


def test_a_link_for_another_contact_does_not_work(session):
    cycle = make_cycle(session)
    dossier = nominate_counted(session, cycle).dossier
    link = services.consent_link(dossier, TOKENS, BASE_URL)
    token = link.rsplit("/", 1)[1]
    assert services.dossier_for_consent_link(session, token, TOKENS) is dossier
    dossier.contact_email = "someone.else@example.org"
    assert services.dossier_for_consent_link(session, token, TOKENS) is None
    assert services.dossier_for_consent_link(session, token + "x", TOKENS) is None


def test_accepting_after_scoring_opens_is_refused_but_declining_is_not(session):
    cycle = make_cycle(session)
    dossier = nominate_counted(session, cycle).dossier
    scoring = services.edges(cycle).scoring_open + timedelta(hours=1)
    with pytest.raises(AwardError):
        services.answer_consent(session, dossier, accept=True, now=scoring)
    services.answer_consent(session, dossier, accept=False, now=scoring)
    assert dossier.is_closed


def test_consent_answers_are_audited(session):
    cycle = make_cycle(session)
    dossier = nominate_counted(session, cycle).dossier
    services.answer_consent(session, dossier, accept=True)
    services.answer_consent(session, dossier, accept=False)
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.object_type == "Dossier")
    ).all()
    assert {"consent.requested", "consent.accepted", "consent.declined"} <= set(actions)
    kinds = session.scalars(
        select(AuditEntry.actor_kind).where(AuditEntry.action.like("consent.%ed"))
    ).all()
    assert "nominee" in kinds


def test_declined_dossier_rows_keep_no_personal_data_by_constraint(session):
    from sqlalchemy.exc import IntegrityError

    cycle = make_cycle(session)
    dossier = nominate_counted(session, cycle).dossier
    dossier.consent_status = ConsentStatus.DECLINED
    with pytest.raises(IntegrityError), session.begin_nested():
        session.flush()


def test_mail_is_queued_once_per_dossier(session):
    cycle = make_cycle(session)
    nominate_counted(session, cycle)
    nominate_counted(session, cycle, nominator_email="2@example.org")
    keys = session.scalars(
        select(OutboxMessage.dedup_key).where(OutboxMessage.dedup_key.like("award-consent:%"))
    ).all()
    assert len(keys) == 1
