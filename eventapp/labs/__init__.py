"""Entrepreneurship labs: series of workshops whose sessions people sign up for."""

from eventapp.labs.views import bp

__all__ = ["bp"]
