"""Account rules: registration, confirmation, sign-in sessions, passwords and profiles.

Functions take the session and the acting user explicitly, flush, and never commit.
"""

from __future__ import annotations

import hashlib
import secrets
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from eventapp.auth.models import LoginSession, Organisation, Role, User, UserRole
from eventapp.database import utcnow
from eventapp.mail import queue_mail
from eventapp.regions import OrganisationType

# Argon2id with argon2-cffi's RFC 9106 "low memory" defaults (64 MiB, 3 passes).
password_hasher = PasswordHasher()

# A hash to verify against when the account does not exist, so both paths take as long.
_DUMMY_HASH = password_hasher.hash("not a real password, only for timing")


class AccountError(Exception):
    """A rule refused the action; ``message`` is safe to show to the person."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def normalise_email(address: str) -> str:
    """Validate syntax and return the address normalised and lower-cased (no DNS look-up)."""
    if "\n" in address or "\r" in address:
        raise AccountError(_l("Enter a valid e-mail address."))
    try:
        result = validate_email(address.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise AccountError(_l("Enter a valid e-mail address.")) from error
    return result.normalized.lower()


def hash_password(password: str) -> str:
    return password_hasher.hash(password)


def verify_password(user: User | None, password: str) -> bool:
    """Check a password in constant-ish time whether or not the user exists."""
    if user is None or not user.password_hash:
        with suppress(VerificationError):
            password_hasher.verify(_DUMMY_HASH, password)
        return False
    try:
        return password_hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def find_user_by_email(session: Session, address: str) -> User | None:
    try:
        email = normalise_email(address)
    except AccountError:
        return None
    return session.scalar(select(User).where(User.email == email))


def create_user(
    session: Session,
    *,
    name: str,
    email: str,
    password: str,
    roles: tuple[Role, ...] = (Role.ENTREPRENEUR,),
    locale: str = "sv",
    confirmed: bool = False,
    organisation: Organisation | None = None,
) -> User:
    """Create a user with the given roles (entrepreneur unless told otherwise)."""
    user = User(
        name=name,
        email=normalise_email(email),
        password_hash=hash_password(password),
        locale=locale,
        organisation=organisation,
        email_confirmed_at=utcnow() if confirmed else None,
    )
    user.role_rows = [UserRole(role=role) for role in dict.fromkeys(roles)]
    session.add(user)
    session.flush()
    return user


@dataclass(frozen=True)
class Tokens:
    """Signed, expiring links. The secret comes from the app; the salt names the purpose."""

    secret_key: str

    def _serializer(self, salt: str) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret_key, salt=salt)

    def make(self, purpose: str, payload: dict) -> str:
        return self._serializer(purpose).dumps(payload)

    def read(self, purpose: str, token: str, max_age: timedelta) -> dict | None:
        try:
            data = self._serializer(purpose).loads(token, max_age=int(max_age.total_seconds()))
        except (BadSignature, SignatureExpired):
            return None
        return data if isinstance(data, dict) else None


def _password_fingerprint(user: User) -> str:
    # Changes whenever the password changes, which makes a reset link single-use.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def register(
    session: Session,
    *,
    name: str,
    email: str,
    password: str,
    locale: str,
    tokens: Tokens,
    base_url: str,
) -> None:
    """Register an account, or tell the owner of an existing one; the caller can't tell which.

    A new account must confirm its e-mail before it can sign in. If the address is taken,
    its owner gets a mail with a password-reset link instead, and the page looks the same.
    """
    existing = find_user_by_email(session, email)
    if existing is not None:
        token = tokens.make("reset", {"uid": existing.id, "fp": _password_fingerprint(existing)})
        queue_mail(
            session,
            dedup_key=f"register-existing:{existing.id}:{utcnow():%Y%m%d%H}",
            to=existing.email,
            subject=_l("Your account at Region Dalarna's events"),
            template="mail/register_existing.txt",
            locale=existing.locale,
            user=existing,
            reset_url=f"{base_url}/auth/reset/{token}",
        )
        return
    user = create_user(session, name=name, email=email, password=password, locale=locale)
    send_confirmation(session, user, tokens=tokens, base_url=base_url)


def send_confirmation(session: Session, user: User, *, tokens: Tokens, base_url: str) -> None:
    token = tokens.make("confirm", {"uid": user.id, "email": user.email})
    queue_mail(
        session,
        dedup_key=f"confirm:{user.id}:{utcnow():%Y%m%d%H%M}",
        to=user.email,
        subject=_l("Confirm your e-mail address"),
        template="mail/confirm_email.txt",
        locale=user.locale,
        user=user,
        confirm_url=f"{base_url}/auth/confirm/{token}",
    )


def confirm_email(session: Session, token: str, *, tokens: Tokens, max_age: timedelta) -> User:
    data = tokens.read("confirm", token, max_age)
    user = session.get(User, data.get("uid")) if data else None
    if user is None or user.email != data.get("email"):
        raise AccountError(_l("The link is invalid or has expired."))
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User:
    """Return the user for valid credentials; one message for every kind of failure."""
    user = find_user_by_email(session, email)
    if not verify_password(user, password) or user.is_disabled:
        raise AccountError(_l("Wrong e-mail address or password."))
    if user.email_confirmed_at is None:
        raise AccountError(_l("Confirm your e-mail address first: follow the link we sent you."))
    if password_hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_login_session(session: Session, user: User, user_agent: str | None) -> str:
    """Record a new signed-in browser and return the token its cookie will hold."""
    token = secrets.token_urlsafe(32)
    session.add(
        LoginSession(token_hash=_hash_token(token), user=user, user_agent=(user_agent or "")[:200])
    )
    user.last_login_at = utcnow()
    session.flush()
    return token


def load_login_session(session: Session, token: str, idle_timeout: timedelta) -> User | None:
    """Return the user of a live session token, or None if revoked, idle or disabled."""
    row = session.scalar(select(LoginSession).where(LoginSession.token_hash == _hash_token(token)))
    if row is None or row.revoked_at is not None:
        return None
    now = utcnow()
    if now - row.last_seen_at > idle_timeout:
        return None
    if row.user.is_disabled:
        return None
    # Touch at most once a minute, so reading pages does not write on every request.
    if now - row.last_seen_at > timedelta(minutes=1):
        row.last_seen_at = now
    return row.user


def end_login_session(session: Session, token: str) -> None:
    session.execute(
        update(LoginSession)
        .where(LoginSession.token_hash == _hash_token(token), LoginSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def revoke_other_sessions(session: Session, user: User, keep_token: str | None) -> None:
    statement = update(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None)
    )
    if keep_token:
        statement = statement.where(LoginSession.token_hash != _hash_token(keep_token))
    session.execute(statement.values(revoked_at=utcnow()))


def request_password_reset(session: Session, email: str, *, tokens: Tokens, base_url: str) -> None:
    """Mail a reset link if the account exists; say nothing either way."""
    user = find_user_by_email(session, email)
    if user is None or user.is_disabled:
        return
    token = tokens.make("reset", {"uid": user.id, "fp": _password_fingerprint(user)})
    queue_mail(
        session,
        dedup_key=f"reset:{user.id}:{utcnow():%Y%m%d%H%M}",
        to=user.email,
        subject=_l("Reset your password"),
        template="mail/password_reset.txt",
        locale=user.locale,
        user=user,
        reset_url=f"{base_url}/auth/reset/{token}",
    )


def user_for_reset_token(
    session: Session, token: str, *, tokens: Tokens, max_age: timedelta
) -> User | None:
    data = tokens.read("reset", token, max_age)
    user = session.get(User, data.get("uid")) if data else None
    if user is None or data.get("fp") != _password_fingerprint(user) or user.is_disabled:
        return None
    return user


def set_password(session: Session, user: User, new_password: str, keep_token: str | None) -> None:
    """Change the password and sign out every other browser."""
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    # A working reset link proves the person owns the address.
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    revoke_other_sessions(session, user, keep_token)
    session.flush()


def update_profile(
    session: Session,
    user: User,
    *,
    name: str,
    locale: str,
    organisation: OrganisationDetails | None,
    uf_founder: bool | None = None,
) -> User:
    """Update the person's name, language, UF-founder answer and organisation link.

    Joining an organisation that is already registered (same organisation number) links
    the person to it without changing its details: a shared record is not one member's to
    rewrite. A record the person alone belongs to is theirs to edit.
    """
    user.name = name
    user.locale = locale
    if uf_founder is not None:
        user.uf_founder = uf_founder
    if organisation is None:
        user.organisation = None
        session.flush()
        return user
    target = None
    if organisation.org_number:
        target = session.scalar(
            select(Organisation).where(Organisation.org_number == organisation.org_number)
        )
        if target is not None and target is not user.organisation:
            user.organisation = target
            session.flush()
            return user
    current = user.organisation
    if target is None and current is not None and _sole_member(session, current, user):
        target = current
    if target is None:
        target = Organisation()
        session.add(target)
    target.name = organisation.name
    target.org_number = organisation.org_number
    target.org_type = organisation.org_type
    target.municipality = organisation.municipality
    target.website = organisation.website
    target.year_founded = organisation.year_founded
    user.organisation = target
    session.flush()
    return user


@dataclass(frozen=True)
class OrganisationDetails:
    name: str
    org_number: str | None
    org_type: OrganisationType
    municipality: str | None
    website: str | None
    year_founded: int | None


def _sole_member(session: Session, organisation: Organisation, user: User) -> bool:
    member_ids = session.scalars(
        select(User.id).where(User.organisation_id == organisation.id).limit(2)
    ).all()
    return member_ids == [user.id]
