"""The period picker of the goals dashboard (a GET form: it changes nothing)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms.validators import Optional, ValidationError

from eventapp.forms import Form, StrictIntegerField
from eventapp.goals.indicators import DEFAULT_YEARS, FIRST_YEAR, LAST_YEAR, YEAR_SPAN_MAX, Period


def _year_in_range(form, field) -> None:
    if field.data is not None and not FIRST_YEAR <= field.data <= LAST_YEAR:
        raise ValidationError(
            _l("Enter a year between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)
        )


class PeriodForm(Form):
    class Meta:
        # Reading figures changes nothing, and the address must be shareable.
        csrf = False

    from_year = StrictIntegerField(
        _l("From year"), validators=[Optional(), _year_in_range], render_kw={"inputmode": "numeric"}
    )
    to_year = StrictIntegerField(
        _l("To year"),
        validators=[Optional(), _year_in_range],
        description=_l("Up to %(max)d years at a time.", max=YEAR_SPAN_MAX),
        render_kw={"inputmode": "numeric"},
    )

    def validate_to_year(self, field) -> None:
        first, last = self.from_year.data, field.data
        if first is None or last is None or self.from_year.errors:
            return
        if last < first:
            raise ValidationError(_l("The last year cannot be before the first year."))
        if last - first + 1 > YEAR_SPAN_MAX:
            raise ValidationError(_l("Choose at most %(max)d years at a time.", max=YEAR_SPAN_MAX))

    def period(self, today: date) -> Period:
        """The chosen period; an empty field takes its value from the default period."""
        last = self.to_year.data
        first = self.from_year.data
        if last is None:
            last = max(today.year, first) if first is not None else today.year
            last = min(last, (first or last) + YEAR_SPAN_MAX - 1, LAST_YEAR)
        if first is None:
            first = max(last - DEFAULT_YEARS + 1, FIRST_YEAR)
        return Period(first, last)
