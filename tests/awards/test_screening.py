"""Screening: a checklist with reasons, two organisers for ineligible, the nominee told why."""

from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from eventapp.awards import services
from eventapp.awards.models import AuditEntry, EligibilityStatus
from eventapp.awards.services import AwardError, ScreeningAnswer
from eventapp.mail import send_outbox
from tests.awards.helpers import make_cycle, nominate_counted
from tests.factories import make_user


def answers(cycle, failed: dict[int, str] | None = None):
    failed = failed or {}
    return [
        ScreeningAnswer(item.id, index not in failed, failed.get(index))
        for index, item in enumerate(cycle.eligibility_items)
    ]


@pytest.fixture
def setting(session):
    cycle = make_cycle(session)
    dossier = nominate_counted(session, cycle).dossier
    first = make_user(session, "organiser", name="Olle Organisatör")
    second = make_user(session, "organiser", name="Oda Organisatör")
    return cycle, dossier, first, second


def test_all_met_is_eligible_and_the_nominee_is_told(app, session, smtp_server, setting):
    cycle, dossier, first, _ = setting
    services.screen_dossier(session, dossier, answers(cycle), first)
    assert dossier.eligibility_status == EligibilityStatus.ELIGIBLE
    send_outbox(app)
    outcome = [m for m in smtp_server.to(dossier.contact_email) if "granskats" in m["Subject"]]
    assert len(outcome) == 1
    assert "går vidare till juryn" in outcome[0].get_body(("plain",)).get_content()


def test_ineligible_needs_a_second_organiser(app, session, smtp_server, setting):
    cycle, dossier, first, second = setting
    services.screen_dossier(
        session, dossier, answers(cycle, {0: "Registered and active in Uppsala"}), first
    )
    assert dossier.eligibility_status == EligibilityStatus.INELIGIBLE_PROPOSED
    send_outbox(app)
    assert not [m for m in smtp_server.to(dossier.contact_email) if "granskats" in m["Subject"]]
    with pytest.raises(AwardError):
        services.confirm_ineligible(session, dossier, first)
    services.confirm_ineligible(session, dossier, second)
    assert dossier.eligibility_status == EligibilityStatus.INELIGIBLE
    assert dossier.ineligible_confirmed_by_id == second.id
    send_outbox(app)
    (mail,) = [m for m in smtp_server.to(dossier.contact_email) if "granskats" in m["Subject"]]
    body = mail.get_body(("plain",)).get_content()
    assert "Registered and active in Uppsala" in body
    assert "Based or active in Dalarna" in body


def test_the_database_refuses_one_person_confirming_their_own_proposal(session, setting):
    cycle, dossier, first, _ = setting
    services.screen_dossier(session, dossier, answers(cycle, {1: "No social aim"}), first)
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(
            text(
                "UPDATE award_dossiers SET eligibility_status = 'ineligible', "
                "ineligible_confirmed_by_id = :who WHERE id = :id"
            ),
            {"who": first.id, "id": dossier.id},
        )


def test_a_failed_item_needs_a_reason(session, setting):
    cycle, dossier, first, _ = setting
    with pytest.raises(AwardError):
        services.screen_dossier(session, dossier, answers(cycle, {0: "   "}), first)
    with pytest.raises(AwardError):
        services.screen_dossier(session, dossier, answers(cycle)[:1], first)


def test_the_second_organiser_may_send_it_back(session, setting):
    cycle, dossier, first, second = setting
    services.screen_dossier(session, dossier, answers(cycle, {0: "Unclear"}), first)
    services.return_for_rescreening(session, dossier, second)
    assert dossier.eligibility_status == EligibilityStatus.UNSCREENED
    services.screen_dossier(session, dossier, answers(cycle), second)
    assert dossier.eligibility_status == EligibilityStatus.ELIGIBLE


def test_screening_is_closed_once_the_jury_prepares(session, setting):
    cycle, dossier, first, _ = setting
    late = services.edges(cycle).screening_close + timedelta(minutes=1)
    with pytest.raises(AwardError):
        services.screen_dossier(session, dossier, answers(cycle), first, now=late)


def test_screening_decisions_are_audited(session, setting):
    cycle, dossier, first, second = setting
    services.screen_dossier(session, dossier, answers(cycle, {0: "Outside"}), first)
    services.confirm_ineligible(session, dossier, second)
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.object_id == dossier.id).order_by(AuditEntry.id)
    ).all()
    by_action = {entry.action: entry for entry in entries}
    assert by_action["screening.recorded"].actor_id == first.id
    assert by_action["screening.recorded"].changes["status"] == "ineligible_proposed"
    assert by_action["screening.ineligible_confirmed"].actor_id == second.id
    assert "screening.nominee_told" in by_action


def test_screening_through_the_pages(client, auth, session, setting):
    cycle, dossier, first, second = setting
    auth.login_as(first)
    url = f"/awards/manage/dossiers/{dossier.id}/screen"
    assert client.get(url).status_code == 200
    items = cycle.eligibility_items
    data = {f"item_{items[0].id}": "fail", f"item_{items[1].id}": "pass"}
    page = client.post(url, data=data)
    assert page.status_code == 200
    assert "Ange skäl när punkten inte är uppfylld." in page.text
    data[f"reason_{items[0].id}"] = "Based in Gävle"
    assert client.post(url, data=data).status_code == 302
    confirm = f"/awards/manage/dossiers/{dossier.id}/confirm-ineligible"
    client.post(confirm)
    session.refresh(dossier)
    assert dossier.eligibility_status == EligibilityStatus.INELIGIBLE_PROPOSED
    auth.logout()
    auth.login_as(second)
    assert "Based in Gävle" in client.get(f"/awards/manage/dossiers/{dossier.id}").text
    client.post(confirm)
    session.refresh(dossier)
    assert dossier.eligibility_status == EligibilityStatus.INELIGIBLE
