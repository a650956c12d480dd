"""Calendar feeds, downloads, exports and the calendar page (month and list).

URLs (no prefix, so the public feed lives at ``/calendar.ics``):

* ``/calendar.ics`` and ``/calendar/<labs|boards|breakfasts|awards>.ics``, filtered by
  ``?municipality=``, ``?kind=``, ``?start=``/``?end=`` (dates): public, cached per change.
* ``/calendar/private/<token>.ics``: a personal feed or an organiser's saved selection; the
  token is 256 random bits, stored as a hash and redacted from logs (``feed_logging``).
* ``/calendar/events/<uid>/event.ics``: one event, from its page.
* ``/calendar/`` (month or list), ``/calendar/export`` (organisers; .ics, .csv, links).

Every feed answer carries a strong ETag (a hash of the body) and a Last-Modified (the last
change of the data behind it), and answers 304 when the client already has this body.
"""

from __future__ import annotations

import calendar as month_calendar
import hashlib
import threading
import uuid
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qsl

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import OperationalError
from werkzeug.http import http_date, parse_date, parse_etags

from eventapp import cache as shared_cache
from eventapp.auth.models import Role
from eventapp.calendar import feed_logging, feed_services, ical
from eventapp.calendar.feed_forms import CalendarFilterForm, ExportFilterForm
from eventapp.calendar.feed_models import FeedPurpose, FeedToken
from eventapp.calendar.feed_queries import (
    KIND_SLUGS,
    SLUG_FOR_KIND,
    FeedFilter,
    FilterError,
    events_revision,
    month_events,
    parse_filter,
    personal_feed_items,
    personal_revision,
    selection_events,
)
from eventapp.calendar.models import Event
from eventapp.database import utcnow
from eventapp.extensions import db
from eventapp.i18n import to_local
from eventapp.permissions import can_view_event, role_required
from eventapp.regions import municipality_label
from eventapp.spreadsheets import csv_download

bp = Blueprint("feeds", __name__)
bp.record_once(lambda state: feed_logging.install(state.app))

CALENDAR_MIME = "text/calendar; charset=utf-8"
# Cached public feeds: one entry per filter, replaced when the data changes.
CACHE_SIZE = 128
# A new deployment may render differently (translations, code): never say "unchanged"
# for anything before this process started.
STARTED_AT = utcnow()
REVEALED_PERSONAL = "feeds.revealed_personal"
REVEALED_SELECTION = "feeds.revealed_selection"


# --- rendering and HTTP caching --------------------------------------------------------------


@dataclass(frozen=True)
class RenderedFeed:
    body: bytes
    etag: str
    changed_at: datetime


def rendered(body: bytes, changed_at: datetime) -> RenderedFeed:
    digest = hashlib.sha256(body).hexdigest()[:40]
    return RenderedFeed(body, digest, max(changed_at, STARTED_AT))


class FeedCache:
    """In-process cache of rendered public feeds keyed on (filter, data revision).

    Each worker process renders a feed once per change of the events table (and once a
    day, when the window moves); every other poll is a dictionary look-up. The revision is
    read from the database on every request, so workers never serve a stale feed.
    """

    def __init__(self, size: int = CACHE_SIZE):
        self.size = size
        self._entries: OrderedDict[tuple, tuple[tuple, RenderedFeed]] = OrderedDict()
        self._lock = threading.Lock()
        self.renders = 0

    def get(self, key: tuple, fingerprint: tuple, render) -> RenderedFeed:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] == fingerprint:
                self._entries.move_to_end(key)
                return entry[1]
        result = _shared_feed(key, fingerprint)
        if result is None:
            result = render()
            _share_feed(key, fingerprint, result)
            with self._lock:
                self.renders += 1
        with self._lock:
            self._entries[key] = (fingerprint, result)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return result

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


# With REDIS_URL set, a feed one process renders is shared with every other process (see
# eventapp/cache.py); the key holds the data revision, so a change is never served stale.
SHARED_FEED_TTL = 24 * 3600


def _shared_feed(key: tuple, fingerprint: tuple) -> RenderedFeed | None:
    store = shared_cache.store()
    if not store.shared:
        return None
    packed = store.get("feed:" + shared_cache.cache_key(key, fingerprint))
    if packed is None:
        return None
    etag, changed_at, body = packed.split(b"\n", 2)
    return RenderedFeed(body, etag.decode(), datetime.fromisoformat(changed_at.decode()))


