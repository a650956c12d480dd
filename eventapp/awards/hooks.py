"""What the award registers with the calendar: the gala in each juror's personal feed."""

from __future__ import annotations

from flask import Flask

from eventapp.awards import services
from eventapp.calendar.feed_queries import register_personal_source


def init_app(app: Flask) -> None:
    """Register the jury's gala as a source of jurors' personal calendar feeds."""
    register_personal_source(services.jury_feed_items, services.jury_feed_revision)
