"""Browser tests: a real server, Debian's Chromium driven by Playwright, axe-core on every page.

How to write a browser test (put it in ``tests/e2e/test_<area>.py``)::

    import pytest
    from playwright.sync_api import expect
    from tests.e2e.conftest import arrive, axe_check, visit

    pytestmark = pytest.mark.e2e

    def test_signed_in_user_sees_the_event(live_server, page, login):
        user = live_server.create_user(email="ada@example.org")   # committed for real
        event = live_server.create_event(title="Labb i Falun")
        login(page, user.email)                                   # signs in, axe-checks
        visit(page, live_server.url_for("calendar.event_detail", uid=event.uid))
        expect(page.get_by_role("heading", level=1)).to_have_text("Labb i Falun")
        page.get_by_role("button", name="Spara").click()
        arrive(page, r"/calendar/events/[0-9a-f-]+")              # waits, then axe_check
        expect(page.get_by_role("status")).to_contain_text("sparat")

What the fixtures give you
--------------------------
``live_server``
    A real HTTP server (werkzeug, in a thread) running ``create_app`` with ENVIRONMENT=testing
    on its own SQLite file, migrated to "heads" once per session and copied fresh for every
    test, so tests are independent. CSRF is ON, rate limits are ON but generous, mail goes
    over SMTP to the session's aiosmtpd server right after each request
    (``MAIL_SEND_AFTER_REQUEST``). Attributes and helpers:

    - ``url`` (``http://127.0.0.1:PORT``, also the app's BASE_URL, so mailed links work),
      ``url_for(endpoint, **values)`` for an absolute URL;
    - ``app``: use ``with live_server.app.app_context(): ...; db.session.commit()`` for any
      data the helpers below do not cover (there is no rollback here: commit for real);
    - ``create_user(role=None, **fields)``, ``create_event(**fields)``,
      ``create_organisation(**fields)``: ``tests/factories.py`` in an app context, committed;
      they return detached objects whose plain columns (``id``, ``email``, ``uid``...) you can
      read. The password of created users is ``tests.factories.DEFAULT_PASSWORD``;
    - ``smtp``: the SMTP server; ``live_server.smtp.wait_for("a@example.org")`` returns the
      newest mail to that address (waits up to 10 s) and ``smtp.to(address)`` lists them;
    - ``errors``: exceptions the app raised while serving; any of them fails the test.

``page`` / ``new_page(locale="sv-SE", width=1280, height=900)``
    A Chromium page in a fresh browser context (Swedish, Europe/Stockholm, desktop size).
    ``new_page`` opens more, for example a second person, English, or 320 px wide.
    On failure a full-page screenshot of every open page goes to ``test-artifacts/``.

``axe_check(page)`` / ``visit(page, url, status=200)`` / ``arrive(page, path_regex)``
    ``axe_check`` runs axe-core (WCAG 2.1 A and AA) and fails with a readable list when a
    serious or critical violation is found. ``visit`` navigates, checks the status and runs
    ``axe_check``. ``arrive`` waits after a click or submit until the URL's path matches the
    regex, then runs ``axe_check``. EVERY page a test shows must be checked: the fixture
    counts each new document that loads and fails the test at the end when one was never
    axe-checked. When a submit re-renders the same URL (a form with errors), wait for
    something on the new page (``expect(...)``), then call ``axe_check(page)``.

``login(page, email, password=DEFAULT_PASSWORD)``
    Signs in through the real form (axe-checking the form and the page after it).

Running
-------
Browser tests run on SQLite only (once, not per backend). Without Chromium at
``/usr/bin/chromium`` (or ``EVENTAPP_CHROMIUM``) or without the ``playwright`` package they
SKIP with a message, except when the ``CI`` environment variable is set: then a missing
browser is a FAILURE. ``make test`` installs Debian's chromium when missing (as root).
``playwright install`` is never needed: we drive the system Chromium.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from eventapp import create_app
from eventapp.extensions import db
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("EVENTAPP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_BLOCKING_IMPACTS = ("serious", "critical")
DESKTOP = {"width": 1280, "height": 900}


# --- collection ---------------------------------------------------------------------------


def pytest_collection_modifyitems(config, items):
    """Mark everything under tests/e2e as e2e, so `-m "not e2e"` leaves it out."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --- the browser --------------------------------------------------------------------------


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _unavailable(reason: str):
    message = f"browser tests need {reason}"
    if _in_ci():
        pytest.fail(f"{message} (CI is set, so a missing browser is a failure)", pytrace=False)
    pytest.skip(f"{message}; they are skipped")


