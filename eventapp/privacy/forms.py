"""Forms for consents and deleting an account."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, PasswordField
from wtforms.validators import AnyOf, Length

from eventapp.auth.forms import PASSWORD_MAX
from eventapp.forms import Form, required
from eventapp.privacy.models import ConsentKind


class ConsentForm(Form):
    """One button: give or withdraw one consent (what the button says is in ``given``)."""

    kind = HiddenField(
        validators=[
            AnyOf(
                [ConsentKind.PARTICIPANT_LIST.value, ConsentKind.INVITATIONS.value],
                message=_l("Unknown consent."),
            )
        ]
    )
    given = HiddenField(validators=[AnyOf(["1", "0"], message=_l("Unknown choice."))])


class DeleteAccountForm(Form):
    password = PasswordField(
        _l("Your password"),
        validators=[required(), Length(max=PASSWORD_MAX)],
        render_kw={"autocomplete": "current-password"},
        description=_l("Type your password again to show that it is you."),
    )
    understood = BooleanField(
        _l("I understand that my account and personal data are deleted and cannot be restored"),
        validators=[required(_l("Tick the box to confirm."))],
    )


class AdminDeleteAccountForm(Form):
    understood = BooleanField(
        _l("I have checked that this person's account is to be deleted"),
        validators=[required(_l("Tick the box to confirm."))],
    )
