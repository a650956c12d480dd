"""Factories for jury tests: a cycle in a chosen phase, jury dossiers, members and scores.

They write rows directly (no phase checks), so a test can set up any state and then
exercise the one rule it is about through the services or the pages.
"""

from __future__ import annotations

import itertools
from datetime import datetime, time, timedelta

from eventapp.awards.models import (
    AwardCycle,
    ConsentStatus,
    Criterion,
    Declaration,
    DeclarationAnswer,
    Dossier,
    EligibilityItem,
    EligibilityStatus,
    JuryMember,
    JuryRole,
    Motivation,
    Nomination,
    Relation,
    Score,
    ScoreSheet,
    SheetStatus,
    TieType,
)
from eventapp.awards.phase import STOCKHOLM
from eventapp.awards.services import name_key, org_key
from eventapp.calendar.models import EventKind
from eventapp.database import utcnow
from tests.awards.helpers import today
from tests.factories import make_event, make_user

# Part 1's helpers use 2030-2089; unique within a test is enough.
_years = itertools.cycle(range(2000, 2030))
# Days relative to today for each phase: (nominations open, close, screening close,
# scoring open, scoring close, gala day).
TIMELINES = {
    "jury_preparation": (-40, -30, -20, 5, 20, 30),
    "scoring": (-40, -30, -20, -5, 10, 30),
    "deliberation": (-40, -30, -20, -15, -2, 0),
    "published": (-40, -30, -20, -15, -2, 0),
}


def make_jury_cycle(
    session,
    phase: str = "scoring",
    *,
    criteria: tuple[tuple[str, int], ...] = (("Impact", 3), ("Model", 2)),
    gala_hour: int = 23,
    gala_today: bool = False,
) -> AwardCycle:
    """A published cycle that is in ``phase`` today (Europe/Stockholm).

    ``gala_today`` (with "scoring") makes today the last scoring day and the gala day, so a
    test can close scoring early and publish at once.
    """
    base = today()
    offsets = list(TIMELINES[phase])
    if gala_today:
        offsets[4] = offsets[5] = 0
    days = [base + timedelta(days=offset) for offset in offsets]
    gala_start = datetime.combine(days[5], time(gala_hour), STOCKHOLM)
    gala = make_event(session, kind=EventKind.AWARD, starts_at=gala_start)
    cycle = AwardCycle(
        year=next(_years),
        title="Årets sociala företag",
        call_text="Nominera!",
        nominations_open_on=days[0],
        nominations_close_on=days[1],
        screening_close_on=days[2],
        scoring_open_on=days[3],
        scoring_close_on=days[4],
        retention_months=24,
        gala_event=gala,
        call_published_at=utcnow() - timedelta(days=60),
        results_published_at=utcnow() if phase == "published" else None,
    )
    cycle.criteria = [
        Criterion(name=name, guidance=f"How well does it do {name}?", weight=weight, position=i)
        for i, (name, weight) in enumerate(criteria)
    ]
    cycle.eligibility_items = [EligibilityItem(label="Verksamt i Dalarna", position=0)]
    session.add(cycle)
    session.flush()
    return cycle


def make_jury_dossier(
    session,
    cycle: AwardCycle,
    name: str,
    *,
    org_number: str | None = None,
    municipality: str = "Falun",
    nominator_email: str = "nominator@example.org",
    goes_to_jury: bool = True,
) -> Dossier:
    """An accepted, eligible dossier with one counted nomination and its motivations."""
    now = utcnow()
    dossier = Dossier(
        cycle=cycle,
        name=name,
        org_number=org_number,
        org_key=org_key(org_number),
        name_key=name_key(name, municipality),
        municipality=municipality,
        contact_name="Karin Kontakt",
        contact_email=f"kontakt{abs(hash(name)) % 10_000}@example.org",
        nomination_count=1,
        consent_status=ConsentStatus.ACCEPTED if goes_to_jury else ConsentStatus.PENDING,
        eligibility_status=EligibilityStatus.ELIGIBLE,
    )
    nomination = Nomination(
        dossier=dossier,
        entered_name=name,
        entered_org_number=org_number,
        entered_municipality=municipality,
        entered_contact_name="Karin Kontakt",
        entered_contact_email=dossier.contact_email,
        nominator_name="Nils Nominator",
        nominator_email=nominator_email,
        relation=Relation.CUSTOMER,
        submitted_at=now,
        email_confirmed_at=now,
        counted_at=now,
    )
    nomination.motivations = [
        Motivation(criterion=criterion, text=f"{name} does well on {criterion.name}.")
        for criterion in cycle.criteria
    ]
    session.add(dossier)
    session.flush()
    return dossier


def appoint(
    session, cycle: AwardCycle, user=None, *, role=JuryRole.JUROR, chair=False
) -> JuryMember:
    member = JuryMember(
        cycle=cycle,
        user=user or make_user(session, "juror"),
        role=role,
        is_chair=chair,
        appointed_at=utcnow(),
    )
    session.add(member)
    session.flush()
    return member


def declare(session, member, dossier, answer=DeclarationAnswer.NO_CONFLICT, tie_type=None):
    if answer == DeclarationAnswer.CONFLICT and tie_type is None:
        tie_type = TieType.BOARD
    declaration = Declaration(member=member, dossier=dossier, answer=answer, tie_type=tie_type)
    session.add(declaration)
    session.flush()
    return declaration


def score(session, member, dossier, values, *, status=SheetStatus.SUBMITTED, comment="Fine."):
    """A sheet with ``values`` in criterion order (None leaves one empty)."""
    sheet = ScoreSheet(member=member, dossier=dossier, status=status, version=1)
    session.add(sheet)
    session.flush()
    for criterion, value in zip(member.cycle.criteria, values, strict=True):
        session.add(
            Score(
                sheet=sheet,
                member_id=member.id,
                dossier_id=dossier.id,
                criterion_id=criterion.id,
                value=value,
                comment=comment,
            )
        )
    session.flush()
    return sheet


def scored_jury(session, phase: str = "deliberation", jurors: int = 3):
    """A cycle with three dossiers, ``jurors`` jurors (the first chairs), all declared and
    all scoring: Alfa 5s, Beta 4s, Gamma 2s."""
    cycle = make_jury_cycle(session, phase)
    dossiers = [make_jury_dossier(session, cycle, n) for n in ("Alfa", "Beta", "Gamma")]
    members = [appoint(session, cycle, chair=i == 0) for i in range(jurors)]
    for member in members:
        for dossier, value in zip(dossiers, (5, 4, 2), strict=True):
            declare(session, member, dossier)
            score(session, member, dossier, (value, value))
    return cycle, dossiers, members
