"""Secret calendar-feed links: a personal feed per person, and organisers' saved selections.

The link carries a random token of 256 bits; only its SHA-256 is stored, so a copy of the
database does not give anyone a working link. A person has at most one active personal link
(a partial unique index); making a new one revokes the old one in the same transaction.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.auth.models import User
from eventapp.database import UTCDateTime, utcnow
from eventapp.extensions import db

FILTER_MAX = 500


class FeedPurpose(StrEnum):
    # That person's sign-ups, accepted pitch slots, and the panels and juries they sit on.
    PERSONAL = "personal"
    # An organiser's saved selection of events (kind, municipality, dates, own events).
    SELECTION = "selection"


_ACTIVE_PERSONAL = "purpose = 'personal' AND revoked_at IS NULL"


class FeedToken(db.Model):
    """One secret feed link; ``filter_query`` holds a selection's normalised query string."""

    __tablename__ = "feed_tokens"
    __table_args__ = (
        Index(
            "uq_feed_tokens_active_personal",
            "user_id",
            unique=True,
            sqlite_where=text(_ACTIVE_PERSONAL),
            postgresql_where=text(_ACTIVE_PERSONAL),
        ),
        CheckConstraint("length(token_hash) = 64", name="token_hash_is_sha256"),
        CheckConstraint(
            "(purpose = 'selection') = (filter_query IS NOT NULL)", name="selection_has_filter"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[FeedPurpose] = mapped_column(
        Enum(
            FeedPurpose,
            name="feed_purpose",
            native_enum=False,
            create_constraint=True,
            length=20,
            values_callable=lambda members: [member.value for member in members],
        )
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    filter_query: Mapped[str | None] = mapped_column(String(FILTER_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        state = "revoked" if self.revoked_at else "active"
        return f"<FeedToken {self.id} user={self.user_id} {self.purpose} {state}>"


class FeedRender(db.Model):
    """What a secret link last served, and since when: Last-Modified from the content itself.

    A personal feed gathers rows from several tables, and some changes delete a row (taken
    off a panel or a jury) and leave no timestamp to find. Comparing the body's hash with
    the one stored here catches every change, so If-Modified-Since never gets a wrong 304.
    """

    __tablename__ = "feed_renders"
    __table_args__ = (CheckConstraint("length(etag) = 40", name="etag_length"),)

    token_id: Mapped[int] = mapped_column(
        ForeignKey("feed_tokens.id", ondelete="CASCADE"), primary_key=True
    )
    etag: Mapped[str] = mapped_column(String(40))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<FeedRender token={self.token_id} {self.etag[:8]} {self.changed_at}>"
