"""Jury pages: the organisers' jury and results pages under /awards/manage/, and each
juror's own pages under /awards/jury/.

Confidentiality is enforced here by scoping every lookup: a juror reaches only their own
membership, and a nomination only when they have declared no conflict (anything else is
a 404, so a direct URL reveals nothing). Results are sealed: organisers and the chair only,
and every view is written to the audit log.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from eventapp.auth.models import Role, User, UserRole
from eventapp.awards import jury, results
from eventapp.awards.forms import (
    AbstainForm,
    ActionForm,
    AppointForm,
    DeclarationForm,
    MemberChangeForm,
    PinForm,
    ReopenForm,
    ReviewForm,
    TieDecisionForm,
    TieForm,
    publish_form_class,
    score_form_class,
)
from eventapp.awards.models import (
    AwardCycle,
    ConflictReview,
    ConflictTie,
    DeclarationAnswer,
    JuryMember,
    JuryRole,
    TieType,
)
from eventapp.awards.phase import Phase, cycle_phase, edges
from eventapp.awards.services import AwardError
from eventapp.awards.views import bp, get_cycle_or_404
from eventapp.database import utcnow
from eventapp.extensions import db
from eventapp.permissions import is_organiser, role_required
from eventapp.spreadsheets import csv_download

# The jury report is one printed page: the top places; the full list is on the results page.
REPORT_ROWS = 12


def _fail(error: AwardError) -> None:
    flash(error.message, "error")


# --- organisers: the jury -------------------------------------------------------------------


def get_member_or_404(member_id: int) -> JuryMember:
    return db.get_or_404(JuryMember, member_id)


def _juror_candidates(cycle: AwardCycle) -> list[User]:
    taken = select(JuryMember.user_id).where(JuryMember.cycle_id == cycle.id)
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.JUROR, User.is_disabled.is_(False), User.id.not_in(taken))
            .order_by(User.name)
        )
    )


@bp.get("/manage/cycles/<int:cycle_id>/jury")
@role_required(Role.ORGANISER)
def jury_manage(
    cycle_id: int, appoint_form: AppointForm | None = None, pin_form: PinForm | None = None
):
    """Appoint the jury, decide conflicts, follow progress as counts, close scoring.

    The appoint and pin views pass their form back when it fails, so the page shows the
    errors linked to the fields and keeps what was chosen.
    """
    cycle = get_cycle_or_404(cycle_id)
    members = jury.members_of(db.session, cycle)
    dossiers = jury.jury_dossiers(db.session, cycle)
    return render_template(
        "awards/jury_manage.html",
        cycle=cycle,
        phase=cycle_phase(cycle, utcnow()),
        members=members,
        progress={p.member.id: p for p in jury.jury_progress(db.session, cycle)},
        reviews=jury.pending_reviews(db.session, cycle),
        appoint_form=appoint_form or AppointForm(_juror_candidates(cycle)),
        pin_form=pin_form or PinForm([m for m in members if m.is_voting], dossiers),
        change_forms={
            m.id: MemberChangeForm(prefix=f"m{m.id}", role=m.role.value, is_chair=m.is_chair)
            for m in members
        },
        dossier_count=len(dossiers),
        latest=results.latest_result(db.session, cycle),
        action_form=ActionForm(),
    )


@bp.post("/manage/cycles/<int:cycle_id>/jury/appoint")
@role_required(Role.ORGANISER)
def jury_appoint(cycle_id: int):
    cycle = get_cycle_or_404(cycle_id)
    form = AppointForm(_juror_candidates(cycle))
    if not form.validate_on_submit():
        return jury_manage(cycle_id, appoint_form=form)
    user = db.session.get(User, int(form.user_id.data))
    try:
        jury.appoint_member(
            db.session,
            cycle,
            user,
            JuryRole(form.role.data),
            is_chair=form.is_chair.data,
            actor=current_user,
        )
    except AwardError as error:
        _fail(error)
    else:
        db.session.commit()
        flash(_("%(name)s is appointed.", name=user.name), "success")
    return redirect(url_for("awards.jury_manage", cycle_id=cycle.id))


@bp.post("/manage/jury/<int:member_id>/change")
@role_required(Role.ORGANISER)
def jury_member_change(member_id: int):
    member = get_member_or_404(member_id)
    form = MemberChangeForm(prefix=f"m{member.id}")
    if form.validate_on_submit():
        try:
            jury.change_member(
                db.session,
                member,
                role=JuryRole(form.role.data),
                is_chair=form.is_chair.data,
                actor=current_user,
            )
        except AwardError as error:
            _fail(error)
        else:
            db.session.commit()
            flash(_("The jury is updated."), "success")
    return redirect(url_for("awards.jury_manage", cycle_id=member.cycle_id))


@bp.post("/manage/jury/<int:member_id>/remove")
@role_required(Role.ORGANISER)
def jury_member_remove(member_id: int):
    member = get_member_or_404(member_id)
    cycle_id = member.cycle_id
    if ActionForm().validate_on_submit():
        try:
            jury.remove_member(db.session, member, current_user)
        except AwardError as error:
            _fail(error)
        else:
            db.session.commit()
            flash(_("The member is removed from the jury."), "success")
    return redirect(url_for("awards.jury_manage", cycle_id=cycle_id))


@bp.route("/manage/jury/<int:member_id>/reopen", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def jury_member_reopen(member_id: int):
    """An admin reopens a juror's locked scores for a while, with a reason (logged)."""
    member = get_member_or_404(member_id)
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            jury.reopen_for_member(db.session, member, form.reason.data, current_user)
        except AwardError as error:
            form.reason.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Scoring is reopened for %(name)s.", name=member.user.name), "success")
            return redirect(url_for("awards.jury_manage", cycle_id=member.cycle_id))
    return render_template("awards/reopen.html", member=member, cycle=member.cycle, form=form)


