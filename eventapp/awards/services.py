"""Award rules: cycles, nominations and merging, nominee consent, screening, redaction.

Every function takes the session, the acting person and ``now`` explicitly, checks the
cycle's phase on the server, writes the audit log, flushes and never commits.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from eventapp.auth.models import User
from eventapp.auth.services import Tokens
from eventapp.awards.models import (
    AuditEntry,
    AwardCycle,
    ConsentStatus,
    Criterion,
    Dossier,
    EligibilityItem,
    EligibilityStatus,
    JuryMember,
    Motivation,
    Nomination,
    Relation,
    ScreeningDecision,
)
from eventapp.awards.phase import (
    CONSENT_ACCEPT_OPEN,
    CONSENT_DECLINE_OPEN,
    CRITERIA_EDITABLE,
    NOMINATION_OPEN,
    REDACTION_OPEN,
    SCREENING_OPEN,
    Phase,
    cycle_phase,
    edges,
    end_of_day,
)
from eventapp.calendar.feed_queries import event_in_window
from eventapp.calendar.ical import FeedItem
from eventapp.calendar.models import Event, EventKind
from eventapp.calendar.services import EventDetails, EventError, create_event, update_event
from eventapp.database import utcnow
from eventapp.mail import queue_mail
from eventapp.text import clean_line

NOMINATION_LINK = "award-nomination"
CONSENT_LINK = "award-consent"
# Links in award mails work for the life of a cycle.
LINK_MAX_AGE = timedelta(days=400)
# A nomination sent just before the window closes may still be confirmed for this long.
CONFIRM_GRACE = timedelta(days=3)
NOMINEE_LOCALE = "sv"


class AwardError(Exception):
    """A rule refused the action; ``message`` is safe to show."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# --- audit ----------------------------------------------------------------------------------


