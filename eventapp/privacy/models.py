"""Consents: a history of every time a person gave or withdrew an optional consent.

The current state of a consent is its newest record; nothing is ever updated in place, so
the history shows when and where each choice was made (GDPR art. 7.1: the controller must
be able to show that consent was given).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.auth.models import Organisation, User
from eventapp.database import UTCDateTime, utcnow
from eventapp.extensions import db

SOURCE_MAX = 40


class ConsentKind(StrEnum):
    # Other participants may see my name in an event's participant list.
    PARTICIPANT_LIST = "participant_list"
    # My organisation is listed in the public directory (organisation level).
    DIRECTORY = "directory"
    # I want invitations to coming events by e-mail (newsletter-style mail).
    INVITATIONS = "invitations"

    @property
    def label(self) -> str:
        return str(CONSENT_KIND_LABELS[self])

    @property
    def description(self) -> str:
        return str(CONSENT_KIND_DESCRIPTIONS[self])


CONSENT_KIND_LABELS = {
    ConsentKind.PARTICIPANT_LIST: _l("Show my name in participant lists"),
    ConsentKind.DIRECTORY: _l("List my organisation in the public directory"),
    ConsentKind.INVITATIONS: _l("Send me invitations to coming events"),
}
CONSENT_KIND_DESCRIPTIONS = {
    ConsentKind.PARTICIPANT_LIST: _l(
        "Other participants of the events you sign up for see your name. Organisers always "
        "see who has signed up."
    ),
    ConsentKind.DIRECTORY: _l(
        "Your organisation's name, type, municipality, website and social mission are shown "
        "on the public map of social enterprises. You give this for your organisation."
    ),
    ConsentKind.INVITATIONS: _l(
        "Now and then we e-mail you about new labs, business boards, breakfasts and the award."
    ),
}


class ConsentRecord(db.Model):
    """One choice: ``user`` gave (``given``) or withdrew a consent of ``kind`` at ``at``."""

    __tablename__ = "consent_records"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'directory') = (organisation_id IS NOT NULL)",
            name="directory_names_organisation",
        ),
        Index("ix_consent_records_user_kind_at", "user_id", "kind", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[ConsentKind] = mapped_column(
        Enum(
            ConsentKind,
            name="consent_kind",
            native_enum=False,
            create_constraint=True,
            length=30,
            values_callable=lambda members: [member.value for member in members],
        )
    )
    # The directory consent is the organisation's: recorded by the member who gave it.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    given: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Where the choice was made: "consents_page", "directory_page", "account_deleted", ...
    source: Mapped[str] = mapped_column(String(SOURCE_MAX))

    user: Mapped[User] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    def __repr__(self) -> str:
        return f"<ConsentRecord {self.id} user={self.user_id} {self.kind} given={self.given}>"
