"""The export registry: every piece of personal data the app stores, and where it lives.

"Mina uppgifter" (the person's own-data view and downloads) is built from ``SECTIONS``: one
entry per kind of data, each naming the tables and user columns it covers. Columns that
point at a person only as the author of an organiser's official action are exported by the
``staff_actions`` section. Tables that look personal but are not say why in
``NOT_PERSONAL``. ``tests/privacy/test_export_completeness.py`` walks the database schema
and fails when a table with a link to ``users.id`` (or a column named like an e-mail
address, a name or a phone number) is in neither, so a new model cannot forget the export.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from eventapp.auth.models import LoginSession, User, UserRole
from eventapp.awards.models import (
    ConflictTie,
    Declaration,
    Dossier,
    JuryMember,
    Nomination,
    Score,
    ScoreSheet,
)
from eventapp.boards.models import PanelMember, PanelNote, PitchApplication, PitchFeedback
from eventapp.calendar.feed_models import FeedToken
from eventapp.calendar.models import Event, EventInvitation, Signup
from eventapp.directory.models import DirectoryListing
from eventapp.extensions import db
from eventapp.mail import OutboxMessage
from eventapp.privacy.models import ConsentRecord

Row = dict[str, Any]


@dataclass(frozen=True)
class Section:
    """One category of personal data in the export."""

    key: str
    label: Any  # a lazy string
    # "table.column" links to users.id and "table" names this section reads.
    covers: tuple[str, ...]
    rows: Callable[[Session, User], list[Row]]


def plain(value: Any) -> Any:
    """A JSON- and CSV-friendly value: ISO dates, enum values, everything else as is."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _columns(obj: Any, names: tuple[str, ...], **extra: Any) -> Row:
    # Raw values (datetimes, enums): the page formats them for people, the files with plain().
    row = {name: getattr(obj, name) for name in names}
    row.update(extra)
    return row


# --- the sections ---------------------------------------------------------------------------


def _profile(session: Session, user: User) -> list[Row]:
    # Never the password hash: it is a secret, not information about the person.
    return [
        _columns(
            user,
            (
                "id",
                "name",
                "email",
                "locale",
                "uf_founder",
                "is_guest",
                "created_at",
                "email_confirmed_at",
                "last_login_at",
                "password_changed_at",
                "deleted_at",
            ),
            has_password=bool(user.password_hash),
        )
    ]


def _roles(session: Session, user: User) -> list[Row]:
    rows = session.scalars(select(UserRole).where(UserRole.user_id == user.id)).all()
    return [_columns(row, ("role", "granted_at")) for row in rows]


def _organisation(session: Session, user: User) -> list[Row]:
    organisation = user.organisation
    if organisation is None:
        return []
    listing = session.scalar(
        select(DirectoryListing).where(DirectoryListing.organisation_id == organisation.id)
    )
    return [
        _columns(
            organisation,
            ("id", "name", "org_number", "org_type", "municipality", "website", "year_founded"),
            marked_social_enterprise=bool(organisation.marked_social_enterprise),
            listed_in_directory=bool(listing and listing.is_listed),
            directory_mission=listing.mission if listing else "",
        )
    ]


def _directory_edits(session: Session, user: User) -> list[Row]:
    rows = session.scalars(
        select(DirectoryListing).where(DirectoryListing.updated_by_id == user.id)
    ).all()
    return [
        _columns(row, ("organisation_id", "is_listed", "mission", "updated_at")) for row in rows
    ]


def _consents(session: Session, user: User) -> list[Row]:
    rows = session.scalars(
        select(ConsentRecord)
        .where(ConsentRecord.user_id == user.id)
        .order_by(ConsentRecord.at, ConsentRecord.id)
    ).all()
    return [_columns(row, ("kind", "given", "at", "source", "organisation_id")) for row in rows]


def _login_sessions(session: Session, user: User) -> list[Row]:
    rows = session.scalars(
        select(LoginSession).where(LoginSession.user_id == user.id).order_by(LoginSession.id)
    ).all()
    # The token hash stays out: it is a credential.
    return [
        _columns(row, ("created_at", "last_seen_at", "revoked_at", "user_agent")) for row in rows
    ]


