"""The front page, language choice, health checks and error pages."""

from eventapp.main.views import bp

__all__ = ["bp"]
