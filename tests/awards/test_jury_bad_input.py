"""The jury's forms (scores, comments, declarations, register, abstain) against BAD_INPUT.md."""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import select

from eventapp.awards import jury
from eventapp.awards.models import ConflictTie, Declaration, Score, ScoreSheet
from tests.awards.jury_helpers import appoint, declare, make_jury_cycle, make_jury_dossier
from tests.awards.test_bad_input import BAD_VALUES, INVISIBLE

NUMBERS = {
    "zero": "0",
    "six": "6",
    "negative": "-1",
    "huge": "2147483648",
    "float": "3.5",
    "comma": "3,5",
    "exp": "1e309",
    "fullwidth": "３",
    "nan_number": "NaN",
}


@pytest.fixture
def setting(session):
    cycle = make_jury_cycle(session, "scoring")
    dossier = make_jury_dossier(session, cycle, "Alfa Kooperativ")
    other = make_jury_dossier(session, cycle, "Beta Återbruk", municipality="Mora")
    member = appoint(session, cycle)
    declare(session, member, dossier)
    return cycle, dossier, other, member


def _valid_scores(cycle) -> dict:
    data = {"action": "submit"}
    for criterion in cycle.criteria:
        data[f"score_{criterion.id}"] = "4"
        data[f"comment_{criterion.id}"] = "Good work."
    return data


def _check_response(response, kind, failures) -> bool:
    """Common rules; returns True when the value was stored (302)."""
    status = response.status_code
    if status == 500:
        failures.append(f"{kind}: 500")
        return False
    if kind in ("nul", "escape_sequence"):
        if status != 400:
            failures.append(f"{kind}: {status}, expected 400")
        return False
    if status == 200:
        page = response.text
        if "<script>alert" in page or "<img src=x" in page or "<svg onload" in page:
            failures.append(f"{kind}: unescaped markup")
        return False
    if status != 302:
        failures.append(f"{kind}: unexpected {status}")
        return False
    return True


def _check_text(kind, text, failures) -> None:
    if any(mark in text for mark in INVISIBLE):
        failures.append(f"{kind}: invisible or control character stored")
    if text != unicodedata.normalize("NFC", text):
        failures.append(f"{kind}: not stored in NFC")
    if "\r" in text:
        failures.append(f"{kind}: carriage return stored")


@pytest.mark.parametrize("field", ["score", "comment", "action"])
def test_score_form_survives_bad_input(client, auth, session, setting, field):
    cycle, dossier, _, member = setting
    auth.login_as(member.user)
    criterion = cycle.criteria[0]
    name = {"score": f"score_{criterion.id}", "comment": f"comment_{criterion.id}"}.get(
        field, field
    )
    values = BAD_VALUES | (NUMBERS if field == "score" else {})
    failures = []
    for kind, value in values.items():
        data = _valid_scores(cycle) | {name: value}
        response = client.post(f"/awards/jury/{cycle.id}/nominations/{dossier.id}", data=data)
        if not _check_response(response, kind, failures):
            continue
        scores = session.scalars(select(Score).where(Score.member_id == member.id)).all()
        for score in scores:
            if score.value is not None and not 1 <= score.value <= 5:
                failures.append(f"{kind}: out-of-range score stored")
            _check_text(kind, score.comment, failures)
        if field == "score" and kind in NUMBERS:
            failures.append(f"{kind}: accepted as a score")
        if field == "comment" and len(value) > 4_000:
            failures.append(f"{kind}: over-long comment stored")
    assert not failures, failures


def test_a_body_naming_another_dossier_changes_only_the_urls(client, auth, session, setting):
    cycle, dossier, other, member = setting
    auth.login_as(member.user)
    data = _valid_scores(cycle) | {"dossier_id": str(other.id), "member_id": "999"}
    response = client.post(f"/awards/jury/{cycle.id}/nominations/{dossier.id}", data=data)
    assert response.status_code == 302
    (sheet,) = session.scalars(select(ScoreSheet)).all()
    assert (sheet.dossier_id, sheet.member_id) == (dossier.id, member.id)


@pytest.mark.parametrize("field", ["answer", "tie_type"])
def test_declaration_form_survives_bad_input(client, auth, session, setting, field):
    cycle, _, other, member = setting
    auth.login_as(member.user)
    failures = []
    for kind, value in BAD_VALUES.items():
        data = {"answer": "conflict", "tie_type": "board"} | {field: value}
        response = client.post(f"/awards/jury/{cycle.id}/nominations/{other.id}/declare", data=data)
        if _check_response(response, kind, failures):
            failures.append(f"{kind}: an invalid declaration was stored")
    assert session.scalar(select(Declaration).where(Declaration.dossier_id == other.id)) is None
    assert not failures, failures


