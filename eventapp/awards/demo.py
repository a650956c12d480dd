"""Demo data for the award: this year's cycle with the nomination window open, and a jury
at work on last year's round (part 2)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from eventapp.auth.models import User
from eventapp.auth.services import Tokens
from eventapp.awards import jury, services
from eventapp.awards.models import (
    AwardCycle,
    DeclarationAnswer,
    JuryRole,
    Relation,
    TieType,
)
from eventapp.awards.phase import STOCKHOLM
from eventapp.calendar.models import Event, EventKind
from eventapp.database import utcnow

CRITERIA = (
    ("Samhällsnytta", "Vilken skillnad gör företaget för människor och miljö i Dalarna?", 3),
    ("Hållbar affärsmodell", "Hur bär verksamheten sig, och hur återinvesteras överskottet?", 2),
    ("Delaktighet", "Hur får medarbetare och deltagare vara med och bestämma?", 1),
)
CHECKLIST = (
    "Verksamt i Dalarna",
    "Social nytta är huvudsyftet",
    "Överskottet återinvesteras huvudsakligen i verksamheten",
    "Har inte vunnit priset de senaste tre åren",
)


def seed_awards(session: Session, organiser: User) -> AwardCycle | None:
    """This year's cycle, open for nominations, with nominations in various states."""
    today = utcnow().astimezone(STOCKHOLM).date()
    if session.scalar(select(AwardCycle.id).where(AwardCycle.year == today.year)):
        return None
    gala = session.scalar(select(Event).where(Event.kind == EventKind.AWARD).limit(1))
    close_on = today + timedelta(days=21)
    cycle = AwardCycle(
        year=today.year,
        title=f"Årets sociala företag {today.year}",
        call_text=(
            "Känner du ett socialt företag i Dalarna som gör skillnad? Nominera det till "
            "Årets sociala företag! Vem som helst får nominera, även sitt eget företag."
        ),
        nominations_open_on=today - timedelta(days=7),
        nominations_close_on=close_on,
        screening_close_on=close_on + timedelta(days=10),
        scoring_open_on=close_on + timedelta(days=14),
        scoring_close_on=close_on + timedelta(days=28),
        retention_months=24,
        gala_event=gala,
        created_by_id=organiser.id,
    )
    session.add(cycle)
    session.flush()
    for name, guidance, weight in CRITERIA:
        services.add_criterion(
            session, cycle, name=name, guidance=guidance, weight=weight, actor=organiser
        )
    for label in CHECKLIST:
        services.add_eligibility_item(session, cycle, label, organiser)
    services.publish_call(session, cycle, organiser)

    tokens = Tokens(current_app.config["SECRET_KEY"])
    base_url = current_app.config["BASE_URL"].rstrip("/")

    def nominate(enterprise, org_number, municipality, contact, nominator, **extra):
        data = services.NominationData(
            enterprise_name=enterprise,
            org_number=org_number,
            municipality=municipality,
            website=None,
            contact_name=contact[0],
            contact_email=contact[1],
            motivations={c.id: f"{enterprise} gör ett fint arbete." for c in cycle.criteria},
            nominator_name=nominator[0],
            nominator_email=nominator[1],
            relation=extra.pop("relation", Relation.CUSTOMER),
            is_self_nomination=extra.pop("is_self_nomination", False),
        )
        nomination = services.submit_nomination(
            session, cycle, data, None, tokens=tokens, base_url=base_url
        )
        if extra.get("confirmed", True):
            services.confirm_nomination(session, nomination, tokens=tokens, base_url=base_url)
        return nomination

    hantverket = nominate(
        "Kooperativet Hantverket",
        "769600-0004",
        "Falun",
        ("Karin Kontakt", "karin@hantverket.example.org"),
        ("Nils Nilsson", "nils@example.org"),
    ).dossier
    # A second nomination of the same enterprise, written differently: merged.
    nominate(
        "kooperativet  HANTVERKET",
        None,
        "Falun",
        ("Karin Kontakt", "karin@hantverket.example.org"),
        ("Maja Berg", "maja@example.org"),
        relation=Relation.PARTNER,
    )
    services.answer_consent(session, hantverket, accept=True)
    services.screen_dossier(
        session,
        hantverket,
        [services.ScreeningAnswer(item.id, True, None) for item in cycle.eligibility_items],
        organiser,
    )
    nominate(
        "Arbetslaget i Borlänge",
        "556036-0793",
        "Borlänge",
        ("Bo Arbetslag", "bo@arbetslaget.example.org"),
        ("Bo Arbetslag", "bo@arbetslaget.example.org"),
        relation=Relation.OWNER_OR_STAFF,
        is_self_nomination=True,
    )
    nominate(
        "Ludvika Återbruk",
        None,
        "Ludvika",
        ("Lena Återbruk", "lena@aterbruk.example.org"),
        ("Per Dahl", "per@example.org"),
        confirmed=False,
    )
    session.flush()
    seed_jury(session, organiser, cycle)
    return cycle


# --- part 2: the jury -----------------------------------------------------------------------

JURY_ENTERPRISES = (
    ("Kooperativet Vävstolen", "769600-0012", "Leksand"),
    ("Återbruket i Mora", None, "Mora"),
    ("Café Gemenskap", "556036-0793", "Borlänge"),
    ("Arbetsintegrerande Snickeriet", None, "Säter"),
)


