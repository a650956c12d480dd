"""The shared calendar: events of every kind and their pages."""

from eventapp.calendar import (
    invitation_views,  # noqa: F401 - adds the invitation page to bp
    signup_views,  # noqa: F401 - adds the sign-up pages to bp
)
from eventapp.calendar.views import bp

__all__ = ["bp"]
