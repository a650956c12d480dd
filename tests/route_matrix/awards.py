"""Route x role matrix for the award: only organisers see dossiers and cycles.

Links sent by mail (nominator status, nominee consent) work for whoever holds them; they
carry a signed token and show only that one nomination or dossier.

Part 2 (the jury): the "juror" user sits on a jury in scoring (``world.jury_cycle``) with
one nomination open to them and one they are conflicted on (a 404 by direct URL, for them
too), and on a jury whose scoring has closed (``world.results_cycle``), not as chair, so
the sealed results are 403 for them. Everyone else is outside both juries: 404 on jurors'
pages. ``tests/awards/test_jury_matrix.py`` adds the phase dimension.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from eventapp.auth.services import Tokens
from eventapp.awards import results as award_results
from eventapp.awards import services
from eventapp.awards.models import ConflictReview, ConflictTie, DeclarationAnswer, JuryRole
from tests.awards.helpers import form_data, make_cycle, nominate_counted, today
from tests.awards.jury_helpers import (
    appoint,
    declare,
    make_jury_cycle,
    make_jury_dossier,
    scored_jury,
)
from tests.factories import make_user
from tests.route_matrix import Route, World

ORGANISERS = {"organiser": 200, "admin": 200, "anonymous": 302, "default": 403}
ORGANISER_POSTS = {"organiser": 302, "admin": 302, "anonymous": 302, "default": 403}
EVERYONE = {"default": 200}
SIGNED_IN = {"anonymous": 302, "default": 200}
# A juror's own pages: only the member reaches them; everyone else gets a 404.
JUROR_GET = {"juror": 200, "anonymous": 302, "default": 404}
JUROR_POST = {"juror": 302, "anonymous": 302, "default": 404}
NOBODY = {"anonymous": 302, "default": 404}
ADMIN_ONLY = {"admin": 200, "anonymous": 302, "default": 403}
ADMIN_POST = {"admin": 302, "anonymous": 302, "default": 403}


def build(session, world: World) -> None:
    tokens = Tokens(current_app.config["SECRET_KEY"])
    base_url = current_app.config["BASE_URL"].rstrip("/")
    cycle = make_cycle(session)
    world.award_cycle = cycle
    world.award_nomination = nominate_counted(session, cycle)
    world.award_dossier = world.award_nomination.dossier
    world.award_motivation = world.award_nomination.motivations[0]
    world.award_nomination_token = services.nomination_link(
        world.award_nomination, tokens, base_url
    ).rsplit("/", 1)[1]
    world.award_consent_token = services.consent_link(world.award_dossier, tokens, base_url).rsplit(
        "/", 1
    )[1]
    # A dossier proposed ineligible by an organiser outside the matrix, for the confirmation.
    proposer = make_user(session, "organiser")
    proposed = nominate_counted(
        session, cycle, enterprise_name="Ludvika Återbruk", municipality="Ludvika"
    ).dossier
    services.screen_dossier(
        session,
        proposed,
        [
            services.ScreeningAnswer(item.id, False, "Not in Dalarna")
            for item in cycle.eligibility_items
        ],
        proposer,
    )
    world.award_proposed_dossier = proposed
    # A cycle whose criteria may still change.
    draft = make_cycle(session, published=False, open_on=today() + timedelta(days=10))
    world.award_draft_cycle = draft
    world.award_criterion = draft.criteria[0]
    world.award_item = draft.eligibility_items[0]
    _build_jury(session, world)


def _build_jury(session, world: World) -> None:
    juror = world.users.get("juror") or make_user(session, "juror")
    organiser = make_user(session, "organiser")
    cycle = make_jury_cycle(session, "scoring")
    world.jury_cycle = cycle
    world.jury_open = make_jury_dossier(session, cycle, "Öppna Kooperativet")
    world.jury_conflicted = make_jury_dossier(session, cycle, "Jävet AB", municipality="Mora")
    world.jury_pending = make_jury_dossier(session, cycle, "Osäkra AB", municipality="Leksand")
    member = appoint(session, cycle, juror)
    world.jury_member = member
    declare(session, member, world.jury_open)
    declare(session, member, world.jury_conflicted, DeclarationAnswer.CONFLICT)
    declare(session, member, world.jury_pending, DeclarationAnswer.UNSURE)
    world.jury_review = ConflictReview(member=member, dossier=world.jury_pending, reason="unsure")
    session.add(world.jury_review)
    world.jury_tie = ConflictTie(member=member, organisation_name="Styrelsen AB", tie_type="board")
    session.add(world.jury_tie)
    world.jury_other = appoint(session, cycle)
    world.jury_reserve = appoint(session, cycle, role=JuryRole.RESERVE)
    world.jury_candidate = make_user(session, "juror")
    # Scoring closed: sealed results exist; the matrix juror sits on it, not as chair.
    closed, dossiers, _ = scored_jury(session, "deliberation")
    appoint(session, closed, juror)
    world.results_cycle = closed
    world.results_dossiers = dossiers
    world.results_member = appoint(session, closed)
    award_results.compute_results(session, closed, organiser)
    session.flush()


def _cycle_form(world: World) -> dict:
    return {
        "year": "2099",
        "title": "Årets sociala företag 2099",
        "call_text": "Nominera!",
        "nominations_open_on": (today() + timedelta(days=1)).isoformat(),
        "nominations_close_on": (today() + timedelta(days=30)).isoformat(),
        "screening_close_on": (today() + timedelta(days=40)).isoformat(),
        "scoring_open_on": (today() + timedelta(days=50)).isoformat(),
        "scoring_close_on": (today() + timedelta(days=60)).isoformat(),
        "retention_months": "24",
        "gala_date": (today() + timedelta(days=70)).isoformat(),
        "gala_start_time": "18:00",
        "gala_end_time": "22:00",
        "gala_place": "Dalhalla",
        "gala_municipality": "Rättvik",
    }


def _edit_form(world: World) -> dict:
    data = _cycle_form(world)
    cycle = world.award_draft_cycle
    data["year"] = str(cycle.year)
    return data


ROUTES: list[Route] = [
    Route("awards.index", "GET", lambda w: "/awards/", EVERYONE),
    Route(
        "awards.index",
        "POST",
        lambda w: "/awards/",
        {"default": 302},
        data=lambda w: form_data(w.award_cycle, nominator_email="matrix@example.org"),
    ),
    Route("awards.thanks", "GET", lambda w: "/awards/thanks", EVERYONE),
    Route(
        "awards.nomination_status",
        "GET",
        lambda w: f"/awards/nominations/{w.award_nomination_token}",
        EVERYONE,
    ),
    Route(
        "awards.my_nominations",
        "GET",
        lambda w: "/awards/my-nominations",
        {"anonymous": 302, "default": 200},
    ),
    Route("awards.consent", "GET", lambda w: f"/awards/consent/{w.award_consent_token}", EVERYONE),
    Route(
        "awards.consent",
        "POST",
        lambda w: f"/awards/consent/{w.award_consent_token}",
        {"default": 302},
        data=lambda w: {"answer": "accept"},
    ),
    Route("awards.manage", "GET", lambda w: "/awards/manage/", ORGANISERS),
    Route("awards.cycle_new", "GET", lambda w: "/awards/manage/cycles/new", ORGANISERS),
    Route(
        "awards.cycle_new",
        "POST",
        lambda w: "/awards/manage/cycles/new",
        ORGANISER_POSTS,
        data=_cycle_form,
    ),
    Route(
        "awards.cycle_detail",
        "GET",
        lambda w: f"/awards/manage/cycles/{w.award_cycle.id}",
        ORGANISERS,
    ),
    Route(
        "awards.cycle_edit",
        "GET",
        lambda w: f"/awards/manage/cycles/{w.award_cycle.id}/edit",
        ORGANISERS,
    ),
    Route(
        "awards.cycle_edit",
        "POST",
        lambda w: f"/awards/manage/cycles/{w.award_draft_cycle.id}/edit",
        ORGANISER_POSTS,
        data=_edit_form,
    ),
    Route(
        "awards.cycle_publish",
        "POST",
        lambda w: f"/awards/manage/cycles/{w.award_draft_cycle.id}/publish",
        ORGANISER_POSTS,
    ),
    Route(
        "awards.criterion_new",
        "GET",
        lambda w: f"/awards/manage/cycles/{w.award_draft_cycle.id}/criteria/new",
        ORGANISERS,
    ),
    Route(
        "awards.criterion_new",
        "POST",
        lambda w: f"/awards/manage/cycles/{w.award_draft_cycle.id}/criteria/new",
        ORGANISER_POSTS,
        data=lambda w: {"name": "Innovation", "guidance": "New ways", "weight": "2"},
    ),
    Route(
        "awards.criterion_edit",
        "GET",
        lambda w: f"/awards/manage/criteria/{w.award_criterion.id}/edit",
        ORGANISERS,
    ),
    Route(
        "awards.criterion_edit",
        "POST",
        lambda w: f"/awards/manage/criteria/{w.award_criterion.id}/edit",
        ORGANISER_POSTS,
        data=lambda w: {"name": w.award_criterion.name, "guidance": "Clearer", "weight": "4"},
    ),
    Route(
        "awards.criterion_delete",
        "POST",
        lambda w: f"/awards/manage/criteria/{w.award_criterion.id}/delete",
        ORGANISER_POSTS,
    ),
    Route(
        "awards.item_new",
        "GET",
        lambda w: f"/awards/manage/cycles/{w.award_draft_cycle.id}/checklist/new",
        ORGANISERS,
    ),
    Route(
        "awards.item_new",
        "POST",
        lambda w: f"/awards/manage/cycles/{w.award_draft_cycle.id}/checklist/new",
        ORGANISER_POSTS,
        data=lambda w: {"label": "Not the winner in the last three years"},
    ),
    Route(
        "awards.item_delete",
        "POST",
        lambda w: f"/awards/manage/checklist/{w.award_item.id}/delete",
        ORGANISER_POSTS,
    ),
    Route(
        "awards.audit_log",
        "GET",
        lambda w: f"/awards/manage/cycles/{w.award_cycle.id}/audit",
        ORGANISERS,
    ),
    Route(
        "awards.dossier_detail",
        "GET",
        lambda w: f"/awards/manage/dossiers/{w.award_dossier.id}",
        ORGANISERS,
    ),
    Route(
        "awards.dossier_screen",
        "GET",
        lambda w: f"/awards/manage/dossiers/{w.award_dossier.id}/screen",
        ORGANISERS,
    ),
    Route(
        "awards.dossier_screen",
        "POST",
        lambda w: f"/awards/manage/dossiers/{w.award_dossier.id}/screen",
        ORGANISER_POSTS,
        data=lambda w: {f"item_{item.id}": "pass" for item in w.award_cycle.eligibility_items},
    ),
    Route(
        "awards.dossier_confirm_ineligible",
        "POST",
        lambda w: f"/awards/manage/dossiers/{w.award_proposed_dossier.id}/confirm-ineligible",
        ORGANISER_POSTS,
    ),
    Route(
        "awards.dossier_return",
        "POST",
        lambda w: f"/awards/manage/dossiers/{w.award_proposed_dossier.id}/return",
        ORGANISER_POSTS,
    ),
    Route(
        "awards.motivation_redact",
        "GET",
        lambda w: f"/awards/manage/motivations/{w.award_motivation.id}/redact",
        ORGANISERS,
    ),
    Route(
        "awards.motivation_redact",
        "POST",
        lambda w: f"/awards/manage/motivations/{w.award_motivation.id}/redact",
        ORGANISER_POSTS,
        data=lambda w: {"redacted_text": "A shorter text for the jury."},
    ),
]


def _score_form(world: World) -> dict:
    data = {f"score_{c.id}": "4" for c in world.jury_cycle.criteria}
    data["action"] = "submit"
    return data


JURY_ROUTES: list[Route] = [
    Route("awards.jury_home", "GET", lambda w: "/awards/jury/", SIGNED_IN),
    Route("awards.jury_cycle", "GET", lambda w: f"/awards/jury/{w.jury_cycle.id}", JUROR_GET),
    Route(
        "awards.jury_tie_add",
        "POST",
        lambda w: f"/awards/jury/{w.jury_cycle.id}/register",
        JUROR_POST,
        data=lambda w: {"organisation_name": "Grannföreningen", "tie_type": "funder"},
    ),
    Route(
        "awards.jury_tie_remove",
        "POST",
        lambda w: f"/awards/jury/ties/{w.jury_tie.id}/remove",
        JUROR_POST,
    ),
    Route(
        "awards.jury_declare",
        "GET",
        lambda w: f"/awards/jury/{w.jury_cycle.id}/nominations/{w.jury_open.id}/declare",
        JUROR_GET,
    ),
    Route(
        "awards.jury_declare",
        "POST",
        lambda w: f"/awards/jury/{w.jury_cycle.id}/nominations/{w.jury_open.id}/declare",
        JUROR_POST,
        data=lambda w: {"answer": "no_conflict"},
    ),
    Route(
        "awards.jury_dossier",
        "GET",
        lambda w: f"/awards/jury/{w.jury_cycle.id}/nominations/{w.jury_open.id}",
        JUROR_GET,
    ),
    Route(
        "awards.jury_dossier",
        "GET",
        lambda w: f"/awards/jury/{w.jury_cycle.id}/nominations/{w.jury_conflicted.id}",
        NOBODY,
        note="conflicted: a 404 for the juror too",
    ),
    Route(
        "awards.jury_dossier",
        "GET",
        lambda w: f"/awards/jury/{w.jury_cycle.id}/nominations/{w.jury_pending.id}",
        NOBODY,
        note="unsure, awaiting the organisers: closed",
    ),
    Route(
        "awards.jury_dossier",
        "POST",
        lambda w: f"/awards/jury/{w.jury_cycle.id}/nominations/{w.jury_open.id}",
        JUROR_POST,
        data=_score_form,
    ),
    Route(
        "awards.jury_dossier",
        "POST",
        lambda w: f"/awards/jury/{w.jury_cycle.id}/nominations/{w.jury_conflicted.id}",
        NOBODY,
        data=_score_form,
        note="conflicted",
    ),
    Route(
        "awards.jury_abstain",
        "GET",
        lambda w: f"/awards/jury/{w.jury_cycle.id}/nominations/{w.jury_open.id}/abstain",
        JUROR_GET,
    ),
    Route(
        "awards.jury_abstain",
        "GET",
        lambda w: f"/awards/jury/{w.jury_cycle.id}/nominations/{w.jury_conflicted.id}/abstain",
        NOBODY,
        note="conflicted",
    ),
    Route(
        "awards.jury_abstain",
        "POST",
        lambda w: f"/awards/jury/{w.jury_cycle.id}/nominations/{w.jury_open.id}/abstain",
        JUROR_POST,
        data=lambda w: {"reason": "I was asked to advise them last week."},
    ),
    Route(
        "awards.jury_export",
        "GET",
        lambda w: f"/awards/jury/{w.jury_cycle.id}/my-scores.csv",
        JUROR_GET,
    ),
    Route(
        "awards.jury_manage",
        "GET",
        lambda w: f"/awards/manage/cycles/{w.jury_cycle.id}/jury",
        ORGANISERS,
    ),
    Route(
        "awards.jury_appoint",
        "POST",
        lambda w: f"/awards/manage/cycles/{w.jury_cycle.id}/jury/appoint",
        ORGANISER_POSTS,
        data=lambda w: {"user_id": str(w.jury_candidate.id), "role": "reserve"},
    ),
    Route(
        "awards.jury_member_change",
        "POST",
        lambda w: f"/awards/manage/jury/{w.jury_other.id}/change",
        ORGANISER_POSTS,
        data=lambda w: {f"m{w.jury_other.id}-role": "juror", f"m{w.jury_other.id}-is_chair": "y"},
    ),
    Route(
        "awards.jury_member_remove",
        "POST",
        lambda w: f"/awards/manage/jury/{w.jury_reserve.id}/remove",
        ORGANISER_POSTS,
    ),
    Route(
        "awards.jury_member_reopen",
        "GET",
        lambda w: f"/awards/manage/jury/{w.results_member.id}/reopen",
        ADMIN_ONLY,
    ),
    Route(
        "awards.jury_member_reopen",
        "POST",
        lambda w: f"/awards/manage/jury/{w.results_member.id}/reopen",
        ADMIN_POST,
        data=lambda w: {"reason": "The juror mistyped a score."},
    ),
    Route(
        "awards.conflict_review",
        "GET",
        lambda w: f"/awards/manage/conflicts/{w.jury_review.id}",
        ORGANISERS,
    ),
    Route(
        "awards.conflict_review",
        "POST",
        lambda w: f"/awards/manage/conflicts/{w.jury_review.id}",
        ORGANISER_POSTS,
        data=lambda w: {"decision": "no_conflict"},
    ),
    Route(
        "awards.conflict_pin",
        "POST",
        lambda w: f"/awards/manage/cycles/{w.jury_cycle.id}/jury/pin",
        ORGANISER_POSTS,
        data=lambda w: {"member_id": str(w.jury_other.id), "dossier_id": str(w.jury_open.id)},
    ),
    Route(
        "awards.results_page",
        "GET",
        lambda w: f"/awards/manage/cycles/{w.results_cycle.id}/results",
        ORGANISERS,
        note="sealed: the juror is not the chair",
    ),
    Route(
        "awards.results_report",
        "GET",
        lambda w: f"/awards/manage/cycles/{w.results_cycle.id}/results/report",
        ORGANISERS,
    ),
    Route(
        "awards.results_csv",
        "GET",
        lambda w: f"/awards/manage/cycles/{w.results_cycle.id}/results.csv",
        ORGANISERS,
    ),
    Route(
        "awards.results_compute",
        "POST",
        lambda w: f"/awards/manage/cycles/{w.results_cycle.id}/results/compute",
        ORGANISER_POSTS,
    ),
    Route(
        "awards.results_tie",
        "POST",
        lambda w: f"/awards/manage/cycles/{w.results_cycle.id}/results/tie",
        ORGANISER_POSTS,
        data=lambda w: {
            "above_id": str(w.results_dossiers[1].id),
            "below_id": str(w.results_dossiers[0].id),
            "reason": "The jury voted.",
        },
    ),
    # Last: these end scoring and publish, which changes what the rows above would see.
    Route(
        "awards.scoring_close",
        "POST",
        lambda w: f"/awards/manage/cycles/{w.jury_cycle.id}/scoring/close",
        ORGANISER_POSTS,
    ),
    Route(
        "awards.results_publish",
        "POST",
        lambda w: f"/awards/manage/cycles/{w.results_cycle.id}/results/publish",
        ORGANISER_POSTS,
        data=lambda w: {"motivation": "Ett föredöme."},
    ),
]
ROUTES += JURY_ROUTES
