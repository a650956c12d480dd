"""The organiser's invitation page: mail one coming event to everyone who asked for
invitations (the INVITATIONS consent), with a count first and a confirm button."""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventapp.auth.models import Role
from eventapp.calendar import invitations
from eventapp.calendar.invitations import InvitationError
from eventapp.calendar.views import bp, get_managed_event_or_404
from eventapp.extensions import db
from eventapp.forms import Form
from eventapp.permissions import role_required


class InvitationForm(Form):
    """The confirm button: only the CSRF token."""


@bp.route("/events/<uuid:uid>/invite", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def event_invite(uid: uuid.UUID):
    event = get_managed_event_or_404(uid)
    form = InvitationForm()
    if form.validate_on_submit():
        try:
            sent = invitations.send_invitations(db.session, event, current_user)
        except InvitationError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                _(
                    "Invitations queued: %(queued)d. Already invited before, not mailed "
                    "again: %(already)d.",
                    queued=sent.queued,
                    already=sent.already_invited,
                ),
                "success",
            )
        return redirect(url_for("calendar.event_invite", uid=event.uid))
    refusal = invitations.invitation_refusal(event)
    counts = None if refusal else invitations.invitation_counts(db.session, event)
    return render_template(
        "calendar/invite.html", event=event, form=form, refusal=refusal, counts=counts
    )
