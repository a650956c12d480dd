"""Forms of the directory: the public filters, a member's listing, an organiser's mark."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField
from wtforms.validators import AnyOf, ValidationError

from eventapp.directory.models import MISSION_MAX
from eventapp.forms import Form, select_choices, text_field
from eventapp.regions import MUNICIPALITY_CHOICES, ORGANISATION_TYPE_LABELS, municipality_label


class DirectoryFilterForm(Form):
    """Filters of the list pages; a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    municipality = SelectField(
        _l("Municipality"),
        choices=select_choices(
            [("", _l("All municipalities"))]
            + [(value, municipality_label(value)) for value in MUNICIPALITY_CHOICES]
        ),
        default="",
    )
    org_type = SelectField(
        _l("Type of organisation"),
        choices=select_choices(
            [("", _l("All types"))]
            + [(member.value, label) for member, label in ORGANISATION_TYPE_LABELS.items()]
        ),
        default="",
    )


class ListingForm(Form):
    mission = text_field(
        _l("Your organisation's social mission"),
        MISSION_MAX,
        optional=False,
        description=_l("A few sentences: what social good does your organisation do, for whom?"),
    )
    consent = BooleanField(
        _l("Yes, show my organisation in the public directory"),
    )

    def validate_consent(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Tick the box to list your organisation."))


class ActionForm(Form):
    """A button without fields (withdraw); the CSRF token is all it carries."""


class MarkForm(Form):
    marked = HiddenField(validators=[AnyOf(["1", "0"], message=_l("Unknown choice."))])
