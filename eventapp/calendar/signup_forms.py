"""Forms of the sign-up pages: sign up, cancel, an organiser's cancellation, attendance."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import Optional

from eventapp.calendar.models import ATTENDANCE_LABELS, REASON_MAX, Attendance
from eventapp.forms import Form, max_length, select_choices, text_field
from eventapp.text import clean_line

SEARCH_MAX = 100


class SignupForm(Form):
    show_in_participant_list = BooleanField(
        _l("Show my name to the other participants"), default=False
    )
    next = HiddenField()


class CancelSignupForm(Form):
    next = HiddenField()


class OrganiserCancelSignupForm(Form):
    reason = text_field(
        _l("Reason"),
        REASON_MAX,
        optional=False,
        description=_l("The participant sees this in the e-mail about the cancellation."),
    )


class AttendanceForm(Form):
    attendance = SelectField(
        _l("Attendance"),
        choices=select_choices((value.value, label) for value, label in ATTENDANCE_LABELS.items()),
    )
    q = HiddenField(filters=[clean_line])


class AttendanceSearchForm(Form):
    class Meta:
        csrf = False

    q = StringField(
        _l("Search by name"), filters=[clean_line], validators=[Optional(), max_length(SEARCH_MAX)]
    )


def attendance_value(form: AttendanceForm) -> Attendance:
    return Attendance(form.attendance.data)
