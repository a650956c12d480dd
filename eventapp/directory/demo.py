"""Demo data for the directory: a few organisations opted in with their social mission."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from eventapp.auth.models import User
from eventapp.directory.services import opt_in

MISSIONS = (
    "Vi ger arbetsträning och anställning till personer som stått långt från arbetsmarknaden.",
    "Medlemmarna driver tillsammans ett café och en second hand-butik i centrum.",
    "Föreningen ordnar läxhjälp och idrott för barn och unga på kvällar och helger.",
)


def seed_directory(session: Session) -> None:
    """List the first organisations that have a member, each opted in by that member."""
    members = session.scalars(
        select(User).where(User.organisation_id.is_not(None)).order_by(User.id)
    ).all()
    seen: set[int] = set()
    for member in members:
        if member.organisation_id in seen or len(seen) == len(MISSIONS):
            continue
        opt_in(session, member.organisation, MISSIONS[len(seen)], member)
        seen.add(member.organisation_id)
