"""Nominating: the public form, e-mail confirmation, merging into dossiers, phase checks."""

import unicodedata
from datetime import timedelta

import pytest
from sqlalchemy import select

from eventapp.awards import services
from eventapp.awards.models import AuditEntry, Dossier, Nomination
from eventapp.awards.services import AwardError
from eventapp.mail import OutboxMessage, send_outbox
from tests.awards.helpers import (
    form_data,
    link_in,
    make_cycle,
    nominate,
    nominate_counted,
    today,
)
from tests.factories import make_user


def dossiers(session, cycle):
    return session.scalars(select(Dossier).where(Dossier.cycle_id == cycle.id)).all()


def test_same_org_number_merges_whatever_the_name(session):
    cycle = make_cycle(session)
    first = nominate_counted(session, cycle, org_number="769600-0004")
    second = nominate_counted(
        session,
        cycle,
        org_number="769600-0004",
        enterprise_name="Hantverket ek. för.",
        municipality="Borlänge",
        nominator_email="other@example.org",
    )
    assert first.dossier is second.dossier
    dossier = first.dossier
    assert dossier.nomination_count == 2
    # Every nominator's motivation is kept as support.
    assert [len(n.motivations) for n in dossier.nominations] == [2, 2]
    assert dossier.name == "Kooperativet Hantverket"  # the first counted nomination's


@pytest.mark.parametrize(
    "variant",
    [
        "KOOPERATIVET HANTVERKET",
        "  Kooperativet   Hantverket ",
        "kooperativet\thantverket",
    ],
)
def test_same_name_and_municipality_merge_ignoring_case_and_spaces(session, variant):
    cycle = make_cycle(session)
    first = nominate_counted(session, cycle)
    second = nominate_counted(session, cycle, enterprise_name=variant)
    assert first.dossier is second.dossier
    assert len(dossiers(session, cycle)) == 1


def test_nfc_and_nfd_names_merge(session):
    cycle = make_cycle(session)
    name = "Åsa Öberg-Ängström Återbruk"
    first = nominate_counted(session, cycle, enterprise_name=unicodedata.normalize("NFC", name))
    second = nominate_counted(session, cycle, enterprise_name=unicodedata.normalize("NFD", name))
    assert first.dossier is second.dossier


def test_same_name_in_another_municipality_is_another_enterprise(session):
    cycle = make_cycle(session)
    first = nominate_counted(session, cycle)
    second = nominate_counted(session, cycle, municipality="Mora")
    assert first.dossier is not second.dossier


def test_different_org_numbers_are_different_enterprises_even_with_one_name(session):
    cycle = make_cycle(session)
    first = nominate_counted(session, cycle, org_number="769600-0004")
    second = nominate_counted(session, cycle, org_number="556036-0793")
    assert first.dossier is not second.dossier


def test_name_match_learns_the_org_number(session):
    cycle = make_cycle(session)
    first = nominate_counted(session, cycle)
    second = nominate_counted(session, cycle, org_number="769600-0004")
    assert first.dossier is second.dossier
    assert first.dossier.org_number == "769600-0004"
    third = nominate_counted(session, cycle, org_number="769600-0004", enterprise_name="Other")
    assert third.dossier is first.dossier


def test_merging_is_per_cycle(session):
    one, two = make_cycle(session), make_cycle(session)
    assert nominate_counted(session, one).dossier is not nominate_counted(session, two).dossier


def test_a_merge_is_audited(session):
    cycle = make_cycle(session)
    nominate_counted(session, cycle)
    second = nominate_counted(session, cycle, nominator_email="b@example.org")
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.cycle_id == cycle.id).order_by(AuditEntry.id)
    ).all()
    assert actions.count("nomination.submitted") == 2
    assert actions.count("nomination.counted") == 2
    assert actions.count("dossier.merged") == 1
    merged = session.scalar(select(AuditEntry).where(AuditEntry.action == "dossier.merged"))
    assert merged.changes["nomination_id"] == second.id


def test_self_nomination_is_marked_and_counted(session):
    cycle = make_cycle(session)
    nomination = nominate_counted(session, cycle, is_self_nomination=True)
    assert nomination.is_self_nomination
    assert nomination.dossier.self_nomination_count == 1


def test_unconfirmed_nomination_does_not_count_or_contact_the_nominee(session):
    cycle = make_cycle(session)
    nomination = nominate(session, cycle)
    assert not nomination.is_counted
    assert nomination.dossier.nomination_count == 0
    recipients = session.scalars(select(OutboxMessage.to_address)).all()
    assert recipients == ["nils@example.org"]  # only the nominator's confirmation


def test_first_counted_nomination_sets_the_contact_not_an_unconfirmed_one(session):
    cycle = make_cycle(session)
    nominate(session, cycle, contact_email="attacker@example.org")
    counted = nominate_counted(session, cycle, nominator_email="real@example.org")
    assert counted.dossier.contact_email == "karin@hantverket.example"


