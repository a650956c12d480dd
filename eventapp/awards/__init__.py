"""Årets sociala företag (Social Enterprise of the Year): cycles, nominations and the jury."""

from eventapp.awards.views import bp

__all__ = ["bp"]