def _feed_tokens(session: Session, user: User) -> list[Row]:
    rows = session.scalars(
        select(FeedToken).where(FeedToken.user_id == user.id).order_by(FeedToken.id)
    ).all()
    # Whether a link exists, never its hash: the hash identifies a working secret link.
    return [
        _columns(
            row,
            ("purpose", "filter_query", "created_at", "revoked_at"),
            active=row.revoked_at is None,
        )
        for row in rows
    ]


def _invitations(session: Session, user: User) -> list[Row]:
    rows = session.execute(
        select(EventInvitation, Event)
        .join(Event, EventInvitation.event_id == Event.id)
        .where(EventInvitation.user_id == user.id)
        .order_by(Event.starts_at, EventInvitation.id)
    ).all()
    return [
        _columns(
            invitation,
            ("invited_at",),
            event_title=event.title,
            event_starts_at=event.starts_at,
        )
        for invitation, event in rows
    ]


def _signups(session: Session, user: User) -> list[Row]:
    rows = session.execute(
        select(Signup, Event)
        .join(Event, Signup.event_id == Event.id)
        .where(Signup.user_id == user.id)
        .order_by(Event.starts_at, Signup.id)
    ).all()
    return [
        _columns(
            signup,
            (
                "status",
                "created_at",
                "confirmed_at",
                "cancelled_at",
                "cancellation_reason",
                "attendance",
                "show_in_participant_list",
            ),
            event_title=event.title,
            event_kind=event.kind,
            event_starts_at=event.starts_at,
        )
        for signup, event in rows
    ]


def _events_organised(session: Session, user: User) -> list[Row]:
    rows = session.scalars(
        select(Event).where(Event.organiser_id == user.id).order_by(Event.starts_at)
    ).all()
    return [_columns(row, ("title", "kind", "starts_at", "place", "status")) for row in rows]


def _board_applications(session: Session, user: User) -> list[Row]:
    rows = session.scalars(
        select(PitchApplication)
        .where(PitchApplication.applicant_id == user.id)
        .order_by(PitchApplication.id)
    ).all()
    return [
        _columns(
            row,
            (
                "organisation_name",
                "idea",
                "social_impact",
                "other_wish",
                "accessibility_needs",
                "show_publicly",
                "status",
                "decline_message",
                "created_at",
                "decided_at",
                "confirmed_at",
                "withdrawn_at",
            ),
            board=row.board.event.title,
            wishes=", ".join(wish.value for wish in row.wants),
        )
        for row in rows
    ]


def _feedback_received(session: Session, user: User) -> list[Row]:
    rows = session.scalars(
        select(PitchFeedback)
        .join(PitchApplication, PitchFeedback.application_id == PitchApplication.id)
        .where(PitchApplication.applicant_id == user.id)
        .order_by(PitchFeedback.id)
    ).all()
    # Shown as the entrepreneur sees it on the site: without the panel member's name when
    # the board gives anonymous feedback.
    return [
        _columns(
            row,
            ("strengths", "advice", "offers", "follow_up_wanted", "brokered_at", "created_at"),
            board=row.application.board.event.title,
        )
        for row in rows
    ]


def _panel(session: Session, user: User) -> list[Row]:
    members = session.scalars(
        select(PanelMember).where(PanelMember.user_id == user.id).order_by(PanelMember.id)
    ).all()
    rows: list[Row] = []
    for member in members:
        notes = session.scalars(select(PanelNote).where(PanelNote.panel_member_id == member.id))
        given = session.scalars(
            select(PitchFeedback).where(PitchFeedback.panel_member_id == member.id)
        )
        rows.append(
            {
                "board": member.board.event.title,
                "notes": " | ".join(note.body for note in notes if note.body),
                "feedback_given": " | ".join(
                    f"{item.strengths} / {item.advice} / {item.offers}" for item in given
                ),
            }
        )
    return rows


def _nominations(session: Session, user: User) -> list[Row]:
    conditions = [Nomination.user_id == user.id]
    if user.email:
        conditions.append(Nomination.nominator_email == user.email)
    rows = session.scalars(select(Nomination).where(or_(*conditions)).order_by(Nomination.id)).all()
    return [
        _columns(
            row,
            (
                "entered_name",
                "entered_org_number",
                "entered_municipality",
                "entered_website",
                "entered_contact_name",
                "entered_contact_email",
                "nominator_name",
                "nominator_email",
                "relation",
                "is_self_nomination",
                "submitted_at",
                "email_confirmed_at",
                "counted_at",
            ),
            motivations=" | ".join(m.text for m in row.motivations),
        )
        for row in rows
    ]