def _share_feed(key: tuple, fingerprint: tuple, feed: RenderedFeed) -> None:
    store = shared_cache.store()
    if store.shared:
        packed = f"{feed.etag}\n{feed.changed_at.isoformat()}\n".encode() + feed.body
        store.set("feed:" + shared_cache.cache_key(key, fingerprint), packed, SHARED_FEED_TTL)


def feed_cache() -> FeedCache:
    """This app's cache (one per app, so two apps in one process never share entries)."""
    return current_app.extensions.setdefault("eventapp.feed_cache", FeedCache())


def feed_response(feed: RenderedFeed, *, private: bool, filename: str | None = None) -> Response:
    """200 with the body, or 304 when the client's ETag (or date) says it has this body."""
    headers = {
        "ETag": f'"{feed.etag}"',
        # Clients must check every time; the 304 makes that cheap.
        "Cache-Control": f"{'private' if private else 'public'}, no-cache",
    }
    last_modified = feed.changed_at.replace(microsecond=0)
    # HTTP dates have whole seconds: a change later in this same second would get the same
    # date, so a date is only given once its second is over.
    if last_modified + timedelta(seconds=1) <= utcnow():
        headers["Last-Modified"] = http_date(last_modified)
    if private:
        headers["X-Robots-Tag"] = "noindex"
    if _not_modified(feed, headers.get("Last-Modified") and last_modified):
        return Response(status=304, headers=headers)
    if filename:
        headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return Response(feed.body, headers=headers, content_type=CALENDAR_MIME)


def _not_modified(feed: RenderedFeed, last_modified: datetime | None) -> bool:
    # RFC 9110 13.2.2: If-None-Match, when present, decides; If-Modified-Since is ignored.
    if "If-None-Match" in request.headers:
        tags = parse_etags(request.headers["If-None-Match"])
        return tags.star_tag or tags.contains_weak(feed.etag)
    since = parse_date(request.headers.get("If-Modified-Since"))
    if since is None or last_modified is None:
        return False
    return last_modified <= since.astimezone(UTC)


def _absolute(endpoint: str, **values) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def _event_url(event: Event) -> str:
    return _event_url_for(event.uid)


def _event_url_for(uid: uuid.UUID) -> str:
    return _absolute("calendar.event_detail", uid=uid)


def _items(events) -> list[ical.FeedItem]:
    return [ical.FeedItem.from_event(event, url=_event_url(event)) for event in events]


def feed_name(selection: FeedFilter) -> str:
    """The calendar's name in clients, e.g. "Region Dalarna: Breakfast meeting – Falun"."""
    name = _("Region Dalarna events")
    if selection.kind is not None:
        name = _("Region Dalarna: %(kind)s", kind=selection.kind.label)
    if selection.municipality:
        name = f"{name} – {municipality_label(selection.municipality)}"
    return name


def cached_public_feed(selection: FeedFilter) -> RenderedFeed:
    """The public feed for ``selection``, from the cache when nothing changed."""
    selection = selection.public_part()
    now = utcnow()
    revision = events_revision(db.session, now)
    locale = current_app.config["BABEL_DEFAULT_LOCALE"]

    def render() -> RenderedFeed:
        with force_locale(locale):
            events = selection_events(db.session, selection, viewer=None, now=now)
            body = ical.build_feed(_items(events), name=feed_name(selection))
        return rendered(body, revision.changed_at)

    key = (selection, locale, current_app.config["BASE_URL"])
    return feed_cache().get(key, revision.fingerprint, render)


def _parse_or_400(args) -> FeedFilter:
    try:
        return parse_filter(args)
    except FilterError:
        abort(400)


def _feed_url(selection: FeedFilter, *, scheme: str = "https") -> str:
    """The subscribable URL of a public selection (webcal:// when asked)."""
    query = selection.public_part().to_query()
    url = _absolute("feeds.public_feed") + (f"?{query}" if query else "")
    if scheme == "webcal":
        url = "webcal://" + url.split("://", 1)[1]
    return url


# --- public and private feeds ------------------------------------------------------------------


