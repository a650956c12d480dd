"""Plain factory functions for tests: make_user(db.session, role="juror"), make_event(...)."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from functools import cache

from eventapp.auth.models import Organisation, Role, User, UserRole
from eventapp.calendar.models import Event, EventKind
from eventapp.database import utcnow
from eventapp.regions import OrganisationType

DEFAULT_PASSWORD = "correct horse battery"
_counter = itertools.count(1)


@cache
def _default_password_hash() -> str:
    # Hashing Argon2id costs ~50 ms; tests reuse one real hash of the default password.
    from eventapp.auth.services import hash_password

    return hash_password(DEFAULT_PASSWORD)


def make_organisation(session, **fields) -> Organisation:
    number = next(_counter)
    values = {
        "name": f"Organisation {number}",
        "org_type": OrganisationType.COOPERATIVE,
        "municipality": "Falun",
    }
    values.update(fields)
    organisation = Organisation(**values)
    session.add(organisation)
    session.flush()
    return organisation


def make_user(
    session,
    role: str | Role | None = None,
    *,
    roles: tuple[str | Role, ...] = (),
    email: str | None = None,
    name: str | None = None,
    password: str | None = None,
    confirmed: bool = True,
    **fields,
) -> User:
    """Create a confirmed user; ``role`` adds one role beside entrepreneur."""
    from eventapp.auth.services import hash_password

    number = next(_counter)
    wanted = [Role.ENTREPRENEUR, *(Role(r) for r in roles)]
    if role is not None:
        wanted.append(Role(role))
    user = User(
        name=name or f"Person {number}",
        email=(email or f"person{number}@example.org").lower(),
        password_hash=hash_password(password) if password else _default_password_hash(),
        email_confirmed_at=utcnow() if confirmed else None,
        **fields,
    )
    user.role_rows = [UserRole(role=r) for r in dict.fromkeys(wanted)]
    session.add(user)
    session.flush()
    return user


def make_event(
    session,
    *,
    starts_at: datetime | None = None,
    duration: timedelta = timedelta(hours=2),
    kind: EventKind | str = EventKind.LAB,
    **fields,
) -> Event:
    """Create a scheduled event a week from now unless told otherwise."""
    starts_at = starts_at or (utcnow() + timedelta(days=7)).replace(microsecond=0)
    values = {
        "title": f"Event {next(_counter)}",
        "place": "Kupolen",
        "address": "",
        "description": "",
        "municipality": "Falun",
        "starts_at": starts_at,
        "ends_at": starts_at + duration,
        "kind": EventKind(kind),
    }
    values.update(fields)
    event = Event(**values)
    session.add(event)
    session.flush()
    return event
