"""The organiser's event form: local date and time in, aware UTC datetimes out."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, TimeField
from wtforms.validators import Optional, ValidationError

from eventapp.calendar.models import (
    ADDRESS_MAX,
    CAPACITY_MAX,
    DESCRIPTION_MAX,
    EVENT_KIND_LABELS,
    PLACE_MAX,
    REASON_MAX,
    TITLE_MAX,
    EventKind,
)
from eventapp.calendar.services import EventDetails
from eventapp.forms import (
    Form,
    StrictIntegerField,
    line_field,
    municipality_choices,
    required,
    required_input,
    select_choices,
    text_field,
    valid_municipality,
)
from eventapp.i18n import LocalTimeError, combine_local

# Far enough ahead for any real plan; keeps year-9999 typos out.
MAX_YEARS_AHEAD = 5


class EventForm(Form):
    kind = SelectField(
        _l("Kind of event"),
        choices=select_choices((kind.value, label) for kind, label in EVENT_KIND_LABELS.items()),
        validators=[required()],
    )
    title = line_field(_l("Title"), TITLE_MAX)
    description = text_field(_l("Description"), DESCRIPTION_MAX)
    place = line_field(_l("Place"), PLACE_MAX, description=_l("For example the venue or room."))
    address = line_field(_l("Address"), ADDRESS_MAX, optional=True)
    municipality = SelectField(
        _l("Municipality"),
        choices=municipality_choices(),
        default="",
        validators=[valid_municipality],
    )
    start_date = DateField(_l("Start date"), validators=[required_input()])
    start_time = TimeField(_l("Start time"), validators=[required_input()])
    end_date = DateField(_l("End date"), validators=[required_input()])
    end_time = TimeField(_l("End time"), validators=[required_input()])
    capacity = StrictIntegerField(
        _l("Number of seats"),
        validators=[Optional()],
        description=_l("Leave empty if there is no limit."),
    )
    is_public = BooleanField(_l("Show in the public calendar"), default=True)

    def validate_capacity(self, field) -> None:
        if field.data is not None and not 1 <= field.data <= CAPACITY_MAX:
            raise ValidationError(_l("Enter a number from 1 to %(max)d.", max=CAPACITY_MAX))

    def _local(self, day_field, time_field) -> datetime | None:
        if day_field.data is None or time_field.data is None:
            return None
        try:
            return combine_local(day_field.data, time_field.data)
        except LocalTimeError as error:
            if error.kind == "gap":
                message = _l(
                    "This time does not exist in Sweden: the clocks go forward from 02:00 "
                    "to 03:00 that night. Choose another time."
                )
            else:
                message = _l(
                    "This time happens twice in Sweden: the clocks go back from 03:00 to "
                    "02:00 that night. Choose another time."
                )
            time_field.errors.append(message)
            return None

    def _check_year(self, field) -> None:
        if field.data is not None:
            limit = date.today() + timedelta(days=366 * MAX_YEARS_AHEAD)
            if field.data.year < 2000 or field.data > limit:
                raise ValidationError(_l("Enter a date within the next five years."))

    def validate_start_date(self, field) -> None:
        self._check_year(field)

    def validate_end_date(self, field) -> None:
        self._check_year(field)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        starts_at = self._local(self.start_date, self.start_time)
        ends_at = self._local(self.end_date, self.end_time)
        if starts_at is None or ends_at is None:
            return False
        if ends_at <= starts_at:
            self.end_time.errors.append(_l("The event must end after it starts."))
            return False
        self.starts_at, self.ends_at = starts_at, ends_at
        return valid

    def details(self) -> EventDetails:
        return EventDetails(
            kind=EventKind(self.kind.data),
            title=self.title.data,
            description=self.description.data or "",
            place=self.place.data,
            address=self.address.data or "",
            municipality=self.municipality.data or None,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            capacity=self.capacity.data,
            is_public=bool(self.is_public.data),
        )


class CancelEventForm(Form):
    reason = text_field(
        _l("Reason for cancelling"),
        REASON_MAX,
        optional=False,
        description=_l("Everyone who signed up will see this."),
    )
