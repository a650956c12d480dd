"""Redaction: the jury reads the redacted text, the original stays for organisers only."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from eventapp.awards import services
from eventapp.awards.models import AuditEntry
from eventapp.awards.services import AwardError
from tests.awards.helpers import make_cycle, nominate_counted
from tests.factories import make_user

ORIGINAL = "Anna, who was ill last year, now leads the café."
REDACTED = "A former participant now leads the café."


def test_redaction_keeps_the_original(session):
    cycle = make_cycle(session)
    organiser = make_user(session, "organiser")
    motivation = nominate_counted(session, cycle).motivations[0]
    motivation.text = ORIGINAL
    services.redact_motivation(session, motivation, REDACTED, organiser)
    assert motivation.text == ORIGINAL
    assert motivation.jury_text == REDACTED
    assert motivation.redacted_by_id == organiser.id
    services.redact_motivation(session, motivation, None, organiser)
    assert motivation.jury_text == ORIGINAL
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.object_type == "Motivation")
    ).all()
    assert actions == ["motivation.redacted", "motivation.unredacted"]
    # The log records that a text changed, never the text.
    for entry in session.scalars(select(AuditEntry)).all():
        assert "Anna" not in str(entry.changes)


def test_redaction_closes_when_scoring_opens(session):
    cycle = make_cycle(session)
    organiser = make_user(session, "organiser")
    motivation = nominate_counted(session, cycle).motivations[0]
    scoring = services.edges(cycle).scoring_open
    with pytest.raises(AwardError):
        services.redact_motivation(session, motivation, REDACTED, organiser, now=scoring)
    services.redact_motivation(
        session, motivation, REDACTED, organiser, now=scoring - timedelta(seconds=1)
    )


def test_redaction_pages(client, auth, session):
    cycle = make_cycle(session)
    organiser = make_user(session, "organiser")
    motivation = nominate_counted(session, cycle).motivations[0]
    motivation.text = ORIGINAL
    session.flush()
    auth.login_as(organiser)
    url = f"/awards/manage/motivations/{motivation.id}/redact"
    assert ORIGINAL in client.get(url).text
    assert client.post(url, data={"redacted_text": ""}).status_code == 200
    assert client.post(url, data={"redacted_text": REDACTED}).status_code == 302
    session.refresh(motivation)
    assert motivation.jury_text == REDACTED and motivation.text == ORIGINAL
    page = client.get(f"/awards/manage/dossiers/{motivation.nomination.dossier_id}").text
    assert REDACTED in page and ORIGINAL in page
    assert client.post(url, data={"action": "restore"}).status_code == 302
    session.refresh(motivation)
    assert motivation.redacted_text is None
