"""Forms for lab series and sessions; a session form is the calendar's event form plus the
sign-up window, with the kind fixed to lab."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, TimeField
from wtforms.validators import Optional, ValidationError

from eventapp.calendar.forms import EventForm
from eventapp.calendar.models import (
    ADDRESS_MAX,
    CAPACITY_MAX,
    DESCRIPTION_MAX,
    PLACE_MAX,
    REASON_MAX,
    TITLE_MAX,
    EventKind,
)
from eventapp.calendar.services import EventDetails, SignupWindow
from eventapp.forms import (
    Form,
    StrictIntegerField,
    line_field,
    municipality_choices,
    text_field,
    valid_municipality,
)
from eventapp.labs.models import FACILITATOR_MAX, TARGET_GROUP_MAX
from eventapp.labs.services import SeriesDetails


class SeriesForm(Form):
    title = line_field(_l("Theme"), TITLE_MAX, description=_l("For example Design thinking."))
    description = text_field(_l("Description"), DESCRIPTION_MAX)
    target_group = line_field(
        _l("Target group"),
        TARGET_GROUP_MAX,
        optional=True,
        description=_l("For example social entrepreneurs and former UF-company founders."),
    )
    facilitator = line_field(_l("Facilitator"), FACILITATOR_MAX, optional=True)
    default_capacity = StrictIntegerField(
        _l("Seats per session"),
        validators=[Optional()],
        description=_l("New sessions start with this number. Leave empty for no limit."),
    )
    default_place = line_field(_l("Usual place"), PLACE_MAX, optional=True)
    default_address = line_field(_l("Usual address"), ADDRESS_MAX, optional=True)
    municipality = SelectField(
        _l("Municipality"),
        choices=municipality_choices(),
        default="",
        validators=[valid_municipality],
    )

    def validate_default_capacity(self, field) -> None:
        if field.data is not None and not 1 <= field.data <= CAPACITY_MAX:
            raise ValidationError(_l("Enter a number from 1 to %(max)d.", max=CAPACITY_MAX))

    def details(self) -> SeriesDetails:
        return SeriesDetails(
            title=self.title.data,
            description=self.description.data or "",
            target_group=self.target_group.data or "",
            facilitator=self.facilitator.data or "",
            default_capacity=self.default_capacity.data,
            default_place=self.default_place.data or "",
            default_address=self.default_address.data or "",
            municipality=self.municipality.data or None,
        )


def _optional_date(label):
    return DateField(label, validators=[Optional()])


def _optional_time(label):
    return TimeField(label, validators=[Optional()])


class SessionForm(EventForm):
    """The calendar's event form without the kind (always lab) and with the sign-up window."""

    kind = None
    opens_date = _optional_date(_l("Sign-up opens (date)"))
    opens_time = _optional_time(_l("Sign-up opens (time)"))
    closes_date = _optional_date(_l("Sign-up deadline (date)"))
    closes_time = _optional_time(_l("Sign-up deadline (time)"))
    cancel_date = _optional_date(_l("Cancellation deadline (date)"))
    cancel_time = _optional_time(_l("Cancellation deadline (time)"))

    _WINDOW = (
        ("opens_date", "opens_time"),
        ("closes_date", "closes_time"),
        ("cancel_date", "cancel_time"),
    )

    def _window_moment(self, day_name: str, time_name: str) -> tuple[bool, datetime | None]:
        day, clock = self[day_name], self[time_name]
        if day.data is None and clock.data is None:
            return True, None
        if day.data is None or clock.data is None:
            (day if day.data is None else clock).errors.append(
                _l("Give both a date and a time, or neither.")
            )
            return False, None
        moment = self._local(day, clock)
        return moment is not None, moment

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        moments = []
        for day_name, time_name in self._WINDOW:
            ok, moment = self._window_moment(day_name, time_name)
            valid = valid and ok
            moments.append(moment)
        self.window = SignupWindow(*moments)
        return valid

    def details(self) -> EventDetails:
        return EventDetails(
            kind=EventKind.LAB,
            title=self.title.data,
            description=self.description.data or "",
            place=self.place.data,
            address=self.address.data or "",
            municipality=self.municipality.data or None,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            capacity=self.capacity.data,
            is_public=bool(self.is_public.data),
            signup_window=self.window,
        )


class CancelForm(Form):
    reason = text_field(
        _l("Reason for cancelling"),
        REASON_MAX,
        optional=False,
        description=_l("Everyone who signed up will see this."),
    )


class ActionForm(Form):
    """A button that only needs the CSRF token."""
