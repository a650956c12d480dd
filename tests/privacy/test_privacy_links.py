"""The privacy notice is linked from the footer of every page and from every form that
collects what people type (GDPR art. 13: inform where the data are collected).

Renders every GET page of the route matrix for every role and reads the HTML: a POST form
inside <main> with a field people fill in (text, e-mail, password, a text area, a choice)
must carry the link. Forms that are only a button (cancel, withdraw, sign out) collect
nothing new; the footer link covers them.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.route_matrix import ROLES, all_routes
from tests.test_route_matrix import build_world, sign_in

NOTICE = "/integritet"
# Controls that only choose among given options: an organiser's inline choice in a table
# row collects nothing about anyone (the footer link covers those pages).
NOT_DATA_INPUTS = {"hidden", "submit", "button", "reset", "image", "checkbox", "radio"}


class FormScanner(HTMLParser):
    """Collects, per POST form in <main>, whether it has a data field and the notice link."""

    def __init__(self):
        super().__init__()
        self.in_main = False
        self.form: dict | None = None
        self.forms: list[dict] = []
        self.footer_link = False
        self.in_footer = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "main":
            self.in_main = True
        elif tag == "footer":
            self.in_footer = True
        elif tag == "form" and self.in_main and attributes.get("method", "get").lower() == "post":
            self.form = {"action": attributes.get("action"), "fields": False, "link": False}
            self.forms.append(self.form)
        elif self.form is not None:
            if (
                tag == "input"
                and attributes.get("type", "text") not in NOT_DATA_INPUTS
                or tag == "textarea"
            ):
                self.form["fields"] = True
            elif tag == "a" and attributes.get("href") == NOTICE:
                self.form["link"] = True
        if tag == "a" and self.in_footer and attributes.get("href") == NOTICE:
            self.footer_link = True

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        elif tag == "footer":
            self.in_footer = False
        elif tag == "form":
            self.form = None


# The HTML does not depend on the database: one backend, one world, every role.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_page_and_data_form_links_the_privacy_notice(app, session):
    world = build_world(session)
    missing_form_links, missing_footer = [], []
    for role in ROLES:
        world.role = role
        for route in all_routes():
            if route.method != "GET" or route.expected(role) != 200:
                continue
            client = app.test_client()
            if role != "anonymous":
                sign_in(client, session, world.users[role])
            url = route.url(world)
            response = client.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            scanner = FormScanner()
            scanner.feed(response.get_data(as_text=True))
            if not scanner.footer_link:
                missing_footer.append(url)
            missing_form_links.extend(
                f"{url} (form to {form['action'] or 'itself'})"
                for form in scanner.forms
                if form["fields"] and not form["link"]
            )
    assert not missing_footer, "pages without the footer link: " + ", ".join(missing_footer)
    assert not missing_form_links, "forms without the privacy link: " + "; ".join(
        sorted(set(missing_form_links))
    )


TEMPLATES = Path(__file__).resolve().parents[2] / "eventapp" / "templates"
FORM_BLOCK = re.compile(r"<form\b(?P<attrs>[^>]*)>(?P<body>.*?)</form>", re.S | re.I)
DATA_FIELD = re.compile(
    r"render_field\(|radio_fieldset\(|<textarea|<select|<input(?![^>]*type=\"(hidden|submit)\")",
    re.I,
)


# Forms that only choose among options, each with why no link is needed beside it.
CHOICE_ONLY = {
    "awards/jury_manage.html": "an organiser changes a juror's role in a table row",
    "boards/applications.html": "an organiser picks a free slot for an application",
}


def test_every_data_form_in_the_templates_links_the_privacy_notice():
    """The same rule read from the templates, so states the matrix does not render count."""
    missing = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        if str(path.relative_to(TEMPLATES)) in CHOICE_ONLY:
            continue
        text = path.read_text()
        for match in FORM_BLOCK.finditer(text):
            if 'method="post"' not in match["attrs"].lower():
                continue
            body = match["body"]
            if DATA_FIELD.search(body) and "submit(" not in body and "privacy_note()" not in body:
                line = text[: match.start()].count("\n") + 1
                missing.append(f"{path.relative_to(TEMPLATES)}:{line}")
    assert not missing, "POST forms with fields but no privacy link: " + ", ".join(missing)
