"""Forms for host networks, series, single occurrences, check-in and the report."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TimeField
from wtforms.validators import Optional, ValidationError

from eventapp.auth.models import EMAIL_MAX, NAME_MAX, URL_MAX
from eventapp.breakfasts.models import DURATION_MAX_MINUTES, FREQUENCY_LABELS, Frequency
from eventapp.breakfasts.reports import DEFAULT_MIN_COUNT
from eventapp.breakfasts.services import Rule
from eventapp.calendar.models import (
    ADDRESS_MAX,
    CAPACITY_MAX,
    DESCRIPTION_MAX,
    PLACE_MAX,
    REASON_MAX,
    TITLE_MAX,
)
from eventapp.forms import (
    Form,
    StrictIntegerField,
    http_url,
    line_field,
    max_length,
    municipality_choices,
    required,
    required_input,
    select_choices,
    text_field,
    valid_municipality,
)
from eventapp.regions import ORGANISATION_TYPE_LABELS
from eventapp.text import clean_line

SEARCH_MAX = 100
# Dates far outside this are typing mistakes (year 1, 9999), not plans.
YEAR_MIN, YEAR_MAX = 2000, 2100

WEEKDAY_LABELS = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)
WEEK_OF_MONTH_LABELS = (
    ("1", _l("First")),
    ("2", _l("Second")),
    ("3", _l("Third")),
    ("4", _l("Fourth")),
    ("-1", _l("Last")),
)


def sensible_year(form, field) -> None:
    if isinstance(field.data, date) and not YEAR_MIN <= field.data.year <= YEAR_MAX:
        raise ValidationError(
            _l(
                "Enter a date between the years %(first)d and %(last)d.",
                first=YEAR_MIN,
                last=YEAR_MAX,
            )
        )


def _required_date(label, **kwargs) -> DateField:
    return DateField(label, validators=[required_input(), sensible_year], **kwargs)


def _duration_field() -> StrictIntegerField:
    return StrictIntegerField(
        _l("Length in minutes"),
        default=90,
        # DataRequired, not InputRequired: spaces alone parse to None and must be refused.
        validators=[required()],
        description=_l("From 15 minutes to 8 hours."),
    )


def _check_duration(field) -> None:
    if field.data is not None and not 15 <= field.data <= DURATION_MAX_MINUTES:
        raise ValidationError(
            _l("Enter a number from %(min)d to %(max)d.", min=15, max=DURATION_MAX_MINUTES)
        )


class NetworkForm(Form):
    name = line_field(_l("Name of the network"), NAME_MAX)
    municipality = SelectField(
        _l("Municipality"),
        choices=municipality_choices(),
        default="",
        validators=[required(), valid_municipality],
    )
    website = line_field(_l("Website"), URL_MAX, optional=True, validators=[http_url])


class SeriesForm(Form):
    """A whole series, or (``start_date`` = "from") the rest of it."""

    network = SelectField(_l("Host network"), coerce=str, validators=[required()])
    title = line_field(
        _l("Title"), TITLE_MAX, description=_l("For example Business breakfast in Mora.")
    )
    description = text_field(_l("Description"), DESCRIPTION_MAX)
    place = line_field(_l("Place"), PLACE_MAX)
    address = line_field(_l("Address"), ADDRESS_MAX, optional=True)
    municipality = SelectField(
        _l("Municipality"),
        choices=municipality_choices(),
        default="",
        validators=[required(), valid_municipality],
    )
    frequency = SelectField(
        _l("How often"),
        choices=select_choices((value.value, label) for value, label in FREQUENCY_LABELS.items()),
        default=Frequency.WEEKLY.value,
    )
    weekday = SelectField(
        _l("Weekday"),
        choices=select_choices((str(index), label) for index, label in enumerate(WEEKDAY_LABELS)),
        default="1",
    )
    week_of_month = SelectField(
        _l("Which week of the month"),
        choices=select_choices(WEEK_OF_MONTH_LABELS),
        default="1",
        description=_l("Only for once a month, for example the first Tuesday."),
    )
    local_time = TimeField(
        _l("Starts at (Swedish time)"), validators=[required_input()], default=None
    )
    duration_minutes = _duration_field()
    capacity = StrictIntegerField(
        _l("Seats per breakfast"),
        validators=[Optional()],
        description=_l("Leave empty for no limit."),
    )
    is_public = BooleanField(_l("Show in the public calendar"), default=True)
    start_date = _required_date(_l("First date"))
    end_date = DateField(
        _l("Last date (optional)"),
        validators=[Optional(), sensible_year],
        description=_l("Without a last date, breakfasts are planned a year ahead at a time."),
    )

    def validate_capacity(self, field) -> None:
        if field.data is not None and not 1 <= field.data <= CAPACITY_MAX:
            raise ValidationError(_l("Enter a number from 1 to %(max)d.", max=CAPACITY_MAX))

    def validate_duration_minutes(self, field) -> None:
        _check_duration(field)

    def validate_end_date(self, field) -> None:
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The last date must be on or after the first date."))

    def rule(self) -> Rule:
        frequency = Frequency(self.frequency.data)
        return Rule(
            frequency=frequency,
            weekday=int(self.weekday.data),
            local_time=self.local_time.data,
            duration_minutes=self.duration_minutes.data,
            week_of_month=int(self.week_of_month.data) if frequency == Frequency.MONTHLY else None,
        )


class MoveForm(Form):
    day = _required_date(_l("New date"))
    local_time = TimeField(_l("Starts at (Swedish time)"), validators=[required_input()])
    duration_minutes = _duration_field()
    place = line_field(_l("Place"), PLACE_MAX)
    address = line_field(_l("Address"), ADDRESS_MAX, optional=True)

    def validate_duration_minutes(self, field) -> None:
        _check_duration(field)


class CancelForm(Form):
    reason = text_field(
        _l("Reason"),
        REASON_MAX,
        optional=False,
        description=_l("Everyone signed up gets this in an e-mail."),
    )


class ConfirmForm(Form):
    """A button that changes something: only the CSRF token."""


class EndSeriesForm(Form):
    last_date = _required_date(
        _l("Last breakfast date"),
        description=_l("Breakfasts after this date are cancelled and everyone signed up is told."),
    )


class CoordinatorForm(Form):
    email = line_field(
        _l("E-mail address of the coordinator"),
        EMAIL_MAX,
        description=_l("The person must already have an account."),
    )


class SearchForm(Form):
    class Meta:
        csrf = False

    q = StringField(
        _l("Search by name"), filters=[clean_line], validators=[Optional(), max_length(SEARCH_MAX)]
    )


class CheckInForm(Form):
    """One tap: mark present. ``q`` keeps the search after the redirect."""

    q = HiddenField(filters=[clean_line])


class GuestForm(Form):
    name = line_field(_l("Name"), NAME_MAX)
    organisation = SelectField(_l("Organisation"), coerce=str, validators=[Optional()])
    new_organisation_name = line_field(
        _l("Or a new organisation"),
        NAME_MAX,
        optional=True,
        description=_l("Leave empty if the person chose an organisation above or has none."),
    )
    new_organisation_type = SelectField(
        _l("Type of the new organisation"),
        choices=select_choices(
            [("", _l("Choose a type"))]
            + [(value.value, label) for value, label in ORGANISATION_TYPE_LABELS.items()]
        ),
        default="",
    )
    municipality = SelectField(
        _l("Municipality"),
        choices=municipality_choices(),
        default="",
        validators=[valid_municipality],
    )

    def validate_new_organisation_name(self, field) -> None:
        if field.data and self.organisation.data:
            raise ValidationError(_l("Choose an organisation or type a new one, not both."))

    def validate_new_organisation_type(self, field) -> None:
        if self.new_organisation_name.data and not field.data:
            raise ValidationError(_l("Choose the type of the new organisation."))


class ReportForm(Form):
    class Meta:
        csrf = False

    start = DateField(_l("From"), validators=[Optional(), sensible_year])
    end = DateField(_l("To"), validators=[Optional(), sensible_year])
    min_count = StrictIntegerField(
        _l("At least this many breakfasts"),
        default=DEFAULT_MIN_COUNT,
        validators=[Optional()],
        description=_l("A social entrepreneur counts as a repeat attendee from this number on."),
    )
    municipality = SelectField(
        _l("Municipality of the breakfast"),
        choices=municipality_choices(),
        default="",
        validators=[valid_municipality],
    )
    network = SelectField(_l("Host network"), coerce=str, default="")
    org_type = SelectField(
        _l("Organisation type of the participant"),
        choices=select_choices(
            [("", _l("All types"))]
            + [(value.value, label) for value, label in ORGANISATION_TYPE_LABELS.items()]
        ),
        default="",
    )

    def validate_min_count(self, field) -> None:
        if field.data is not None and not 1 <= field.data <= 100:
            raise ValidationError(_l("Enter a number from %(min)d to %(max)d.", min=1, max=100))

    def validate_end(self, field) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end of the period must be after its start."))
