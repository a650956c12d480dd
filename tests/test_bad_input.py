"""The rows of shared/BAD_INPUT.md that apply to the foundation's forms and routes.

Every field of every foundation form gets every bad value (never a 500); then each row's
specific promise is checked where it applies.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from argon2 import PasswordHasher
from flask import current_app
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter
from werkzeug.test import encode_multipart

from eventapp.auth import services as auth_services
from eventapp.auth.models import User
from eventapp.calendar.models import Event, EventStatus
from eventapp.mail import OutboxMessage, send_outbox
from tests.auth.helpers import profile_form, register_form, sign_in_quickly
from tests.factories import DEFAULT_PASSWORD, make_event, make_user
from tests.route_matrix.foundation import event_form

NFC_NAME = "Åsa Öberg-Ängström"
NFD_NAME = unicodedata.normalize("NFD", NFC_NAME)
BAD_VALUES = {
    "too_long": "x" * 10_000,
    "empty": "",
    "spaces": "   ",
    "tabs": "\t\t",
    "nbsp": "\u00a0",
    "nfd": NFD_NAME,
    "emoji_and_math": "👩\u200d👩\u200d👧 𝐀𝐁𝐂",
    "direction_marks": "abc\u202edef\u200bghi\u2066x\u2069",
    "html": '"><img src=x onerror=alert(1)><script>alert(1)</script>',
    "svg": "<svg onload=alert(1)>",
    "javascript_url": "JaVaScRiPt:alert(1)",
    "entity_url": "&#106;avascript:alert(1)",
    "template": "{{7*7}}{% raw %}{{config}}{% endraw %}",
    "sql": "' OR 1=1--%_\\",
    "header_injection": "Name\r\nBcc: x@evil.example",
    "formula": '=HYPERLINK("http://evil.example")',
    "full_width_digits": "１２",
    "numbers": "2147483648",
    "float": "1e309",
    "nan": "NaN",
    "negative": "-1",
    "date_like": "2027-02-29",
    "nul": "a\x00b",
    "escape_sequence": "a\x1b[31mb",
}
CONTROL_VALUES = {"nul", "escape_sequence"}


@dataclass(frozen=True)
class FormSpec:
    path: str  # may contain {event} and {token}
    role: str | None  # who is signed in; None for visitors
    data: callable
    fields: tuple[str, ...]


def _reset_token(user) -> str:
    tokens = auth_services.Tokens(current_app.config["SECRET_KEY"])
    return tokens.make("reset", {"uid": user.id, "fp": auth_services._password_fingerprint(user)})


PASSWORDS = {"password": "a brand new passphrase", "password_confirm": "a brand new passphrase"}
FORMS = {
    "register": FormSpec(
        "/auth/register", None, register_form, ("name", "email", "password", "password_confirm")
    ),
    "login": FormSpec(
        "/auth/login",
        None,
        lambda: {"email": "someone@example.org", "password": "wrong password", "next": "/"},
        ("email", "password", "next"),
    ),
    "resend_confirmation": FormSpec(
        "/auth/confirm", None, lambda: {"email": "someone@example.org"}, ("email",)
    ),
    "reset_request": FormSpec(
        "/auth/reset", None, lambda: {"email": "someone@example.org"}, ("email",)
    ),
    "reset_password": FormSpec(
        "/auth/reset/{token}", None, lambda: dict(PASSWORDS), ("password", "password_confirm")
    ),
    "change_password": FormSpec(
        "/auth/password",
        "entrepreneur",
        lambda: {"current_password": DEFAULT_PASSWORD, **PASSWORDS},
        ("current_password", "password", "password_confirm"),
    ),
    "profile": FormSpec(
        "/auth/profile",
        "entrepreneur",
        lambda: profile_form(
            organisation_name="Hantverket",
            org_number="556036-0793",
            website="https://example.se",
            year_founded="2014",
            municipality="Falun",
        ),
        (
            "name",
            "locale",
            "organisation_name",
            "org_number",
            "org_type",
            "municipality",
            "website",
            "year_founded",
        ),
    ),
    "event_new": FormSpec(
        "/calendar/events/new",
        "organiser",
        event_form,
        (
            "kind",
            "title",
            "description",
            "place",
            "address",
            "municipality",
            "start_date",
            "start_time",
            "end_date",
            "end_time",
            "capacity",
            "is_public",
        ),
    ),
    "event_edit": FormSpec(
        "/calendar/events/{event}/edit",
        "organiser",
        event_form,
        ("title", "description", "place", "start_date", "end_time", "capacity"),
    ),
    "event_cancel": FormSpec(
        "/calendar/events/{event}/cancel", "organiser", lambda: {"reason": "Sjukdom"}, ("reason",)
    ),
    "language": FormSpec(
        "/language", None, lambda: {"language": "en", "next": "/"}, ("language", "next")
    ),
}
FIELDS = [(form, field) for form, spec in FORMS.items() for field in spec.fields]


@pytest.fixture(autouse=True)
def fast_argon2(monkeypatch):
    """Cheap Argon2id parameters: these tests are about input, not hashing cost."""
    fast = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    monkeypatch.setattr(auth_services, "password_hasher", fast)
    monkeypatch.setattr(auth_services, "_DUMMY_HASH", fast.hash("dummy"))


@pytest.fixture
def setting(client, session):
    """Sign in per form and give the URLs their objects."""

    def prepare(form: str) -> tuple[str, dict]:
        spec = FORMS[form]
        if spec.role is not None:
            sign_in_quickly(client, session, make_user(session, spec.role))
        event = make_event(session)
        target = make_user(session)
        path = spec.path.format(event=event.uid, token=_reset_token(target))
        return path, spec.data()

    return prepare


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(("form", "field"), FIELDS, ids=[f"{f}.{g}" for f, g in FIELDS])
def test_no_bad_value_gives_a_500(client, session, setting, form, field):
    path, valid = setting(form)
    # Earlier values may change state (a registered address, a used reset link); every
    # answer must still be a page, a redirect or a 400, never a 500.
    for name, value in BAD_VALUES.items():
        response = client.post(path, data={**valid, field: value})
        expected = {400} if name in CONTROL_VALUES else {200, 302}
        assert response.status_code in expected, (name, response.status_code)
        if response.status_code == 200:
            assert "<script>alert(1)" not in response.text, name
            assert "<svg onload" not in response.text, name
        client.delete_cookie("lang")


def test_home_page_filters_survive_every_bad_value(client):
    for name, value in BAD_VALUES.items():
        for parameter in ("kind", "municipality", "page", "next"):
            response = client.get("/", query_string={parameter: value})
            assert response.status_code == (400 if name in CONTROL_VALUES else 200), name


# --- too long --------------------------------------------------------------------------------

LINE_FIELDS = [
    ("register", "name"),
    ("register", "email"),
    ("register", "password"),
    ("login", "email"),
    ("login", "password"),
    ("reset_request", "email"),
    ("resend_confirmation", "email"),
    ("reset_password", "password"),
    ("change_password", "password"),
    ("change_password", "current_password"),
    ("profile", "name"),
    ("profile", "organisation_name"),
    ("profile", "org_number"),
    ("profile", "website"),
    ("event_new", "title"),
    ("event_new", "place"),
    ("event_new", "address"),
    ("event_edit", "title"),
]


@pytest.mark.parametrize(("form", "field"), LINE_FIELDS, ids=[f"{f}.{g}" for f, g in LINE_FIELDS])
def test_ten_thousand_characters_give_a_field_error(client, session, setting, form, field):
    path, valid = setting(form)
    users = _count(session, User)
    response = client.post(path, data={**valid, field: "Å" * 10_000})
    assert response.status_code == 200
    assert f'id="{field}-error"' in response.text
    assert _count(session, User) == users


@pytest.mark.parametrize(
    ("form", "field"), [("event_new", "description"), ("event_cancel", "reason")]
)
def test_a_megabyte_of_text_gives_a_field_error(client, session, setting, form, field):
    path, valid = setting(form)
    response = client.post(path, data={**valid, field: "y" * 1_000_000})
    assert response.status_code == 200
    assert f'id="{field}-error"' in response.text
    assert session.scalar(select(func.count()).where(Event.status == EventStatus.CANCELLED)) == 0


def post_urls(app) -> list[str]:
    """A URL for every POST rule of app.url_map, whatever its arguments.

    The body limits and the CSRF check answer before any view runs, so the objects behind
    the URL need not exist.
    """
    values = {"uuid": "6f1c1f0e-0000-4000-8000-000000000000", "integer": 1, "float": 1.0}
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        arguments = {
            name: 1
            if isinstance(converter, IntegerConverter)  # the app's own id converter too
            else values.get(type(converter).__name__.replace("Converter", "").lower(), "x")
            for name, converter in rule._converters.items()
        }
        urls.append(adapter.build(rule.endpoint, arguments, method="POST"))
    assert len(urls) > 20
    return urls


def test_a_body_over_max_content_length_is_413_on_every_post_route(app, client):
    body = "x=" + "a" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    failures = []
    for url in post_urls(app):
        response = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
        if response.status_code != 413:
            failures.append(f"{url}: {response.status_code}")
    assert not failures, failures


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_thousands_of_form_parts_are_413_on_every_post_route(app, client, content_type):
    parts = {f"field{number}": "1" for number in range(5_000)}
    if content_type == "multipart/form-data":
        # Encoded here as bytes: the test client would spool a large body to a temporary
        # file that it does not close when the request is refused early.
        boundary, body = encode_multipart(MultiDict(parts))
        content_type = f"multipart/form-data; boundary={boundary}"
    else:
        body = urlencode(parts)
    failures = []
    for url in post_urls(app):
        response = client.post(url, data=body, content_type=content_type)
        if response.status_code != 413:
            failures.append(f"{url}: {response.status_code}")
    assert not failures, failures


# --- empty ------------------------------------------------------------------------------------

REQUIRED = [
    ("register", "name"),
    ("register", "email"),
    ("profile", "name"),
    ("event_new", "title"),
    ("event_new", "place"),
    ("event_cancel", "reason"),
    ("reset_request", "email"),
    ("login", "email"),
]


@pytest.mark.parametrize(("form", "field"), REQUIRED, ids=[f"{f}.{g}" for f, g in REQUIRED])
def test_blank_values_are_required(client, session, setting, form, field):
    path, valid = setting(form)
    names = set(session.scalars(select(User.name)))
    for blank in ("", "   ", "\t", "\u00a0", " \u00a0\t\u200b "):
        response = client.post(path, data={**valid, field: blank})
        assert response.status_code == 200, repr(blank)
        assert f'id="{field}-error"' in response.text, repr(blank)
    assert set(session.scalars(select(User.name))) == names
    assert not session.scalars(select(Event).where(Event.title.in_(["", " "]))).all()


# --- scripts, invisible marks, HTML and templates -----------------------------------------------


def test_nfd_names_are_stored_in_nfc_and_shown_intact(client, session, setting):
    client.post("/auth/register", data=register_form(name=NFD_NAME))
    assert session.scalar(select(User.name).where(User.email == "asa@example.org")) == NFC_NAME

    path, valid = setting("profile")
    client.post(path, data={**valid, "name": NFD_NAME, "organisation_name": NFD_NAME})
    page = client.get("/auth/profile").text
    assert f'value="{NFC_NAME}"' in page


def test_event_titles_are_stored_in_nfc(client, session, setting):
    path, valid = setting("event_new")
    assert client.post(path, data={**valid, "title": NFD_NAME}).status_code == 302
    assert session.scalar(select(Event.title).where(Event.title == NFC_NAME)) == NFC_NAME


def test_emoji_and_mathematical_letters_are_kept(client, session, setting):
    path, valid = setting("profile")
    client.post(path, data={**valid, "name": "👩\u200d👩\u200d👧 𝐀𝐁𝐂"})
    # NFC keeps mathematical letters as they are (NFKC would fold them to ABC).
    assert "👩👩👧 𝐀𝐁𝐂" in session.scalars(select(User.name)).all()


@pytest.mark.parametrize("form", ["register", "profile", "event_new"])
def test_direction_and_zero_width_marks_are_stripped_from_names(client, session, setting, form):
    path, valid = setting(form)
    field = "title" if form == "event_new" else "name"
    marked = "Åsa\u202e Öberg\u200b\u2066x\u2067\u2068\u2069"
    response = client.post(path, data={**valid, field: marked})
    assert response.status_code == 302
    stored = session.scalars(select(Event.title)).all() + session.scalars(select(User.name)).all()
    assert "Åsa Öbergx" in stored
    for text in stored:
        assert not any(mark in text for mark in "\u202e\u200b\u2066\u2067\u2068\u2069")


def test_html_and_template_syntax_are_shown_literally(client, session, setting):
    path, valid = setting("event_new")
    title = "<script>alert(1)</script> {{7*7}} {% raw %}x"
    response = client.post(path, data={**valid, "title": title, "place": '"><img src=x>'})
    assert response.status_code == 302
    for page in (client.get(response.location).text, client.get("/").text):
        assert "&lt;script&gt;alert(1)&lt;/script&gt; {{7*7}} {% raw %}x" in page
        assert "<script>alert(1)" not in page
        assert "<img src=x>" not in page
        assert " 49 " not in page


def test_html_and_template_syntax_in_names_stay_literal_in_mail(app, client, session, smtp_server):
    name = "<b>Åsa</b> {{7*7}} {% raw %}{{config}}{% endraw %}"
    client.post("/auth/register", data=register_form(name=name))
    send_outbox(app)
    [message] = smtp_server.to("asa@example.org")
    body = message.get_body(("plain",)).get_content()
    assert name in body
    assert "</b> 49 " not in body  # the expression was not evaluated (a random token may hold "49")
    assert "SECRET_KEY" not in body
    assert "&lt;" not in body  # plain text is not HTML-escaped either


def test_header_injection_in_names_never_becomes_a_header(app, client, session, smtp_server):
    client.post(
        "/auth/register", data=register_form(name="Name\r\nBcc: x@evil.example\r\nSubject: hi")
    )
    send_outbox(app)
    [message] = smtp_server.messages
    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == ["asa@example.org"]
    assert message["Bcc"] is None
    assert message["Subject"] != "hi"
    assert "\n" not in session.scalar(select(User.name))


@pytest.mark.parametrize("form", ["register", "reset_request", "resend_confirmation"])
def test_newlines_and_lists_in_addresses_are_refused(client, session, setting, form):
    path, valid = setting(form)
    for address in (
        "asa@example.org\r\nBcc: x@evil.example",
        "asa@example.org\nx@evil.example",
        "asa@example.org,x@evil.example",
        "Åsa <asa@example.org>",
        "asa@exa\u202emple.org",
    ):
        response = client.post(path, data={**valid, "email": address})
        assert response.status_code == 200, address
        assert 'id="email-error"' in response.text, address
    assert _count(session, OutboxMessage) == 0


def test_sql_characters_are_stored_literally(client, session, setting):
    path, valid = setting("profile")
    client.post(path, data={**valid, "name": "' OR 1=1--%_\\"})
    assert "' OR 1=1--%_\\" in session.scalars(select(User.name)).all()


def test_extra_fields_on_the_event_form_are_ignored(client, session, setting):
    path, valid = setting("event_new")
    response = client.post(
        path,
        data={
            **valid,
            "seats_taken": "5",
            "status": "cancelled",
            "sequence": "9",
            "organiser_id": "1",
            "uid": "6f1c1f0e-0000-4000-8000-000000000000",
            "capacity": "3",
        },
    )
    assert response.status_code == 302
    event = session.scalar(select(Event).where(Event.title == valid["title"]))
    assert (event.seats_taken, event.status, event.sequence) == (0, EventStatus.SCHEDULED, 0)
    assert str(event.uid) != "6f1c1f0e-0000-4000-8000-000000000000"


def test_back_button_resubmit_of_a_cancel_changes_nothing(client, session, setting):
    path, valid = setting("event_cancel")
    client.post(path, data={"reason": "Första"})
    again = client.post(path, data={"reason": "Andra"})
    assert again.status_code == 302
    event = session.scalar(select(Event).where(Event.status == EventStatus.CANCELLED))
    assert event.cancellation_reason == "Första"
    assert event.sequence == 1


def test_dates_far_away_never_overflow(client, session, setting):
    path, valid = setting("event_new")
    for day in ("0001-01-01", "9999-12-31", "10000-01-01", "-001-01-01"):
        response = client.post(
            path,
            data={
                **valid,
                "start_date": day,
                "end_date": day,
                "start_time": "00:00",
                "end_time": "23:59",
            },
        )
        assert response.status_code == 200, day
    assert _count(session, Event) == 1  # only the fixture's event
