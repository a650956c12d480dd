"""Social business boards: pitch applications, timed slots, the panel and its feedback."""

from eventapp.boards import feed, services
from eventapp.boards.views import bp
from eventapp.calendar.feed_queries import register_personal_source
from eventapp.calendar.services import register_event_dependents

# Pitch slots and panel sessions in personal feeds; slots follow their board's event.
register_personal_source(feed.board_feed_items, feed.board_feed_revision)
register_event_dependents(services.check_event_change, services.follow_event_change)

__all__ = ["bp"]