def _nominee_contact(session: Session, user: User) -> list[Row]:
    if not user.email:
        return []
    rows = session.scalars(select(Dossier).where(Dossier.contact_email == user.email)).all()
    return [
        _columns(row, ("name", "contact_name", "contact_email", "consent_status")) for row in rows
    ]


def _jury(session: Session, user: User) -> list[Row]:
    members = session.scalars(
        select(JuryMember).where(JuryMember.user_id == user.id).order_by(JuryMember.id)
    ).all()
    rows: list[Row] = []
    for member in members:
        base = {"cycle": member.cycle.year, "role": member.role.value}
        rows.append({**base, "record": "appointment", "appointed_at": member.appointed_at})
        for tie in session.scalars(select(ConflictTie).where(ConflictTie.member_id == member.id)):
            rows.append(
                {
                    **base,
                    "record": "conflict_tie",
                    "organisation": tie.organisation_name,
                    "tie_type": tie.tie_type.value,
                }
            )
        for item in session.scalars(select(Declaration).where(Declaration.member_id == member.id)):
            rows.append(
                {
                    **base,
                    "record": "declaration",
                    "dossier_id": item.dossier_id,
                    "answer": item.answer.value,
                    "declared_at": item.declared_at,
                }
            )
        for sheet in session.scalars(select(ScoreSheet).where(ScoreSheet.member_id == member.id)):
            rows.append(
                {
                    **base,
                    "record": "score_sheet",
                    "dossier_id": sheet.dossier_id,
                    "status": sheet.status.value,
                    "abstain_reason": sheet.abstain_reason,
                }
            )
        for score in session.scalars(select(Score).where(Score.member_id == member.id)):
            rows.append(
                {
                    **base,
                    "record": "score",
                    "dossier_id": score.dossier_id,
                    "criterion": score.criterion.name,
                    "value": score.value,
                    "comment": score.comment,
                }
            )
    return rows


def _mail(session: Session, user: User) -> list[Row]:
    if not user.email:
        return []
    rows = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.to_address == user.email)
        .order_by(OutboxMessage.id)
    ).all()
    return [_columns(row, ("subject", "created_at", "sent_at", "body_text")) for row in rows]


def _breakfast_coordination(session: Session, user: User) -> list[Row]:
    # Read through the schema, not the breakfasts models: the export needs two columns.
    coordinators = db.metadata.tables["breakfast_coordinators"]
    series = db.metadata.tables["breakfast_series"]
    rows = session.execute(
        select(series.c.title, series.c.municipality)
        .join(coordinators, coordinators.c.series_id == series.c.id)
        .where(coordinators.c.user_id == user.id)
        .order_by(series.c.id)
    ).all()
    return [{"title": title, "municipality": municipality} for title, municipality in rows]


# Columns that name a person only as the organiser or admin who performed an official
# action. They are exported as "what you did, where" (table, column, row), not as content.
STAFF_ACTION_COLUMNS = (
    "signups.cancelled_by_id",
    "signups.attendance_marked_by_id",
    "lab_series.created_by_id",
    "directory_listings.marked_by_id",
    "award_cycles.created_by_id",
    "award_cycles.call_published_by_id",
    "award_cycles.results_published_by_id",
    "award_dossiers.screened_by_id",
    "award_dossiers.ineligible_proposed_by_id",
    "award_dossiers.ineligible_confirmed_by_id",
    "award_jury_members.appointed_by_id",
    "award_results.computed_by_id",
    "award_results.published_by_id",
    "award_conflict_reviews.decided_by_id",
    "award_screening_decisions.decided_by_id",
    "award_tie_decisions.recorded_by_id",
    "award_motivations.redacted_by_id",
    "board_pitch_feedback.brokered_by_id",
    "breakfast_series.created_by_id",
)


def _staff_actions(session: Session, user: User) -> list[Row]:
    rows: list[Row] = []
    for dotted in STAFF_ACTION_COLUMNS:
        table_name, column_name = dotted.split(".")
        table = db.metadata.tables[table_name]
        ids = session.scalars(
            select(table.c.id).where(table.c[column_name] == user.id).order_by(table.c.id)
        ).all()
        rows.extend({"table": table_name, "column": column_name, "row_id": i} for i in ids)
    return rows


