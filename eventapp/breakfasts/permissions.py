"""Who may do what with breakfasts: pure predicates for views, templates and tests.

Organisers (and admins) manage every series; a coordinator manages only the series they
were named for (its occurrences and check-in), nothing else. Unlisted series are not
known to exist outside that circle (404).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventapp.permissions import is_organiser, is_signed_in

if TYPE_CHECKING:
    from eventapp.auth.models import User
    from eventapp.breakfasts.models import BreakfastSeries


def is_coordinator(user: User | None, series: BreakfastSeries) -> bool:
    if not is_signed_in(user):
        return False
    return any(person.id == user.id for person in series.coordinators)


def can_manage_series(user: User | None, series: BreakfastSeries) -> bool:
    """Change the series, its occurrences and run its check-in."""
    return is_organiser(user) or is_coordinator(user, series)


def can_view_series(user: User | None, series: BreakfastSeries) -> bool:
    return series.is_public or can_manage_series(user, series)


def can_name_coordinators(user: User | None) -> bool:
    return is_organiser(user)


def can_see_report(user: User | None) -> bool:
    """The report names people: organisers only (coordinators run the door, not the goal)."""
    return is_organiser(user)
