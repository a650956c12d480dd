"""Route x role x phase: the jury's confidentiality rules through every phase of a cycle.

For each phase a jury is built with the three scores in (one juror, the chair and an
ordinary juror). The juror under test declared a conflict on one nomination. Expected
statuses are listed per phase and role; a state check proves refused posts changed nothing.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from eventapp.awards import results
from eventapp.awards.jury import members_of
from eventapp.awards.models import DeclarationAnswer, ScoreVersion
from tests.awards.jury_helpers import appoint, declare, make_jury_cycle, make_jury_dossier, score
from tests.factories import make_user

PHASES = ("jury_preparation", "scoring", "deliberation", "published")
ROLES = ("anonymous", "entrepreneur", "juror", "chair", "organiser", "admin")


def build(session, phase):
    cycle = make_jury_cycle(session, phase)
    alfa = make_jury_dossier(session, cycle, "Alfa Kooperativ")
    beta = make_jury_dossier(session, cycle, "Beta Jäv", municipality="Mora")
    gamma = make_jury_dossier(session, cycle, "Gamma Ek", municipality="Orsa")
    users = {role: make_user(session, role) for role in ("organiser", "admin")}
    users["entrepreneur"] = make_user(session)
    juror = appoint(session, cycle)
    chair = appoint(session, cycle, chair=True)
    third = appoint(session, cycle)
    users["juror"], users["chair"] = juror.user, chair.user
    declare(session, juror, beta, DeclarationAnswer.CONFLICT)
    for member in (juror, chair, third):
        for dossier, value in ((alfa, 5), (beta, 4), (gamma, 2)):
            if member is juror and dossier is beta:
                continue
            declare(session, member, dossier)
            if phase != "jury_preparation":
                score(session, member, dossier, (value, value), comment=f"SECRET-{member.id}")
    if phase in ("deliberation", "published"):
        published_at, cycle.results_published_at = cycle.results_published_at, None
        result = results.compute_results(session, cycle, users["organiser"])
        cycle.results_published_at = published_at
        if phase == "published":
            result.published_at = published_at
            result.motivation = "Motivering"
        session.flush()
    return cycle, (alfa, beta, gamma), users, {"juror": juror, "chair": chair}


def expected_status(page, phase, role):
    if role == "anonymous":
        return 302
    sealed_open = phase in ("deliberation", "published")
    table = {
        "juror_open": {"juror": 200, "chair": 200},
        # Only the juror under test declared a conflict on it; the chair did not.
        "juror_conflicted": {"chair": 200},
        "results": {"organiser": 200, "admin": 200, "chair": 200 if sealed_open else 403},
    }
    default = 404 if page.startswith("juror_") else 403
    return table[page].get(role, default)


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_jury_pages_by_phase_and_role(client, auth, session, phase, role):
    cycle, (alfa, beta, _), users, members = build(session, phase)
    if role != "anonymous":
        auth.login_as(users[role])
    pages = {
        "juror_open": f"/awards/jury/{cycle.id}/nominations/{alfa.id}",
        "juror_conflicted": f"/awards/jury/{cycle.id}/nominations/{beta.id}",
        "results": f"/awards/manage/cycles/{cycle.id}/results",
    }
    failures = []
    for page, url in pages.items():
        response = client.get(url)
        want = expected_status(page, phase, role)
        if response.status_code != want:
            failures.append(f"{page}: {response.status_code}, expected {want}")
        own = f"SECRET-{members[role].id}" if role in members else "SECRET-own"
        # Another juror's comment never reaches a juror's page.
        if role in members and "SECRET-" in response.text.replace(own, ""):
            failures.append(f"{page}: another juror's comment shown")
    assert not failures, failures


@pytest.mark.parametrize("phase", PHASES)
def test_scoring_posts_only_count_while_scoring_is_open(client, auth, session, phase):
    cycle, (alfa, beta, _), users, _ = build(session, phase)
    auth.login_as(users["juror"])
    versions = session.scalar(select(func.count(ScoreVersion.id)))
    data = {f"score_{c.id}": "3" for c in cycle.criteria} | {"action": "submit"}
    response = client.post(f"/awards/jury/{cycle.id}/nominations/{alfa.id}", data=data)
    after = session.scalar(select(func.count(ScoreVersion.id)))
    if phase == "scoring":
        assert response.status_code == 302 and after == versions + 1
    else:
        assert response.status_code == 200 and after == versions
    conflicted = client.post(f"/awards/jury/{cycle.id}/nominations/{beta.id}", data=data)
    assert conflicted.status_code == 404
    assert session.scalar(select(func.count(ScoreVersion.id))) == after


@pytest.mark.parametrize("phase", PHASES)
def test_the_public_page_shows_results_only_once_published(client, session, phase):
    build(session, phase)
    page = client.get("/awards/").text
    assert ("Alfa Kooperativ" in page) == (phase == "published")
    assert "SECRET-" not in page


@pytest.mark.parametrize("phase", PHASES)
def test_the_chair_never_sees_a_nomination_they_are_conflicted_on(client, auth, session, phase):
    cycle, _, _, members = build(session, phase)
    juror = members["juror"]
    # Make the juror under test the chair: they are conflicted on Beta.
    for member in members_of(session, cycle):
        member.is_chair = False
    session.flush()
    juror.is_chair = True
    session.flush()
    auth.login_as(juror.user)
    response = client.get(f"/awards/manage/cycles/{cycle.id}/results")
    if phase in ("deliberation", "published"):
        assert response.status_code == 200
        assert "Beta Jäv" not in response.text and "Alfa Kooperativ" in response.text
        report = client.get(f"/awards/manage/cycles/{cycle.id}/results/report")
        assert "Beta Jäv" not in report.text
    else:
        assert response.status_code == 403
