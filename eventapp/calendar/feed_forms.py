"""The filter forms of the calendar page and the organisers' export (GET, no CSRF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField
from wtforms.validators import Optional

from eventapp.calendar.feed_queries import FILTER_KINDS, SLUG_FOR_KIND
from eventapp.forms import Form, municipality_choices, select_choices


def kind_choices():
    return select_choices(
        [("", _l("All kinds")), *((SLUG_FOR_KIND[kind], kind.label) for kind in FILTER_KINDS)]
    )


def all_municipality_choices():
    choices = municipality_choices(with_blank=False)
    return select_choices([("", _l("All municipalities"))]) + choices


class CalendarFilterForm(Form):
    """Kind and municipality: the filters of the public calendar page and feeds."""

    class Meta:
        csrf = False

    kind = SelectField(_l("Kind of event"), choices=kind_choices, default="")
    municipality = SelectField(_l("Municipality"), choices=all_municipality_choices, default="")


class ExportFilterForm(CalendarFilterForm):
    """The organisers' selection: dates, own events, unlisted events too."""

    start = DateField(_l("From date"), validators=[Optional()])
    end = DateField(_l("To date"), validators=[Optional()])
    mine = BooleanField(_l("Only events I organise"))
    unlisted = BooleanField(_l("Include events that are not public"))
