"""Account administration: the admins' list of accounts, and changing roles and access.

Functions take the session first and the acting user explicitly, flush, and never commit.
Every change is logged with ids and role names only: no names, no e-mail addresses.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import Session, contains_eager

from eventapp.auth.models import Role, User, UserRole
from eventapp.auth.services import revoke_other_sessions
from eventapp.paging import Paged
from eventapp.text import clean_line

# What an admin can grant or take away. Everyone holds ``entrepreneur`` from registration;
# it is left as it is.
GRANTABLE_ROLES = (Role.JUROR, Role.PANELIST, Role.ORGANISER, Role.ADMIN)
PAGE_SIZE = 50

# A child of the app's logger ("eventapp"), which logs INFO and above (LOG_LEVEL).
log = logging.getLogger(__name__)


class AccountStatus(StrEnum):
    ACTIVE = "active"
    UNCONFIRMED = "unconfirmed"
    DISABLED = "disabled"
    GUEST = "guest"
    DELETED = "deleted"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    AccountStatus.ACTIVE: _l("Active"),
    AccountStatus.UNCONFIRMED: _l("E-mail address not confirmed"),
    AccountStatus.DISABLED: _l("Disabled"),
    AccountStatus.GUEST: _l("Guest without an account"),
    AccountStatus.DELETED: _l("Deleted"),
}


class AccountAdminError(Exception):
    """A rule refused the change; ``message`` is safe to show, ``field`` names the form field."""

    def __init__(self, message, field: str = "roles"):
        super().__init__(str(message))
        self.message = message
        self.field = field


def account_status(user: User) -> AccountStatus:
    """The one status shown for an account; the first that applies wins."""
    if user.deleted_at is not None:
        return AccountStatus.DELETED
    if user.is_guest:
        return AccountStatus.GUEST
    if user.is_disabled:
        return AccountStatus.DISABLED
    if user.email_confirmed_at is None:
        return AccountStatus.UNCONFIRMED
    return AccountStatus.ACTIVE


def _status_condition(status: AccountStatus) -> ColumnElement[bool]:
    """``account_status`` as SQL, in the same order of precedence."""
    not_deleted = User.deleted_at.is_(None)
    if status is AccountStatus.DELETED:
        return User.deleted_at.is_not(None)
    if status is AccountStatus.GUEST:
        return and_(not_deleted, User.is_guest.is_(True))
    account = and_(not_deleted, User.is_guest.is_(False))
    if status is AccountStatus.DISABLED:
        return and_(account, User.is_disabled.is_(True))
    usable = and_(account, User.is_disabled.is_(False))
    if status is AccountStatus.UNCONFIRMED:
        return and_(usable, User.email_confirmed_at.is_(None))
    return and_(usable, User.email_confirmed_at.is_not(None))


@dataclass(frozen=True)
class AccountFilter:
    """What the list shows: ``q`` in the name or e-mail address, one role, one status.

    Without a status, deleted (anonymised) accounts are left out.
    """

    q: str = ""
    role: Role | None = None
    status: AccountStatus | None = None


@dataclass(frozen=True)
class AccountPage(Paged):
    accounts: Sequence[User]
    page: int
    pages: int
    total: int


def _folded(value: str | None) -> str:
    """NFC, invisible marks dropped, spaces collapsed, case folded: how search compares."""
    return (clean_line(value) or "").casefold()


def _conditions(filters: AccountFilter) -> list[ColumnElement[bool]]:
    conditions = [
        _status_condition(filters.status) if filters.status else User.deleted_at.is_(None)
    ]
    if filters.role:
        conditions.append(
            exists().where(UserRole.user_id == User.id, UserRole.role == filters.role)
        )
    return conditions


def list_accounts(
    session: Session, filters: AccountFilter, page: int = 1, page_size: int = PAGE_SIZE
) -> AccountPage:
    """One page of accounts by name, in a fixed number of statements whatever the page.

    The search is matched in Python with casefold, like the door and attendance searches:
    SQLite's lower() and LIKE fold ASCII only, so "åsa" would not find "Åsa" there; ``%``
    and ``_`` are plain text. For that, only id, name and address of the filtered accounts
    are read, then the page's accounts are loaded.
    """
    conditions = _conditions(filters)
    needle = _folded(filters.q)
    if needle:
        rows = session.execute(
            select(User.id, User.name, User.email).where(*conditions).order_by(User.name, User.id)
        ).all()
        ids = [
            row.id for row in rows if needle in _folded(row.name) or needle in _folded(row.email)
        ]
        total = len(ids)
    else:
        ids = None
        total = session.scalar(select(func.count(User.id)).where(*conditions))
    pages = max(1, math.ceil(total / page_size))
    page = min(max(page, 1), pages)
    start = (page - 1) * page_size
    query = (
        select(User)
        .outerjoin(User.organisation)
        .options(contains_eager(User.organisation))
        .order_by(User.name, User.id)
    )
    if ids is None:
        query = query.where(*conditions).offset(start).limit(page_size)
    else:
        page_ids = ids[start : start + page_size]
        if not page_ids:
            return AccountPage(accounts=[], page=page, pages=pages, total=total)
        query = query.where(User.id.in_(page_ids))
    accounts = session.scalars(query).unique().all()
    return AccountPage(accounts=accounts, page=page, pages=pages, total=total)


def _other_active_admins(session: Session, user: User) -> list[int]:
    """Ids of the admins beside ``user`` who can still sign in.

    The rows are locked (PostgreSQL) so two admins who take each other's role at the same
    moment cannot leave the platform without one: the second waits and then sees the first.
    """
    locked = session.scalars(
        select(UserRole.user_id)
        .join(User, User.id == UserRole.user_id)
        .where(
            UserRole.role == Role.ADMIN,
            User.deleted_at.is_(None),
            User.is_guest.is_(False),
            User.is_disabled.is_(False),
        )
        # Every admin row, the changed one too, in one order: two admins demoting each
        # other then queue behind the same first lock instead of deadlocking.
        .order_by(UserRole.user_id)
        .with_for_update()
    )
    return [user_id for user_id in locked if user_id != user.id]


def check_change_allowed(
    session: Session, user: User, roles: frozenset[Role], disabled: bool, actor: User
) -> None:
    """Refuse what would lock someone out or give roles to an account that is no login."""
    if user.deleted_at is not None:
        if roles or disabled != user.is_disabled:
            raise AccountAdminError(_l("A deleted account cannot be changed."))
        return
    if user.is_guest and roles:
        raise AccountAdminError(
            _l("A guest recorded at the door has no account and cannot be given roles.")
        )
    loses_admin = user.is_admin and Role.ADMIN not in roles
    disabling = disabled and not user.is_disabled
    if user.id == actor.id:
        if loses_admin:
            raise AccountAdminError(_l("You cannot remove your own administrator role."))
        if disabling:
            raise AccountAdminError(_l("You cannot disable your own account."), "is_disabled")
    if (
        user.is_admin
        and not user.is_disabled
        and (loses_admin or disabling)
        and not _other_active_admins(session, user)
    ):
        field = "roles" if loses_admin else "is_disabled"
        raise AccountAdminError(
            _l("This is the only active administrator. Make someone else an administrator first."),
            field,
        )


def update_account(
    session: Session,
    user: User,
    *,
    roles: Iterable[Role],
    disabled: bool,
    actor: User,
) -> bool:
    """Give ``user`` exactly the grantable ``roles`` and the disabled flag; True if it changed.

    Disabling also ends the person's sign-in sessions, so enabling the account again later
    does not bring an old browser back.
    """
    wanted = frozenset(roles) & frozenset(GRANTABLE_ROLES)
    check_change_allowed(session, user, wanted, disabled, actor)
    held = frozenset(user.roles) & frozenset(GRANTABLE_ROLES)
    added = sorted(wanted - held)
    removed = held - wanted
    for row in [row for row in user.role_rows if Role(row.role) in removed]:
        user.role_rows.remove(row)
    for role in added:
        user.role_rows.append(UserRole(role=role))
    disabled_changed = disabled != user.is_disabled
    if disabled_changed:
        user.is_disabled = disabled
        if disabled:
            revoke_other_sessions(session, user, keep_token=None)
    session.flush()
    if added or removed:
        log.info(
            "account %d roles changed by user %d: added %s, removed %s",
            user.id,
            actor.id,
            ",".join(added) or "-",
            ",".join(sorted(removed)) or "-",
        )
    if disabled_changed:
        log.info(
            "account %d %s by user %d", user.id, "disabled" if disabled else "enabled", actor.id
        )
    return bool(added or removed or disabled_changed)
