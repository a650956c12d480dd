"""WTForms' own messages follow the page's language (the catalogue is cached per process
and per language in eventapp/forms.py, instead of Flask-WTF reading it on every request)."""

from __future__ import annotations

from flask_babel import force_locale
from wtforms import SelectField

from eventapp.forms import Form, select_choices


class ChoiceForm(Form):
    class Meta:
        csrf = False

    colour = SelectField(choices=select_choices([("red", "Red")]))


def _error(app, locale: str) -> str:
    with app.test_request_context(method="POST", data={"colour": "blue"}), force_locale(locale):
        form = ChoiceForm()
        assert not form.validate()
        return form.colour.errors[0]


def test_wtforms_messages_in_each_language_of_the_request(app):
    # Swedish, then English, then Swedish again: one cached catalogue per language.
    assert _error(app, "sv") == "Inte ett giltigt val"
    assert _error(app, "en") == "Not a valid choice."
    assert _error(app, "sv") == "Inte ett giltigt val"


def test_the_setting_still_turns_them_off(app):
    app.config["WTF_I18N_ENABLED"] = False
    assert _error(app, "sv") == "Not a valid choice."