@bp.route("/manage/conflicts/<int:review_id>", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def conflict_review(review_id: int):
    review = db.get_or_404(ConflictReview, review_id)
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            jury.decide_review(
                db.session,
                review,
                conflict=form.decision.data == "conflict",
                pin=form.pin.data,
                actor=current_user,
            )
        except AwardError as error:
            form.decision.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The decision is saved."), "success")
            return redirect(url_for("awards.jury_manage", cycle_id=review.member.cycle_id))
    declaration = jury.declarations_of(db.session, review.member).get(review.dossier_id)
    return render_template(
        "awards/conflict_review.html",
        review=review,
        declaration=declaration,
        cycle=review.member.cycle,
        form=form,
    )


@bp.post("/manage/cycles/<int:cycle_id>/jury/pin")
@role_required(Role.ORGANISER)
def conflict_pin(cycle_id: int):
    cycle = get_cycle_or_404(cycle_id)
    members = [m for m in jury.members_of(db.session, cycle) if m.is_voting]
    dossiers = jury.jury_dossiers(db.session, cycle)
    form = PinForm(members, dossiers)
    if form.validate_on_submit():
        member = next(m for m in members if str(m.id) == form.member_id.data)
        dossier = next(d for d in dossiers if str(d.id) == form.dossier_id.data)
        try:
            jury.pin_conflict(db.session, member, dossier, current_user)
        except AwardError as error:
            _fail(error)
        else:
            db.session.commit()
            flash(_("The conflict is recorded and pinned."), "success")
    else:
        return jury_manage(cycle_id, pin_form=form)
    return redirect(url_for("awards.jury_manage", cycle_id=cycle.id))


@bp.post("/manage/cycles/<int:cycle_id>/scoring/close")
@role_required(Role.ORGANISER)
def scoring_close(cycle_id: int):
    cycle = get_cycle_or_404(cycle_id)
    if ActionForm().validate_on_submit():
        try:
            jury.close_scoring(db.session, cycle, current_user)
        except AwardError as error:
            _fail(error)
        else:
            db.session.commit()
            flash(_("Scoring is closed and every score is locked."), "success")
    return redirect(url_for("awards.jury_manage", cycle_id=cycle.id))


# --- sealed results -------------------------------------------------------------------------


def _sealed_cycle_or_abort(cycle_id: int) -> AwardCycle:
    """Organisers, or the chair once scoring has closed; anyone else 403 (login first)."""
    cycle = get_cycle_or_404(cycle_id)
    if not results.can_view_sealed(db.session, current_user, cycle):
        abort(403)
    if not is_organiser(current_user) and cycle_phase(cycle, utcnow()) not in (
        Phase.DELIBERATION,
        Phase.PUBLISHED,
    ):
        abort(403)
    return cycle


def _results_context(cycle: AwardCycle, page: str) -> dict:
    result = results.latest_result(db.session, cycle)
    context = {"cycle": cycle, "result": result, "phase": cycle_phase(cycle, utcnow())}
    if result is None:
        return context
    outcome = results.recompute(result)
    hidden = results.hidden_for(db.session, current_user, cycle)
    results.log_sealed_view(db.session, result, current_user, page)
    db.session.commit()
    criteria = {c.id: c for c in cycle.criteria}
    context.update(
        outcome=outcome,
        ranking=[r for r in outcome.ranking if r.nomination_id not in hidden],
        pairs=[p for p in outcome.pairs if not {p.above, p.below} & hidden],
        names={r.nomination_id: r.name for r in outcome.ranking},
        top_criterion=criteria.get(outcome.top_criterion_id),
        is_current=results.is_current(db.session, result),
        jurors=len(jury.voting_members(db.session, cycle)),
    )
    return context


@bp.get("/manage/cycles/<int:cycle_id>/results")
@login_required
def results_page(
    cycle_id: int,
    tie_form: TieDecisionForm | None = None,
    publish_form: FlaskForm | None = None,
):
    """The sealed results with their flags, for organisers and the chair (logged).

    The tie and publish views pass their form back when it fails, with its errors.
    """
    cycle = _sealed_cycle_or_abort(cycle_id)
    context = _results_context(cycle, "results")
    # An organiser with a conflict on the jury leaves the ties and publishing to others.
    if (
        is_organiser(current_user)
        and context.get("outcome") is not None
        and len(context["ranking"]) == len(context["outcome"].ranking)
    ):
        dossiers = jury.jury_dossiers(db.session, cycle)
        context["tie_form"] = tie_form or TieDecisionForm(dossiers)
        context["publish_form"] = publish_form or publish_form_class(context["outcome"].finalists)()
    return render_template("awards/results.html", action_form=ActionForm(), **context)


@bp.get("/manage/cycles/<int:cycle_id>/results/report")
@login_required
def results_report(cycle_id: int):
    """The one-page Swedish jury report (juryprotokoll), printable."""
    cycle = _sealed_cycle_or_abort(cycle_id)
    context = _results_context(cycle, "report")
    if context.get("result") is None:
        abort(404)
    with force_locale("sv"):
        return render_template("awards/report.html", report_rows=REPORT_ROWS, **context)


@bp.get("/manage/cycles/<int:cycle_id>/results.csv")
@role_required(Role.ORGANISER)
def results_csv(cycle_id: int):
    """The ranking as CSV (organisers only; logged while sealed). No individual scores."""
    cycle = get_cycle_or_404(cycle_id)
    context = _results_context(cycle, "csv")
    if context.get("result") is None:
        abort(404)
    lines: list[list] = [
        [_("Rank"), _("Nomination"), _("Scores"), _("Adjusted score"), _("Median"), _("Flags")]
    ]
    lines += [
        [
            row.rank,
            row.name,
            row.score_count,
            _number(row.adjusted_score),
            _number(row.adjusted_median),
            " ".join(row.flags),
        ]
        for row in context["ranking"]
    ]
    return csv_download(lines, f"resultat-{cycle.year}.csv")


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


@bp.post("/manage/cycles/<int:cycle_id>/results/compute")
@role_required(Role.ORGANISER)
def results_compute(cycle_id: int):
    cycle = get_cycle_or_404(cycle_id)
    if ActionForm().validate_on_submit():
        try:
            results.compute_results(db.session, cycle, current_user)
        except AwardError as error:
            _fail(error)
        else:
            db.session.commit()
            flash(_("The results are computed. They stay sealed until you publish."), "success")
    return redirect(url_for("awards.results_page", cycle_id=cycle.id))


@bp.post("/manage/cycles/<int:cycle_id>/results/tie")
@role_required(Role.ORGANISER)
def results_tie(cycle_id: int):
    cycle = get_cycle_or_404(cycle_id)
    dossiers = {str(d.id): d for d in jury.jury_dossiers(db.session, cycle)}
    form = TieDecisionForm(dossiers.values())
    if form.validate_on_submit():
        try:
            results.record_tie_decision(
                db.session,
                cycle,
                dossiers[form.above_id.data],
                dossiers[form.below_id.data],
                form.reason.data,
                current_user,
            )
        except AwardError as error:
            _fail(error)
        else:
            db.session.commit()
            flash(_("The jury's decision is recorded. Compute the results again."), "success")
    else:
        return results_page(cycle_id, tie_form=form)
    return redirect(url_for("awards.results_page", cycle_id=cycle.id))


@bp.post("/manage/cycles/<int:cycle_id>/results/publish")
@role_required(Role.ORGANISER)
def results_publish(cycle_id: int):
    cycle = get_cycle_or_404(cycle_id)
    result = results.latest_result(db.session, cycle)
    if result is None:
        abort(404)
    form = publish_form_class(results.recompute(result).finalists)()
    if form.validate_on_submit():
        try:
            results.publish_results(
                db.session,
                result,
                motivation=form.motivation.data,
                named_finalist_ids=form.named_ids(),
                actor=current_user,
            )
        except AwardError as error:
            _fail(error)
        else:
            db.session.commit()
            flash(_("The results are published."), "success")
            return redirect(url_for("awards.index"))
    else:
        return results_page(cycle_id, publish_form=form)
    return redirect(url_for("awards.results_page", cycle_id=cycle.id))


# --- jurors ---------------------------------------------------------------------------------


def _membership_or_404(cycle_id: int) -> JuryMember:
    cycle = db.get_or_404(AwardCycle, cycle_id)
    member = jury.member_for(db.session, cycle, current_user)
    if member is None:
        abort(404)
    return member


def _open_dossier_or_404(member: JuryMember, dossier_id: int):
    dossier = jury.dossier_for_juror(db.session, member, dossier_id)
    if dossier is None:
        abort(404)
    return dossier


@bp.get("/jury/")
@login_required
def jury_home():
    return render_template(
        "awards/jury_home.html",
        memberships=jury.memberships_of(db.session, current_user),
        now=utcnow(),
        phase_of=cycle_phase,
    )


@bp.get("/jury/<int:cycle_id>")
@login_required
def jury_cycle(cycle_id: int, tie_form: TieForm | None = None):
    """A juror's own page: conflict register, declarations, their own progress.

    ``jury_tie_add`` passes its form back when it fails, errors and typed text included.
    """
    member = _membership_or_404(cycle_id)
    cycle = member.cycle
    now = utcnow()
    # Each list is loaded once and shared by the states, the progress and the page.
    dossiers = jury.jury_dossiers(db.session, cycle)
    declarations = jury.declarations_of(db.session, member)
    reviews = jury.reviews_of(db.session, member)
    states = jury.states_from(dossiers, declarations, reviews)
    sheets = jury.sheets_of(db.session, member)
    return render_template(
        "awards/jury_cycle.html",
        member=member,
        cycle=cycle,
        phase=cycle_phase(cycle, now),
        edges=edges(cycle),
        dossiers=dossiers,
        states=states,
        conflicted_ids={d for d, state in states.items() if state == jury.ConflictState.CONFLICTED},
        pinned_ids={d for d, review in reviews.items() if review.pinned},
        declarations=declarations,
        sheets=sheets,
        progress=jury.progress_from(member, states, sheets),
        editable=jury.scoring_editable(member, now),
        tie_form=tie_form or TieForm(),
        action_form=ActionForm(),
    )


@bp.post("/jury/<int:cycle_id>/register")
@login_required
def jury_tie_add(cycle_id: int):
    member = _membership_or_404(cycle_id)
    form = TieForm()
    if form.validate_on_submit():
        try:
            jury.add_tie(
                db.session,
                member,
                organisation_name=form.organisation_name.data,
                org_number=form.org_number.data or None,
                tie_type=TieType(form.tie_type.data),
            )
        except AwardError as error:
            _fail(error)
        else:
            db.session.commit()
            flash(_("The organisation is added to your register."), "success")
            return redirect(url_for("awards.jury_cycle", cycle_id=cycle_id))
    if form.errors:
        # The page again, with the errors linked to the fields and what was typed kept.
        return jury_cycle(cycle_id, tie_form=form)
    return redirect(url_for("awards.jury_cycle", cycle_id=cycle_id))


@bp.post("/jury/ties/<int:tie_id>/remove")
@login_required
def jury_tie_remove(tie_id: int):
    tie = db.session.get(ConflictTie, tie_id)
    if tie is None or tie.member.user_id != current_user.id:
        abort(404)
    cycle_id = tie.member.cycle_id
    if ActionForm().validate_on_submit():
        try:
            jury.remove_tie(db.session, tie)
        except AwardError as error:
            _fail(error)
        else:
            db.session.commit()
            flash(_("The organisation is removed from your register."), "success")
    return redirect(url_for("awards.jury_cycle", cycle_id=cycle_id))


@bp.route("/jury/<int:cycle_id>/nominations/<int:dossier_id>/declare", methods=["GET", "POST"])
@login_required
def jury_declare(cycle_id: int, dossier_id: int):
    """Declare no conflict, a conflict (and its type) or unsure before the dossier opens."""
    member = _membership_or_404(cycle_id)
    dossier = jury.jury_dossier_or_none(db.session, member, dossier_id)
    if dossier is None:
        abort(404)
    declaration = jury.declarations_of(db.session, member).get(dossier.id)
    form = DeclarationForm(
        data={
            "answer": declaration.answer.value if declaration else None,
            "tie_type": declaration.tie_type.value if declaration and declaration.tie_type else "",
        }
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        try:
            jury.declare(
                db.session,
                member,
                dossier,
                DeclarationAnswer(form.answer.data),
                TieType(form.tie_type.data) if form.tie_type.data else None,
            )
        except AwardError as error:
            form.answer.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Your declaration is saved."), "success")
            return redirect(url_for("awards.jury_cycle", cycle_id=cycle_id))
    return render_template(
        "awards/jury_declare.html", member=member, cycle=member.cycle, dossier=dossier, form=form
    )


@bp.route("/jury/<int:cycle_id>/nominations/<int:dossier_id>", methods=["GET", "POST"])
@login_required
def jury_dossier(cycle_id: int, dossier_id: int):
    """Read a dossier and score it: draft or submit. 404 unless declared free of conflict."""
    member = _membership_or_404(cycle_id)
    dossier = _open_dossier_or_404(member, dossier_id)
    cycle = member.cycle
    sheet = jury.sheets_of(db.session, member).get(dossier.id)
    form_class = score_form_class(cycle.criteria)
    form = form_class(data=_sheet_data(sheet) if request.method == "GET" else None)
    if form.validate_on_submit():
        submit = request.form.get("action") == "submit"
        try:
            jury.save_sheet(db.session, member, dossier, form.entries(), submit=submit)
        except AwardError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                _("Your scores are submitted. You can change them until scoring closes.")
                if submit
                else _("Your draft is saved."),
                "success",
            )
            return redirect(
                url_for("awards.jury_dossier", cycle_id=cycle_id, dossier_id=dossier.id)
            )
    return render_template(
        "awards/jury_dossier.html",
        member=member,
        cycle=cycle,
        dossier=dossier,
        sheet=sheet,
        form=form,
        editable=jury.scoring_editable(member, utcnow()) and member.is_voting,
    )


def _sheet_data(sheet) -> dict:
    if sheet is None:
        return {}
    data = {}
    for score in sheet.scores:
        data[f"score_{score.criterion_id}"] = str(score.value) if score.value else None
        data[f"comment_{score.criterion_id}"] = score.comment
    return data


@bp.route("/jury/<int:cycle_id>/nominations/<int:dossier_id>/abstain", methods=["GET", "POST"])
@login_required
def jury_abstain(cycle_id: int, dossier_id: int):
    member = _membership_or_404(cycle_id)
    dossier = _open_dossier_or_404(member, dossier_id)
    form = AbstainForm()
    if form.validate_on_submit():
        try:
            jury.abstain(db.session, member, dossier, form.reason.data)
        except AwardError as error:
            form.reason.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("You abstain from this nomination."), "success")
            return redirect(url_for("awards.jury_cycle", cycle_id=cycle_id))
    return render_template(
        "awards/jury_abstain.html", member=member, cycle=member.cycle, dossier=dossier, form=form
    )


@bp.get("/jury/<int:cycle_id>/my-scores.csv")
@login_required
def jury_export(cycle_id: int):
    """The juror's own scores and comments, nothing of anyone else's."""
    member = _membership_or_404(cycle_id)
    states = jury.states_for(db.session, member)
    criteria = member.cycle.criteria
    lines: list[list] = [[_("Nomination"), _("Status"), *(c.name for c in criteria), _("Comments")]]
    sheets = jury.sheets_of(db.session, member, with_scores=True)
    for dossier_id, sheet in sorted(sheets.items()):
        if states.get(dossier_id) != jury.ConflictState.OPEN:
            continue
        values = [sheet.score_for(c.id) for c in criteria]
        comments = " | ".join(s.comment for s in values if s is not None and s.comment)
        lines.append(
            [
                sheet.dossier.name or "",
                sheet.status.label,
                *(s.value if s is not None and s.value else "" for s in values),
                comments,
            ]
        )
    return csv_download(lines, "mina-poang.csv")
