"""Field filters and validators that every area's forms share."""

from __future__ import annotations

import math
import re
from functools import cache
from urllib.parse import urlsplit

from babel import support
from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import messages_path
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from eventapp.regions import (
    MUNICIPALITY_CHOICES,
    format_organisation_number,
    is_valid_organisation_number,
    municipality_label,
)
from eventapp.text import clean_line, clean_text

_ASCII_INTEGER = re.compile(r"-?[0-9]{1,9}")
_ORGANISATION_NUMBER = re.compile(r"[0-9]{6}-?[0-9]{4}")


class Form(FlaskForm):
    """Base form; exists so project-wide form behaviour has one place to live."""

    class Meta:
        def get_translations(self, form):
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return _wtforms_translations(str(get_locale()))


@cache
def _wtforms_translations(locale: str) -> support.Translations:
    """WTForms' own messages in ``locale``, read once per process.

    Flask-WTF reads and parses this catalogue from disk on every request that builds a
    form, and every page builds one (the language switch in the header); it never changes
    while the process runs.
    """
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


def required(message=None) -> DataRequired:
    """Required after cleaning, so spaces, tabs or a non-breaking space count as empty."""
    return DataRequired(message=message or _l("This field is required."))


def required_input(message=None) -> InputRequired:
    """Required for parsed fields (dates, times): keeps the parser's own error message.

    DataRequired would replace "Not a valid date value" with "required" for 30 February.
    """
    return InputRequired(message=message or _l("This field is required."))


def max_length(limit: int) -> Length:
    return Length(max=limit, message=_l("At most %(max)d characters.", max=limit))


def line_field(
    label, limit: int, *, optional: bool = False, validators=(), **kwargs
) -> StringField:
    """A one-line text field: cleaned, required unless ``optional``, length-limited."""
    validators = [Optional() if optional else required(), max_length(limit), *validators]
    return StringField(label, filters=[clean_line], validators=validators, **kwargs)


def text_field(
    label, limit: int, *, optional: bool = True, validators=(), **kwargs
) -> TextAreaField:
    validators = [Optional() if optional else required(), max_length(limit), *validators]
    return TextAreaField(label, filters=[clean_text], validators=validators, **kwargs)


class StrictIntegerField(IntegerField):
    """An integer of ASCII digits only: no '3.5', '3,5', '1e309', 'NaN' or full-width digits."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        raw = valuelist[0].strip()
        if raw == "":
            self.data = None
            return
        if not _ASCII_INTEGER.fullmatch(raw):
            self.data = None
            raise ValueError(_l("Enter a whole number using the digits 0-9."))
        self.data = int(raw)


def http_url(form, field) -> None:
    """Accept only http(s) addresses with a host; 'javascript:' and friends are refused."""
    if not field.data:
        return
    value = field.data.strip()
    if "://" not in value and not value.lower().startswith(("http:", "https:")):
        value = f"https://{value}"
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in value:
        raise ValidationError(_l("Enter a web address that starts with http:// or https://."))
    if "." not in parts.hostname and parts.hostname != "localhost":
        raise ValidationError(_l("Enter a web address that starts with http:// or https://."))
    field.data = value


def organisation_number(form, field) -> None:
    if not field.data:
        return
    compact = field.data.replace(" ", "")
    # NNNNNN-NNNN or ten digits; a dash elsewhere is a typo, not a format.
    if not _ORGANISATION_NUMBER.fullmatch(compact) or not is_valid_organisation_number(compact):
        raise ValidationError(
            _l("Enter a Swedish organisation number as NNNNNN-NNNN (check the last digit).")
        )
    field.data = format_organisation_number(field.data.replace(" ", ""))


def select_choices(pairs) -> list[SelectChoice]:
    """WTForms 3.3 wants SelectChoice objects rather than (value, label) tuples."""
    return [SelectChoice(value, label) for value, label in pairs]


def municipality_choices(with_blank: bool = True) -> list[SelectChoice]:
    pairs = [(value, municipality_label(value)) for value in MUNICIPALITY_CHOICES]
    if with_blank:
        pairs.insert(0, ("", _l("Choose a municipality")))
    return select_choices(pairs)


def valid_municipality(form, field) -> None:
    if field.data and field.data not in MUNICIPALITY_CHOICES:
        raise ValidationError(_l("Choose a municipality from the list."))


def finite(form, field) -> None:
    if field.data is not None and isinstance(field.data, float) and not math.isfinite(field.data):
        raise ValidationError(_l("Enter a number."))
