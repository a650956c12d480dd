"""The public directory (kartläggning) of social enterprises: which organisations opted in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.auth.models import Organisation, User
from eventapp.database import UTCDateTime, utcnow
from eventapp.extensions import db

MISSION_MAX = 1_000


class DirectoryListing(db.Model):
    """An organisation's entry in the directory: its social mission and whether it is shown.

    One row per organisation. Withdrawing keeps the row (``is_listed`` false) so the mission
    text is there again if a member opts back in; the consent history is in
    ``consent_records``.
    """

    __tablename__ = "directory_listings"
    __table_args__ = (
        CheckConstraint("NOT is_listed OR length(mission) > 0", name="listed_has_mission"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), unique=True
    )
    mission: Mapped[str] = mapped_column(String(MISSION_MAX), default="")
    is_listed: Mapped[bool] = mapped_column(Boolean, default=False)
    listed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Set when an organiser checked the organisation and marked it a social enterprise.
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    marked_by: Mapped[User | None] = relationship(foreign_keys=[marked_by_id])

    def __repr__(self) -> str:
        return f"<DirectoryListing {self.id} org={self.organisation_id} listed={self.is_listed}>"
