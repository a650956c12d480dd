"""Every field of the nomination form against the rows of shared/BAD_INPUT.md."""

import unicodedata

import pytest
from sqlalchemy import select

from eventapp.awards.models import Dossier, Nomination
from eventapp.mail import send_outbox
from eventapp.text import clean_line
from tests.awards.helpers import form_data, link_in, make_cycle
from tests.factories import make_user

BAD_VALUES = {
    "too_long": "x" * 10_000,
    "one_megabyte": "y" * 1_000_000,
    "empty": "",
    "spaces": "   ",
    "tabs": "\t\t",
    "nbsp": "\u00a0",
    "nfd": unicodedata.normalize("NFD", "Åsa Öberg-Ängström"),
    "emoji_and_math": "👩\u200d👩\u200d👧 𝐀𝐁𝐂",
    "direction_marks": "abc\u202edef\u200bghi\u2066x\u2069",
    "nul": "a\x00b",
    "escape_sequence": "a\x1b[31mb",
    "html": '"><img src=x onerror=alert(1)><script>alert(1)</script>',
    "svg": "<svg onload=alert(1)>",
    "javascript_url": "JaVaScRiPt:alert(1)",
    "entity_url": "&#106;avascript:alert(1)",
    "template": "{{7*7}}{% raw %}{{config}}{% endraw %}",
    "sql": "' OR 1=1--%_\\",
    "header_injection": "Name\r\nBcc: x@evil.example",
    "formula": '=HYPERLINK("http://evil.example")',
    "numbers": "１２",
    "nan": "NaN",
}
FIELDS = (
    "enterprise_name",
    "org_number",
    "municipality",
    "website",
    "contact_name",
    "contact_email",
    "motivation",
    "nominator_name",
    "nominator_email",
    "relation",
    "is_self_nomination",
    "no_sensitive_data",
    "homepage",
)
INVISIBLE = ("\u202e", "\u200b", "\u2066", "\u2069", "\x00", "\x1b")


@pytest.mark.parametrize("field", FIELDS)
def test_nomination_field_survives_bad_input(client, session, field):
    cycle = make_cycle(session)
    name = f"motivation_{cycle.criteria[0].id}" if field == "motivation" else field
    failures = []
    for kind, value in BAD_VALUES.items():
        response = client.post("/awards/", data=form_data(cycle, **{name: value}))
        status = response.status_code
        if status == 500:
            failures.append(f"{kind}: 500")
            continue
        if kind in ("nul", "escape_sequence"):
            if status != 400:
                failures.append(f"{kind}: {status}, expected 400")
            continue
        if status == 200:
            page = response.text
            if "<script>alert" in page or "<img src=x" in page or "<svg onload" in page:
                failures.append(f"{kind}: unescaped markup in the page")
            if (
                kind in ("too_long", "one_megabyte")
                and field
                not in ("municipality", "relation", "is_self_nomination", "no_sensitive_data")
                and "Högst" not in page
                and "giltig" not in page
                and "Välj" not in page
            ):
                failures.append(f"{kind}: no length error shown")
        elif status == 302:
            nomination = session.scalar(select(Nomination).order_by(Nomination.id.desc()))
            if field == "homepage" and clean_line(value):
                # A filled honeypot is dropped, never stored.
                if nomination is not None:
                    failures.append(f"{kind}: honeypot value stored")
                continue
            stored = [
                nomination.entered_name,
                nomination.entered_contact_name,
                nomination.nominator_name,
                nomination.entered_website or "",
                nomination.entered_org_number or "",
                nomination.nominator_email,
                nomination.entered_contact_email,
                *(m.text for m in nomination.motivations),
            ]
            for text in stored:
                if any(mark in text for mark in INVISIBLE):
                    failures.append(f"{kind}: invisible or control character stored")
                if text != unicodedata.normalize("NFC", text):
                    failures.append(f"{kind}: not stored in NFC")
                if "\r" in text:
                    failures.append(f"{kind}: carriage return stored")
            website = (nomination.entered_website or "").lower()
            if website and not website.startswith(("http://", "https://")):
                failures.append(f"{kind}: a non-http(s) website stored")
            if not nomination.entered_name.strip():
                failures.append(f"{kind}: blank name stored")
            session.delete(nomination)
            session.flush()
        else:
            failures.append(f"{kind}: unexpected {status}")
    assert not failures, failures


def test_body_over_the_limit_is_413(client, session):
    cycle = make_cycle(session)
    data = form_data(cycle, enterprise_name="z" * (3 * 1024 * 1024))
    assert client.post("/awards/", data=data).status_code == 413


def test_extra_fields_are_ignored(client, session):
    cycle = make_cycle(session)
    data = form_data(
        cycle,
        consent_status="accepted",
        eligibility_status="eligible",
        user_id="1",
        counted_at="2020-01-01",
    )
    assert client.post("/awards/", data=data).status_code == 302
    dossier = session.scalar(select(Dossier))
    assert dossier.consent_status.value == "pending"
    assert session.scalar(select(Nomination)).counted_at is None


def test_wrong_methods_and_json_change_nothing(client, session):
    cycle = make_cycle(session)
    assert client.get("/awards/manage/cycles/1/publish").status_code == 405
    response = client.post("/awards/", json=form_data(cycle))
    assert response.status_code == 400
    assert session.scalar(select(Nomination)) is None


def test_markup_and_template_syntax_are_shown_literally_to_organisers_and_in_mail(
    app, client, auth, session, smtp_server
):
    cycle = make_cycle(session)
    name = "<script>alert(1)</script> {{7*7}}"
    assert client.post("/awards/", data=form_data(cycle, enterprise_name=name)).status_code == 302
    send_outbox(app)
    (mail,) = smtp_server.to("nils@example.org")
    assert name in mail.get_body(("plain",)).get_content()
    client.get(link_in(mail, "/awards/nominations/"))
    send_outbox(app)
    (consent,) = smtp_server.to("karin@hantverket.example")
    assert "{{7*7}}" in consent.get_body(("plain",)).get_content()
    auth.login_as(make_user(session, "organiser"))
    dossier = session.scalar(select(Dossier))
    page = client.get(f"/awards/manage/dossiers/{dossier.id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{7*7}}" in page
    assert "<script>alert(1)" not in page


class TestRateLimit:
    @pytest.fixture
    def app_config(self, app_config):
        return {
            **app_config,
            "RATELIMIT_ENABLED": True,
            "AWARDS_NOMINATION_LIMIT_PER_NOMINATOR": "2 per hour",
        }

    def test_nominations_are_rate_limited_per_nominator(self, app, client, session):
        cycle = make_cycle(session)
        data = form_data(cycle, enterprise_name="")  # invalid: nothing stored, still counted
        assert client.post("/awards/", data=data).status_code == 200
        assert client.post("/awards/", data=data).status_code == 200
        limited = client.post("/awards/", data=data)
        assert limited.status_code == 429
        assert "Retry-After" in limited.headers
        other = form_data(cycle, enterprise_name="", nominator_email="other@example.org")
        assert client.post("/awards/", data=other).status_code == 200
