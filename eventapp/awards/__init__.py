"""Årets sociala företag (Social Enterprise of the Year): cycles, nominations and the jury."""

# The jury's routes register themselves on the same blueprint.
from eventapp.awards import jury_views, services  # noqa: F401
from eventapp.awards.views import bp
from eventapp.calendar.feed_queries import register_personal_source

# Jurors' personal calendar feeds hold the gala of each jury they sit on.
register_personal_source(services.jury_feed_items, services.jury_feed_revision)

__all__ = ["bp"]
