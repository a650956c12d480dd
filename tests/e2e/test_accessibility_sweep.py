"""Accessibility sweep (issue 9): every page, in every role and state, through axe-core.

The pages come from the route matrix (``tests/route_matrix/``): every GET route of every
area, as each distinct audience that gets a 200 (see ``a11y.rendering_roles``), in the live
server with the matrix's world built in its database. A route another area adds to the matrix
is swept here without changes. Responses that are not HTML (iCalendar, CSV, JSON, ZIP) are
left out by their content type.

For every swept page: axe-core (WCAG 2.1 A/AA, no serious or critical violation); reflow at
320 CSS px (no sideways scrolling of the document; a wide table may scroll inside its own
wrapper, which must then be reachable by keyboard); and every form with a required field is
submitted with its fields empty, after which the error summary must be announced (role=alert
or focused) and link to each field, which must be aria-invalid and aria-describedby its error.

States: the filled matrix world (one test per area, so a failure names the area and lists
every failing page), an empty database, a full event with a waiting list, and the jury and
report pages (the awards and goals areas of the matrix). Keyboard-only flows: signing up for a
lab session and a juror scoring a nomination, checking that every focused element shows a
visible focus indicator.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from eventapp.extensions import db
from tests.e2e.a11y import (
    Findings,
    RolePages,
    Visit,
    build_matrix_world,
    check_empty_form_errors,
    fetch,
    is_html,
    make_role_users,
    plan_visits,
    reflow_problems,
    sign_in_page,
    start_keyboard_page,
    tab_until,
)
from tests.e2e.conftest import arrive, axe_check
from tests.route_matrix import all_areas

pytestmark = pytest.mark.e2e

AREAS = {module.__name__.rsplit(".", 1)[1]: module for module in all_areas()}


def sweep(live_server, pages: RolePages, visits: list[Visit], *, filled: bool) -> Findings:
    """Axe and reflow for each visit, and (``filled``) empty-form errors; collect failures.

    Only HTML is swept: the content type decides, so feeds, CSV, JSON and ZIP downloads and
    the JSON health checks are left out whatever their route is called. In the filled world
    the matrix promised a 200 to this role, so another status is a finding too.
    """
    findings = Findings()
    forms_seen: set[str] = set()
    html_endpoints: set[str] = set()
    for visit in visits:
        page = pages(visit.role)
        url = live_server.url + visit.url
        if visit.endpoint not in html_endpoints:
            # Learn the content type without opening a download or a JSON document.
            response = fetch(page, url)
            if not is_html(response):
                continue
            html_endpoints.add(visit.endpoint)
        response = page.goto(url)
        status = response.request.redirected_from and 302 or response.status
        if status != 200:
            findings.axe(page, visit)  # whatever the page ended on was shown
            if filled or status >= 500:
                findings.add(visit, f"answered {status}, expected 200")
            continue
        if not is_html(response):
            findings.axe(page, visit)
            continue
        findings.axe(page, visit)
        for problem in reflow_problems(page):
            findings.add(f"{visit} [320 px]", problem)
        if filled:
            check_empty_form_errors(page, url, visit, findings, forms_seen)
    return findings


@pytest.mark.parametrize("area", sorted(AREAS))
def test_every_page_of_the_area_with_data(live_server, new_page, area):
    """The filled state: the matrix world, every GET route of one area."""
    visits, user_ids = build_matrix_world(
        live_server, lambda world: plan_visits(AREAS[area].ROUTES, world)
    )
    findings = sweep(live_server, RolePages(live_server, new_page, user_ids), visits, filled=True)
    findings.assert_none()


def test_every_page_with_an_empty_database(live_server, new_page):
    """The empty state: no events, boards, cycles or organisations; one user per role.

    Routes whose URL needs an object (an event's page) have nothing to show and are left out.
    """
    world, user_ids = make_role_users(live_server)
    visits = plan_visits(
        [route for module in AREAS.values() for route in module.ROUTES], world, strict=False
    )
    assert any(visit.url.rstrip("/") == "" for visit in visits)  # at least the home page
    findings = sweep(live_server, RolePages(live_server, new_page, user_ids), visits, filled=False)
    findings.assert_none()


def test_full_event_with_a_waiting_list(live_server, new_page):
    """A full event: the waiting person, someone who may still join, and the organiser's lists."""
    from eventapp.calendar import services
    from tests.factories import make_event, make_user

    with live_server.app.app_context():
        organiser = make_user(db.session, "organiser")
        event = make_event(
            db.session, title="Fullt frukostmöte", capacity=1, organiser_id=organiser.id
        )
        seated, waiting, newcomer = (make_user(db.session) for _ in range(3))
        services.sign_up(db.session, event, seated)
        services.sign_up(db.session, event, waiting)
        db.session.commit()
        uid = event.uid
        ids = {
            "organiser": organiser.id,
            "waiting": waiting.id,
            "newcomer": newcomer.id,
            "seated": seated.id,
        }
    event_url = f"/calendar/events/{uid}"
    visits = [
        Visit("calendar.event_detail", "waiting", event_url, "on the waiting list"),
        Visit("calendar.my_signups", "waiting", "/calendar/my-signups"),
        Visit("calendar.event_detail", "newcomer", event_url, "may join the waiting list"),
        Visit("calendar.event_detail", "seated", event_url, "has the seat"),
        Visit("calendar.participants", "organiser", event_url + "/participants"),
        Visit("calendar.attendance", "organiser", event_url + "/attendance"),
        Visit("calendar.event_detail", "anonymous", event_url, "full, signed out"),
    ]
    pages = RolePages(live_server, new_page, ids)
    findings = sweep(live_server, pages, visits, filled=True)
    findings.assert_none()
    page = pages("waiting")
    page.goto(live_server.url + event_url)
    axe_check(page)
    expect(page.locator("#signup-state")).to_contain_text("1")


def test_lab_sign_up_with_the_keyboard_only(live_server, page):
    """Labs -> series -> session -> "Sign up", with Tab and Enter/Space; focus always visible."""
    from eventapp.calendar.models import Signup
    from tests.factories import make_user
    from tests.labs.helpers import make_lab_session, make_series

    with live_server.app.app_context():
        series = make_series(db.session, make_user(db.session, "organiser"), title="Tangentlabbet")
        lab = make_lab_session(db.session, series)
        person = make_user(db.session)
        db.session.commit()
        series_id, uid, event_id, person_id = series.id, lab.event.uid, lab.event.id, person.id
    sign_in_page(live_server, page, person_id)
    problems = []

    page.goto(live_server.url_for("labs.index"))
    axe_check(page)
    start_keyboard_page(page)
    problems += tab_until(page, f'a[href="/labs/series/{series_id}"]')
    page.keyboard.press("Enter")
    arrive(page, rf"/labs/series/{series_id}")

    start_keyboard_page(page)
    problems += tab_until(page, f'a[href="/labs/sessions/{uid}"]')
    page.keyboard.press("Enter")
    arrive(page, rf"/labs/sessions/{uid}")

    start_keyboard_page(page)
    problems += tab_until(page, 'form[action$="/signup"] button[type=submit]')
    with page.expect_navigation():
        page.keyboard.press("Space")
    expect(page.locator("#signup-state")).to_be_visible()
    axe_check(page)

    with live_server.app.app_context():
        signup = db.session.query(Signup).filter_by(event_id=event_id, user_id=person_id).one()
        assert signup.status == "confirmed"
    assert not problems, "\n".join(problems)


def test_juror_scores_a_nomination_with_the_keyboard_only(live_server, new_page):
    """The juror opens a nomination from the jury page, scores every criterion and submits,
    with Tab, Space, arrow keys (how radio groups are operated) and Enter only."""
    from eventapp.awards.models import ScoreSheet

    (cycle_id, dossier_id, member_id, criteria), user_ids = build_matrix_world(
        live_server,
        lambda world: (
            world.jury_cycle.id,
            world.jury_open.id,
            world.jury_member.id,
            len(world.jury_cycle.criteria),
        ),
    )
    page = new_page()
    sign_in_page(live_server, page, user_ids["juror"])
    problems = []

    page.goto(live_server.url_for("awards.jury_cycle", cycle_id=cycle_id))
    axe_check(page)
    start_keyboard_page(page)
    dossier_path = f"/awards/jury/{cycle_id}/nominations/{dossier_id}"
    problems += tab_until(page, f'a[href="{dossier_path}"]')
    page.keyboard.press("Enter")
    arrive(page, re.escape(dossier_path))

    start_keyboard_page(page)
    for _ in range(criteria):
        problems += tab_until(page, "input[type=radio]")
        page.keyboard.press("Space")  # the first score
        page.keyboard.press("ArrowRight")  # the next: arrows move within a radio group
        page.keyboard.press("ArrowRight")
    problems += tab_until(page, 'button[value="submit"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".flash-success")).to_be_visible()
    axe_check(page)

    with live_server.app.app_context():
        sheet = db.session.query(ScoreSheet).filter_by(member_id=member_id).one()
        assert sheet.status == "submitted"
        assert sorted(score.value for score in sheet.scores) == [3] * criteria
    assert not problems, "\n".join(problems)