def test_signed_in_user_with_confirmed_address_counts_at_once(session):
    cycle = make_cycle(session)
    user = make_user(session, email="nils@example.org")
    nomination = nominate(session, cycle, user=user)
    assert nomination.is_counted
    assert nomination.user_id == user.id


def test_signed_in_user_nominating_with_another_address_must_confirm_it(session):
    cycle = make_cycle(session)
    user = make_user(session, email="nils@example.org")
    nomination = nominate(session, cycle, user=user, nominator_email="work@example.org")
    assert not nomination.is_counted


def test_nominating_outside_the_window_is_refused(session):
    before = make_cycle(session, open_on=today() + timedelta(days=1))
    with pytest.raises(AwardError):
        nominate(session, before)
    draft = make_cycle(session, published=False)
    with pytest.raises(AwardError):
        nominate(session, draft)
    after = make_cycle(session, open_on=today() - timedelta(days=40))
    with pytest.raises(AwardError):
        nominate(session, after)


def test_confirmation_after_the_grace_period_is_refused(session):
    cycle = make_cycle(session)
    nomination = nominate(session, cycle)
    late = services.edges(cycle).nominations_close + timedelta(days=4)
    with pytest.raises(AwardError):
        services.confirm_nomination(
            session, nomination, tokens=services.Tokens("x"), base_url="", now=late
        )
    soon = services.edges(cycle).nominations_close + timedelta(hours=10)
    services.confirm_nomination(
        session, nomination, tokens=services.Tokens("x"), base_url="", now=soon
    )
    assert nomination.is_counted


def test_every_criterion_needs_a_motivation(session):
    cycle = make_cycle(session)
    with pytest.raises(AwardError):
        nominate(session, cycle, motivations={cycle.criteria[0].id: "Only one"})


# --- through the pages ---------------------------------------------------------------------


def test_anonymous_nomination_counts_after_the_mailed_link(app, client, session, smtp_server):
    cycle = make_cycle(session)
    response = client.post("/awards/", data=form_data(cycle))
    assert response.status_code == 302
    assert "e-postmeddelande" in client.get(response.location).text
    nomination = session.scalar(select(Nomination))
    assert not nomination.is_counted
    send_outbox(app)
    (mail,) = smtp_server.to("nils@example.org")
    link = link_in(mail, "/awards/nominations/")
    page = client.get(link)
    assert page.status_code == 200
    assert "Kooperativet Hantverket" in page.text
    session.refresh(nomination)
    assert nomination.is_counted
    assert page.headers["Referrer-Policy"] == "no-referrer"
    # The same link shows the status later, without counting twice.
    assert client.get(link).status_code == 200
    session.refresh(nomination)
    assert nomination.dossier.nomination_count == 1


def test_a_tampered_link_shows_nothing(client, session):
    make_cycle(session)
    assert client.get("/awards/nominations/not-a-token").status_code == 404


def test_signed_in_user_gets_details_filled_in_and_sees_own_nominations(client, auth, session):
    cycle = make_cycle(session)
    user = make_user(session, name="Åsa Öberg", email="asa@example.org")
    auth.login_as(user)
    page = client.get("/awards/")
    assert 'value="asa@example.org"' in page.text
    assert 'value="Åsa Öberg"' in page.text
    data = form_data(cycle, nominator_name="Åsa Öberg", nominator_email="asa@example.org")
    assert client.post("/awards/", data=data).status_code == 302
    mine = client.get("/awards/my-nominations")
    assert "Kooperativet Hantverket" in mine.text
    assert "Mottagen och under granskning" in mine.text


def test_others_do_not_see_my_nominations(client, auth, session):
    cycle = make_cycle(session)
    author = make_user(session, email="author@example.org")
    nominate(session, cycle, user=author, nominator_email="author@example.org")
    auth.login_as(make_user(session))
    assert "Kooperativet Hantverket" not in client.get("/awards/my-nominations").text


def test_honeypot_drops_the_nomination_quietly(client, session):
    cycle = make_cycle(session)
    response = client.post("/awards/", data=form_data(cycle, homepage="http://spam.example"))
    assert response.status_code == 302
    assert session.scalar(select(Nomination)) is None
    assert session.scalar(select(OutboxMessage)) is None


def test_form_refuses_missing_consent_checkbox(client, session):
    cycle = make_cycle(session)
    data = form_data(cycle)
    del data["no_sensitive_data"]
    response = client.post("/awards/", data=data)
    assert response.status_code == 200
    assert "Bekräfta detta innan du skickar." in response.text
    assert session.scalar(select(Nomination)) is None


def test_closed_window_shows_no_form_and_refuses_posts(client, session):
    cycle = make_cycle(session, open_on=today() - timedelta(days=40))
    page = client.get("/awards/")
    assert "Nomineringsperioden är stängd." in page.text
    assert 'name="enterprise_name"' not in page.text
    assert client.post("/awards/", data=form_data(cycle)).status_code == 302
    assert session.scalar(select(Nomination)) is None


def test_draft_cycle_is_not_public(client, session):
    make_cycle(session, published=False)
    page = client.get("/awards/")
    assert "Social impact" not in page.text