@pytest.mark.parametrize("field", ["organisation_name", "org_number", "tie_type"])
def test_register_form_survives_bad_input(client, auth, session, setting, field):
    cycle, _, _, member = setting
    auth.login_as(member.user)
    failures = []
    for kind, value in BAD_VALUES.items():
        data = {"organisation_name": "Grannföreningen", "org_number": "", "tie_type": "funder"}
        data[field] = value
        response = client.post(f"/awards/jury/{cycle.id}/register", data=data)
        if not _check_response(response, kind, failures):
            continue
        for tie in session.scalars(select(ConflictTie)).all():
            _check_text(kind, tie.organisation_name, failures)
            if not tie.organisation_name.strip() or len(tie.organisation_name) > 200:
                failures.append(f"{kind}: blank or over-long name stored")
            if tie.org_number and tie.org_number != "556036-0793":
                failures.append(f"{kind}: invalid organisation number stored")
            session.delete(tie)
        session.flush()
    assert not failures, failures


def test_abstain_reason_survives_bad_input(client, auth, session, setting):
    cycle, dossier, _, member = setting
    auth.login_as(member.user)
    failures = []
    for kind, value in BAD_VALUES.items():
        response = client.post(
            f"/awards/jury/{cycle.id}/nominations/{dossier.id}/abstain", data={"reason": value}
        )
        if not _check_response(response, kind, failures):
            continue
        sheet = jury.sheets_of(session, member)[dossier.id]
        _check_text(kind, sheet.abstain_reason or "", failures)
        if not (sheet.abstain_reason or "").strip():
            failures.append(f"{kind}: blank reason stored")
    assert not failures, failures


def test_wrong_method_and_json_change_nothing(client, auth, session, setting):
    cycle, dossier, _, member = setting
    auth.login_as(member.user)
    assert client.get(f"/awards/jury/{cycle.id}/register").status_code == 405
    response = client.post(
        f"/awards/jury/{cycle.id}/nominations/{dossier.id}", json=_valid_scores(cycle)
    )
    assert response.status_code == 400
    assert session.scalar(select(ScoreSheet)) is None


def test_organiser_forms_survive_bad_input(client, auth, session):
    from tests.awards.jury_helpers import scored_jury
    from tests.factories import make_user

    cycle, dossiers, members = scored_jury(session, "deliberation")
    scoring = make_jury_cycle(session, "scoring")
    make_jury_dossier(session, scoring, "Delta")
    auth.login_as(make_user(session, "admin"))
    from eventapp.awards import results

    results.compute_results(session, cycle, make_user(session, "organiser"))
    posts = {
        f"/awards/manage/jury/{members[1].id}/reopen": ("reason",),
        f"/awards/manage/cycles/{cycle.id}/results/tie": ("above_id", "below_id", "reason"),
        f"/awards/manage/cycles/{cycle.id}/results/publish": ("motivation",),
        f"/awards/manage/cycles/{scoring.id}/jury/appoint": ("user_id", "role"),
        f"/awards/manage/cycles/{scoring.id}/jury/pin": ("member_id", "dossier_id"),
        f"/awards/manage/jury/{members[2].id}/change": (f"m{members[2].id}-role",),
    }
    valid = {
        "reason": "Skäl",
        "above_id": str(dossiers[0].id),
        "below_id": str(dossiers[1].id),
        "motivation": "Motivering",
        "role": "juror",
    }
    failures = []
    for url, fields in posts.items():
        for field in fields:
            for kind, value in (BAD_VALUES | NUMBERS).items():
                response = client.post(url, data=valid | {field: value})
                if response.status_code == 500:
                    failures.append(f"{url} {field} {kind}: 500")
                elif kind in ("nul", "escape_sequence") and response.status_code != 400:
                    failures.append(f"{url} {field} {kind}: {response.status_code}")
                elif "<script>alert" in response.text:
                    failures.append(f"{url} {field} {kind}: unescaped markup")
    assert not failures, failures
    # A motivation with markup may be published (that is allowed); it is shown escaped.
    public = client.get("/awards/").text
    assert "<script>alert" not in public and "<img src=x" not in public
