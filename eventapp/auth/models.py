"""People and organisations: one user model shared by every area of the app."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
    or_,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.database import TimestampMixin, UTCDateTime, utcnow
from eventapp.extensions import db
from eventapp.regions import MUNICIPALITY_CHOICES, OrganisationType

NAME_MAX = 200
EMAIL_MAX = 254
URL_MAX = 500


class Role(StrEnum):
    ENTREPRENEUR = "entrepreneur"
    JUROR = "juror"
    PANELIST = "panelist"
    ORGANISER = "organiser"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.ENTREPRENEUR: _l("Entrepreneur"),
    Role.JUROR: _l("Juror"),
    Role.PANELIST: _l("Panel member"),
    Role.ORGANISER: _l("Organiser"),
    Role.ADMIN: _l("Administrator"),
}

municipality_type = Enum(
    *MUNICIPALITY_CHOICES,
    name="municipality",
    native_enum=False,
    create_constraint=True,
    length=40,
)


class Organisation(TimestampMixin, db.Model):
    """A company, association or UF company that people belong to."""

    __tablename__ = "organisations"
    __table_args__ = (
        # One record per organisation number; organisations without one are not merged.
        Index(
            "uq_organisations_org_number",
            "org_number",
            unique=True,
            sqlite_where=text("org_number IS NOT NULL"),
            postgresql_where=text("org_number IS NOT NULL"),
        ),
        CheckConstraint(
            "year_founded IS NULL OR (year_founded >= 1800 AND year_founded <= 2100)",
            name="year_founded_range",
        ),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    # Canonical NNNNNN-NNNN, check digit verified before storing.
    org_number: Mapped[str | None] = mapped_column(String(11))
    org_type: Mapped[OrganisationType] = mapped_column(
        Enum(
            OrganisationType,
            name="organisation_type",
            native_enum=False,
            create_constraint=True,
            length=30,
            values_callable=lambda enum: [member.value for member in enum],
        ),
        default=OrganisationType.OTHER,
    )
    municipality: Mapped[str | None] = mapped_column(municipality_type)
    website: Mapped[str | None] = mapped_column(String(URL_MAX))
    year_founded: Mapped[int | None] = mapped_column(Integer)
    # Set by an organiser after checking; counts as social whatever the legal form.
    marked_social_enterprise: Mapped[bool] = mapped_column(Boolean, default=False)

    members: Mapped[list[User]] = relationship(back_populates="organisation")

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"

    @property
    def is_social(self) -> bool:
        """See ``social_organisation_condition``; the same rule in Python."""
        return self.org_type in SOCIAL_ORGANISATION_TYPES or bool(self.marked_social_enterprise)


# The one definition of a "social entrepreneur" that every report and goal uses: a person
# whose organisation is of a social type, or one an organiser has marked as a social
# enterprise after checking. Reports show SOCIAL_ENTREPRENEUR_DEFINITION beside the figure.
SOCIAL_ORGANISATION_TYPES = frozenset(
    {OrganisationType.WORK_INTEGRATION, OrganisationType.COOPERATIVE, OrganisationType.NONPROFIT}
)
SOCIAL_ENTREPRENEUR_DEFINITION = _l(
    "A social entrepreneur is a person whose organisation is a work-integration social "
    "enterprise, a cooperative or a non-profit association, or has been marked as a social "
    "enterprise by an organiser."
)


def social_organisation_condition():
    """SQL condition on ``Organisation`` rows that count as social enterprises."""
    return or_(
        Organisation.org_type.in_(sorted(SOCIAL_ORGANISATION_TYPES)),
        Organisation.marked_social_enterprise.is_(True),
    )


class User(UserMixin, TimestampMixin, db.Model):
    """A person with an account: entrepreneur, juror, panel member, organiser or admin."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("length(name) > 0", name="name_not_empty"),
        CheckConstraint("locale IN ('sv', 'en')", name="locale_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    # Stored normalised and lower-cased, so uniqueness is case-insensitive on every backend.
    # None for a guest recorded at the door and for a deleted (anonymised) account: such a
    # person can never sign in and is never mailed.
    email: Mapped[str | None] = mapped_column(String(EMAIL_MAX), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(5), default="sv")
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # An admin can disable an account; its sessions stop working at once.
    is_disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # A walk-in at a breakfast without an account: a person in the counts, not a login.
    is_guest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Set when the person deleted their account: the row stays (anonymised) so counts,
    # attendance and award records stay consistent, but it holds no personal data.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Current or former founder of a UF company (Ung Företagsamhet), which the region's
    # lab goal counts; the person says so in their profile.
    uf_founder: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    organisation: Mapped[Organisation | None] = relationship(back_populates="members")
    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email!r}>"

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(row.role) for row in self.role_rows)

    def has_role(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return not (self.is_disabled or self.is_guest or self.deleted_at is not None)

    @property
    def can_receive_mail(self) -> bool:
        return bool(self.email) and self.deleted_at is None

    @property
    def is_organiser(self) -> bool:
        return self.has_role(Role.ORGANISER, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.ADMIN)


class UserRole(db.Model):
    """One role held by one user; everyone holds ``entrepreneur`` from registration."""

    __tablename__ = "user_roles"
    __table_args__ = (
        UniqueConstraint("user_id", "role", name="uq_user_roles_user_role"),
        # "Everyone with role X" (jury and panel candidates, organisers to notify).
        Index("ix_user_roles_role", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(
        Enum(
            Role,
            name="role",
            native_enum=False,
            create_constraint=True,
            length=20,
            values_callable=lambda enum: [member.value for member in enum],
        )
    )
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="role_rows")

    def __repr__(self) -> str:
        return f"<UserRole {self.user_id} {self.role}>"


class LoginSession(db.Model):
    """A server-side record of one signed-in browser, so logout really ends it.

    The cookie holds a random token; only its SHA-256 is stored. Logging out revokes the
    row, changing the password revokes every other row of that user.
    """

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_agent: Mapped[str | None] = mapped_column(String(200))

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<LoginSession {self.id} user={self.user_id}>"


def _get_id(self: User) -> str:
    """Flask-Login keeps this in the cookie: the login-session token, not the user id.

    That way a session is a server-side row that logout and a password change revoke.
    """
    token = getattr(self, "login_token", None)
    if token is None:
        raise AttributeError("user has no login session token; use auth.services.sign_in")
    return token


User.get_id = _get_id
