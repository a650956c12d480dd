"""How "Mina uppgifter" shows the export to people: field names in words, values formatted.

The downloads keep the technical field names (stable for machines); the page shows these.
A field without a label here is shown by its technical name.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from eventapp.i18n import format_date, format_datetime

FIELD_LABELS = {
    "id": _l("Number"),
    "name": _l("Name"),
    "email": _l("E-mail address"),
    "locale": _l("Language"),
    "uf_founder": _l("UF founder"),
    "is_guest": _l("Guest without an account"),
    "has_password": _l("Has a password"),
    "created_at": _l("Created"),
    "updated_at": _l("Changed"),
    "email_confirmed_at": _l("E-mail address confirmed"),
    "last_login_at": _l("Last sign-in"),
    "password_changed_at": _l("Password changed"),
    "deleted_at": _l("Deleted"),
    "role": _l("Role"),
    "granted_at": _l("Given"),
    "org_number": _l("Organisation number"),
    "org_type": _l("Type of organisation"),
    "municipality": _l("Municipality"),
    "website": _l("Website"),
    "year_founded": _l("Year founded"),
    "marked_social_enterprise": _l("Marked as a social enterprise"),
    "listed_in_directory": _l("In the directory"),
    "directory_mission": _l("Social mission in the directory"),
    "mission": _l("Social mission"),
    "is_listed": _l("In the directory"),
    "organisation_id": _l("Organisation number in the system"),
    "kind": _l("Kind"),
    "given": _l("Consent given"),
    "at": _l("When"),
    "source": _l("Where"),
    "last_seen_at": _l("Last used"),
    "revoked_at": _l("Ended"),
    "user_agent": _l("Browser"),
    "purpose": _l("Purpose"),
    "filter_query": _l("Selection"),
    "active": _l("Works now"),
    "status": _l("Status"),
    "confirmed_at": _l("Confirmed"),
    "cancelled_at": _l("Cancelled on"),
    "cancellation_reason": _l("Reason given for cancelling"),
    "attendance": _l("Attendance"),
    "show_in_participant_list": _l("Name shown to other participants"),
    "event_title": _l("Event"),
    "event_kind": _l("Kind of event"),
    "event_starts_at": _l("Starts"),
    "title": _l("Title"),
    "starts_at": _l("Starts"),
    "place": _l("Place"),
    "organisation_name": _l("Organisation"),
    "idea": _l("Idea"),
    "social_impact": _l("Social impact"),
    "other_wish": _l("Other wish"),
    "wishes": _l("Wishes"),
    "accessibility_needs": _l("Accessibility needs"),
    "show_publicly": _l("Shown in the public running order"),
    "decline_message": _l("Message with the decision"),
    "decided_at": _l("Decided on"),
    "withdrawn_at": _l("Withdrawn"),
    "board": _l("Business board"),
    "strengths": _l("Strengths"),
    "advice": _l("Advice"),
    "offers": _l("Offers and contacts"),
    "follow_up_wanted": _l("Follow-up wanted"),
    "brokered_at": _l("Follow-up arranged"),
    "notes": _l("Your notes"),
    "feedback_given": _l("Feedback you gave"),
    "entered_name": _l("Nominated enterprise"),
    "entered_org_number": _l("Its organisation number"),
    "entered_municipality": _l("Its municipality"),
    "entered_website": _l("Its website"),
    "entered_contact_name": _l("Its contact person"),
    "entered_contact_email": _l("The contact person's e-mail address"),
    "nominator_name": _l("Your name as nominator"),
    "nominator_email": _l("Your e-mail address as nominator"),
    "relation": _l("Your relation to the enterprise"),
    "is_self_nomination": _l("Self-nomination"),
    "submitted_at": _l("Sent"),
    "counted_at": _l("Counted"),
    "motivations": _l("Motivations"),
    "contact_name": _l("Contact person"),
    "contact_email": _l("Contact person's e-mail address"),
    "consent_status": _l("The enterprise's answer"),
    "cycle": _l("Award year"),
    "record": _l("Record"),
    "appointed_at": _l("Appointed"),
    "organisation": _l("Organisation"),
    "tie_type": _l("Kind of tie"),
    "dossier_id": _l("Nomination number"),
    "answer": _l("Answer"),
    "declared_at": _l("Declared"),
    "abstain_reason": _l("Reason for abstaining"),
    "criterion": _l("Criterion"),
    "value": _l("Score"),
    "comment": _l("Comment"),
    "subject": _l("Subject"),
    "sent_at": _l("Sent"),
    "body_text": _l("Text"),
    "table": _l("Table"),
    "column": _l("Column"),
    "row_id": _l("Row"),
}


def field_label(key: str) -> str:
    label = FIELD_LABELS.get(key)
    return str(label) if label is not None else key


def display_value(value: Any) -> str:
    """A stored value as people read it: local times, yes/no, labels of fixed choices."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Enum):
        label = getattr(value, "label", None)
        return str(label) if label is not None else str(value.value)
    return str(value)
