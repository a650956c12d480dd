"""Board forms: the organiser's session form, panel members, the application, decisions,
panel notes and feedback."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, RadioField, SelectField, SelectMultipleField, TimeField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from eventapp.auth.forms import email_field
from eventapp.auth.models import NAME_MAX
from eventapp.boards.models import (
    ACCESSIBILITY_MAX,
    DECLINE_MESSAGE_MAX,
    FEEDBACK_MAX,
    FEEDBACK_MODE_LABELS,
    GUEST_TITLE_MAX,
    IDEA_MAX,
    IMPACT_MAX,
    NOTE_MAX,
    ORGANISATION_MAX,
    OTHER_WISH_MAX,
    PANEL_HELP_MAX,
    PANEL_WISH_LABELS,
    SLOT_COUNT_MAX,
    SLOT_MINUTES_MAX,
    SLOT_MINUTES_MIN,
    FeedbackMode,
    PanelWish,
)
from eventapp.boards.services import ApplicationData, BoardDetails, FeedbackData
from eventapp.calendar.forms import EventForm
from eventapp.calendar.models import EventKind
from eventapp.calendar.services import EventDetails
from eventapp.forms import (
    Form,
    StrictIntegerField,
    line_field,
    required,
    required_input,
    select_choices,
    text_field,
)
from eventapp.i18n import LocalTimeError, combine_local


class MultiCheckboxField(SelectMultipleField):
    """A set of choices shown as checkboxes in a fieldset."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _local_or_error(day, clock, field) -> datetime | None:
    try:
        return combine_local(day, clock)
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
        field.errors.append(message)
        return None


