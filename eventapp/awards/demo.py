"""Demo data for the award: this year's cycle with the nomination window open."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from eventapp.auth.models import User
from eventapp.auth.services import Tokens
from eventapp.awards import services
from eventapp.awards.models import AwardCycle, Relation
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
    return cycle
