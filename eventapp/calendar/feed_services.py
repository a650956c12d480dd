"""Secret feed links: make, renew, revoke and look up; only hashes are stored.

The plain token exists once, in the return value of ``renew_personal_link`` or
``create_selection_link``; the view shows it to its owner a single time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from eventapp.auth.models import User
from eventapp.calendar.feed_models import FeedPurpose, FeedRender, FeedToken
from eventapp.calendar.feed_queries import FeedFilter
from eventapp.database import utcnow
from eventapp.permissions import is_organiser

TOKEN_BYTES = 32  # 256 random bits
# token_urlsafe(32) gives 43 characters of [A-Za-z0-9_-]; anything else is not ours.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
SELECTION_LINKS_MAX = 20


class FeedLinkError(Exception):
    """A feed-link rule refused the action; ``message`` is safe to show."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def active_personal_link(session: Session, user: User) -> FeedToken | None:
    return session.scalar(
        select(FeedToken).where(
            FeedToken.user_id == user.id,
            FeedToken.purpose == FeedPurpose.PERSONAL,
            FeedToken.revoked_at.is_(None),
        )
    )


def renew_personal_link(session: Session, user: User) -> str:
    """Revoke the person's current link (if any) and make a new one; return the token."""
    _revoke(session, user, FeedPurpose.PERSONAL)
    token, digest = _new_token()
    session.add(FeedToken(user_id=user.id, purpose=FeedPurpose.PERSONAL, token_hash=digest))
    session.flush()
    return token


def revoke_personal_link(session: Session, user: User) -> None:
    """Stop the person's personal link working at once."""
    _revoke(session, user, FeedPurpose.PERSONAL)
    session.flush()


def _revoke(session: Session, user: User, purpose: FeedPurpose, link_id: int | None = None):
    statement = update(FeedToken).where(
        FeedToken.user_id == user.id,
        FeedToken.purpose == purpose,
        FeedToken.revoked_at.is_(None),
    )
    if link_id is not None:
        statement = statement.where(FeedToken.id == link_id)
    return session.execute(
        statement.values(revoked_at=utcnow()).execution_options(synchronize_session="fetch")
    )


def selection_links(session: Session, user: User) -> Sequence[FeedToken]:
    return session.scalars(
        select(FeedToken)
        .where(
            FeedToken.user_id == user.id,
            FeedToken.purpose == FeedPurpose.SELECTION,
            FeedToken.revoked_at.is_(None),
        )
        .order_by(FeedToken.created_at.desc(), FeedToken.id.desc())
    ).all()


def create_selection_link(session: Session, user: User, selection: FeedFilter) -> str:
    """Save an organiser's selection behind a new secret link; return the token."""
    if not is_organiser(user):
        raise FeedLinkError(_l("Only organisers can save a selection."))
    if len(selection_links(session, user)) >= SELECTION_LINKS_MAX:
        raise FeedLinkError(
            _l("You have %(count)d saved links; revoke one first.", count=SELECTION_LINKS_MAX)
        )
    token, digest = _new_token()
    session.add(
        FeedToken(
            user_id=user.id,
            purpose=FeedPurpose.SELECTION,
            token_hash=digest,
            filter_query=selection.to_query(),
        )
    )
    session.flush()
    return token


def revoke_selection_link(session: Session, user: User, link_id: int) -> bool:
    """Revoke one of the organiser's own saved links; False when there is no such link."""
    result = _revoke(session, user, FeedPurpose.SELECTION, link_id)
    session.flush()
    return result.rowcount == 1


def find_active_link(session: Session, token: str) -> FeedToken | None:
    """The active link for ``token``, or None (unknown, revoked, disabled owner, not ours)."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    digest = hash_token(token)
    link = session.scalar(
        select(FeedToken).where(FeedToken.token_hash == digest, FeedToken.revoked_at.is_(None))
    )
    # The lookup is by hash; compare again in constant time for good measure.
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        return None
    if link.user.is_disabled:
        return None
    if link.purpose == FeedPurpose.SELECTION and not is_organiser(link.user):
        return None
    return link


def content_changed_at(session: Session, link: FeedToken, etag: str, now: datetime) -> datetime:
    """When the body served through ``link`` last changed: ``now`` unless it is the same.

    Written only when the body differs from the last one served (once per change, not per
    poll). A body served through this link always leaves its hash here, so a later,
    different body always gets a later time than any Last-Modified the client holds.
    """
    state = session.get(FeedRender, link.id)
    if state is None:
        try:
            with session.begin_nested():
                session.add(FeedRender(token_id=link.id, etag=etag, changed_at=now))
                session.flush()
        except IntegrityError:
            # Another worker served this link's first body at the same moment.
            pass
        return now
    if state.etag == etag:
        return state.changed_at
    state.etag = etag
    state.changed_at = now
    session.flush()
    return now