def audit(
    session: Session,
    action: str,
    obj: object,
    *,
    actor: User | None,
    actor_kind: str | None = None,
    cycle_id: int | None = None,
    changes: dict | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    """Append one line to the audit log (ids and field names only, no personal free text)."""
    entry = AuditEntry(
        at=now or utcnow(),
        cycle_id=cycle_id,
        actor_id=actor.id if actor is not None else None,
        actor_kind=actor_kind or ("organiser" if actor is not None else "system"),
        action=action,
        object_type=type(obj).__name__,
        object_id=getattr(obj, "id", None),
        changes=changes or {},
    )
    session.add(entry)
    return entry


def require_phase(cycle: AwardCycle, allowed: Iterable[Phase], now: datetime, message) -> Phase:
    phase = cycle_phase(cycle, now)
    if phase not in allowed:
        raise AwardError(message)
    return phase


# --- cycles ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CycleDetails:
    """What an organiser enters for a cycle; gala times are aware datetimes."""

    year: int
    title: str
    call_text: str
    nominations_open_on: date
    nominations_close_on: date
    screening_close_on: date
    scoring_open_on: date
    scoring_close_on: date
    retention_months: int
    gala_starts_at: datetime
    gala_ends_at: datetime
    gala_place: str
    gala_municipality: str | None


_TIMELINE = (
    "nominations_open_on",
    "nominations_close_on",
    "screening_close_on",
    "scoring_open_on",
    "scoring_close_on",
)
_CYCLE_FIELDS = ("year", "title", "call_text", *_TIMELINE, "retention_months")


def _check_timeline(details: CycleDetails) -> None:
    if not details.nominations_open_on <= details.nominations_close_on:
        raise AwardError(_l("Nominations must close on or after the day they open."))
    if not details.nominations_close_on < details.screening_close_on:
        raise AwardError(_l("Screening must end after nominations close."))
    if not details.screening_close_on < details.scoring_open_on:
        raise AwardError(_l("Scoring must open after screening ends."))
    if not details.scoring_open_on <= details.scoring_close_on:
        raise AwardError(_l("Scoring must close on or after the day it opens."))
    if details.gala_starts_at < end_of_day(details.scoring_close_on):
        raise AwardError(_l("The gala must be after scoring closes."))


def _gala_details(details: CycleDetails) -> EventDetails:
    return EventDetails(
        kind=EventKind.AWARD,
        title=str(_l("Gala: %(title)s", title=details.title))[:200],
        description=details.call_text[:10_000],
        place=details.gala_place,
        address="",
        municipality=details.gala_municipality,
        starts_at=details.gala_starts_at,
        ends_at=details.gala_ends_at,
        capacity=None,
    )


def create_cycle(
    session: Session, details: CycleDetails, actor: User, now: datetime | None = None
) -> AwardCycle:
    """Create a draft cycle and its gala event."""
    now = now or utcnow()
    _check_timeline(details)
    if session.scalar(select(AwardCycle.id).where(AwardCycle.year == details.year)):
        raise AwardError(_l("There is already a cycle for %(year)d.", year=details.year))
    try:
        gala = create_event(session, _gala_details(details), actor)
    except EventError as error:
        raise AwardError(error.message) from error
    cycle = AwardCycle(
        **{name: getattr(details, name) for name in _CYCLE_FIELDS},
        gala_event=gala,
        created_by_id=actor.id,
    )
    session.add(cycle)
    session.flush()
    audit(
        session,
        "cycle.created",
        cycle,
        actor=actor,
        cycle_id=cycle.id,
        now=now,
        changes={"year": cycle.year, "gala_event_id": gala.id},
    )
    session.flush()
    return cycle


def update_cycle(
    session: Session,
    cycle: AwardCycle,
    details: CycleDetails,
    actor: User,
    now: datetime | None = None,
) -> AwardCycle:
    """Change a cycle; days that have already passed as phase edges stay fixed."""
    now = now or utcnow()
    _check_timeline(details)
    phase = cycle_phase(cycle, now)
    if details.year != cycle.year and phase != Phase.DRAFT:
        raise AwardError(_l("The year cannot change once the call is published."))
    at = edges(cycle)
    fixed = (
        ("nominations_open_on", at.nominations_open),
        ("nominations_close_on", at.nominations_close),
        ("screening_close_on", at.screening_close),
        ("scoring_open_on", at.scoring_open),
        ("scoring_close_on", at.scoring_close),
    )
    if phase != Phase.DRAFT:
        for name, instant in fixed:
            if now >= instant and getattr(details, name) != getattr(cycle, name):
                raise AwardError(_l("A date that has already passed cannot be changed."))
    if details.year != cycle.year and session.scalar(
        select(AwardCycle.id).where(AwardCycle.year == details.year)
    ):
        raise AwardError(_l("There is already a cycle for %(year)d.", year=details.year))
    changes = {}
    for name in _CYCLE_FIELDS:
        old, new = getattr(cycle, name), getattr(details, name)
        if old != new:
            # Dates and numbers are recorded as values; the call text only as changed.
            changes[name] = True if name == "call_text" else [str(old), str(new)]
            setattr(cycle, name, new)
    try:
        if cycle.gala_event is None:
            cycle.gala_event = create_event(session, _gala_details(details), actor)
            changes["gala_event_id"] = cycle.gala_event.id
        else:
            gala = cycle.gala_event
            before = (gala.starts_at, gala.ends_at, gala.place)
            update_event(session, gala, _gala_details(details))
            if before != (gala.starts_at, gala.ends_at, gala.place):
                changes["gala"] = True
    except EventError as error:
        raise AwardError(error.message) from error
    audit(session, "cycle.updated", cycle, actor=actor, cycle_id=cycle.id, now=now, changes=changes)
    session.flush()
    return cycle


def publish_call(session: Session, cycle: AwardCycle, actor: User, now: datetime | None = None):
    """Publish the call: the cycle, its criteria and weights become public."""
    now = now or utcnow()
    require_phase(cycle, {Phase.DRAFT}, now, _l("The call is already published."))
    if not cycle.criteria or not cycle.eligibility_items:
        raise AwardError(_l("Add at least one criterion and one checklist item first."))
    if now >= end_of_day(cycle.nominations_close_on):
        raise AwardError(_l("The nomination window has already ended; change the dates first."))
    cycle.call_published_at = now
    cycle.call_published_by_id = actor.id
    audit(
        session,
        "cycle.call_published",
        cycle,
        actor=actor,
        cycle_id=cycle.id,
        now=now,
        changes={"weights": {c.name: c.weight for c in cycle.criteria}},
    )
    session.flush()
    return cycle


def current_cycle(session: Session, now: datetime | None = None) -> AwardCycle | None:
    """The newest cycle whose call is published (the one the public page shows)."""
    return session.scalar(
        select(AwardCycle)
        .where(AwardCycle.call_published_at.is_not(None))
        .order_by(AwardCycle.year.desc())
        .limit(1)
    )


def _criteria_editable(cycle: AwardCycle, now: datetime) -> None:
    require_phase(
        cycle,
        CRITERIA_EDITABLE,
        now,
        _l("Criteria, weights and the checklist are fixed once nominations open."),
    )


def add_criterion(
    session: Session,
    cycle: AwardCycle,
    *,
    name: str,
    guidance: str,
    weight: int,
    actor: User,
    now: datetime | None = None,
) -> Criterion:
    now = now or utcnow()
    _criteria_editable(cycle, now)
    _check_unique_name(cycle.criteria, name, lambda c: c.name)
    criterion = Criterion(
        cycle=cycle,
        name=name,
        guidance=guidance,
        weight=weight,
        position=max((c.position for c in cycle.criteria), default=0) + 1,
    )
    session.add(criterion)
    session.flush()
    audit(
        session,
        "criterion.added",
        criterion,
        actor=actor,
        cycle_id=cycle.id,
        now=now,
        changes={"name": name, "weight": weight},
    )
    session.flush()
    return criterion


def update_criterion(
    session: Session,
    criterion: Criterion,
    *,
    name: str,
    guidance: str,
    weight: int,
    actor: User,
    now: datetime | None = None,
) -> Criterion:
    now = now or utcnow()
    cycle = criterion.cycle
    _criteria_editable(cycle, now)
    others = [c for c in cycle.criteria if c is not criterion]
    _check_unique_name(others, name, lambda c: c.name)
    changes = {
        field: [getattr(criterion, field), value]
        for field, value in (("name", name), ("weight", weight))
        if getattr(criterion, field) != value
    }
    if guidance != criterion.guidance:
        changes["guidance"] = True
    criterion.name, criterion.guidance, criterion.weight = name, guidance, weight
    audit(
        session,
        "criterion.updated",
        criterion,
        actor=actor,
        cycle_id=cycle.id,
        now=now,
        changes=changes,
    )
    session.flush()
    return criterion


def delete_criterion(
    session: Session, criterion: Criterion, actor: User, now: datetime | None = None
) -> None:
    now = now or utcnow()
    cycle = criterion.cycle
    _criteria_editable(cycle, now)
    audit(
        session,
        "criterion.deleted",
        criterion,
        actor=actor,
        cycle_id=cycle.id,
        now=now,
        changes={"name": criterion.name},
    )
    cycle.criteria.remove(criterion)
    session.flush()


def add_eligibility_item(
    session: Session, cycle: AwardCycle, label: str, actor: User, now: datetime | None = None
) -> EligibilityItem:
    now = now or utcnow()
    _criteria_editable(cycle, now)
    _check_unique_name(cycle.eligibility_items, label, lambda item: item.label)
    item = EligibilityItem(
        cycle=cycle,
        label=label,
        position=max((i.position for i in cycle.eligibility_items), default=0) + 1,
    )
    session.add(item)
    session.flush()
    audit(
        session,
        "eligibility_item.added",
        item,
        actor=actor,
        cycle_id=cycle.id,
        now=now,
        changes={"label": label},
    )
    session.flush()
    return item


def delete_eligibility_item(
    session: Session, item: EligibilityItem, actor: User, now: datetime | None = None
) -> None:
    now = now or utcnow()
    cycle = item.cycle
    _criteria_editable(cycle, now)
    audit(
        session,
        "eligibility_item.deleted",
        item,
        actor=actor,
        cycle_id=cycle.id,
        now=now,
        changes={"label": item.label},
    )
    cycle.eligibility_items.remove(item)
    session.flush()


def _check_unique_name(existing, name: str, key) -> None:
    wanted = normalise_name(name)
    if any(normalise_name(key(obj)) == wanted for obj in existing):
        raise AwardError(_l("That name is already used in this cycle."))


# --- nominations and merging ----------------------------------------------------------------


def normalise_name(value: str) -> str:
    """Case, whitespace and Unicode form do not make two names different."""
    return (clean_line(unicodedata.normalize("NFKC", value)) or "").casefold()


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def name_key(name: str, municipality: str) -> str:
    return _digest(f"{normalise_name(name)}\x1f{normalise_name(municipality)}")


def org_key(org_number: str | None) -> str | None:
    digits = "".join(ch for ch in org_number or "" if ch.isdigit())
    return _digest(digits) if digits else None


@dataclass(frozen=True)
class NominationData:
    """A validated nomination form."""

    enterprise_name: str
    org_number: str | None
    municipality: str
    website: str | None
    contact_name: str
    contact_email: str
    motivations: dict[int, str]  # criterion id -> text
    nominator_name: str
    nominator_email: str
    relation: Relation
    is_self_nomination: bool
    locale: str = "sv"


def find_dossier(session: Session, cycle: AwardCycle, data: NominationData) -> Dossier | None:
    """The dossier this nomination merges into: same organisation number, else same name+place.

    Two different organisation numbers are two enterprises even when the names agree.
    """
    by_org = org_key(data.org_number)
    if by_org is not None:
        dossier = session.scalar(
            select(Dossier).where(Dossier.cycle_id == cycle.id, Dossier.org_key == by_org)
        )
        if dossier is not None:
            return dossier
    query = select(Dossier).where(
        Dossier.cycle_id == cycle.id,
        Dossier.name_key == name_key(data.enterprise_name, data.municipality),
    )
    if by_org is not None:
        query = query.where(Dossier.org_key.is_(None))
    return session.scalar(query.order_by(Dossier.id).limit(1))


def _find_or_create_dossier(session: Session, cycle: AwardCycle, data: NominationData) -> Dossier:
    dossier = find_dossier(session, cycle, data)
    if dossier is not None:
        return dossier
    dossier = Dossier(
        cycle_id=cycle.id,
        org_key=org_key(data.org_number),
        name_key=name_key(data.enterprise_name, data.municipality),
        nomination_count=0,
        self_nomination_count=0,
    )
    # Someone else may create the same dossier at the same moment: the unique indexes
    # decide, and the loser merges into the winner's dossier.
    try:
        with session.begin_nested():
            session.add(dossier)
            session.flush()
    except IntegrityError:
        dossier = find_dossier(session, cycle, data)
        if dossier is None:
            raise
    return dossier


def submit_nomination(
    session: Session,
    cycle: AwardCycle,
    data: NominationData,
    user: User | None,
    *,
    tokens: Tokens,
    base_url: str,
    now: datetime | None = None,
) -> Nomination:
    """Record a nomination; it counts at once for a signed-in confirmed address, else by link."""
    now = now or utcnow()
    require_phase(cycle, NOMINATION_OPEN, now, _l("The nomination window is not open."))
    known_criteria = {criterion.id for criterion in cycle.criteria}
    if set(data.motivations) != known_criteria:
        raise AwardError(_l("Write a motivation for every criterion."))
    dossier = _find_or_create_dossier(session, cycle, data)
    nomination = Nomination(
        dossier=dossier,
        entered_name=data.enterprise_name,
        entered_org_number=data.org_number,
        entered_municipality=data.municipality,
        entered_website=data.website,
        entered_contact_name=data.contact_name,
        entered_contact_email=data.contact_email,
        nominator_name=data.nominator_name,
        nominator_email=data.nominator_email,
        relation=data.relation,
        is_self_nomination=data.is_self_nomination,
        user_id=user.id if user is not None else None,
        locale=data.locale,
        submitted_at=now,
    )
    nomination.motivations = [
        Motivation(criterion_id=criterion_id, text=text)
        for criterion_id, text in sorted(data.motivations.items())
    ]
    session.add(nomination)
    session.flush()
    audit(
        session,
        "nomination.submitted",
        nomination,
        actor=user,
        actor_kind="nominator",
        cycle_id=cycle.id,
        now=now,
        changes={
            "dossier_id": dossier.id,
            "self_nomination": data.is_self_nomination,
            "relation": data.relation.value,
            "signed_in": user is not None,
        },
    )
    verified = (
        user is not None
        and user.email_confirmed_at is not None
        and user.email == data.nominator_email
    )
    if verified:
        _count_nomination(session, nomination, tokens=tokens, base_url=base_url, now=now)
    else:
        _send_nomination_confirmation(session, nomination, tokens=tokens, base_url=base_url)
    session.flush()
    return nomination


def nomination_link(nomination: Nomination, tokens: Tokens, base_url: str) -> str:
    token = tokens.make(NOMINATION_LINK, {"n": nomination.id, "e": nomination.nominator_email})
    return f"{base_url}/awards/nominations/{token}"


def _send_nomination_confirmation(
    session: Session, nomination: Nomination, *, tokens: Tokens, base_url: str
) -> None:
    queue_mail(
        session,
        dedup_key=f"award-nomination-confirm:{nomination.id}",
        to=nomination.nominator_email,
        subject=_l("Confirm your nomination for Social Enterprise of the Year"),
        template="mail/award_nomination_confirm.txt",
        locale=nomination.locale,
        nomination=nomination,
        cycle=nomination.dossier.cycle,
        link=nomination_link(nomination, tokens, base_url),
    )


def nomination_for_link(session: Session, token: str, tokens: Tokens) -> Nomination | None:
    """The nomination a nominator's link points at, or None (bad, expired or removed)."""
    data = tokens.read(NOMINATION_LINK, token, LINK_MAX_AGE)
    nomination = session.get(Nomination, data.get("n")) if data else None
    if nomination is None or nomination.nominator_email != data.get("e"):
        return None
    return nomination


def confirm_nomination(
    session: Session,
    nomination: Nomination,
    *,
    tokens: Tokens,
    base_url: str,
    now: datetime | None = None,
) -> Nomination | None:
    """Count a nomination whose nominator followed the link; None if it merged into a closure."""
    now = now or utcnow()
    if nomination.is_counted:
        return nomination
    cycle = nomination.dossier.cycle
    deadline = edges(cycle).nominations_close + CONFIRM_GRACE
    if cycle_phase(cycle, now) != Phase.NOMINATING and not (
        cycle_phase(cycle, now) == Phase.SCREENING and now < deadline
    ):
        raise AwardError(_l("It is too late to confirm this nomination."))
    return _count_nomination(session, nomination, tokens=tokens, base_url=base_url, now=now)


def _count_nomination(
    session: Session, nomination: Nomination, *, tokens: Tokens, base_url: str, now: datetime
) -> Nomination | None:
    dossier = nomination.dossier
    cycle = dossier.cycle
    nomination.email_confirmed_at = nomination.email_confirmed_at or now
    nomination.counted_at = now
    dossier.nomination_count += 1
    if nomination.is_self_nomination:
        dossier.self_nomination_count += 1
    if dossier.is_closed:
        # The enterprise has declined: count the nomination, keep nothing of it.
        audit(
            session,
            "nomination.counted_after_decline",
            dossier,
            actor=nomination.user,
            actor_kind="nominator",
            cycle_id=cycle.id,
            now=now,
            changes={"nomination_id": nomination.id},
        )
        dossier.nominations.remove(nomination)
        session.flush()
        return None
    if dossier.nomination_count == 1:
        # The first nomination that counts describes the enterprise; later ones cannot
        # redirect the nominee's mail elsewhere.
        dossier.name = nomination.entered_name
        if nomination.entered_org_number and dossier.org_key == org_key(
            nomination.entered_org_number
        ):
            dossier.org_number = nomination.entered_org_number
        elif nomination.entered_org_number:
            _learn_org_number(session, dossier, nomination.entered_org_number)
        dossier.municipality = nomination.entered_municipality
        dossier.website = nomination.entered_website
        dossier.contact_name = nomination.entered_contact_name
        dossier.contact_email = nomination.entered_contact_email
    else:
        if dossier.org_number is None and nomination.entered_org_number:
            _learn_org_number(session, dossier, nomination.entered_org_number)
        if dossier.website is None and nomination.entered_website:
            dossier.website = nomination.entered_website
        audit(
            session,
            "dossier.merged",
            dossier,
            actor=nomination.user,
            actor_kind="nominator",
            cycle_id=cycle.id,
            now=now,
            changes={"nomination_id": nomination.id, "nomination_count": dossier.nomination_count},
        )
    audit(
        session,
        "nomination.counted",
        nomination,
        actor=nomination.user,
        actor_kind="nominator",
        cycle_id=cycle.id,
        now=now,
        changes={"dossier_id": dossier.id},
    )
    if dossier.consent_requested_at is None:
        _request_consent(session, dossier, tokens=tokens, base_url=base_url, now=now)
    session.flush()
    return nomination


def _learn_org_number(session: Session, dossier: Dossier, org_number: str) -> None:
    """A later nominator knew the organisation number: keep it unless another dossier has it."""
    key = org_key(org_number)
    taken = session.scalar(
        select(Dossier.id).where(
            Dossier.cycle_id == dossier.cycle_id, Dossier.org_key == key, Dossier.id != dossier.id
        )
    )
    if taken is None:
        dossier.org_key = key
        dossier.org_number = org_number


# --- nominee consent ------------------------------------------------------------------------


def consent_link(dossier: Dossier, tokens: Tokens, base_url: str) -> str:
    token = tokens.make(CONSENT_LINK, {"d": dossier.id, "e": dossier.contact_email})
    return f"{base_url}/awards/consent/{token}"


def _request_consent(
    session: Session, dossier: Dossier, *, tokens: Tokens, base_url: str, now: datetime
) -> None:
    cycle = dossier.cycle
    queue_mail(
        session,
        dedup_key=f"award-consent:{dossier.id}",
        to=dossier.contact_email,
        subject=_l("%(name)s is nominated for Social Enterprise of the Year", name=dossier.name),
        template="mail/award_consent_request.txt",
        locale=NOMINEE_LOCALE,
        dossier=dossier,
        cycle=cycle,
        link=consent_link(dossier, tokens, base_url),
    )
    dossier.consent_requested_at = now
    audit(session, "consent.requested", dossier, actor=None, cycle_id=cycle.id, now=now)


def dossier_for_consent_link(session: Session, token: str, tokens: Tokens) -> Dossier | None:
    """The dossier a nominee's link points at; a declined one is returned so it can say so."""
    data = tokens.read(CONSENT_LINK, token, LINK_MAX_AGE)
    dossier = session.get(Dossier, data.get("d")) if data else None
    if dossier is None:
        return None
    if not dossier.is_closed and dossier.contact_email != data.get("e"):
        return None
    return dossier


def answer_consent(
    session: Session, dossier: Dossier, accept: bool, now: datetime | None = None
) -> Dossier:
    """Record the nominee's answer; declining closes the dossier and removes its personal data."""
    now = now or utcnow()
    cycle = dossier.cycle
    if dossier.is_closed:
        raise AwardError(_l("You have already declined; the nomination is closed."))
    if accept:
        require_phase(
            cycle, CONSENT_ACCEPT_OPEN, now, _l("The nomination can no longer be accepted.")
        )
        if dossier.consent_status == ConsentStatus.ACCEPTED:
            return dossier
        dossier.consent_status = ConsentStatus.ACCEPTED
        dossier.consent_answered_at = now
        audit(
            session,
            "consent.accepted",
            dossier,
            actor=None,
            actor_kind="nominee",
            cycle_id=cycle.id,
            now=now,
        )
        session.flush()
        return dossier
    require_phase(
        cycle, CONSENT_DECLINE_OPEN, now, _l("The results are published; contact the organisers.")
    )
    previous = dossier.consent_status
    removed = remove_personal_data(session, dossier, now)
    dossier.consent_status = ConsentStatus.DECLINED
    dossier.consent_answered_at = now
    audit(
        session,
        "consent.declined",
        dossier,
        actor=None,
        actor_kind="nominee",
        cycle_id=cycle.id,
        now=now,
        changes={
            "previous": previous.value,
            "nominations_removed": removed,
            "nomination_count": dossier.nomination_count,
        },
    )
    session.flush()
    return dossier


def remove_personal_data(session: Session, dossier: Dossier, now: datetime) -> int:
    """Strip a dossier to its counts: contact, enterprise details, nominations, decisions."""
    removed = len(dossier.nominations)
    dossier.nominations.clear()
    dossier.screening_decisions.clear()
    for name in ("name", "org_number", "website", "contact_name", "contact_email"):
        setattr(dossier, name, None)
    dossier.personal_data_removed_at = now
    session.flush()
    return removed


# --- screening ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScreeningAnswer:
    item_id: int
    passed: bool
    reason: str | None


def screen_dossier(
    session: Session,
    dossier: Dossier,
    answers: list[ScreeningAnswer],
    actor: User,
    now: datetime | None = None,
) -> Dossier:
    """Record the checklist; all passed makes it eligible, a failure proposes ineligible."""
    now = now or utcnow()
    cycle = dossier.cycle
    require_phase(cycle, SCREENING_OPEN, now, _l("Screening is not open for this cycle."))
    if dossier.is_closed or dossier.nomination_count == 0:
        raise AwardError(_l("This dossier cannot be screened."))
    if dossier.eligibility_status == EligibilityStatus.INELIGIBLE:
        raise AwardError(_l("This dossier is already found ineligible by two organisers."))
    by_item = {answer.item_id: answer for answer in answers}
    items = cycle.eligibility_items
    if set(by_item) != {item.id for item in items}:
        raise AwardError(_l("Answer every item of the checklist."))
    for answer in answers:
        if not answer.passed and not (answer.reason or "").strip():
            raise AwardError(_l("Give a reason for every item that is not met."))
    for item in items:
        answer = by_item[item.id]
        decision = dossier.decision_for(item)
        if decision is None:
            decision = ScreeningDecision(dossier=dossier, item=item)
            session.add(decision)
        decision.passed = answer.passed
        decision.reason = None if answer.passed else answer.reason
        decision.decided_by_id = actor.id
        decision.decided_at = now
    failed = [item.id for item in items if not by_item[item.id].passed]
    previous = dossier.eligibility_status
    dossier.screened_at = now
    dossier.screened_by_id = actor.id
    dossier.ineligible_confirmed_by_id = None
    dossier.ineligible_confirmed_at = None
    if failed:
        dossier.eligibility_status = EligibilityStatus.INELIGIBLE_PROPOSED
        dossier.ineligible_proposed_by_id = actor.id
    else:
        dossier.eligibility_status = EligibilityStatus.ELIGIBLE
        dossier.ineligible_proposed_by_id = None
    audit(
        session,
        "screening.recorded",
        dossier,
        actor=actor,
        cycle_id=cycle.id,
        now=now,
        changes={
            "previous": previous.value,
            "status": dossier.eligibility_status.value,
            "failed_items": failed,
        },
    )
    session.flush()
    if dossier.eligibility_status == EligibilityStatus.ELIGIBLE and previous != (
        EligibilityStatus.ELIGIBLE
    ):
        _tell_nominee_outcome(session, dossier, now)
    return dossier


def confirm_ineligible(
    session: Session, dossier: Dossier, actor: User, now: datetime | None = None
) -> Dossier:
    """A second organiser confirms the ineligible proposal; the nominee is told why."""
    now = now or utcnow()
    cycle = dossier.cycle
    require_phase(cycle, SCREENING_OPEN, now, _l("Screening is not open for this cycle."))
    if dossier.eligibility_status != EligibilityStatus.INELIGIBLE_PROPOSED:
        raise AwardError(_l("There is no ineligible proposal to confirm."))
    if dossier.ineligible_proposed_by_id == actor.id:
        raise AwardError(
            _l("A second organiser must confirm: you proposed this decision yourself.")
        )
    dossier.eligibility_status = EligibilityStatus.INELIGIBLE
    dossier.ineligible_confirmed_by_id = actor.id
    dossier.ineligible_confirmed_at = now
    audit(
        session,
        "screening.ineligible_confirmed",
        dossier,
        actor=actor,
        cycle_id=cycle.id,
        now=now,
        changes={"proposed_by": dossier.ineligible_proposed_by_id},
    )
    session.flush()
    _tell_nominee_outcome(session, dossier, now)
    return dossier


def return_for_rescreening(
    session: Session, dossier: Dossier, actor: User, now: datetime | None = None
) -> Dossier:
    """Withdraw an ineligible proposal (the second organiser disagrees): screen it again."""
    now = now or utcnow()
    cycle = dossier.cycle
    require_phase(cycle, SCREENING_OPEN, now, _l("Screening is not open for this cycle."))
    if dossier.eligibility_status != EligibilityStatus.INELIGIBLE_PROPOSED:
        raise AwardError(_l("There is no ineligible proposal to confirm."))
    dossier.eligibility_status = EligibilityStatus.UNSCREENED
    proposer = dossier.ineligible_proposed_by_id
    dossier.ineligible_proposed_by_id = None
    audit(
        session,
        "screening.ineligible_rejected",
        dossier,
        actor=actor,
        cycle_id=cycle.id,
        now=now,
        changes={"proposed_by": proposer},
    )
    session.flush()
    return dossier


def _tell_nominee_outcome(session: Session, dossier: Dossier, now: datetime) -> None:
    eligible = dossier.eligibility_status == EligibilityStatus.ELIGIBLE
    failed = [
        (decision.item.label, decision.reason)
        for decision in sorted(dossier.screening_decisions, key=lambda d: d.item.position)
        if not decision.passed
    ]
    queue_mail(
        session,
        dedup_key=f"award-screening:{dossier.id}:{dossier.eligibility_status.value}:"
        f"{now:%Y%m%d%H%M%S}",
        to=dossier.contact_email,
        subject=_l("Your nomination for Social Enterprise of the Year has been reviewed"),
        template="mail/award_screening_outcome.txt",
        locale=NOMINEE_LOCALE,
        dossier=dossier,
        cycle=dossier.cycle,
        eligible=eligible,
        failed=failed,
    )
    audit(
        session,
        "screening.nominee_told",
        dossier,
        actor=None,
        cycle_id=dossier.cycle_id,
        now=now,
        changes={"status": dossier.eligibility_status.value},
    )


# --- redaction ------------------------------------------------------------------------------


def redact_motivation(
    session: Session,
    motivation: Motivation,
    redacted_text: str | None,
    actor: User,
    now: datetime | None = None,
) -> Motivation:
    """Set (or, with None, remove) the version of a motivation the jury reads."""
    now = now or utcnow()
    dossier = motivation.nomination.dossier
    cycle = dossier.cycle
    require_phase(
        cycle, REDACTION_OPEN, now, _l("Texts can only be redacted before the jury reads them.")
    )
    if redacted_text is not None and redacted_text == motivation.text:
        redacted_text = None
    action = "motivation.redacted" if redacted_text is not None else "motivation.unredacted"
    motivation.redacted_text = redacted_text
    motivation.redacted_at = now if redacted_text is not None else None
    motivation.redacted_by_id = actor.id if redacted_text is not None else None
    audit(
        session,
        action,
        motivation,
        actor=actor,
        cycle_id=cycle.id,
        now=now,
        changes={
            "dossier_id": dossier.id,
            "nomination_id": motivation.nomination_id,
            "criterion_id": motivation.criterion_id,
        },
    )
    session.flush()
    return motivation


# --- reading --------------------------------------------------------------------------------


def visible_dossiers(session: Session, cycle: AwardCycle) -> list[Dossier]:
    """Dossiers with at least one counted nomination (organisers only)."""
    return list(
        session.scalars(
            select(Dossier)
            .where(Dossier.cycle_id == cycle.id, Dossier.nomination_count > 0)
            .order_by(func.coalesce(Dossier.name, ""), Dossier.id)
        )
    )


def nominations_of(session: Session, user: User) -> list[Nomination]:
    return list(
        session.scalars(
            select(Nomination)
            .where(Nomination.user_id == user.id)
            .order_by(Nomination.submitted_at.desc(), Nomination.id.desc())
        )
    )


def nominator_status(nomination: Nomination):
    """What the nominator may know: coarse, never the jury's or screening's reasons."""
    dossier = nomination.dossier
    if not nomination.is_counted:
        return _l("Waiting for you to confirm your e-mail address")
    if dossier.eligibility_status == EligibilityStatus.INELIGIBLE:
        return _l("Will not go on to the jury")
    if dossier.goes_to_jury:
        return _l("Goes on to the jury")
    return _l("Received and being reviewed")


def audit_entries(session: Session, cycle: AwardCycle) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.cycle_id == cycle.id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        )
    )


