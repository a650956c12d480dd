"""Award forms: the public nomination, consent answer, and the organisers' forms."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, RadioField, SelectField, TimeField
from wtforms.validators import InputRequired, Optional, ValidationError

from eventapp.auth.forms import email_field
from eventapp.auth.models import NAME_MAX, URL_MAX
from eventapp.awards.jury import ScoreEntry
from eventapp.awards.models import (
    CALL_TEXT_MAX,
    COMMENT_MAX,
    CRITERION_NAME_MAX,
    DECLARATION_LABELS,
    GUIDANCE_MAX,
    ITEM_LABEL_MAX,
    JURY_MOTIVATION_MAX,
    JURY_ROLE_LABELS,
    MOTIVATION_MAX,
    ORG_NAME_MAX,
    REASON_MAX,
    RELATION_LABELS,
    RETENTION_MONTHS_MAX,
    SCORE_MAX,
    SCORE_MIN,
    TIE_TYPE_LABELS,
    TITLE_MAX,
    WEIGHT_MAX,
    AwardCycle,
    DeclarationAnswer,
    JuryRole,
    Relation,
    TieType,
)
from eventapp.awards.services import CycleDetails, NominationData
from eventapp.calendar.models import PLACE_MAX
from eventapp.forms import (
    Form,
    StrictIntegerField,
    http_url,
    line_field,
    municipality_choices,
    organisation_number,
    required,
    select_choices,
    text_field,
    valid_municipality,
)
from eventapp.i18n import LocalTimeError, combine_local

HONEYPOT_FIELD = "homepage"


def motivation_field_name(criterion_id: int) -> str:
    return f"motivation_{criterion_id}"


class _NominationBase(Form):
    enterprise_name = line_field(_l("Name of the enterprise"), NAME_MAX)
    org_number = line_field(
        _l("Organisation number"),
        11,
        optional=True,
        description=_l("If you know it. Format NNNNNN-NNNN."),
        validators=[organisation_number],
    )
    municipality = SelectField(
        _l("Municipality"),
        choices=municipality_choices(),
        default="",
        validators=[required(_l("Choose a municipality.")), valid_municipality],
    )
    website = line_field(_l("Website"), URL_MAX, optional=True, validators=[http_url])
    contact_name = line_field(
        _l("Contact person at the enterprise"),
        NAME_MAX,
        description=_l("We ask this person whether the enterprise accepts the nomination."),
    )
    contact_email = email_field(_l("The contact person's e-mail address"))
    nominator_name = line_field(_l("Your name"), NAME_MAX, render_kw={"autocomplete": "name"})
    nominator_email = email_field(_l("Your e-mail address"))
    relation = SelectField(
        _l("Your relation to the enterprise"),
        choices=select_choices(
            [("", _l("Choose"))]
            + [(member.value, label) for member, label in RELATION_LABELS.items()]
        ),
        default="",
        validators=[required(_l("Choose your relation to the enterprise."))],
    )
    is_self_nomination = BooleanField(_l("I am nominating my own enterprise"))
    no_sensitive_data = BooleanField(
        _l(
            "I have not written sensitive personal data about anyone, such as health, "
            "religion, ethnicity or criminal records."
        ),
        validators=[InputRequired(_l("Please confirm this before sending."))],
    )
    # A field people never see; automated senders fill it in.
    homepage = line_field(
        _l("Leave this field empty"),
        200,
        optional=True,
        render_kw={"tabindex": "-1", "autocomplete": "off"},
    )

    def validate_relation(self, field) -> None:
        if field.data and field.data not in Relation._value2member_map_:
            raise ValidationError(_l("Choose your relation to the enterprise."))

    @property
    def is_spam(self) -> bool:
        return bool(self.homepage.data)

    def motivation_fields(self):
        return [field for name, field in self._fields.items() if name.startswith("motivation_")]

    def nomination_data(self, locale: str) -> NominationData:
        return NominationData(
            enterprise_name=self.enterprise_name.data,
            org_number=self.org_number.data or None,
            municipality=self.municipality.data,
            website=self.website.data or None,
            contact_name=self.contact_name.data,
            contact_email=self.contact_email.data,
            motivations={
                int(field.name.removeprefix("motivation_")): field.data
                for field in self.motivation_fields()
            },
            nominator_name=self.nominator_name.data,
            nominator_email=self.nominator_email.data,
            relation=Relation(self.relation.data),
            is_self_nomination=bool(self.is_self_nomination.data),
            locale=locale,
        )


def nomination_form_class(cycle: AwardCycle) -> type[_NominationBase]:
    """A nomination form with one length-limited motivation field per criterion."""
    fields = {
        motivation_field_name(criterion.id): text_field(
            criterion.name,
            MOTIVATION_MAX,
            optional=False,
            description=criterion.guidance or None,
        )
        for criterion in cycle.criteria
    }
    return type("NominationForm", (_NominationBase,), fields)


class ConsentForm(Form):
    answer = RadioField(
        _l("Your answer"),
        choices=select_choices(
            [
                ("accept", _l("Yes, we accept the nomination")),
                ("decline", _l("No, we decline: close the nomination and remove our data")),
            ]
        ),
        validators=[InputRequired(_l("Choose an answer."))],
    )


class ActionForm(Form):
    """A button-only form: the CSRF token is all it carries."""


def _local_time_errors(time_field, error: LocalTimeError) -> None:
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


class CycleForm(Form):
    year = StrictIntegerField(_l("Year"), validators=[InputRequired(_l("Enter the year."))])
    title = line_field(_l("Title"), TITLE_MAX)
    call_text = text_field(
        _l("The call for nominations"),
        CALL_TEXT_MAX,
        optional=False,
        description=_l("Shown on the public page once the call is published."),
    )
    nominations_open_on = DateField(_l("Nominations open on"), validators=[required()])
    nominations_close_on = DateField(_l("Last day for nominations"), validators=[required()])
    screening_close_on = DateField(_l("Last day of screening"), validators=[required()])
    scoring_open_on = DateField(_l("Jury scoring opens on"), validators=[required()])
    scoring_close_on = DateField(_l("Last day of jury scoring"), validators=[required()])
    retention_months = StrictIntegerField(
        _l("Months the dossiers are kept after the gala"),
        default=24,
        validators=[InputRequired(_l("Enter a number of months."))],
    )
    gala_date = DateField(_l("Gala date"), validators=[required()])
    gala_start_time = TimeField(_l("Gala starts at"), validators=[required()])
    gala_end_time = TimeField(_l("Gala ends at"), validators=[required()])
    gala_place = line_field(_l("Gala venue"), PLACE_MAX)
    gala_municipality = SelectField(
        _l("Gala municipality"),
        choices=municipality_choices(),
        default="",
        validators=[valid_municipality],
    )

    def validate_year(self, field) -> None:
        if field.data is not None and not 2000 <= field.data <= 2100:
            raise ValidationError(_l("Enter a year between 2000 and 2100."))

    def validate_retention_months(self, field) -> None:
        if field.data is not None and not 1 <= field.data <= RETENTION_MONTHS_MAX:
            raise ValidationError(_l("Enter a number from 1 to %(max)d.", max=RETENTION_MONTHS_MAX))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        limit = date.today() + timedelta(days=366 * 6)
        for field in (
            self.nominations_open_on,
            self.nominations_close_on,
            self.screening_close_on,
            self.scoring_open_on,
            self.scoring_close_on,
            self.gala_date,
        ):
            if field.data is not None and not date(2000, 1, 1) <= field.data <= limit:
                field.errors.append(_l("Enter a date within the next five years."))
                valid = False
        if not valid:
            return False
        try:
            self.gala_starts_at = combine_local(self.gala_date.data, self.gala_start_time.data)
        except LocalTimeError as error:
            _local_time_errors(self.gala_start_time, error)
            return False
        try:
            self.gala_ends_at = combine_local(self.gala_date.data, self.gala_end_time.data)
        except LocalTimeError as error:
            _local_time_errors(self.gala_end_time, error)
            return False
        if self.gala_ends_at <= self.gala_starts_at:
            self.gala_end_time.errors.append(_l("The gala must end after it starts."))
            return False
        return True

    def details(self) -> CycleDetails:
        return CycleDetails(
            year=self.year.data,
            title=self.title.data,
            call_text=self.call_text.data,
            nominations_open_on=self.nominations_open_on.data,
            nominations_close_on=self.nominations_close_on.data,
            screening_close_on=self.screening_close_on.data,
            scoring_open_on=self.scoring_open_on.data,
            scoring_close_on=self.scoring_close_on.data,
            retention_months=self.retention_months.data,
            gala_starts_at=self.gala_starts_at,
            gala_ends_at=self.gala_ends_at,
            gala_place=self.gala_place.data,
            gala_municipality=self.gala_municipality.data or None,
        )


class CriterionForm(Form):
    name = line_field(_l("Criterion"), CRITERION_NAME_MAX)
    guidance = text_field(_l("Guidance for nominators and the jury"), GUIDANCE_MAX, optional=False)
    weight = StrictIntegerField(
        _l("Weight"),
        validators=[InputRequired(_l("Enter a weight."))],
        description=_l(
            "A whole number from 1 to %(max)d; published with the call.", max=WEIGHT_MAX
        ),
    )

    def validate_weight(self, field) -> None:
        if field.data is not None and not 1 <= field.data <= WEIGHT_MAX:
            raise ValidationError(_l("Enter a number from 1 to %(max)d.", max=WEIGHT_MAX))


class EligibilityItemForm(Form):
    label = line_field(_l("Checklist item"), ITEM_LABEL_MAX)


def screening_form_class(items) -> type[Form]:
    """One pass/fail choice and one reason field per checklist item."""
    fields = {}
    for item in items:
        fields[f"item_{item.id}"] = RadioField(
            item.label,
            choices=select_choices([("pass", _l("Met")), ("fail", _l("Not met"))]),
            validators=[InputRequired(_l("Choose met or not met."))],
        )
        fields[f"reason_{item.id}"] = text_field(
            _l("Reason (required when not met)"), REASON_MAX, optional=True
        )

    def validate(self, extra_validators=None) -> bool:
        valid = Form.validate(self, extra_validators)
        for item in items:
            choice = self[f"item_{item.id}"]
            reason = self[f"reason_{item.id}"]
            if choice.data == "fail" and not reason.data:
                reason.errors.append(_l("Give a reason when the item is not met."))
                valid = False
        return valid

    fields["validate"] = validate
    return type("ScreeningForm", (Form,), fields)


class RedactionForm(Form):
    redacted_text = text_field(
        _l("Text the jury will read"),
        MOTIVATION_MAX,
        optional=False,
        description=_l(
            "Remove names of private persons and sensitive details. "
            "The original stays visible to organisers only."
        ),
    )


# --- part 2: the jury -----------------------------------------------------------------------


def _choice_in(enum_cls, message):
    def check(form, field) -> None:
        if field.data and field.data not in enum_cls._value2member_map_:
            raise ValidationError(message)

    return check


JURY_ROLE_CHOICES = [(role.value, label) for role, label in JURY_ROLE_LABELS.items()]
TIE_TYPE_CHOICES = [(tie.value, label) for tie, label in TIE_TYPE_LABELS.items()]


class AppointForm(Form):
    user_id = SelectField(
        _l("Person with the juror role"),
        choices=[],
        validators=[required(_l("Choose a person."))],
    )
    role = SelectField(
        _l("Appointed as"),
        choices=select_choices(JURY_ROLE_CHOICES),
        default=JuryRole.JUROR.value,
        validators=[required(), _choice_in(JuryRole, _l("Choose juror or reserve."))],
    )
    is_chair = BooleanField(_l("Chair of the jury"))

    def __init__(self, candidates, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user_id.choices = select_choices(
            [("", _l("Choose"))]
            + [(str(user.id), f"{user.name} ({user.email})") for user in candidates]
        )


class MemberChangeForm(Form):
    role = SelectField(
        _l("Role in the jury"),
        choices=select_choices(JURY_ROLE_CHOICES),
        validators=[required(), _choice_in(JuryRole, _l("Choose juror or reserve."))],
    )
    is_chair = BooleanField(_l("Chair of the jury"))


class TieForm(Form):
    organisation_name = line_field(_l("Organisation"), ORG_NAME_MAX)
    org_number = line_field(
        _l("Organisation number"),
        11,
        optional=True,
        description=_l("If you know it. Format NNNNNN-NNNN."),
        validators=[organisation_number],
    )
    tie_type = SelectField(
        _l("How you are tied to it"),
        choices=select_choices([("", _l("Choose")), *TIE_TYPE_CHOICES]),
        default="",
        validators=[
            required(_l("Choose how you are tied.")),
            _choice_in(TieType, _l("Choose how you are tied.")),
        ],
    )


class DeclarationForm(Form):
    answer = RadioField(
        _l("Your declaration"),
        choices=select_choices([(a.value, label) for a, label in DECLARATION_LABELS.items()]),
        validators=[InputRequired(_l("Choose an answer."))],
    )
    tie_type = SelectField(
        _l("If you have a conflict: how you are tied"),
        choices=select_choices([("", _l("Choose")), *TIE_TYPE_CHOICES]),
        default="",
        validators=[_choice_in(TieType, _l("Choose how you are tied."))],
    )

    def validate_tie_type(self, field) -> None:
        if self.answer.data == DeclarationAnswer.CONFLICT.value and not field.data:
            raise ValidationError(_l("Choose how you are tied to the enterprise."))


class ReviewForm(Form):
    decision = RadioField(
        _l("Decision"),
        choices=select_choices(
            [
                ("conflict", _l("Conflict of interest: the juror leaves this nomination")),
                ("no_conflict", _l("No conflict: the juror may score it")),
            ]
        ),
        validators=[InputRequired(_l("Choose a decision."))],
    )
    pin = BooleanField(_l("Pin the conflict so the juror cannot remove it"))


class PinForm(Form):
    member_id = SelectField(_l("Juror"), choices=[], validators=[required(_l("Choose a juror."))])
    dossier_id = SelectField(
        _l("Nomination"), choices=[], validators=[required(_l("Choose a nomination."))]
    )

    def __init__(self, members, dossiers, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.member_id.choices = select_choices(
            [("", _l("Choose"))] + [(str(m.id), m.user.name) for m in members]
        )
        self.dossier_id.choices = select_choices(
            [("", _l("Choose"))] + [(str(d.id), d.name or f"#{d.id}") for d in dossiers]
        )


def _one_to_five(form, field) -> None:
    if field.data not in {value for value, _ in SCORE_CHOICES}:
        raise ValidationError(_l("Choose a score from 1 to 5."))


def _score_value(raw: str | None) -> int | None:
    # Optional() lets blank-looking input through as "no score yet" (a draft).
    text = (raw or "").strip()
    return int(text) if text else None


SCORE_CHOICES = [(str(value), str(value)) for value in range(SCORE_MIN, SCORE_MAX + 1)]


def score_form_class(criteria) -> type[Form]:
    """A 1-5 choice and a comment per criterion; drafts may leave scores empty."""
    fields = {}
    for criterion in criteria:
        fields[f"score_{criterion.id}"] = RadioField(
            criterion.name,
            choices=select_choices(SCORE_CHOICES),
            # Drafts may leave a score empty; a value must still be one of 1-5.
            validate_choice=False,
            validators=[Optional(), _one_to_five],
            description=criterion.guidance or None,
        )
        fields[f"comment_{criterion.id}"] = text_field(
            _l("Comment on %(name)s", name=criterion.name), COMMENT_MAX, optional=True
        )

    def entries(self) -> list[ScoreEntry]:
        return [
            ScoreEntry(
                criterion_id=criterion.id,
                value=_score_value(self[f"score_{criterion.id}"].data),
                comment=self[f"comment_{criterion.id}"].data or "",
            )
            for criterion in criteria
        ]

    fields["entries"] = entries
    return type("ScoreForm", (Form,), fields)


class AbstainForm(Form):
    reason = text_field(_l("Why you abstain"), REASON_MAX, optional=False)


class ReopenForm(Form):
    reason = text_field(_l("Reason for reopening"), REASON_MAX, optional=False)


class TieDecisionForm(Form):
    above_id = SelectField(_l("Ranks first"), choices=[], validators=[required()])
    below_id = SelectField(_l("Ranks second"), choices=[], validators=[required()])
    reason = text_field(_l("The jury's reason"), REASON_MAX, optional=False)

    def __init__(self, dossiers, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _l("Choose"))] + [(str(d.id), d.name or f"#{d.id}") for d in dossiers]
        self.above_id.choices = select_choices(choices)
        self.below_id.choices = select_choices(choices)


class PublishForm(Form):
    motivation = text_field(
        _l("The jury's motivation"),
        JURY_MOTIVATION_MAX,
        optional=False,
        description=_l("Shown on the public page with the winner."),
    )


def publish_form_class(finalists) -> type[PublishForm]:
    """One 'may be named' box per finalist (the winner is always named)."""
    fields = {
        f"named_{finalist.nomination_id}": BooleanField(
            _l("%(name)s agreed to be named as a finalist", name=finalist.name)
        )
        for finalist in finalists
    }

    def named_ids(self) -> list[int]:
        return [
            int(name.removeprefix("named_"))
            for name, field in self._fields.items()
            if name.startswith("named_") and field.data
        ]

    fields["named_ids"] = named_ids
    return type("PublishFormWithFinalists", (PublishForm,), fields)
