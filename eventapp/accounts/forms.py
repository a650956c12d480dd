"""Forms of the account administration: the list's search and one account's roles."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SelectMultipleField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from eventapp.accounts.services import GRANTABLE_ROLES, STATUS_LABELS
from eventapp.auth.models import ROLE_LABELS, Role
from eventapp.forms import Form, line_field, select_choices

SEARCH_MAX = 200


class AccountSearchForm(Form):
    """The list's search and filters; a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    q = line_field(_l("Name or e-mail address"), SEARCH_MAX, optional=True)
    role = SelectField(
        _l("Role"),
        choices=select_choices(
            [("", _l("All roles"))] + [(role.value, label) for role, label in ROLE_LABELS.items()]
        ),
        default="",
    )
    status = SelectField(
        _l("Status"),
        choices=select_choices(
            [("", _l("All but deleted"))]
            + [(status.value, label) for status, label in STATUS_LABELS.items()]
        ),
        default="",
    )


class RoleCheckboxes(SelectMultipleField):
    """The grantable roles as checkboxes; an unknown value is a field error, not a 500."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        known = {choice.value for choice in self.choices}
        if any(value not in known for value in self.data or ()):
            raise ValidationError(_l("Choose roles from the list."))


class AccountForm(Form):
    roles = RoleCheckboxes(
        _l("Roles"),
        choices=select_choices((role.value, ROLE_LABELS[role]) for role in GRANTABLE_ROLES),
        description=_l(
            "Jurors and panel members are chosen among people with these roles. An "
            "administrator can do everything an organiser can."
        ),
    )
    is_disabled = BooleanField(
        _l("Disabled: the person cannot sign in, and is signed out everywhere at once"),
    )

    @property
    def chosen_roles(self) -> list[Role]:
        return [Role(value) for value in self.roles.data or ()]