# --- calendar -------------------------------------------------------------------------------


def jury_events_for_user(session: Session, user: User) -> list[Event]:
    """The calendar events of the juries this person sits on (jurors and reserves).

    For personal calendar feeds: the gala of each cycle, where the jury's decision is
    announced. Cancelled events are left to the feed to show or drop.
    """
    if user is None or user.id is None:
        return []
    return list(
        session.scalars(
            select(Event)
            .join(AwardCycle, AwardCycle.gala_event_id == Event.id)
            .join(JuryMember, JuryMember.cycle_id == AwardCycle.id)
            .where(JuryMember.user_id == user.id)
            .order_by(Event.starts_at)
        )
    )


def jury_feed_items(session: Session, user: User, now: datetime) -> list[FeedItem]:
    """The person's jury sessions for their personal calendar feed (in the feeds' window)."""
    note = str(_l("You sit on the jury of this award."))
    return [
        FeedItem.from_event(event, note=note)
        for event in jury_events_for_user(session, user)
        if event_in_window(event, now)
    ]


# Audit actions that put someone on a jury or take them off it.
JURY_SEAT_ACTIONS = ("jury.appointed", "jury.changed", "jury.removed")


def jury_feed_revision(session: Session, user: User) -> Iterable[datetime | str | None]:
    """Last changes of the person's jury seats, their cycles and gala events.

    A removed seat is a deleted row, so the last jury change in the audit log (of anyone:
    rare, and a later Last-Modified than needed only costs one full download) counts too.
    """
    seats = session.execute(
        select(
            func.max(JuryMember.appointed_at),
            func.max(AwardCycle.updated_at),
            func.max(Event.updated_at),
        )
        .select_from(JuryMember)
        .join(AwardCycle, AwardCycle.id == JuryMember.cycle_id)
        .outerjoin(Event, Event.id == AwardCycle.gala_event_id)
        .where(JuryMember.user_id == user.id)
    ).one()
    last_jury_change = session.scalar(
        select(func.max(AuditEntry.at)).where(AuditEntry.action.in_(JURY_SEAT_ACTIONS))
    )
    return [*seats, last_jury_change]