@bp.get("/calendar.ics")
def public_feed():
    return feed_response(cached_public_feed(_parse_or_400(request.args)), private=False)


@bp.get("/calendar/<any(labs, boards, breakfasts, awards):kind>.ics")
def kind_feed(kind: str):
    selection = _parse_or_400(request.args)
    selection = FeedFilter(
        kind=KIND_SLUGS[kind],
        municipality=selection.municipality,
        date_from=selection.date_from,
        date_to=selection.date_to,
    )
    return feed_response(cached_public_feed(selection), private=False)


@bp.get("/calendar/private/<token>.ics")
def private_feed(token: str):
    """A personal feed or a saved selection; unknown and revoked tokens are a plain 404.

    Rendered on every poll (it is one person's data); Last-Modified is the later of the
    data's own timestamps and the moment this link's body last changed, so a change that
    leaves no timestamp (a deleted panel or jury seat) still moves it.
    """
    link = feed_services.find_active_link(db.session, token)
    if link is None:
        abort(404)
    now = utcnow()
    with force_locale(link.user.locale):
        if link.purpose == FeedPurpose.PERSONAL:
            items = [
                replace(item, url=_event_url_for(item.event_uid))
                if item.event_uid and not item.url
                else item
                for item in personal_feed_items(db.session, link.user, now)
            ]
            body = ical.build_feed(items, name=_("My events – Region Dalarna"))
            changed_at = personal_revision(db.session, link.user, now)
        else:
            selection = parse_filter(_query_args(link))
            events = selection_events(db.session, selection, viewer=link.user, now=now)
            body = ical.build_feed(_items(events), name=_("My selection – Region Dalarna"))
            changed_at = events_revision(db.session, now).changed_at
    feed = rendered(body, max(changed_at, link.created_at))
    try:
        content_at = feed_services.content_changed_at(db.session, link, feed.etag, now)
        db.session.commit()
    except OperationalError:
        # SQLite may refuse a GET's late write while another request writes; saying
        # "changed now" is always safe (at worst one more full download).
        db.session.rollback()
        content_at = now
    return feed_response(replace(feed, changed_at=max(feed.changed_at, content_at)), private=True)


def _query_args(link: FeedToken) -> dict[str, str]:
    return dict(parse_qsl(link.filter_query or ""))


@bp.get("/calendar/events/<uuid:uid>/event.ics")
def event_file(uid: uuid.UUID):
    """One event as an .ics file, for the "Add to calendar" link on its page."""
    event = db.session.scalar(db.select(Event).where(Event.uid == uid))
    if event is None or not can_view_event(current_user, event):
        abort(404)
    body = ical.build_event_file(event, url=_event_url(event))
    filename = f"{to_local(event.starts_at):%Y-%m-%d}-{str(event.uid)[:8]}.ics"
    feed = rendered(body, event.updated_at)
    return feed_response(feed, private=not event.is_public, filename=filename)


# --- personal link on the profile page ---------------------------------------------------------


@bp.post("/calendar/private-link")
@login_required
def personal_link_new():
    """Make a new personal feed link; the old one stops working at once."""
    token = feed_services.renew_personal_link(db.session, current_user)
    db.session.commit()
    session[REVEALED_PERSONAL] = token
    flash(_("Your new calendar link is ready. Any old link has stopped working."), "success")
    return redirect(url_for("auth.profile", _anchor="calendar-feed"))


@bp.post("/calendar/private-link/revoke")
@login_required
def personal_link_revoke():
    feed_services.revoke_personal_link(db.session, current_user)
    db.session.commit()
    session.pop(REVEALED_PERSONAL, None)
    flash(_("Your calendar link has stopped working."), "success")
    return redirect(url_for("auth.profile", _anchor="calendar-feed"))


@bp.app_context_processor
def _personal_feed_panel():
    def personal_feed_panel() -> dict:
        """What the profile's calendar section shows (the new URL only once)."""
        if not current_user.is_authenticated:
            return {}
        link = feed_services.active_personal_link(db.session, current_user)
        token = session.pop(REVEALED_PERSONAL, None) if link is not None else None
        url = _absolute("feeds.private_feed", token=token) if token else None
        return {
            "link": link,
            "url": url,
            "webcal": "webcal://" + url.split("://", 1)[1] if url else None,
        }

    return {"personal_feed_panel": personal_feed_panel}