class BoardForm(EventForm):
    """The board's event (date, times, place, audience seats) and its pitch settings."""

    panel_help = text_field(
        _l("What the panel can help with"),
        PANEL_HELP_MAX,
        description=_l("For example financing, public procurement, finding customers."),
    )
    slot_count = StrictIntegerField(_l("Number of pitch slots"), validators=[required_input()])
    slot_minutes = StrictIntegerField(
        _l("Length of each pitch slot in minutes"),
        validators=[required_input()],
        description=_l("Including the panel's questions and feedback."),
    )
    first_slot_time = TimeField(
        _l("Time of the first pitch"),
        validators=[required_input()],
        description=_l("On the day of the session."),
    )
    deadline_date = DateField(_l("Application deadline (date)"), validators=[required_input()])
    deadline_time = TimeField(
        _l("Application deadline (time)"), validators=[required_input()], default=None
    )
    feedback_mode = RadioField(
        _l("How the entrepreneurs see the panel's feedback"),
        choices=select_choices((mode.value, label) for mode, label in FEEDBACK_MODE_LABELS.items()),
        default=FeedbackMode.ATTRIBUTED.value,
        validators=[required()],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Boards are always of kind board; the field stays for the shared validation.
        self.kind.data = EventKind.BOARD.value
        self.capacity.label.text = _l("Audience seats")
        self.capacity.description = _l(
            "Seats for the audience, who sign up on the event page. Leave empty for no audience."
        )

    def validate_slot_count(self, field) -> None:
        if field.data is not None and not 1 <= field.data <= SLOT_COUNT_MAX:
            raise ValidationError(_l("Enter a number from 1 to %(max)d.", max=SLOT_COUNT_MAX))

    def validate_slot_minutes(self, field) -> None:
        if field.data is not None and not SLOT_MINUTES_MIN <= field.data <= SLOT_MINUTES_MAX:
            raise ValidationError(
                _l(
                    "Enter a number from %(min)d to %(max)d.",
                    min=SLOT_MINUTES_MIN,
                    max=SLOT_MINUTES_MAX,
                )
            )

    def validate_deadline_date(self, field) -> None:
        self._check_year(field)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not valid:
            return False
        self.first_slot_at = None
        self.deadline_at = None
        if self.first_slot_time.data is not None:
            self.first_slot_at = _local_or_error(
                self.start_date.data, self.first_slot_time.data, self.first_slot_time
            )
        if self.deadline_date.data is not None and self.deadline_time.data is not None:
            self.deadline_at = _local_or_error(
                self.deadline_date.data, self.deadline_time.data, self.deadline_time
            )
        return self.first_slot_at is not None and self.deadline_at is not None

    def details(self) -> EventDetails:
        details = super().details()
        return EventDetails(**{**details.__dict__, "kind": EventKind.BOARD})

    def board_details(self) -> BoardDetails:
        return BoardDetails(
            slot_count=self.slot_count.data,
            slot_minutes=self.slot_minutes.data,
            first_slot_at=self.first_slot_at,
            applications_close_at=self.deadline_at,
            feedback_mode=FeedbackMode(self.feedback_mode.data),
            panel_help=self.panel_help.data or "",
        )


class PanelUserForm(Form):
    email = email_field(_l("E-mail address of the panel member's account"))


class PanelGuestForm(Form):
    guest_name = line_field(_l("Name"), NAME_MAX)
    guest_title = line_field(_l("Job title"), GUEST_TITLE_MAX, optional=True)
    guest_organisation = line_field(_l("Organisation"), ORGANISATION_MAX, optional=True)


class ApplicationForm(Form):
    organisation_name = line_field(
        _l("Your organisation or business"),
        ORGANISATION_MAX,
        render_kw={"autocomplete": "organization"},
    )
    idea = text_field(
        _l("Your idea or business in short"),
        IDEA_MAX,
        optional=False,
        description=_l("A few sentences: what you do or want to do, and for whom."),
    )
    social_impact = text_field(
        _l("The social impact you aim at"),
        IMPACT_MAX,
        optional=False,
        description=_l("What change in society do you want to achieve?"),
    )
    wants = MultiCheckboxField(
        _l("What do you want from the panel?"),
        choices=select_choices((wish.value, label) for wish, label in PANEL_WISH_LABELS.items()),
        validators=[required(_l("Choose at least one."))],
    )
    other_wish = line_field(_l("If something else, what?"), OTHER_WISH_MAX, optional=True)
    accessibility_needs = text_field(
        _l("Accessibility needs"),
        ACCESSIBILITY_MAX,
        description=_l("For example a hearing loop, step-free access or extra time."),
    )
    show_publicly = BooleanField(
        _l("Show my name, organisation and idea in the public running order if I am selected")
    )

    def validate_wants(self, field) -> None:
        known = {wish.value for wish in PanelWish}
        if any(value not in known for value in field.data or ()):
            raise ValidationError(_l("Choose from the list."))

    def validate_other_wish(self, field) -> None:
        if PanelWish.OTHER.value in (self.wants.data or ()) and not field.data:
            raise ValidationError(_l("Tell us what else you want from the panel."))

    def application_data(self) -> ApplicationData:
        return ApplicationData(
            organisation_name=self.organisation_name.data,
            idea=self.idea.data,
            social_impact=self.social_impact.data,
            wants=frozenset(PanelWish(value) for value in self.wants.data),
            other_wish=self.other_wish.data or "",
            accessibility_needs=self.accessibility_needs.data or "",
            show_publicly=bool(self.show_publicly.data),
        )


class ActionForm(Form):
    """A button that changes state: only the CSRF token."""


class AcceptForm(Form):
    slot = SelectField(_l("Slot"), choices=[], validators=[required(_l("Choose a slot."))])

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.slot.choices = select_choices(
            [("", _l("Choose a slot"))] + [(str(slot_id), label) for slot_id, label in slots]
        )


class DeclineForm(Form):
    message = text_field(
        _l("Message to the entrepreneur"),
        DECLINE_MESSAGE_MAX,
        optional=False,
        description=_l("Be kind and concrete; it is sent by e-mail."),
    )


class NoteForm(Form):
    body = text_field(_l("Your private notes"), NOTE_MAX)


class FeedbackForm(Form):
    strengths = text_field(_l("Strengths"), FEEDBACK_MAX)
    advice = text_field(_l("Advice"), FEEDBACK_MAX)
    offers = text_field(
        _l("Suggested contacts or offers"),
        FEEDBACK_MAX,
        description=_l("People to talk to, or what you can offer yourself. Organisers follow up."),
    )
    follow_up_wanted = BooleanField(_l("I would like a follow-up meeting with the entrepreneur"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and not any((self.strengths.data, self.advice.data, self.offers.data)):
            self.strengths.errors.append(
                _l("Write at least one of strengths, advice or contacts and offers.")
            )
            return False
        return valid

    def feedback_data(self) -> FeedbackData:
        return FeedbackData(
            strengths=self.strengths.data or "",
            advice=self.advice.data or "",
            offers=self.offers.data or "",
            follow_up_wanted=bool(self.follow_up_wanted.data),
        )


class BrokeredForm(Form):
    done = RadioField(
        _l("Brokered"),
        choices=select_choices([("yes", _l("Brokered")), ("no", _l("Not yet"))]),
        validators=[required()],
    )
