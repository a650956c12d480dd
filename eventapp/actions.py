"""Running a service from a view: one shape for every write.

A view loads its object, authorises, validates the form and then hands the service call to
``attempt``. A refusal (``DomainError``) rolls the transaction back and is shown to the
person, on the form field it concerns (so what they typed stays) or else as a flash
message; success commits once. The view then redirects (Post/Redirect/Get) on success or
renders the form again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import flash
from flask_wtf import FlaskForm
from wtforms import Field

from eventapp.errors import DomainError
from eventapp.extensions import db

T = TypeVar("T")


@dataclass(frozen=True)
class Attempt(Generic[T]):
    """The outcome of one service call run by ``attempt``."""

    ok: bool
    value: T | None = None
    error: DomainError | None = None

    def __bool__(self) -> bool:
        # ``if form.validate_on_submit() and attempt(...):`` reads as the view's intent.
        return self.ok


def attempt(
    call: Callable[..., T],
    /,
    *args,
    form: FlaskForm | None = None,
    field: Field | None = None,
    **kwargs,
) -> Attempt[T]:
    """Run ``call(*args, **kwargs)``; commit on success, roll back and show a refusal.

    Where the message is shown: the form field the error names (``DomainError.field``, on
    ``form``), else ``field``, else a flash message.
    """
    try:
        value = call(*args, **kwargs)
    except DomainError as error:
        db.session.rollback()
        show_refusal(error, form=form, field=field)
        return Attempt(ok=False, error=error)
    db.session.commit()
    return Attempt(ok=True, value=value)


def show_refusal(
    error: DomainError, *, form: FlaskForm | None = None, field: Field | None = None
) -> None:
    """Put the refusal's message where the person will see it next to what they typed."""
    target = field
    if form is not None and error.field is not None and error.field in form:
        target = form[error.field]
    if target is not None:
        target.errors = [*target.errors, error.message]
    else:
        flash(str(error.message), "error")
