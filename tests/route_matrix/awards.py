"""Route x role matrix for the award (part 1): only organisers see dossiers and cycles.

Links sent by mail (nominator status, nominee consent) work for whoever holds them; they
carry a signed token and show only that one nomination or dossier.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from eventapp.auth.services import Tokens
from eventapp.awards import services
from tests.awards.helpers import form_data, make_cycle, nominate_counted, today
from tests.factories import make_user
from tests.route_matrix import Route, World

ORGANISERS = {"organiser": 200, "admin": 200, "anonymous": 302, "default": 403}
ORGANISER_POSTS = {"organiser": 302, "admin": 302, "anonymous": 302, "default": 403}
EVERYONE = {"default": 200}


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
