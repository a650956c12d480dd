"""Personal feeds and organisers' selections: secret links stored as hashes, revoked at once,
a plain 404 otherwise, exactly the person's own sign-ups, and never in the logs."""

from __future__ import annotations

import logging
import re
import threading
import urllib.request
from datetime import timedelta

import icalendar
import pytest
from sqlalchemy import select

from eventapp.calendar import ical, services
from eventapp.calendar.feed_logging import redact
from eventapp.calendar.feed_models import FeedToken
from eventapp.calendar.feed_services import hash_token, renew_personal_link
from eventapp.database import utcnow
from tests.factories import DEFAULT_PASSWORD, make_event, make_user

TOKEN_IN_PAGE = re.compile(r"/calendar/private/([A-Za-z0-9_-]{43})\.ics")


def vevents(data: bytes):
    return icalendar.Calendar.from_ical(data).walk("VEVENT")


def make_link(client, auth, user) -> str:
    """Sign in, press "make a new link" and read the link off the profile page once."""
    auth.login_as(user)
    response = client.post("/calendar/private-link")
    assert response.status_code == 302
    page = client.get("/auth/profile").get_data(as_text=True)
    [token] = set(TOKEN_IN_PAGE.findall(page))
    # The same link for calendar apps (webcal://), on the configured public host.
    assert re.search(rf'href="webcal://[^/"]+/calendar/private/{re.escape(token)}\.ics"', page)
    return token


def test_personal_feed_holds_exactly_my_confirmed_and_waiting_sign_ups(client, session, auth):
    me, other = make_user(session), make_user(session)
    confirmed = make_event(session, capacity=5, title="Mitt labb")
    full = make_event(session, capacity=1, title="Fullt labb")
    services.sign_up(session, full, other)
    services.sign_up(session, confirmed, me)
    services.sign_up(session, full, me)  # waiting list
    cancelled_mine = make_event(session, capacity=5)
    seat = services.sign_up(session, cancelled_mine, me).signup
    services.cancel_signup(session, seat, me)
    not_mine = make_event(session, capacity=5)
    services.sign_up(session, not_mine, other)
    unlisted = make_event(session, capacity=5, is_public=False)
    services.sign_up(session, unlisted, me)
    session.commit()

    token = make_link(client, auth, me)
    auth.logout()
    response = client.get(f"/calendar/private/{token}.ics")
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("private")
    found = {str(v["UID"]): v for v in vevents(response.data)}
    assert set(found) == {ical.event_uid(e) for e in (confirmed, full, unlisted)}
    assert str(found[ical.event_uid(confirmed)]["STATUS"]) == "CONFIRMED"
    assert str(found[ical.event_uid(full)]["STATUS"]) == "TENTATIVE"
    # Personal feeds never show other participants (or anyone's address).
    assert b"ATTENDEE" not in response.data and other.email.encode() not in response.data
    assert me.email.encode() not in response.data
    assert "METHOD" not in icalendar.Calendar.from_ical(response.data)


def test_cancelled_event_stays_in_the_personal_feed_as_cancelled(client, session, auth):
    organiser, me = make_user(session, "organiser"), make_user(session)
    event = make_event(session, capacity=5)
    services.sign_up(session, event, me)
    services.cancel_event(session, event, "Sjukdom", organiser)
    session.commit()
    token = make_link(client, auth, me)
    [vevent] = vevents(client.get(f"/calendar/private/{token}.ics").data)
    assert str(vevent["STATUS"]) == "CANCELLED"


def test_only_a_hash_is_stored_and_the_link_is_shown_once(client, session, auth):
    me = make_user(session)
    session.commit()
    token = make_link(client, auth, me)
    [row] = session.scalars(select(FeedToken).where(FeedToken.user_id == me.id)).all()
    assert row.token_hash == hash_token(token) and token not in row.token_hash
    assert len(token) >= 22  # at least 128 bits in base64url
    again = client.get("/auth/profile").get_data(as_text=True)
    assert token not in again
    assert "/calendar/private/" not in again


def test_a_new_link_revokes_the_old_one_at_once(client, session, auth):
    me = make_user(session)
    session.commit()
    old = make_link(client, auth, me)
    new = make_link(client, auth, me)
    assert old != new
    assert client.get(f"/calendar/private/{old}.ics").status_code == 404
    assert client.get(f"/calendar/private/{new}.ics").status_code == 200
    client.post("/calendar/private-link/revoke")
    assert client.get(f"/calendar/private/{new}.ics").status_code == 404


@pytest.mark.parametrize(
    "token",
    ["x" * 43, "short", "A" * 44, "%00" + "a" * 40, "..%2F..%2Fetc", "' OR 1=1--"],
)
def test_unknown_tokens_are_a_plain_404(client, token):
    response = client.get(f"/calendar/private/{token}.ics")
    assert response.status_code in (404, 400)
    assert b"BEGIN:VCALENDAR" not in response.data


def test_a_disabled_account_feed_stops(client, session, auth):
    me = make_user(session)
    session.commit()
    token = make_link(client, auth, me)
    me.is_disabled = True
    session.commit()
    assert client.get(f"/calendar/private/{token}.ics").status_code == 404


def test_personal_feed_304_and_200_after_a_change(client, session, auth):
    me = make_user(session)
    event = make_event(session, capacity=5)
    session.commit()
    token = make_link(client, auth, me)
    first = client.get(f"/calendar/private/{token}.ics")
    etag = first.headers["ETag"]
    assert (
        client.get(f"/calendar/private/{token}.ics", headers={"If-None-Match": etag}).status_code
        == 304
    )
    services.sign_up(session, event, me)
    session.commit()
    after = client.get(f"/calendar/private/{token}.ics", headers={"If-None-Match": etag})
    assert after.status_code == 200 and len(vevents(after.data)) == 1


