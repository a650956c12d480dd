"""A realistic data set for benchmarks and EXPLAIN checks, inserted in bulk.

Two years of a region's activity at ``scale=1``: about 1,000 events (a quarter of them
still to come), 5,000 people in 800 organisations, 20,000 sign-ups (confirmed, waiting,
cancelled; attendance marked on past events), 40 lab series, and the award: a cycle in its
scoring phase with 300 nominations, 12 jurors who have declared on all of them and scored
about two thirds; breakfast events belong to host networks' recurring series.
``scale=k`` multiplies people, organisations, events and sign-ups by ``k``
in the same two years (a region k times as busy) and adds ``k-1`` earlier award cycles of
the same size (nominations are per year: a busier history, not a 600-nomination jury list).

Rows go in with Core ``insert()`` executemany and explicit ids (the database is fresh), so
seeding takes seconds; PostgreSQL's id sequences are moved past them afterwards. Every
person shares ONE Argon2 hash of ``PASSWORD``. Deterministic for a given seed.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert, text

PASSWORD = "bench-lösenord-2026"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
KINDS = ["lab"] * 35 + ["breakfast"] * 25 + ["board"] * 20 + ["other"] * 15 + ["award"] * 5
CRITERIA = (
    ("Social impact", 3),
    ("Business model", 2),
    ("Innovation", 2),
    ("Sustainability", 2),
    ("Local roots", 1),
    ("Growth", 1),
)


@dataclass
class Seeded:
    """What a benchmark needs to find its pages."""

    counts: dict[str, int]
    event_uid: str  # an upcoming, full event with a waiting list
    juror_id: int  # a juror of the current cycle (member of its jury)
    organiser_id: int  # organiser and admin
    entrepreneur_id: int
    cycle_id: int  # the current cycle, in scoring


def seed(session, scale: int = 1, *, seed_value: int = 2026, now: datetime | None = None):
    """Fill an empty, migrated database; return what the pages need."""
    from eventapp.auth.models import Organisation, User, UserRole
    from eventapp.auth.services import hash_password
    from eventapp.calendar.models import Event, Signup
    from eventapp.labs.models import LabSeries, LabSession
    from eventapp.regions import MUNICIPALITIES, OrganisationType

    rng = random.Random(seed_value)
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    password_hash = hash_password(PASSWORD)
    counts: dict[str, int] = {}

    def put(model, rows: list[dict]) -> None:
        if rows:
            for start in range(0, len(rows), 5000):
                session.execute(insert(model), rows[start : start + 5000])
        counts[model.__tablename__] = counts.get(model.__tablename__, 0) + len(rows)

    # --- organisations and people --------------------------------------------------------
    org_types = list(OrganisationType)
    organisations = [
        {
            "id": number,
            "name": f"Företag {number} i Dalarna",
            "org_type": rng.choice(org_types),
            "municipality": rng.choice(MUNICIPALITIES),
            "marked_social_enterprise": rng.random() < 0.1,
            "year_founded": rng.randint(1990, 2025),
            "created_at": now - timedelta(days=rng.randint(1, 730)),
            "updated_at": now - timedelta(days=rng.randint(0, 30)),
        }
        for number in range(1, 800 * scale + 1)
    ]
    put(Organisation, organisations)
    user_count = 5000 * scale
    users = []
    for number in range(1, user_count + 1):
        joined = now - timedelta(days=rng.randint(0, 730), minutes=rng.randint(0, 1440))
        users.append(
            {
                "id": number,
                "name": f"Person {number} Öberg",
                "email": f"person{number}@bench.example.org",
                "password_hash": password_hash,
                "locale": "sv" if rng.random() < 0.9 else "en",
                "organisation_id": rng.randint(1, len(organisations))
                if rng.random() < 0.8
                else None,
                "email_confirmed_at": joined,
                "password_changed_at": joined,
                "uf_founder": rng.random() < 0.05,
                "created_at": joined,
                "updated_at": joined,
            }
        )
    put(User, users)
    organiser_id, entrepreneur_id = 1, 2
    juror_ids = list(range(3, 3 + 12))
    roles = [{"user_id": u["id"], "role": "entrepreneur"} for u in users]
    roles += [{"user_id": organiser_id, "role": r} for r in ("organiser", "admin")]
    roles += [{"user_id": uid, "role": "organiser"} for uid in range(15, 25)]
    roles += [{"user_id": uid, "role": "juror"} for uid in juror_ids]
    roles += [{"user_id": uid, "role": "panelist"} for uid in range(25, 45)]
    put(UserRole, [{"id": i, **row} for i, row in enumerate(roles, 1)])

    # --- events, sign-ups, labs ------------------------------------------------------------
    event_count = 1000 * scale
    first_day = now - timedelta(days=540)
    events, signups, lab_sessions = [], [], []
    target_event = None
    series_count = 40 * scale
    for number in range(1, event_count + 1):
        day = first_day + timedelta(days=730 * (number - 1) / event_count)
        local = datetime.combine(
            day.astimezone(STOCKHOLM).date(), time(rng.choice((8, 10, 13, 17))), STOCKHOLM
        )
        starts = local.astimezone(UTC)
        kind = rng.choice(KINDS)
        capacity = rng.choice((None, 15, 20, 25, 30, 40))
        cancelled = rng.random() < 0.03
        upcoming = starts > now
        wanted = rng.randint(8, 32)
        people = rng.sample(range(1, user_count + 1), wanted)
        confirmed = 0
        signup_rows = []
        for position, user_id in enumerate(people):
            created = starts - timedelta(days=30) + timedelta(minutes=37 * position)
            created = min(created, now - timedelta(minutes=1))
            row = {
                "id": len(signups) + len(signup_rows) + 1,
                "event_id": number,
                "user_id": user_id,
                "created_at": created,
                "show_in_participant_list": rng.random() < 0.3,
            }
            if rng.random() < 0.05:
                row.update(status="cancelled", cancelled_at=created + timedelta(hours=5))
            elif capacity is None or confirmed < capacity:
                confirmed += 1
                row.update(status="confirmed", confirmed_at=created)
                if not upcoming and not cancelled:
                    row.update(
                        attendance="present" if rng.random() < 0.8 else "absent",
                        attendance_marked_at=starts + timedelta(hours=2),
                    )
            else:
                row.update(status="waitlisted")
            signup_rows.append(row)
        signups.extend(signup_rows)
        events.append(
            {
                "id": number,
                "uid": uuid.UUID(int=rng.getrandbits(128), version=4),
                "kind": kind,
                "title": f"{kind.capitalize()} {number}: Åsa Öberg-Ängström berättar",
                "description": "Ta med din affärsplan och dina frågor. " * 8,
                "place": "Kupolen",
                "address": "Stationsgatan 1",
                "municipality": rng.choice(MUNICIPALITIES),
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=2),
                "capacity": capacity,
                "seats_taken": confirmed,
                "status": "cancelled" if cancelled else "scheduled",
                "cancelled_at": starts - timedelta(days=2) if cancelled else None,
                "cancellation_reason": "Sjuk föreläsare" if cancelled else None,
                "sequence": 1 if cancelled else 0,
                "is_public": rng.random() < 0.95,
                "organiser_id": rng.choice((organiser_id, *range(15, 25))),
                "created_at": starts - timedelta(days=45),
                "updated_at": starts - timedelta(days=rng.randint(1, 40)),
            }
        )
        if kind == "lab":
            lab_sessions.append(
                {
                    "id": len(lab_sessions) + 1,
                    "series_id": 1 + number % series_count,
                    "event_id": number,
                }
            )
        if (
            target_event is None
            and upcoming
            and not cancelled
            and capacity
            and events[-1]["is_public"]
            and any(r["status"] == "waitlisted" for r in signup_rows)
        ):
            target_event = events[-1]
    put(Event, events)
    put(Signup, signups)
    put(
        LabSeries,
        [
            {
                "id": number,
                "title": f"Labbserie {number}: Designtänkande",
                "description": "Vi testar idéer tillsammans.",
                "target_group": "Sociala entreprenörer",
                "facilitator": "Kim Facilitator",
                "default_capacity": 20,
                "default_place": "Kupolen",
                "municipality": rng.choice(MUNICIPALITIES),
                "created_by_id": organiser_id,
                "created_at": first_day,
                "updated_at": first_day,
            }
            for number in range(1, series_count + 1)
        ],
    )
    put(LabSession, lab_sessions)

    _seed_breakfasts(session, put, rng, events, organiser_id, first_day)
    cycle_id = _seed_awards(session, put, rng, now, scale, juror_ids, organiser_id, event_count)
    reset_sequences(session)
    session.commit()
    if target_event is None:
        raise RuntimeError("no upcoming full event in the data set; change the seed")
    return Seeded(
        counts=counts,
        event_uid=str(target_event["uid"]),
        juror_id=juror_ids[0],
        organiser_id=organiser_id,
        entrepreneur_id=entrepreneur_id,
        cycle_id=cycle_id,
    )


def _seed_breakfasts(session, put, rng, events, organiser_id, first_day) -> None:
    """Host networks and recurring series owning the breakfast events (one per weekday
    and municipality they fall on), when this checkout has the breakfasts area."""
    try:
        from eventapp.breakfasts.models import BreakfastOccurrence, BreakfastSeries, HostNetwork
    except ImportError:
        return
    from eventapp.regions import MUNICIPALITIES

    put(
        HostNetwork,
        [
            {"id": n, "name": f"Företagarna {name}", "municipality": name}
            for n, name in enumerate(MUNICIPALITIES, 1)
        ],
    )
    series: dict[tuple[str, int], int] = {}
    occurrences, taken = [], set()
    for event in events:
        if event["kind"] != "breakfast":
            continue
        local = event["starts_at"].astimezone(STOCKHOLM)
        key = (event["municipality"], local.weekday())
        if key not in series:
            series[key] = len(series) + 1
        if (series[key], local.date()) in taken:
            continue  # a second breakfast that day is a one-off, not the series'
        taken.add((series[key], local.date()))
        occurrences.append(
            {
                "id": len(occurrences) + 1,
                "event_id": event["id"],
                "series_id": series[key],
                "original_date": local.date(),
            }
        )
    put(
        BreakfastSeries,
        [
            {
                "id": number,
                "network_id": MUNICIPALITIES.index(municipality) + 1,
                "title": f"Frukostmöte i {municipality}",
                "place": "Stadshotellet",
                "municipality": municipality,
                "frequency": "weekly",
                "weekday": weekday,
                "local_time": time(8),
                "duration_minutes": 90,
                "capacity": 30,
                "rule_start": first_day.date(),
                "created_by_id": organiser_id,
            }
            for (municipality, weekday), number in series.items()
        ],
    )
    put(BreakfastOccurrence, occurrences)


def _seed_awards(session, put, rng, now, scale, juror_ids, organiser_id, event_count) -> int:
    from eventapp.awards.models import (
        AwardCycle,
        Criterion,
        Declaration,
        Dossier,
        EligibilityItem,
        JuryMember,
        Motivation,
        Nomination,
        Score,
        ScoreSheet,
    )
    from eventapp.awards.services import name_key
    from eventapp.calendar.models import Event

    today = now.astimezone(STOCKHOLM).date()
    ids = {"dossier": 0, "nomination": 0, "motivation": 0, "criterion": 0, "member": 0}
    ids.update(declaration=0, sheet=0, score=0)
    current_cycle = None
    for back in range(scale):  # back=0 is this year's cycle, in scoring
        cycle_id = back + 1
        shift = timedelta(days=365 * back)
        gala_id = event_count + cycle_id
        gala_day = today + timedelta(days=30) - shift
        gala_start = datetime.combine(gala_day, time(18), STOCKHOLM).astimezone(UTC)
        put(
            Event,
            [
                {
                    "id": gala_id,
                    "uid": uuid.UUID(int=rng.getrandbits(128), version=4),
                    "kind": "award",
                    "title": f"Gala {gala_day.year}",
                    "starts_at": gala_start,
                    "ends_at": gala_start + timedelta(hours=4),
                    "municipality": "Rättvik",
                    "seats_taken": 0,
                    "organiser_id": organiser_id,
                    "created_at": now - shift - timedelta(days=60),
                    "updated_at": now - shift - timedelta(days=60),
                }
            ],
        )
        put(
            AwardCycle,
            [
                {
                    "id": cycle_id,
                    "year": today.year - back,
                    "title": "Årets sociala företag",
                    "call_text": "Nominera!",
                    "nominations_open_on": today - timedelta(days=40) - shift,
                    "nominations_close_on": today - timedelta(days=30) - shift,
                    "screening_close_on": today - timedelta(days=20) - shift,
                    "scoring_open_on": today - timedelta(days=5) - shift,
                    "scoring_close_on": today + timedelta(days=10) - shift,
                    "retention_months": 24,
                    "gala_event_id": gala_id,
                    "created_by_id": organiser_id,
                    "call_published_at": now - shift - timedelta(days=60),
                    "call_published_by_id": organiser_id,
                }
            ],
        )
        criteria = []
        for position, (name, weight) in enumerate(CRITERIA):
            ids["criterion"] += 1
            criteria.append(
                {
                    "id": ids["criterion"],
                    "cycle_id": cycle_id,
                    "position": position,
                    "name": name,
                    "guidance": f"How well does it do {name}?",
                    "weight": weight,
                }
            )
        put(Criterion, criteria)
        put(
            EligibilityItem,
            [{"id": cycle_id, "cycle_id": cycle_id, "position": 0, "label": "I Dalarna"}],
        )
        dossiers, nominations, motivations = [], [], []
        for number in range(300):
            ids["dossier"] += 1
            ids["nomination"] += 1
            name = f"Kooperativet {cycle_id}-{number}"
            municipality = rng.choice(("Falun", "Mora", "Borlänge", "Ludvika", "Avesta"))
            submitted = now - shift - timedelta(days=35)
            dossiers.append(
                {
                    "id": ids["dossier"],
                    "cycle_id": cycle_id,
                    "name_key": name_key(name, municipality),
                    "name": name,
                    "municipality": municipality,
                    "contact_name": "Karin Kontakt",
                    "contact_email": f"kontakt{ids['dossier']}@bench.example.org",
                    "nomination_count": 1,
                    "consent_status": "accepted",
                    "eligibility_status": "eligible",
                    "created_at": submitted,
                    "updated_at": submitted,
                }
            )
            nominations.append(
                {
                    "id": ids["nomination"],
                    "dossier_id": ids["dossier"],
                    "entered_name": name,
                    "entered_municipality": municipality,
                    "entered_contact_name": "Karin Kontakt",
                    "entered_contact_email": f"kontakt{ids['dossier']}@bench.example.org",
                    "nominator_name": "Nils Nominator",
                    "nominator_email": f"nominator{ids['nomination']}@bench.example.org",
                    "relation": "customer",
                    "submitted_at": submitted,
                    "email_confirmed_at": submitted,
                    "counted_at": submitted,
                }
            )
            for criterion in criteria:
                ids["motivation"] += 1
                motivations.append(
                    {
                        "id": ids["motivation"],
                        "nomination_id": ids["nomination"],
                        "criterion_id": criterion["id"],
                        "text": f"{name} gör skillnad för {criterion['name']}. " * 3,
                    }
                )
        put(Dossier, dossiers)
        put(Nomination, nominations)
        put(Motivation, motivations)
        members, declarations, sheets, scores = [], [], [], []
        for position, user_id in enumerate(juror_ids):
            ids["member"] += 1
            member_id = ids["member"]
            members.append(
                {
                    "id": member_id,
                    "cycle_id": cycle_id,
                    "user_id": user_id,
                    "role": "juror",
                    "is_chair": position == 0 and back > 0,
                    "appointed_at": now - shift - timedelta(days=50),
                    "appointed_by_id": organiser_id,
                }
            )
            done = 1.0 if back else rng.uniform(0.5, 0.8)
            for dossier in dossiers:
                ids["declaration"] += 1
                declarations.append(
                    {
                        "id": ids["declaration"],
                        "member_id": member_id,
                        "dossier_id": dossier["id"],
                        "answer": "no_conflict",
                        "declared_at": now - shift - timedelta(days=4),
                    }
                )
                if rng.random() > done:
                    continue
                ids["sheet"] += 1
                sheets.append(
                    {
                        "id": ids["sheet"],
                        "member_id": member_id,
                        "dossier_id": dossier["id"],
                        "status": "submitted",
                        "version": 1,
                        "updated_at": now - shift - timedelta(days=2),
                        "submitted_at": now - shift - timedelta(days=2),
                    }
                )
                for criterion in criteria:
                    ids["score"] += 1
                    scores.append(
                        {
                            "id": ids["score"],
                            "sheet_id": ids["sheet"],
                            "member_id": member_id,
                            "dossier_id": dossier["id"],
                            "criterion_id": criterion["id"],
                            "value": rng.randint(1, 5),
                            "comment": "Bra.",
                        }
                    )
        put(JuryMember, members)
        put(Declaration, declarations)
        put(ScoreSheet, sheets)
        put(Score, scores)
        if back == 0:
            current_cycle = cycle_id
    return current_cycle


def reset_sequences(session) -> None:
    """Move PostgreSQL's id sequences past the explicit ids (SQLite needs nothing)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    rows = session.execute(
        text(
            "SELECT table_name, pg_get_serial_sequence(table_name, 'id') FROM "
            "information_schema.columns WHERE table_schema = 'public' AND column_name = 'id'"
        )
    ).all()
    for table, sequence in rows:
        if sequence:
            session.execute(
                text(
                    f"SELECT setval('{sequence}', COALESCE((SELECT max(id) FROM \"{table}\"), 0)"
                    " + 1, false)"
                )
            )
