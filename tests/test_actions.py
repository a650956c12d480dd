"""The one view helper that runs a service: commit on success, roll back and show a refusal."""

from __future__ import annotations

from flask import get_flashed_messages
from sqlalchemy import select
from wtforms import StringField

from eventapp.actions import attempt
from eventapp.auth.models import Organisation
from eventapp.errors import DomainError
from eventapp.forms import Form
from tests.factories import make_organisation


class _NameForm(Form):
    class Meta:
        csrf = False

    name = StringField()
    website = StringField()


def _rename_then_refuse(session, organisation: Organisation, field: str | None = None):
    """A service that has already flushed a change when a later rule refuses."""
    organisation.name = "Half-written"
    session.flush()
    raise DomainError("Refused for a reason the person can read.", field=field)


def _names(session) -> set[str]:
    return set(session.scalars(select(Organisation.name)))


def test_a_refusal_rolls_back_what_the_service_had_flushed(app, session):
    organisation = make_organisation(session, name="Kept as it was")
    session.commit()  # the state before the request
    with app.test_request_context(method="POST"):
        outcome = attempt(_rename_then_refuse, session, organisation)
        assert not outcome and outcome.error is not None
        assert get_flashed_messages(with_categories=True) == [
            ("error", "Refused for a reason the person can read.")
        ]
    assert "Half-written" not in _names(session)
    assert "Kept as it was" in _names(session)


def test_a_refusal_about_a_field_is_shown_on_that_field_not_as_a_flash(app, session):
    organisation = make_organisation(session)
    session.commit()
    with app.test_request_context(method="POST", data={"name": "typed", "website": "x"}):
        form = _NameForm()
        outcome = attempt(_rename_then_refuse, session, organisation, "website", form=form)
        assert not outcome
        assert form.website.errors == ["Refused for a reason the person can read."]
        assert not form.name.errors and form.name.data == "typed"
        assert get_flashed_messages() == []


def test_a_fallback_field_takes_a_refusal_that_names_no_field(app, session):
    organisation = make_organisation(session)
    session.commit()
    with app.test_request_context(method="POST", data={"name": "typed"}):
        form = _NameForm()
        attempt(_rename_then_refuse, session, organisation, form=form, field=form.name)
        assert form.name.errors == ["Refused for a reason the person can read."]


def test_success_commits_once_and_returns_the_value(app, session):
    def rename(session, organisation):
        organisation.name = "Renamed"
        session.flush()
        return organisation.id

    organisation = make_organisation(session, name="Before")
    session.commit()
    with app.test_request_context(method="POST"):
        outcome = attempt(rename, session, organisation)
        assert outcome and outcome.value == organisation.id
        # Committed: a rollback now cannot undo it.
        session.rollback()
    assert "Renamed" in _names(session)