def test_two_active_personal_links_are_impossible(session):
    from sqlalchemy.exc import IntegrityError

    me = make_user(session)
    renew_personal_link(session, me)
    session.add(FeedToken(user_id=me.id, purpose="personal", token_hash="a" * 64))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


# --- CSRF on "make a new link" ------------------------------------------------------------------


class TestCsrf:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WTF_CSRF_ENABLED": True}

    def test_making_a_link_needs_the_csrf_token(self, client, session, auth):
        me = make_user(session)
        session.commit()
        login_page = client.get("/auth/login").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" [^>]*value="([^"]+)"', login_page).group(1)
        login = client.post(
            "/auth/login",
            data={"email": me.email, "password": DEFAULT_PASSWORD, "csrf_token": csrf},
        )
        assert login.status_code == 302
        assert client.post("/calendar/private-link").status_code == 400
        assert session.scalars(select(FeedToken)).all() == []
        profile = client.get("/auth/profile").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" [^>]*value="([^"]+)"', profile).group(1)
        assert client.post("/calendar/private-link", data={"csrf_token": csrf}).status_code == 302
        assert len(session.scalars(select(FeedToken)).all()) == 1


# --- organisers' selections -----------------------------------------------------------------------


def test_selection_link_serves_unlisted_own_events_and_can_be_revoked(client, session, auth):
    organiser = make_user(session, "organiser")
    mine_hidden = make_event(session, is_public=False, organiser=organiser)
    make_event(session, is_public=False)  # someone else's
    session.commit()
    auth.login_as(organiser)
    response = client.post("/calendar/export/links", data={"mine": "y", "unlisted": "y"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    [token] = set(TOKEN_IN_PAGE.findall(page))
    assert token not in client.get("/calendar/export").get_data(as_text=True)
    auth.logout()
    feed = client.get(f"/calendar/private/{token}.ics")
    assert feed.status_code == 200 and feed.headers["Cache-Control"].startswith("private")
    assert {str(v["UID"]) for v in vevents(feed.data)} == {ical.event_uid(mine_hidden)}

    auth.login_as(organiser)
    [row] = session.scalars(select(FeedToken).where(FeedToken.purpose == "selection")).all()
    assert client.post(f"/calendar/export/links/{row.id}/revoke").status_code == 302
    assert client.get(f"/calendar/private/{token}.ics").status_code == 404


def test_someone_elses_selection_link_cannot_be_revoked(client, session, auth):
    from eventapp.calendar.feed_queries import FeedFilter
    from eventapp.calendar.feed_services import create_selection_link

    owner, other = make_user(session, "organiser"), make_user(session, "organiser")
    create_selection_link(session, owner, FeedFilter(mine=True))
    session.commit()
    [row] = session.scalars(select(FeedToken)).all()
    auth.login_as(other)
    assert client.post(f"/calendar/export/links/{row.id}/revoke").status_code == 404
    session.refresh(row)
    assert row.revoked_at is None


def test_selection_link_stops_when_the_owner_is_no_longer_an_organiser(client, session, auth):
    from eventapp.calendar.feed_queries import FeedFilter
    from eventapp.calendar.feed_services import create_selection_link

    owner = make_user(session, "organiser")
    token = create_selection_link(session, owner, FeedFilter(include_unlisted=True))
    session.commit()
    assert client.get(f"/calendar/private/{token}.ics").status_code == 200
    owner.role_rows = [row for row in owner.role_rows if row.role != "organiser"]
    session.commit()
    assert client.get(f"/calendar/private/{token}.ics").status_code == 404


# --- never in the logs ---------------------------------------------------------------------------


def test_redact_removes_tokens_from_any_text():
    line = '127.0.0.1 - - [x] "GET /calendar/private/AbC_-123.ics?x=1 HTTP/1.1" 200 -'
    assert (
        redact(line)
        == '127.0.0.1 - - [x] "GET /calendar/private/[redacted].ics?x=1 HTTP/1.1" 200 -'
    )


def test_a_real_server_access_log_never_shows_the_token(app, session, caplog):
    """Serve the app with werkzeug's own server and read its access log."""
    from werkzeug.serving import make_server

    me = make_user(session)
    session.commit()
    token = renew_personal_link(session, me)
    session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            url = f"http://127.0.0.1:{server.server_port}/calendar/private/{token}.ics"
            with urllib.request.urlopen(url) as response:  # noqa: S310 - our local server
                assert response.status == 200
            try:
                urllib.request.urlopen(url.replace(token, token[::-1]))  # noqa: S310
            except urllib.error.HTTPError as error:
                assert error.code == 404
    finally:
        server.shutdown()
        thread.join(timeout=5)
    lines = [record.getMessage() for record in caplog.records]
    assert any("/calendar/private/[redacted].ics" in line for line in lines), lines
    assert not any(token in line or token[::-1] in line for line in lines)


def test_token_expiry_is_not_time_based(client, session, auth):
    """Links work until revoked; being old alone does not end them."""
    me = make_user(session)
    token = renew_personal_link(session, me)
    row = session.scalar(select(FeedToken))
    row.created_at = utcnow() - timedelta(days=800)
    session.commit()
    assert client.get(f"/calendar/private/{token}.ics").status_code == 200