# --- the calendar page -------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthDay:
    day: date
    in_month: bool
    events: list


@bp.get("/calendar/")
def calendar_page():
    form = CalendarFilterForm(request.args)
    view = request.args.get("view", "month")
    first_day = _month_or_400(request.args.get("month"))
    if view not in ("month", "list"):
        abort(400)
    selection = FeedFilter()
    status = 200
    if form.validate():
        selection = _parse_or_400(request.args).public_part()
    else:
        status = 400
    events = month_events(db.session, selection, first_day=first_day, now=utcnow())
    return render_template(
        "calendar/feed_calendar.html",
        form=form,
        view=view,
        first_day=first_day,
        weeks=_weeks(first_day, events),
        days=_days_with_events(first_day, events),
        events=events,
        month_links=_month_links(first_day, selection, view),
        feed_url=_feed_url(selection),
        webcal_url=_feed_url(selection, scheme="webcal"),
        filter_query=selection.to_query(),
    ), status


def _month_or_400(value: str | None) -> date:
    if not value:
        return to_local(utcnow()).date().replace(day=1)
    try:
        if len(value) != 7:
            raise ValueError(value)
        first_day = date.fromisoformat(f"{value}-01")
    except ValueError:
        abort(400)
    if not 2000 <= first_day.year <= 2100:
        abort(400)
    return first_day


def _event_days(event: Event, first_day: date, last_day: date) -> list[date]:
    """The local days (within the month) an event touches, so a two-day event shows twice."""
    start = to_local(event.starts_at).date()
    end = to_local(event.ends_at - timedelta(microseconds=1)).date()
    day, days = max(start, first_day), []
    while day <= min(end, last_day):
        days.append(day)
        day += timedelta(days=1)
    return days


def _by_day(first_day: date, events) -> dict[date, list[Event]]:
    last_day = _next_month(first_day) - timedelta(days=1)
    grouped: dict[date, list[Event]] = defaultdict(list)
    for event in events:
        for day in _event_days(event, first_day, last_day):
            grouped[day].append(event)
    return grouped


def _weeks(first_day: date, events) -> list[tuple[int, list[MonthDay]]]:
    grouped = _by_day(first_day, events)
    weeks = month_calendar.Calendar(firstweekday=0).monthdatescalendar(
        first_day.year, first_day.month
    )
    return [
        (
            week[0].isocalendar().week,
            [MonthDay(d, d.month == first_day.month, grouped.get(d, [])) for d in week],
        )
        for week in weeks
    ]


def _days_with_events(first_day: date, events) -> list[tuple[date, list[Event]]]:
    grouped = _by_day(first_day, events)
    return sorted(grouped.items())


