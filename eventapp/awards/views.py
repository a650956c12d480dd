"""Award pages under /awards/: the public call and nomination form, the nominee's and the
nominator's link pages, and the organisers' pages under /awards/manage/."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from eventapp.auth.models import Role
from eventapp.auth.services import Tokens
from eventapp.awards import services
from eventapp.awards.forms import (
    ActionForm,
    ConsentForm,
    CriterionForm,
    CycleForm,
    EligibilityItemForm,
    RedactionForm,
    nomination_form_class,
    screening_form_class,
)
from eventapp.awards.models import AwardCycle, Criterion, Dossier, EligibilityItem, Motivation
from eventapp.awards.phase import Phase, cycle_phase, edges
from eventapp.awards.results import public_results
from eventapp.awards.services import AwardError, ScreeningAnswer
from eventapp.database import utcnow
from eventapp.extensions import db, limiter
from eventapp.i18n import to_local
from eventapp.permissions import is_signed_in, role_required

bp = Blueprint("awards", __name__, url_prefix="/awards")
log = logging.getLogger(__name__)


def _tokens() -> Tokens:
    return Tokens(current_app.config["SECRET_KEY"])


def _base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def _nominator_key() -> str:
    """Rate-limit key for one nominator: the address typed into the form."""
    return "award-nominator:" + (request.form.get("nominator_email") or "").strip().lower()[:254]


def _private(response):
    """Pages reached by a personal link: keep the token out of Referer headers and caches."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.before_request
def _forms_only():
    """Award pages take HTML form posts only; a JSON body is refused rather than parsed."""
    if request.method == "POST" and request.mimetype not in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "",
    ):
        abort(400)


# --- public ---------------------------------------------------------------------------------


@bp.route("/", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config.get("AWARDS_NOMINATION_LIMIT_PER_IP", "30 per hour"),
    methods=["POST"],
)
@limiter.limit(
    lambda: current_app.config.get("AWARDS_NOMINATION_LIMIT_PER_NOMINATOR", "5 per hour"),
    key_func=_nominator_key,
    methods=["POST"],
)
def index():
    """The award's public page: the call, and the nomination form while the window is open."""
    cycle = services.current_cycle(db.session)
    phase = cycle_phase(cycle, utcnow()) if cycle else None
    form = nomination_form_class(cycle)() if phase == Phase.NOMINATING else None
    if form is not None and request.method == "GET" and is_signed_in(current_user):
        form.nominator_name.data = current_user.name
        form.nominator_email.data = current_user.email
    if request.method == "POST":
        if form is None:
            flash(_("The nomination window is not open."), "error")
            return redirect(url_for("awards.index"))
        if form.validate_on_submit():
            if form.is_spam:
                log.info("award nomination honeypot filled; dropped")
                session["award_nomination"] = "confirm"
                return redirect(url_for("awards.thanks"))
            try:
                nomination = services.submit_nomination(
                    db.session,
                    cycle,
                    form.nomination_data(str(get_locale())),
                    current_user if is_signed_in(current_user) else None,
                    tokens=_tokens(),
                    base_url=_base_url(),
                )
            except AwardError as error:
                flash(error.message, "error")
            else:
                db.session.commit()
                session["award_nomination"] = "counted" if nomination.counted_at else "confirm"
                return redirect(url_for("awards.thanks"))
    return render_template(
        "awards/index.html",
        cycle=cycle,
        phase=phase,
        form=form,
        edges=edges(cycle) if cycle else None,
        public_results=public_results(db.session, cycle) if phase == Phase.PUBLISHED else None,
        jury_role=Role.JUROR,
    )


@bp.get("/thanks")
def thanks():
    return render_template("awards/thanks.html", outcome=session.pop("award_nomination", None))


