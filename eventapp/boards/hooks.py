"""What boards registers with the calendar: pitch slots and panel sessions in personal
feeds, and slots that follow their board's event when it moves or is cancelled."""

from __future__ import annotations

from flask import Flask

from eventapp.boards import feed, services
from eventapp.calendar.feed_queries import register_personal_source
from eventapp.calendar.services import register_event_dependents


def init_app(app: Flask) -> None:
    """Register boards with the calendar's personal feeds and event-change hooks."""
    register_personal_source(feed.board_feed_items, feed.board_feed_revision)
    register_event_dependents(services.check_event_change, services.follow_event_change)
