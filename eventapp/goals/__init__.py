"""The region's goals dashboard: live indicators for organisers and admins."""

from eventapp.goals.views import bp

__all__ = ["bp"]
