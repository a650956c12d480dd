"""The audit log is append-only, and criteria and weights are fixed once nominations open."""

from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from eventapp.awards import services
from eventapp.awards.models import AuditEntry, AuditLogIsAppendOnly
from eventapp.awards.phase import Phase, cycle_phase
from eventapp.awards.services import AwardError
from tests.awards.helpers import make_cycle, nominate, today
from tests.factories import make_user


def test_code_cannot_change_or_delete_audit_lines(session):
    cycle = make_cycle(session)
    nominate(session, cycle)
    entry = session.scalar(select(AuditEntry))
    entry.action = "something.else"
    with pytest.raises(AuditLogIsAppendOnly):
        session.flush()
    session.refresh(entry)
    session.delete(entry)
    with pytest.raises(AuditLogIsAppendOnly):
        session.flush()


def test_the_database_refuses_changes_to_audit_lines(session):
    cycle = make_cycle(session)
    nominate(session, cycle)
    with pytest.raises(DatabaseError), session.begin_nested():
        session.execute(text("UPDATE award_audit_log SET action = 'x'"))
    with pytest.raises(DatabaseError), session.begin_nested():
        session.execute(text("DELETE FROM award_audit_log"))


def test_weights_are_editable_until_nominations_open(session):
    organiser = make_user(session, "organiser")
    cycle = make_cycle(session, open_on=today() + timedelta(days=3))
    assert cycle_phase(cycle, services.utcnow()) == Phase.ANNOUNCED
    criterion = cycle.criteria[0]
    services.update_criterion(
        session, criterion, name=criterion.name, guidance="New", weight=5, actor=organiser
    )
    assert criterion.weight == 5
    opened = services.edges(cycle).nominations_open
    with pytest.raises(AwardError):
        services.update_criterion(
            session,
            criterion,
            name=criterion.name,
            guidance="",
            weight=1,
            actor=organiser,
            now=opened,
        )
    with pytest.raises(AwardError):
        services.add_criterion(
            session, cycle, name="Innovation", guidance="", weight=1, actor=organiser, now=opened
        )
    with pytest.raises(AwardError):
        services.delete_criterion(session, criterion, organiser, now=opened)


def test_the_database_refuses_new_weights_once_a_dossier_exists(session):
    cycle = make_cycle(session)
    nominate(session, cycle)
    criterion_id = cycle.criteria[0].id
    with pytest.raises(DatabaseError), session.begin_nested():
        session.execute(
            text("UPDATE award_criteria SET weight = 9 WHERE id = :id"), {"id": criterion_id}
        )
    with pytest.raises(DatabaseError), session.begin_nested():
        session.execute(text("DELETE FROM award_criteria WHERE id = :id"), {"id": criterion_id})
    # Other columns, such as the guidance's wording, are not guarded by the database.
    session.execute(
        text("UPDATE award_criteria SET position = 7 WHERE id = :id"), {"id": criterion_id}
    )


def test_publishing_needs_criteria_and_checklist_and_is_audited(session):
    organiser = make_user(session, "organiser")
    empty = make_cycle(session, published=False, criteria=(), items=())
    with pytest.raises(AwardError):
        services.publish_call(session, empty, organiser)
    cycle = make_cycle(session, published=False)
    services.publish_call(session, cycle, organiser)
    assert cycle.call_published_by_id == organiser.id
    with pytest.raises(AwardError):
        services.publish_call(session, cycle, organiser)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "cycle.call_published"))
    assert entry.changes["weights"] == {"Social impact": 3, "Business model": 2}
