"""The directory's rules: opting in and out, the public list, and marking social enterprises.

Functions take the session and the acting user explicitly, flush, and never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from eventapp.auth.models import Organisation, User
from eventapp.database import utcnow
from eventapp.directory.models import DirectoryListing
from eventapp.privacy.consents import record_consent
from eventapp.privacy.models import ConsentKind
from eventapp.regions import OrganisationType


@dataclass(frozen=True)
class DirectoryFilter:
    municipality: str | None = None
    org_type: OrganisationType | None = None


def listing_for(session: Session, organisation: Organisation) -> DirectoryListing | None:
    return session.scalar(
        select(DirectoryListing).where(DirectoryListing.organisation_id == organisation.id)
    )


def _listing(session: Session, organisation: Organisation) -> DirectoryListing:
    listing = listing_for(session, organisation)
    if listing is None:
        listing = DirectoryListing(organisation=organisation, mission="", is_listed=False)
        session.add(listing)
    return listing


def opt_in(
    session: Session,
    organisation: Organisation,
    mission: str,
    actor: User,
    now: datetime | None = None,
) -> DirectoryListing:
    """List the organisation with its social mission; the member's consent is recorded."""
    now = now or utcnow()
    listing = _listing(session, organisation)
    listing.mission = mission
    if not listing.is_listed:
        listing.is_listed = True
        listing.listed_at = now
        record_consent(
            session,
            actor,
            ConsentKind.DIRECTORY,
            True,
            source="directory_page",
            organisation=organisation,
            now=now,
        )
    listing.updated_by = actor
    session.flush()
    return listing


def withdraw(
    session: Session, organisation: Organisation, actor: User, now: datetime | None = None
) -> DirectoryListing | None:
    """Take the organisation off the public list at once (one click)."""
    listing = listing_for(session, organisation)
    if listing is None or not listing.is_listed:
        return listing
    listing.is_listed = False
    listing.listed_at = None
    listing.updated_by = actor
    record_consent(
        session,
        actor,
        ConsentKind.DIRECTORY,
        False,
        source="directory_page",
        organisation=organisation,
        now=now,
    )
    session.flush()
    return listing


def _filtered(query, filters: DirectoryFilter):
    if filters.municipality:
        query = query.where(Organisation.municipality == filters.municipality)
    if filters.org_type:
        query = query.where(Organisation.org_type == filters.org_type)
    return query


def public_listings(
    session: Session, filters: DirectoryFilter
) -> Sequence[tuple[Organisation, DirectoryListing]]:
    """Listed organisations, by name: only what their members chose to publish."""
    query = (
        select(Organisation, DirectoryListing)
        .join(DirectoryListing, DirectoryListing.organisation_id == Organisation.id)
        .where(DirectoryListing.is_listed.is_(True))
        .order_by(Organisation.name, Organisation.id)
    )
    return session.execute(_filtered(query, filters)).all()


def all_organisations(
    session: Session, filters: DirectoryFilter
) -> Sequence[tuple[Organisation, DirectoryListing | None]]:
    """Every organisation, listed or not, for organisers to check."""
    query = (
        select(Organisation, DirectoryListing)
        .outerjoin(DirectoryListing, DirectoryListing.organisation_id == Organisation.id)
        .order_by(Organisation.name, Organisation.id)
    )
    return session.execute(_filtered(query, filters)).all()


def mark_social_enterprise(
    session: Session,
    organisation: Organisation,
    marked: bool,
    actor: User,
    now: datetime | None = None,
) -> Organisation:
    """Record an organiser's check: the organisation counts as a social enterprise (or not)."""
    organisation.marked_social_enterprise = marked
    listing = _listing(session, organisation)
    listing.marked_by = actor if marked else None
    listing.marked_at = (now or utcnow()) if marked else None
    session.flush()
    return organisation
