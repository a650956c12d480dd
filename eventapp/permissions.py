"""Who may see or change what: pure predicates for views, templates and tests.

Views call these after loading an object; a ``False`` means 404 when the object should not
even be known to exist for that person, 403 when it is public but not theirs to change.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from flask import abort
from flask_login import current_user

from eventapp.auth.models import Role

if TYPE_CHECKING:
    from eventapp.auth.models import User
    from eventapp.calendar.models import Event


def is_signed_in(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated)


def is_organiser(user: User | None) -> bool:
    """Organisers (and admins) run events and the award across the whole region."""
    return is_signed_in(user) and user.has_role(Role.ORGANISER, Role.ADMIN)


def is_admin(user: User | None) -> bool:
    return is_signed_in(user) and user.has_role(Role.ADMIN)


def can_view_event(user: User | None, event: Event) -> bool:
    """Public events are for everyone; unlisted ones for organisers only."""
    return event.is_public or is_organiser(user)


def can_manage_event(user: User | None, event: Event) -> bool:
    """Organisers manage every event in the region (the region has one shared team)."""
    return is_organiser(user)


def can_create_event(user: User | None) -> bool:
    return is_organiser(user)


def role_required(*roles: Role) -> Callable:
    """Refuse the view (403) unless the signed-in user holds one of ``roles``.

    Admins pass every role check. Anonymous visitors are sent to the login page.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            from eventapp.extensions import login_manager

            if not is_signed_in(current_user):
                return login_manager.unauthorized()
            if not current_user.has_role(*roles, Role.ADMIN):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def init_app(app) -> None:
    @app.context_processor
    def _permissions():
        return {
            "is_organiser": is_organiser,
            "is_admin": is_admin,
            "can_manage_event": can_manage_event,
            "can_create_event": can_create_event,
        }
