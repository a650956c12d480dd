"""Social business boards: pitch applications, timed slots, the panel and its feedback."""

from eventapp.boards.views import bp

__all__ = ["bp"]