@pytest.fixture(scope="session")
def _playwright():
    try:
        import axe_playwright_python.sync_playwright  # noqa: F401 - axe_check needs it
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        _unavailable(f"the {error.name} package (pip install -e '.[dev]')")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _unavailable(
            f"Chromium at {CHROMIUM} (install it with `apt-get install chromium`, "
            "or let `make test` do it as root)"
        )
    manager = sync_playwright().start()
    try:
        yield manager
    finally:
        manager.stop()


@pytest.fixture(scope="session")
def browser(_playwright):
    try:
        browser = _playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
    except Exception as error:  # noqa: BLE001 - any launch failure means "no usable browser"
        _unavailable(f"a Chromium that starts ({CHROMIUM}: {error})")
    yield browser
    browser.close()


@dataclass
class _PageState:
    """Which loaded documents of one page have been axe-checked."""

    loads: list[str] = field(default_factory=list)
    checked: set[int] = field(default_factory=set)

    def on_load(self, url: str) -> None:
        self.loads.append(url)

    def unchecked(self) -> list[str]:
        return [url for index, url in enumerate(self.loads) if index not in self.checked]


_STATES: dict[int, _PageState] = {}


@pytest.fixture
def new_page(browser, request) -> Iterator[Callable[..., Any]]:
    """Open pages in fresh contexts; screenshots on failure; every document axe-checked."""
    opened = []

    def open_page(
        locale: str = "sv-SE",
        width: int = DESKTOP["width"],
        height: int = DESKTOP["height"],
        **context_options,
    ):
        context = browser.new_context(
            locale=locale,
            timezone_id="Europe/Stockholm",
            viewport={"width": width, "height": height},
            **context_options,
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        state = _PageState()
        _STATES[id(page)] = state
        page.on("domcontentloaded", lambda loaded: state.on_load(loaded.url))
        opened.append((context, page, state))
        return page

    yield open_page

    failed = any(
        getattr(getattr(request.node, f"rep_{when}", None), "failed", False)
        for when in ("setup", "call")
    )
    unchecked = []
    for number, (context, page, state) in enumerate(opened):
        if failed and not page.is_closed():
            ARTIFACTS.mkdir(exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
            # A screenshot that cannot be taken must not hide the real failure.
            with contextlib.suppress(Exception):
                page.screenshot(path=str(ARTIFACTS / f"{name}-{number}.png"), full_page=True)
        unchecked += state.unchecked()
        _STATES.pop(id(page), None)
        context.close()
    if unchecked and not failed:
        pytest.fail(
            "these pages were shown but never axe-checked (call axe_check(page) after each "
            "navigation, or use visit()): " + ", ".join(unchecked),
            pytrace=False,
        )


@pytest.fixture
def page(new_page):
    """A Swedish-speaking visitor's page at desktop size."""
    return new_page()


# --- accessibility ------------------------------------------------------------------------


def axe_check(page) -> None:
    """Run axe-core (WCAG 2.1 A/AA) on the page; fail on serious or critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("load")
    state = _STATES.get(id(page))
    loads_before = len(state.loads) if state else 0
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    if state is not None and loads_before and len(state.loads) == loads_before:
        # Count the check only when no other document loaded meanwhile.
        state.checked.add(loads_before - 1)
    blocking = [
        violation
        for violation in results.response["violations"]
        if violation.get("impact") in AXE_BLOCKING_IMPACTS
    ]
    if blocking:
        pytest.fail(
            f"axe-core found problems on {page.url}:\n" + _describe(blocking), pytrace=False
        )


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"][:5]:
            target = " ".join(str(part) for part in node.get("target", []))
            html = re.sub(r"\s+", " ", node.get("html", ""))[:160]
            lines.append(f"    at {target}: {html}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")[:300]
            if summary:
                lines.append(f"      {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def arrive(page, path: str) -> None:
    """Wait until the page shows ``path`` (a regex matched against the URL's path only, so a
    ``#fragment`` kept across a redirect does not matter), then run axe_check."""
    pattern = re.compile(path)
    page.wait_for_url(lambda url: pattern.fullmatch(urlsplit(url).path) is not None)
    axe_check(page)


def visit(page, url: str, status: int = 200):
    """Go to ``url``, expect ``status`` and run axe_check; return the response."""
    response = page.goto(url)
    assert response is not None, f"no response for {url}"
    assert response.status == status, f"{url} answered {response.status}, expected {status}"
    axe_check(page)
    return response


# --- the live server ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def _migrated_database(tmp_path_factory) -> Path:
    """An SQLite file migrated to "heads" once; each test gets a copy."""
    path = tmp_path_factory.mktemp("e2e-template") / "template.sqlite"
    app = create_app(_live_config(f"sqlite:///{path}", smtp_port=1))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=app.extensions["migrate"].directory, revision="heads")
        db.engine.dispose()
    return path


def _live_config(database_uri: str, smtp_port: int) -> dict:
    return {
        "ENVIRONMENT": "testing",
        # Not TESTING: the server should handle errors exactly as in production.
        "TESTING": False,
        "SECRET_KEY": "e2e-secret-key-that-is-long-enough-0123456789abcdef",
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "LOGIN_LIMIT_PER_ACCOUNT": "100 per minute",
        "LOGIN_LIMIT_PER_IP": "1000 per minute",
        "MAIL_LIMIT_PER_ACCOUNT": "100 per hour",
        "MAIL_TRANSPORT": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_port,
        "MAIL_SEND_AFTER_REQUEST": True,
        "SERVER_NAME": None,
    }


class LiveServer:
    """The app served over real HTTP; see the module docstring."""

    def __init__(self, app, url: str, smtp):
        self.app = app
        self.url = url
        self.smtp = smtp
        self.errors: list[BaseException] = []

    def url_for(self, endpoint: str, **values) -> str:
        from flask import url_for

        with self.app.test_request_context():
            return self.url + url_for(endpoint, **values)

    def _create(self, factory, *args, **fields):
        with self.app.app_context():
            created = factory(db.session, *args, **fields)
            db.session.commit()
            # Load the columns now, so the object is usable after the session closes.
            db.session.refresh(created)
            db.session.expunge(created)
            return created

    def create_user(self, role: str | None = None, **fields):
        return self._create(factories.make_user, role, **fields)

    def create_event(self, **fields):
        return self._create(factories.make_event, **fields)

    def create_organisation(self, **fields):
        return self._create(factories.make_organisation, **fields)


@pytest.fixture
def live_server(_migrated_database, _smtp_controller, tmp_path) -> Iterator[LiveServer]:
    """A fresh database and server for each test."""
    from flask import got_request_exception

    database = tmp_path / "live.sqlite"
    shutil.copyfile(_migrated_database, database)
    _smtp_controller.clear()
    app = create_app(_live_config(f"sqlite:///{database}", _smtp_controller.port))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = url
    live = LiveServer(app, url, _smtp_controller)

    def record(sender, exception, **extra):
        live.errors.append(exception)

    got_request_exception.connect(record, app)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield live
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        got_request_exception.disconnect(record, app)
        with app.app_context():
            db.engine.dispose()
    if live.errors:
        pytest.fail(f"the server raised while handling requests: {live.errors!r}", pytrace=False)


@pytest.fixture
def login(live_server) -> Callable[..., None]:
    """Sign in through the real form in the page's language-independent way."""

    def sign_in(page, email: str, password: str = factories.DEFAULT_PASSWORD) -> None:
        visit(page, live_server.url_for("auth.login"))
        page.locator("#email").fill(email)
        page.locator("#password").fill(password)
        page.locator("form.stacked-form button[type=submit]").click()
        page.wait_for_url(lambda url: "/auth/login" not in url)
        axe_check(page)

    return sign_in