@bp.get("/nominations/<token>")
def nomination_status(token: str):
    """A nominator's link: confirms the e-mail address the first time, then shows the status."""
    nomination = services.nomination_for_link(db.session, token, _tokens())
    if nomination is None:
        return _private(make_response(render_template("awards/link_invalid.html"), 404))
    if not nomination.is_counted:
        try:
            counted = services.confirm_nomination(
                db.session, nomination, tokens=_tokens(), base_url=_base_url()
            )
        except AwardError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            if counted is None:
                return _private(make_response(render_template("awards/link_invalid.html"), 404))
            flash(
                _("Thank you! Your e-mail address is confirmed and your nomination counts."),
                "success",
            )
    return _private(
        make_response(
            render_template(
                "awards/nomination_status.html",
                nominations=[nomination],
                status=services.nominator_status,
            )
        )
    )


@bp.get("/my-nominations")
@login_required
def my_nominations():
    return render_template(
        "awards/my_nominations.html",
        nominations=services.nominations_of(db.session, current_user),
        status=services.nominator_status,
    )


@bp.route("/consent/<token>", methods=["GET", "POST"])
def consent(token: str):
    """The nominee's link: read what the nomination means, then accept or decline."""
    dossier = services.dossier_for_consent_link(db.session, token, _tokens())
    if dossier is None:
        return _private(make_response(render_template("awards/link_invalid.html"), 404))
    form = ConsentForm()
    if not dossier.is_closed and form.validate_on_submit():
        try:
            services.answer_consent(db.session, dossier, form.answer.data == "accept")
        except AwardError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            if dossier.is_closed:
                flash(_("The nomination is closed and your data is removed."), "success")
            else:
                flash(_("Thank you! You have accepted the nomination."), "success")
            return redirect(url_for("awards.consent", token=token))
    return _private(
        make_response(
            render_template(
                "awards/consent.html",
                dossier=dossier,
                cycle=dossier.cycle,
                form=form,
            )
        )
    )


# --- organisers: cycles ---------------------------------------------------------------------


def get_cycle_or_404(cycle_id: int) -> AwardCycle:
    return db.get_or_404(AwardCycle, cycle_id)


def get_dossier_or_404(dossier_id: int) -> Dossier:
    """Dossiers exist for organisers once a nomination counts; before that they do not."""
    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None or dossier.nomination_count == 0:
        abort(404)
    return dossier


@bp.get("/manage/")
@role_required(Role.ORGANISER)
def manage():
    cycles = db.session.scalars(db.select(AwardCycle).order_by(AwardCycle.year.desc())).all()
    now = utcnow()
    return render_template(
        "awards/manage.html",
        cycles=cycles,
        phases={cycle.id: cycle_phase(cycle, now) for cycle in cycles},
    )