def _next_month(first_day: date) -> date:
    return (first_day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _month_links(first_day: date, selection: FeedFilter, view: str) -> dict[str, str]:
    previous = (first_day - timedelta(days=1)).replace(day=1)
    filters = {
        "kind": SLUG_FOR_KIND[selection.kind] if selection.kind else None,
        "municipality": selection.municipality,
    }
    links = {}
    for name, month, shown in (
        ("previous", previous, view),
        ("next", _next_month(first_day), view),
        ("month", first_day, "month"),
        ("list", first_day, "list"),
    ):
        if 2000 <= month.year <= 2100:
            links[name] = url_for(
                "feeds.calendar_page", month=f"{month:%Y-%m}", view=shown, **filters
            )
    return links


# --- organisers' export ------------------------------------------------------------------------


def _export_selection(form: ExportFilterForm) -> FeedFilter | None:
    """The validated selection, or None with the error on the form."""
    if not form.validate():
        return None
    try:
        return parse_filter(request.args)
    except FilterError as error:
        form.end.errors = [*form.end.errors, error.message]
        return None


@bp.get("/calendar/export")
@role_required(Role.ORGANISER)
def export_page():
    form = ExportFilterForm(request.args)
    selection = _export_selection(form) if request.args else FeedFilter()
    events = []
    if selection is not None:
        events = selection_events(db.session, selection, viewer=current_user, now=utcnow())
    token = session.pop(REVEALED_SELECTION, None)
    return render_template(
        "calendar/feed_export.html",
        form=form,
        selection=selection,
        events=events,
        query=selection.to_query() if selection else "",
        public_url=_feed_url(selection) if selection and selection.is_public else None,
        revealed_url=_absolute("feeds.private_feed", token=token) if token else None,
        links=feed_services.selection_links(db.session, current_user),
        describe=describe_query,
    ), (200 if selection is not None else 400)


def describe_query(query: str) -> str:
    """A selection's filter in words, for the list of saved links."""
    try:
        selection = parse_filter(dict(parse_qsl(query)))
    except FilterError:
        return query
    parts = [selection.kind.label if selection.kind else _("All kinds")]
    if selection.municipality:
        parts.append(municipality_label(selection.municipality))
    if selection.date_from or selection.date_to:
        parts.append(f"{selection.date_from or ''}–{selection.date_to or ''}")
    if selection.mine:
        parts.append(_("only my events"))
    if selection.include_unlisted:
        parts.append(_("including events that are not public"))
    return ", ".join(parts)


def _export_or_400() -> FeedFilter:
    form = ExportFilterForm(request.args)
    selection = _export_selection(form)
    if selection is None:
        abort(400)
    return selection


@bp.get("/calendar/export.ics")
@role_required(Role.ORGANISER)
def export_ics():
    selection = _export_or_400()
    now = utcnow()
    events = selection_events(db.session, selection, viewer=current_user, now=now)
    body = ical.build_feed(_items(events), name=_("My selection – Region Dalarna"))
    feed = rendered(body, events_revision(db.session, now).changed_at)
    return feed_response(feed, private=True, filename=f"evenemang-{now:%Y-%m-%d}.ics")


@bp.get("/calendar/export.csv")
@role_required(Role.ORGANISER)
def export_csv():
    """The selection as CSV for Excel: UTF-8 with a BOM, ';' and no live formulas."""
    selection = _export_or_400()
    events = selection_events(db.session, selection, viewer=current_user, now=utcnow())
    lines = [
        [
            _("Title"),
            _("Kind of event"),
            _("Status"),
            _("Starts"),
            _("Ends"),
            _("Place"),
            _("Address"),
            _("Municipality"),
            _("Capacity"),
            _("Confirmed seats"),
            _("Public"),
            _("Organiser"),
            _("Link"),
            _("Calendar UID"),
        ]
    ]
    for event in events:
        lines.append(
            (
                event.title,
                event.kind.label,
                _("Cancelled") if event.is_cancelled else _("Scheduled"),
                f"{to_local(event.starts_at):%Y-%m-%d %H:%M}",
                f"{to_local(event.ends_at):%Y-%m-%d %H:%M}",
                event.place,
                event.address,
                municipality_label(event.municipality),
                "" if event.capacity is None else str(event.capacity),
                str(event.seats_taken),
                _("Yes") if event.is_public else _("No"),
                event.organiser.name if event.organiser else "",
                _event_url(event),
                ical.event_uid(event),
            )
        )
    return csv_download(lines, f"evenemang-{utcnow():%Y-%m-%d}.csv")


@bp.post("/calendar/export/links")
@role_required(Role.ORGANISER)
def selection_link_new():
    """Save the current selection behind a new secret subscription link."""
    form = ExportFilterForm(request.form)
    if not form.validate():
        abort(400)
    try:
        selection = parse_filter(request.form)
        token = feed_services.create_selection_link(db.session, current_user, selection)
    except (FilterError, feed_services.FeedLinkError) as error:
        flash(error.message, "error")
        return redirect(url_for("feeds.export_page"))
    db.session.commit()
    session[REVEALED_SELECTION] = token
    flash(_("The subscription link is ready. Copy it now: it is shown only once."), "success")
    return redirect(url_for("feeds.export_page") + "?" + selection.to_query() + "#links")


@bp.post("/calendar/export/links/<int:link_id>/revoke")
@role_required(Role.ORGANISER)
def selection_link_revoke(link_id: int):
    if not feed_services.revoke_selection_link(db.session, current_user, link_id):
        abort(404)
    db.session.commit()
    flash(_("The subscription link has stopped working."), "success")
    return redirect(url_for("feeds.export_page") + "#links")
