"""Factories for award tests: cycles in a chosen phase, nominations, and mail links."""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime, time, timedelta

from eventapp.auth.services import Tokens
from eventapp.awards import services
from eventapp.awards.models import AwardCycle, Criterion, EligibilityItem, Relation
from eventapp.awards.phase import STOCKHOLM
from eventapp.calendar.models import EventKind
from eventapp.database import utcnow
from tests.factories import make_event

SECRET = "test-secret-key-that-is-long-enough-0123456789"
BASE_URL = "https://events.example.org"
TOKENS = Tokens(SECRET)
_years = itertools.cycle(range(2030, 2090))  # unique within a test, which is enough


def today() -> date:
    return utcnow().astimezone(STOCKHOLM).date()


def make_cycle(
    session,
    *,
    open_on: date | None = None,
    published: bool = True,
    criteria: tuple[tuple[str, int], ...] = (("Social impact", 3), ("Business model", 2)),
    items: tuple[str, ...] = ("Based or active in Dalarna", "Social purpose is the main aim"),
    year: int | None = None,
) -> AwardCycle:
    """A cycle whose nomination window is open today unless ``open_on`` says otherwise."""
    open_on = open_on or today() - timedelta(days=5)
    close_on = open_on + timedelta(days=30)
    scoring_close = close_on + timedelta(days=50)
    gala_start = datetime.combine(scoring_close + timedelta(days=10), time(18), STOCKHOLM)
    gala = make_event(session, kind=EventKind.AWARD, starts_at=gala_start)
    cycle = AwardCycle(
        year=year or next(_years),
        title="Årets sociala företag",
        call_text="Nominera ett socialt företag!",
        nominations_open_on=open_on,
        nominations_close_on=close_on,
        screening_close_on=close_on + timedelta(days=20),
        scoring_open_on=close_on + timedelta(days=30),
        scoring_close_on=scoring_close,
        retention_months=24,
        gala_event=gala,
        call_published_at=utcnow() if published else None,
    )
    cycle.criteria = [
        Criterion(name=name, guidance=f"Guidance for {name}", weight=weight, position=index)
        for index, (name, weight) in enumerate(criteria)
    ]
    cycle.eligibility_items = [
        EligibilityItem(label=label, position=index) for index, label in enumerate(items)
    ]
    session.add(cycle)
    session.flush()
    return cycle


def nomination_data(cycle: AwardCycle, **overrides) -> services.NominationData:
    values = {
        "enterprise_name": "Kooperativet Hantverket",
        "org_number": None,
        "municipality": "Falun",
        "website": None,
        "contact_name": "Karin Kontakt",
        "contact_email": "karin@hantverket.example",
        "motivations": {c.id: f"Motivation for {c.name}" for c in cycle.criteria},
        "nominator_name": "Nils Nominator",
        "nominator_email": "nils@example.org",
        "relation": Relation.CUSTOMER,
        "is_self_nomination": False,
    }
    values.update(overrides)
    return services.NominationData(**values)


def nominate(session, cycle, user=None, now=None, **overrides):
    return services.submit_nomination(
        session,
        cycle,
        nomination_data(cycle, **overrides),
        user,
        tokens=TOKENS,
        base_url=BASE_URL,
        now=now,
    )


def nominate_counted(session, cycle, now=None, **overrides):
    """A nomination whose nominator has confirmed the address."""
    nomination = nominate(session, cycle, now=now, **overrides)
    services.confirm_nomination(session, nomination, tokens=TOKENS, base_url=BASE_URL, now=now)
    return nomination


def form_data(cycle: AwardCycle, **overrides) -> dict:
    """A valid POST body for the public nomination form."""
    data = {
        "enterprise_name": "Kooperativet Hantverket",
        "org_number": "",
        "municipality": "Falun",
        "website": "",
        "contact_name": "Karin Kontakt",
        "contact_email": "karin@hantverket.example",
        "nominator_name": "Nils Nominator",
        "nominator_email": "nils@example.org",
        "relation": "customer",
        "no_sensitive_data": "y",
        "homepage": "",
    }
    for criterion in cycle.criteria:
        data[f"motivation_{criterion.id}"] = f"They do good work ({criterion.name})."
    data.update(overrides)
    return data


def link_in(message, path: str) -> str:
    """The first link to ``path`` in a mail, as a path the test client can open."""
    body = message.get_body(("plain",)).get_content()
    match = re.search(re.escape(BASE_URL) + r"(" + re.escape(path) + r"[^\s]+)", body)
    assert match, f"no {path} link in the mail"
    return match.group(1)