SECTIONS: tuple[Section, ...] = (
    Section("profile", _l("Profile"), ("users",), _profile),
    Section("roles", _l("Roles"), ("user_roles", "user_roles.user_id"), _roles),
    Section("organisation", _l("Organisation"), ("organisations",), _organisation),
    Section(
        "directory_edits",
        _l("Directory entries you changed"),
        ("directory_listings", "directory_listings.updated_by_id"),
        _directory_edits,
    ),
    Section(
        "consents",
        _l("Consents and their history"),
        ("consent_records", "consent_records.user_id"),
        _consents,
    ),
    Section(
        "login_sessions",
        _l("Sign-ins (time and browser)"),
        ("login_sessions", "login_sessions.user_id"),
        _login_sessions,
    ),
    Section(
        "feed_tokens",
        _l("Calendar feed links (whether they exist)"),
        ("feed_tokens", "feed_tokens.user_id"),
        _feed_tokens,
    ),
    Section("signups", _l("Sign-ups and attendance"), ("signups", "signups.user_id"), _signups),
    Section(
        "invitations",
        _l("Invitations to events we e-mailed you"),
        ("event_invitations", "event_invitations.user_id"),
        _invitations,
    ),
    Section(
        "events_organised",
        _l("Events you organise"),
        ("events", "events.organiser_id"),
        _events_organised,
    ),
    Section(
        "board_applications",
        _l("Applications to business boards"),
        ("board_pitch_applications", "board_pitch_applications.applicant_id"),
        _board_applications,
    ),
    Section(
        "feedback_received",
        _l("Pitch feedback you received"),
        ("board_pitch_feedback",),
        _feedback_received,
    ),
    Section(
        "panel",
        _l("Business board panels you sat on"),
        ("board_panel_members", "board_panel_members.user_id", "board_panel_notes"),
        _panel,
    ),
    Section(
        "nominations",
        _l("Award nominations you made"),
        ("award_nominations", "award_nominations.user_id", "award_motivations"),
        _nominations,
    ),
    Section(
        "nominee_contact",
        _l("Nominated enterprises where you are the contact person"),
        ("award_dossiers",),
        _nominee_contact,
    ),
    Section(
        "jury",
        _l("Award jury: appointments, declarations and scores you gave"),
        (
            "award_jury_members",
            "award_jury_members.user_id",
            "award_conflict_ties",
            "award_declarations",
            "award_score_sheets",
            "award_scores",
        ),
        _jury,
    ),
    Section(
        "breakfast_coordination",
        _l("Breakfast series you coordinate"),
        ("breakfast_coordinators", "breakfast_coordinators.user_id"),
        _breakfast_coordination,
    ),
    Section("mail", _l("E-mails to you"), ("outbox_messages",), _mail),
    Section(
        "staff_actions",
        _l("Actions recorded in your name as organiser"),
        STAFF_ACTION_COLUMNS,
        _staff_actions,
    ),
)

# Tables (or "table.column") that look personal to the completeness test but are not,
# each with the reason.
NOT_PERSONAL: dict[str, str] = {
    "lab_series.default_address": "a venue's street address, not a person's",
    "breakfast_series.address": "a venue's street address, not a person's",
    "breakfast_networks.name": "the name of a host network (an organisation), not a person's",
    "award_criteria": "the 'name' column is a scoring criterion's name, not a person's",
    "award_audit_log": (
        "actor_id has no foreign key by design and 'changes' holds field names and ids only "
        "(see AuditEntry); the log outlives accounts as the award's accountability record"
    ),
    "award_score_versions": (
        "append-only history of score sheets; the juror's scores are exported through "
        "award_scores and the sheet, and saved_by_id is a plain id without a foreign key"
    ),
}


def covered() -> set[str]:
    """Every "table" and "table.column" some section exports."""
    return {item for section in SECTIONS for item in section.covers}


def export_for(session: Session, user: User) -> dict[str, dict[str, Any]]:
    """Everything stored about ``user``, section by section."""
    return {
        section.key: {"label": str(section.label), "rows": section.rows(session, user)}
        for section in SECTIONS
    }