@bp.route("/manage/cycles/new", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def cycle_new():
    form = CycleForm()
    if form.validate_on_submit():
        try:
            cycle = services.create_cycle(db.session, form.details(), current_user)
        except AwardError as error:
            form.nominations_open_on.errors.append(error.message)
        else:
            db.session.commit()
            flash(
                _("The cycle is created. Add criteria and the checklist, then publish."), "success"
            )
            return redirect(url_for("awards.cycle_detail", cycle_id=cycle.id))
    return render_template("awards/cycle_form.html", form=form, cycle=None)


@bp.get("/manage/cycles/<int:cycle_id>")
@role_required(Role.ORGANISER)
def cycle_detail(cycle_id: int):
    cycle = get_cycle_or_404(cycle_id)
    return render_template(
        "awards/cycle_detail.html",
        cycle=cycle,
        phase=cycle_phase(cycle, utcnow()),
        edges=edges(cycle),
        dossiers=services.visible_dossiers(db.session, cycle),
        action_form=ActionForm(),
    )


@bp.route("/manage/cycles/<int:cycle_id>/edit", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def cycle_edit(cycle_id: int):
    cycle = get_cycle_or_404(cycle_id)
    form = CycleForm(obj=_CycleFormData(cycle))
    if form.validate_on_submit():
        try:
            services.update_cycle(db.session, cycle, form.details(), current_user)
        except AwardError as error:
            form.nominations_open_on.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The cycle is saved."), "success")
            return redirect(url_for("awards.cycle_detail", cycle_id=cycle.id))
    return render_template("awards/cycle_form.html", form=form, cycle=cycle)


@bp.post("/manage/cycles/<int:cycle_id>/publish")
@role_required(Role.ORGANISER)
def cycle_publish(cycle_id: int):
    cycle = get_cycle_or_404(cycle_id)
    if ActionForm().validate_on_submit():
        try:
            services.publish_call(db.session, cycle, current_user)
        except AwardError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The call is published."), "success")
    return redirect(url_for("awards.cycle_detail", cycle_id=cycle.id))


@bp.route("/manage/cycles/<int:cycle_id>/criteria/new", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def criterion_new(cycle_id: int):
    cycle = get_cycle_or_404(cycle_id)
    form = CriterionForm()
    if form.validate_on_submit():
        try:
            services.add_criterion(
                db.session,
                cycle,
                name=form.name.data,
                guidance=form.guidance.data,
                weight=form.weight.data,
                actor=current_user,
            )
        except AwardError as error:
            form.name.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The criterion is added."), "success")
            return redirect(url_for("awards.cycle_detail", cycle_id=cycle.id))
    return render_template("awards/criterion_form.html", form=form, cycle=cycle, criterion=None)


@bp.route("/manage/criteria/<int:criterion_id>/edit", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def criterion_edit(criterion_id: int):
    criterion = db.get_or_404(Criterion, criterion_id)
    form = CriterionForm(obj=criterion)
    if form.validate_on_submit():
        try:
            services.update_criterion(
                db.session,
                criterion,
                name=form.name.data,
                guidance=form.guidance.data,
                weight=form.weight.data,
                actor=current_user,
            )
        except AwardError as error:
            form.name.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The criterion is saved."), "success")
            return redirect(url_for("awards.cycle_detail", cycle_id=criterion.cycle_id))
    return render_template(
        "awards/criterion_form.html", form=form, cycle=criterion.cycle, criterion=criterion
    )


@bp.post("/manage/criteria/<int:criterion_id>/delete")
@role_required(Role.ORGANISER)
def criterion_delete(criterion_id: int):
    criterion = db.get_or_404(Criterion, criterion_id)
    cycle_id = criterion.cycle_id
    if ActionForm().validate_on_submit():
        try:
            services.delete_criterion(db.session, criterion, current_user)
        except AwardError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The criterion is removed."), "success")
    return redirect(url_for("awards.cycle_detail", cycle_id=cycle_id))


@bp.route("/manage/cycles/<int:cycle_id>/checklist/new", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def item_new(cycle_id: int):
    cycle = get_cycle_or_404(cycle_id)
    form = EligibilityItemForm()
    if form.validate_on_submit():
        try:
            services.add_eligibility_item(db.session, cycle, form.label.data, current_user)
        except AwardError as error:
            form.label.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The checklist item is added."), "success")
            return redirect(url_for("awards.cycle_detail", cycle_id=cycle.id))
    return render_template("awards/item_form.html", form=form, cycle=cycle)


@bp.post("/manage/checklist/<int:item_id>/delete")
@role_required(Role.ORGANISER)
def item_delete(item_id: int):
    item = db.get_or_404(EligibilityItem, item_id)
    cycle_id = item.cycle_id
    if ActionForm().validate_on_submit():
        try:
            services.delete_eligibility_item(db.session, item, current_user)
        except AwardError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The checklist item is removed."), "success")
    return redirect(url_for("awards.cycle_detail", cycle_id=cycle_id))


@bp.get("/manage/cycles/<int:cycle_id>/audit")
@role_required(Role.ORGANISER)
def audit_log(cycle_id: int):
    cycle = get_cycle_or_404(cycle_id)
    return render_template(
        "awards/audit.html", cycle=cycle, entries=services.audit_entries(db.session, cycle)
    )


# --- organisers: dossiers -------------------------------------------------------------------


@bp.get("/manage/dossiers/<int:dossier_id>")
@role_required(Role.ORGANISER)
def dossier_detail(dossier_id: int):
    dossier = get_dossier_or_404(dossier_id)
    return render_template(
        "awards/dossier.html",
        dossier=dossier,
        cycle=dossier.cycle,
        phase=cycle_phase(dossier.cycle, utcnow()),
        action_form=ActionForm(),
    )


@bp.route("/manage/dossiers/<int:dossier_id>/screen", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def dossier_screen(dossier_id: int):
    dossier = get_dossier_or_404(dossier_id)
    items = dossier.cycle.eligibility_items
    form = screening_form_class(items)(data=_screening_data(dossier, items))
    if form.validate_on_submit():
        answers = [
            ScreeningAnswer(
                item_id=item.id,
                passed=form[f"item_{item.id}"].data == "pass",
                reason=form[f"reason_{item.id}"].data or None,
            )
            for item in items
        ]
        try:
            services.screen_dossier(db.session, dossier, answers, current_user)
        except AwardError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The screening is saved."), "success")
            return redirect(url_for("awards.dossier_detail", dossier_id=dossier.id))
    return render_template("awards/screen.html", dossier=dossier, items=items, form=form)


@bp.post("/manage/dossiers/<int:dossier_id>/confirm-ineligible")
@role_required(Role.ORGANISER)
def dossier_confirm_ineligible(dossier_id: int):
    dossier = get_dossier_or_404(dossier_id)
    if ActionForm().validate_on_submit():
        try:
            services.confirm_ineligible(db.session, dossier, current_user)
        except AwardError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The dossier is marked ineligible and the nominee is told why."), "success")
    return redirect(url_for("awards.dossier_detail", dossier_id=dossier.id))


@bp.post("/manage/dossiers/<int:dossier_id>/return")
@role_required(Role.ORGANISER)
def dossier_return(dossier_id: int):
    dossier = get_dossier_or_404(dossier_id)
    if ActionForm().validate_on_submit():
        try:
            services.return_for_rescreening(db.session, dossier, current_user)
        except AwardError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The proposal is withdrawn; the dossier can be screened again."), "success")
    return redirect(url_for("awards.dossier_detail", dossier_id=dossier.id))


@bp.route("/manage/motivations/<int:motivation_id>/redact", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def motivation_redact(motivation_id: int):
    motivation = db.get_or_404(Motivation, motivation_id)
    dossier = motivation.nomination.dossier
    if dossier.nomination_count == 0 or not motivation.nomination.is_counted:
        abort(404)
    back = url_for("awards.dossier_detail", dossier_id=dossier.id)
    if request.method == "POST" and request.form.get("action") == "restore":
        if ActionForm().validate_on_submit() and _redact(motivation, None):
            flash(_("The original text is restored for the jury."), "success")
        return redirect(back)
    form = RedactionForm(data={"redacted_text": motivation.jury_text})
    if form.validate_on_submit() and _redact(motivation, form.redacted_text.data):
        flash(_("The text for the jury is saved."), "success")
        return redirect(back)
    return render_template("awards/redact.html", motivation=motivation, dossier=dossier, form=form)


def _redact(motivation: Motivation, text: str | None) -> bool:
    try:
        services.redact_motivation(db.session, motivation, text, current_user)
    except AwardError as error:
        flash(error.message, "error")
        return False
    db.session.commit()
    return True


def _screening_data(dossier: Dossier, items) -> dict:
    data = {}
    for item in items:
        decision = dossier.decision_for(item)
        if decision is not None:
            data[f"item_{item.id}"] = "pass" if decision.passed else "fail"
            data[f"reason_{item.id}"] = decision.reason or ""
    return data


class _CycleFormData:
    """A cycle's stored values in the shape of the form."""

    def __init__(self, cycle: AwardCycle):
        for name in (
            "year",
            "title",
            "call_text",
            "nominations_open_on",
            "nominations_close_on",
            "screening_close_on",
            "scoring_open_on",
            "scoring_close_on",
            "retention_months",
        ):
            setattr(self, name, getattr(cycle, name))
        gala = cycle.gala_event
        if gala is not None:
            starts, ends = to_local(gala.starts_at), to_local(gala.ends_at)
            self.gala_date, self.gala_start_time, self.gala_end_time = (
                starts.date(),
                starts.time(),
                ends.time(),
            )
            self.gala_place = gala.place
            self.gala_municipality = gala.municipality or ""