def seed_jury(session: Session, organiser: User, current: AwardCycle | None) -> AwardCycle | None:
    """Appoint juror1..5 to this year's jury, and show a jury at work on last year's round.

    Last year's demo cycle is in its scoring phase today: four nominations went to the jury,
    jurors have declared (one conflict, one pending "unsure"), scored some and drafted one.
    """
    jurors = list(
        session.scalars(
            select(User).where(User.email.like("juror%@example.org")).order_by(User.email)
        )
    )
    if len(jurors) < 5:
        return None
    if current is not None:
        for index, user in enumerate(jurors[:5]):
            jury.appoint_member(
                session,
                current,
                user,
                JuryRole.RESERVE if index == 4 else JuryRole.JUROR,
                is_chair=index == 0,
                actor=organiser,
            )
    now = utcnow()
    today = now.astimezone(STOCKHOLM).date()
    year = today.year - 1
    if session.scalar(select(AwardCycle.id).where(AwardCycle.year == year)):
        return None
    gala = Event(
        kind=EventKind.AWARD,
        title=f"Gala: Årets sociala företag {year}",
        place="Dalhalla",
        address="",
        municipality="Rättvik",
        description="Juryns vinnare presenteras.",
        starts_at=_at(today + timedelta(days=20), 18),
        ends_at=_at(today + timedelta(days=20), 22),
    )
    session.add(gala)
    cycle = AwardCycle(
        year=year,
        title=f"Årets sociala företag {year} (juryarbete pågår)",
        call_text="En omgång där juryn just nu poängsätter, för att visa juryns arbete.",
        nominations_open_on=today - timedelta(days=40),
        nominations_close_on=today - timedelta(days=30),
        screening_close_on=today - timedelta(days=20),
        scoring_open_on=today - timedelta(days=5),
        scoring_close_on=today + timedelta(days=10),
        retention_months=24,
        gala_event=gala,
        created_by_id=organiser.id,
    )
    session.add(cycle)
    session.flush()
    draft_time = now - timedelta(days=45)
    for name, guidance, weight in CRITERIA:
        services.add_criterion(
            session,
            cycle,
            name=name,
            guidance=guidance,
            weight=weight,
            actor=organiser,
            now=draft_time,
        )
    services.add_eligibility_item(session, cycle, CHECKLIST[0], organiser, now=draft_time)
    services.publish_call(session, cycle, organiser, now=draft_time)

    tokens = Tokens(current_app.config["SECRET_KEY"])
    base_url = current_app.config["BASE_URL"].rstrip("/")
    nominating, screening = now - timedelta(days=35), now - timedelta(days=25)
    dossiers = []
    for index, (enterprise, org_number, municipality) in enumerate(JURY_ENTERPRISES):
        data = services.NominationData(
            enterprise_name=enterprise,
            org_number=org_number,
            municipality=municipality,
            website=None,
            contact_name="Kontaktperson",
            contact_email=f"kontakt{index}@jury-demo.example.org",
            motivations={
                c.id: f"{enterprise} gör skillnad i {municipality}." for c in cycle.criteria
            },
            nominator_name="Nominerare",
            nominator_email=f"nominerare{index}@example.org",
            relation=Relation.CUSTOMER,
            is_self_nomination=False,
        )
        nomination = services.submit_nomination(
            session, cycle, data, None, tokens=tokens, base_url=base_url, now=nominating
        )
        services.confirm_nomination(
            session, nomination, tokens=tokens, base_url=base_url, now=nominating
        )
        dossier = nomination.dossier
        services.answer_consent(session, dossier, accept=True, now=nominating)
        services.screen_dossier(
            session,
            dossier,
            [services.ScreeningAnswer(item.id, True, None) for item in cycle.eligibility_items],
            organiser,
            now=screening,
        )
        dossiers.append(dossier)

    preparing = now - timedelta(days=6)
    members = [
        jury.appoint_member(
            session,
            cycle,
            user,
            JuryRole.RESERVE if index == 4 else JuryRole.JUROR,
            is_chair=index == 0,
            actor=organiser,
            now=preparing,
        )
        for index, user in enumerate(jurors[:5])
    ]
    # Per Dahl sits on Café Gemenskap's board: the register suggests the conflict.
    jury.add_tie(
        session,
        members[1],
        organisation_name="Café Gemenskap",
        org_number="556036-0793",
        tie_type=TieType.BOARD,
        now=preparing,
    )
    scores = {0: (5, 4, 4), 1: (3, 3, 4), 2: (4, 5, 3), 3: (2, 3, 3)}
    for member_index, member in enumerate(members[:4]):
        for dossier_index, dossier in enumerate(dossiers):
            if member_index == 1 and dossier_index == 2:
                jury.declare(
                    session, member, dossier, DeclarationAnswer.CONFLICT, TieType.BOARD, now
                )
                continue
            if member_index == 3 and dossier_index == 3:
                jury.declare(session, member, dossier, DeclarationAnswer.UNSURE, None, now)
                continue
            if member_index == 3 and dossier_index == 2:
                continue  # not declared yet: the reminder job will nudge them
            jury.declare(session, member, dossier, DeclarationAnswer.NO_CONFLICT, None, now)
            values = scores[dossier_index]
            entries = [
                jury.ScoreEntry(c.id, min(5, max(1, v + member_index % 2)), "Demokommentar.")
                for c, v in zip(cycle.criteria, values, strict=True)
            ]
            # The chair has only drafted the last one.
            submit = not (member_index == 0 and dossier_index == 3)
            jury.save_sheet(session, member, dossier, entries, submit=submit, now=now)
    session.flush()
    return cycle


def _at(day, hour: int):
    return datetime.combine(day, time(hour), tzinfo=STOCKHOLM)
