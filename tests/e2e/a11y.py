"""Helpers for the accessibility sweep (tests/e2e/test_accessibility_sweep.py).

The sweep takes its pages from the route matrix (``tests/route_matrix/``), so a route another
area adds is swept without touching the sweep. Everything here works on a ``LiveServer`` and a
Playwright page from ``tests/e2e/conftest.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

import pytest

from eventapp.auth.models import User
from eventapp.auth.services import start_login_session
from eventapp.extensions import db
from tests.e2e.conftest import axe_check
from tests.route_matrix import ROLES, Route, World

# The matrix runner's world builder (one user per role, then every area's objects); reusing it
# keeps the sweep's data identical to what the matrix checks statuses against.
from tests.test_route_matrix import EXTRA_ROLES, build_world

REFLOW_WIDTH = 320
DESKTOP_WIDTH = 1280
HTML = "text/html"
T = TypeVar("T")


# --- which pages, as whom -------------------------------------------------------------------


def rendering_roles(route: Route) -> list[str]:
    """The roles worth rendering ``route`` as: one per distinct rendering, not all six.

    Pages differ by audience, not by each role: a visitor (anonymous: no account links, "sign
    in to ..." panels), signed-in people, and staff. So: anonymous when it may see the page.
    When every signed-in role may see it, only the organiser: their page is the signed-in
    page plus the organiser's tools (sign-up forms, "my" links and manage buttons together),
    and a juror or panelist differs only by a nav link that their own pages render anyway.
    When only some signed-in roles may see it, each of them that may: the owner's
    (entrepreneur), the jury's or the panel's own page, and the organiser, or the admin where
    only the admin may (admin-only pages). An admin renders the organiser's tools, so the
    admin is left out where the organiser may see the page.
    """
    allowed = [role for role in ROLES if route.expected(role) == 200]
    chosen = []
    if "anonymous" in allowed:
        chosen.append("anonymous")
    members = [role for role in ("entrepreneur", "juror", "panelist") if role in allowed]
    if len(members) < 3 or "organiser" not in allowed:
        chosen += members
    if "organiser" in allowed:
        chosen.append("organiser")
    elif "admin" in allowed:
        chosen.append("admin")
    return chosen


@dataclass(frozen=True)
class Visit:
    """One page to sweep: a matrix route's URL as one role."""

    endpoint: str
    role: str
    url: str
    note: str = ""

    def __str__(self) -> str:
        note = f" ({self.note})" if self.note else ""
        return f"{self.endpoint} as {self.role}: {self.url}{note}"


def plan_visits(routes: Iterable[Route], world: World, *, strict: bool = True) -> list[Visit]:
    """GET routes x rendering roles. With ``strict=False`` (an empty world) routes whose URL
    needs an object the world lacks are left out instead of failing."""
    visits = []
    seen = set()
    for route in routes:
        if route.method != "GET":
            continue
        for role in rendering_roles(route):
            world.role = role  # some URLs pick "the signed-in role's own object"
            try:
                url = route.url(world)
            except (AttributeError, KeyError, IndexError):
                if strict:
                    raise
                continue
            if (url, role) not in seen:
                seen.add((url, role))
                visits.append(Visit(route.endpoint, role, url, route.note))
    return visits


# --- data and people inside the live server ---------------------------------------------------


def build_matrix_world(live_server, plan: Callable[[World], T]) -> tuple[T, dict[str, int]]:
    """Build every area's matrix world in the live server's database and commit it.

    ``plan(world)`` runs in the same app context (the world's objects load their columns
    there) and its result is returned with the user id of each role.
    """
    with live_server.app.app_context():
        world = build_world(db.session)
        db.session.commit()
        user_ids = {role: user.id for role, user in world.users.items()}
        return plan(world), user_ids


def make_role_users(live_server) -> tuple[World, dict[str, int]]:
    """An otherwise empty world: one user per role and nothing else."""
    from tests.factories import make_user

    with live_server.app.app_context():
        world = World()
        world.users = {role: make_user(db.session, roles=EXTRA_ROLES[role]) for role in ROLES}
        db.session.commit()
        user_ids = {role: user.id for role, user in world.users.items()}
    return world, user_ids


def sign_in_page(live_server, page, user_id: int) -> None:
    """Give the page's browser context a real server-side login session for the user.

    The login form itself is swept (and its keyboard use tested) elsewhere; signing in
    through it for every role of every test would cost an Argon2 check and two page loads
    each. This is the same session the matrix runner starts.
    """
    app = live_server.app
    with app.app_context():
        token = start_login_session(db.session, db.session.get(User, user_id), "a11y sweep")
        db.session.commit()
    with app.test_request_context():
        serializer = app.session_interface.get_signing_serializer(app)
        value = serializer.dumps({"_user_id": token, "_fresh": True})
    page.context.add_cookies(
        [{"name": app.config["SESSION_COOKIE_NAME"], "value": value, "url": live_server.url}]
    )


class RolePages:
    """One reused page (browser context) per role, signed in on first use."""

    def __init__(self, live_server, new_page, user_ids: dict[str, int]):
        self.live_server = live_server
        self.new_page = new_page
        self.user_ids = user_ids
        self.pages = {}

    def __call__(self, role: str):
        if role not in self.pages:
            page = self.new_page()
            if role != "anonymous":
                sign_in_page(self.live_server, page, self.user_ids[role])
            self.pages[role] = page
        return self.pages[role]


# --- checks ---------------------------------------------------------------------------------


class Findings:
    """Collects failures so one sweep reports every page's problems, not only the first."""

    def __init__(self):
        self.items: list[str] = []

    def add(self, where: object, message: str) -> None:
        self.items.append(f"{where}:\n    {message}")

    def axe(self, page, where: object) -> None:
        try:
            axe_check(page)
        except pytest.fail.Exception as failure:
            self.add(where, str(failure).replace("\n", "\n    "))

    def assert_none(self) -> None:
        if self.items:
            pytest.fail(
                f"{len(self.items)} accessibility problem(s):\n" + "\n".join(self.items),
                pytrace=False,
            )


def fetch(page, url: str):
    """GET ``url`` with the page's cookies, without following redirects or rendering it."""
    return page.context.request.get(url, max_redirects=0, fail_on_status_code=False)


def is_html(response) -> bool:
    return response.headers.get("content-type", "").startswith(HTML)


_REFLOW_JS = """
async (limit) => {
  // Let the resize reach the page's scripts (they run on the next frame).
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const doc = document.scrollingElement;
  const problems = [];
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  if (doc.scrollWidth > limit + 1) {
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.right <= limit + 1) continue;
      // Only the outermost offender: its children are reported through it.
      if (el.parentElement && el.parentElement.getBoundingClientRect().right > limit + 1
          && el.parentElement !== document.body) continue;
      wide.push(describe(el) + ' (right edge ' + Math.round(box.right) + 'px)');
    }
    problems.push('the page scrolls sideways at ' + limit + ' px: ' + doc.scrollWidth +
      ' px wide; too wide: ' + wide.slice(0, 6).join(', '));
  }
  // A region that scrolls sideways on its own (a data table's wrapper) must be reachable by
  // keyboard and named, or keyboard users cannot scroll it (WCAG 2.1.1, axe's
  // scrollable-region-focusable).
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (!['auto', 'scroll'].includes(style.overflowX) || el.scrollWidth <= el.clientWidth + 1) continue;
    const focusable = el.tabIndex >= 0 || el.querySelector('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])');
    const named = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
    if (!focusable) problems.push(describe(el) + ' scrolls sideways but cannot be reached by keyboard');
    else if (el.tabIndex >= 0 && !named) problems.push(describe(el) + ' is a focusable scroll region without a name');
  }
  return problems;
}
"""  # noqa: E501 - JavaScript


def reflow_problems(page) -> list[str]:
    """Narrow the page to 320 CSS px and list what breaks reflow (WCAG 1.4.10); restores."""
    viewport = page.viewport_size or {"width": DESKTOP_WIDTH, "height": 900}
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": viewport["height"]})
    try:
        return page.evaluate(_REFLOW_JS, REFLOW_WIDTH)
    finally:
        page.set_viewport_size(viewport)


_EMPTY_FORMS_JS = """
(seen) => {
  // POST forms in the main content with a required field: the header's language switch and
  // one-button action forms have nothing to leave empty.
  const forms = [...document.querySelectorAll('main form')].filter(
    (form) => form.method === 'post' && form.querySelector('[required]'));
  // The same form (action with ids blanked, and its field names) is checked once per sweep.
  const signature = (form) => new URL(form.getAttribute('action') || '', location.href).pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}|[0-9]+/g, '*') +
    ' ' + [...form.elements].map((field) => field.name).filter(Boolean).sort().join(',');
  const found = [];
  forms.forEach((form, index) => {
    form.dataset.a11ySweep = String(index);
    if (!seen.includes(signature(form))) found.push([index, signature(form)]);
  });
  return found;
}
"""  # noqa: E501 - JavaScript

_EMPTY_FIELDS_JS = """
(index) => {
  const form = document.querySelector('form[data-a11y-sweep="' + index + '"]');
  let emptied = 0;
  for (const field of form.elements) {
    const type = (field.type || '').toLowerCase();
    if (['hidden', 'submit', 'button', 'reset', 'image'].includes(type) || field.disabled) continue;
    if (type === 'checkbox' || type === 'radio') {
      if (field.required && field.checked) emptied += 1;
      field.checked = false;
    } else if (field.tagName === 'SELECT') {
      const blank = [...field.options].find((option) => option.value === '');
      if (blank) { if (field.required) emptied += 1; field.value = ''; }
    } else if ('value' in field) {
      if (field.required) emptied += 1;
      field.value = '';
    }
  }
  form.noValidate = true;  // the server's messages are under test, not the browser's
  return emptied > 0;
}
"""  # noqa: E501 - JavaScript

_SUBMIT_JS = """
(index) => {
  const form = document.querySelector('form[data-a11y-sweep="' + index + '"]');
  const submitter = form.querySelector('button[type=submit], input[type=submit], button:not([type])');
  form.requestSubmit(submitter || undefined);
}
"""  # noqa: E501 - JavaScript

_ERROR_SUMMARY_JS = """
() => {
  const problems = [];
  const summary = document.getElementById('error-summary') || document.querySelector('.error-summary');
  if (!summary) return ['no error summary after submitting required fields empty'];
  if (summary.getAttribute('role') !== 'alert' && document.activeElement !== summary)
    problems.push('the error summary is neither role="alert" nor focused');
  const links = [...summary.querySelectorAll('a[href^="#"]')];
  if (!links.length) problems.push('the error summary links to no field');
  const linked = new Set();
  const describedBy = (el) => (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
  const hasText = (ids) => ids.some((id) => { const el = document.getElementById(id); return el && el.textContent.trim(); });
  for (const link of links) {
    const id = decodeURIComponent(link.getAttribute('href').slice(1));
    const target = document.getElementById(id);
    const label = '"' + link.textContent.trim().slice(0, 60) + '" (#' + id + ')';
    if (!target) { problems.push(label + ' links to no element'); continue; }
    linked.add(target);
    if (target.tagName === 'LEGEND' || target.tagName === 'FIELDSET') {
      // A group of radios or checkboxes: the group, or every option in it, names the error.
      const group = target.closest('fieldset');
      linked.add(group);
      const options = group ? [...group.querySelectorAll('input')] : [];
      const groupDescribed = group && hasText(describedBy(group));
      const optionsDescribed = options.length && options.every((o) => hasText(describedBy(o)));
      if (!groupDescribed && !optionsDescribed)
        problems.push(label + ': neither the group nor its options are aria-describedby the error');
    } else if (['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) {
      if (target.getAttribute('aria-invalid') !== 'true') problems.push(label + ' lacks aria-invalid="true"');
      if (!hasText(describedBy(target))) problems.push(label + ' is not aria-describedby its error');
    } else {
      problems.push(label + ' links to a ' + target.tagName.toLowerCase() + ', not a field');
    }
  }
  for (const field of document.querySelectorAll('[aria-invalid="true"]')) {
    if (!linked.has(field) && !linked.has(field.closest('fieldset')))
      problems.push('#' + field.id + ' is marked invalid but the summary does not link to it');
  }
  return problems;
}
"""  # noqa: E501 - JavaScript


def check_empty_form_errors(
    page, url: str, where: object, findings: Findings, seen: set[str]
) -> int:
    """Submit each required-field form on the page (at ``url``) empty; check the errors.

    Forms whose signature is in ``seen`` (the same form met on another page or as another
    role) are left out; the ones checked are added. Returns how many forms were submitted.
    The page is left on an axe-checked document.
    """
    found = page.evaluate(_EMPTY_FORMS_JS, sorted(seen))
    submitted = 0
    for index, signature in found:
        seen.add(signature)
        if submitted:  # the previous submission replaced the page: load it again
            page.goto(url)
            findings.axe(page, where)
            page.evaluate(_EMPTY_FORMS_JS, [])
        # Only submit when a required field really is empty, so the server must refuse it
        # and nothing changes for the pages swept after this one.
        if not page.evaluate(_EMPTY_FIELDS_JS, index):
            continue
        with page.expect_navigation() as navigation:
            page.evaluate(_SUBMIT_JS, index)
        submitted += 1
        response = navigation.value
        label = f"{where} [form {index} submitted empty]"
        status = response.status if response else None
        if status not in (200, 400, 422):
            findings.add(label, f"answered {status}, expected the form again with errors")
        for problem in page.evaluate(_ERROR_SUMMARY_JS):
            findings.add(label, problem)
        findings.axe(page, label)
    return submitted


# --- keyboard -------------------------------------------------------------------------------

_FOCUS_STYLE = """
(el) => { const s = getComputedStyle(el);
  return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join('|'); }
"""

_SNAPSHOT_UNFOCUSED_JS = """
() => {
  // How every focusable element looks before anything has focus, to compare on Tab.
  if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  const styles = new Map();
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')) {
    const s = getComputedStyle(el);
    styles.set(el, [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join('|'));
  }
  window.__a11yUnfocused = styles;
}
"""  # noqa: E501 - JavaScript

_FOCUSED_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const focused = [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join('|');
  const before = window.__a11yUnfocused && window.__a11yUnfocused.get(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    describe: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.getAttribute('href') ? '[href=' + el.getAttribute('href') + ']' : '') +
      ' "' + (el.innerText || el.value || '').trim().slice(0, 40) + '"',
    visible: (outline || shadow) && before !== undefined && before !== focused,
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
      && box.top < innerHeight && box.left < innerWidth,
  };
}
"""  # noqa: E501 - JavaScript


def start_keyboard_page(page) -> None:
    """Record unfocused styles on the newly loaded document before tabbing through it."""
    page.evaluate(_SNAPSHOT_UNFOCUSED_JS)


def tab_until(page, matches: str, *, max_tabs: int = 80, key: str = "Tab") -> list[str]:
    """Press Tab until ``document.activeElement.matches(matches)``; check focus on the way.

    Returns the problems found (focus not visible or off screen) for every element passed.
    """
    problems = []
    for _ in range(max_tabs):
        page.keyboard.press(key)
        focused = page.evaluate(_FOCUSED_JS)
        if focused is None:
            continue
        if not focused["visible"]:
            problems.append(f"no visible focus indicator on {focused['describe']}")
        if not focused["onScreen"]:
            problems.append(f"focused element is off screen: {focused['describe']}")
        if page.evaluate("(sel) => document.activeElement.matches(sel)", matches):
            return problems
    pytest.fail(f"{max_tabs} presses of {key} never reached {matches} on {page.url}")
