"""The shared calendar: events of every kind and their pages."""

from eventapp.calendar.views import bp

__all__ = ["bp"]
