"""Forms for accounts: register, sign in, passwords and the profile."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField
from wtforms.validators import EqualTo, Length, Optional, ValidationError

from eventapp.auth.models import EMAIL_MAX, NAME_MAX, URL_MAX
from eventapp.auth.services import AccountError, normalise_email
from eventapp.forms import (
    Form,
    StrictIntegerField,
    http_url,
    line_field,
    max_length,
    municipality_choices,
    organisation_number,
    required,
    select_choices,
    valid_municipality,
)
from eventapp.regions import ORGANISATION_TYPE_LABELS, OrganisationType
from eventapp.text import clean_line

PASSWORD_MAX = 200
LANGUAGE_CHOICES = [("sv", "Svenska"), ("en", "English")]


def valid_email(form, field) -> None:
    if not field.data:
        return
    try:
        field.data = normalise_email(field.data)
    except AccountError as error:
        raise ValidationError(error.message) from error


def strong_password(form, field) -> None:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if field.data and len(field.data) < minimum:
        raise ValidationError(_l("Use at least %(min)d characters.", min=minimum))
    email = getattr(form, "email", None)
    if email is not None and email.data and field.data and field.data.lower() == email.data.lower():
        raise ValidationError(_l("Your password must not be your e-mail address."))


def email_field(label=None) -> EmailField:
    return EmailField(
        label or _l("E-mail address"),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[required(), max_length(EMAIL_MAX), valid_email],
        render_kw={"autocomplete": "email"},
    )


def new_password_field(label=None) -> PasswordField:
    return PasswordField(
        label or _l("Password"),
        validators=[required(), Length(max=PASSWORD_MAX), strong_password],
        render_kw={"autocomplete": "new-password"},
        description=_l("At least 10 characters. A short sentence is easy to remember."),
    )


def confirm_password_field() -> PasswordField:
    return PasswordField(
        _l("Repeat the password"),
        validators=[required(), EqualTo("password", message=_l("The passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )


class RegisterForm(Form):
    name = line_field(_l("Your name"), NAME_MAX, render_kw={"autocomplete": "name"})
    email = email_field()
    password = new_password_field()
    password_confirm = confirm_password_field()


class LoginForm(Form):
    # Not validated as an address here: a malformed one gets the same answer as a wrong one.
    email = EmailField(
        _l("E-mail address"),
        filters=[clean_line],
        validators=[required(), max_length(EMAIL_MAX)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[required(), Length(max=PASSWORD_MAX)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class ResendConfirmationForm(Form):
    email = email_field()


class ResetRequestForm(Form):
    email = email_field()


class ResetPasswordForm(Form):
    password = new_password_field(_l("New password"))
    password_confirm = confirm_password_field()


class ChangePasswordForm(Form):
    current_password = PasswordField(
        _l("Current password"),
        validators=[required(), Length(max=PASSWORD_MAX)],
        render_kw={"autocomplete": "current-password"},
    )
    password = new_password_field(_l("New password"))
    password_confirm = confirm_password_field()


class ProfileForm(Form):
    name = line_field(_l("Your name"), NAME_MAX, render_kw={"autocomplete": "name"})
    locale = SelectField(
        _l("Language"), choices=select_choices(LANGUAGE_CHOICES), validators=[required()]
    )
    organisation_name = line_field(
        _l("Organisation"),
        NAME_MAX,
        optional=True,
        description=_l("Leave empty if you do not belong to an organisation."),
        render_kw={"autocomplete": "organization"},
    )
    org_number = line_field(
        _l("Organisation number"),
        11,
        optional=True,
        description=_l("Optional. Format NNNNNN-NNNN."),
        validators=[organisation_number],
    )
    org_type = SelectField(
        _l("Type of organisation"),
        choices=select_choices(
            (member.value, label) for member, label in ORGANISATION_TYPE_LABELS.items()
        ),
        default=OrganisationType.OTHER.value,
    )
    municipality = SelectField(
        _l("Municipality"),
        choices=municipality_choices(),
        default="",
        validators=[valid_municipality],
    )
    website = line_field(_l("Website"), URL_MAX, optional=True, validators=[http_url])
    year_founded = StrictIntegerField(_l("Year founded"), validators=[Optional()])
    # The region's lab goal counts current and former UF-company founders.
    uf_founder = BooleanField(_l("I run or have run a UF company"))

    def validate_year_founded(self, field) -> None:
        if field.data is not None and not 1800 <= field.data <= 2100:
            raise ValidationError(_l("Enter a year between 1800 and 2100."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Checked here, not in validate_organisation_name: the field's Optional() validator
        # stops the chain when it is empty, and the other details would be silently dropped.
        others = (self.org_number.data, self.website.data)
        if not self.organisation_name.data and any(clean_line(value or "") for value in others):
            self.organisation_name.errors.append(
                _l("Enter the organisation's name, or empty the other fields.")
            )
            return False
        return valid
