"""Pages of error tolerance and correction (R-TOL). Thin: objects through ``faults.access``, changes through
``faults.services``; detail pages post one small step form with an ``action`` field."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.downloads import PDF, private_file_response, traced_document_response
from cases.formats import cn_date
from cases.idempotency import accepted, submit_once
from cases.models import Person
from discipline.common.bodies import people_supervised
from discipline.common.decorators import discipline_required, officer_required
from discipline.common.http import error_text
from discipline.common.pdf import render_pdf
from discipline.faults import access, forms, services
from discipline.faults import documents as fault_documents
from discipline.faults.access import access_tolerance_evidence
from discipline.faults.models import CorrectionTask, ToleranceApplication
from discipline.faults.rules import countdown
from discipline.faults.views.steps import run_posted_step
from records.calendar.dates import local_date
from records.calendar.workdays import WorkCalendar


@discipline_required
@require_GET
def tolerance_list(request: HttpRequest) -> HttpResponse:
    today = local_date(timezone.now())
    rows = list(access.tolerance_visible_to(request.user).select_related("person__unit").order_by("-created_at", "-id"))
    tasks = list(access.corrections_visible_to(request.user).select_related("application__person", "responsible").order_by("deadline", "id"))
    cal = WorkCalendar.covering([*(r.notice_due for r in rows), *(t.deadline for t in tasks), today])
    for r in rows:
        r.notice_countdown = countdown(r.notice_due, r.notified_on, today, cal)
    for t in tasks:
        t.countdown = countdown(t.deadline, t.completed_on, today, cal)
    return render(request, "discipline/fault/tolerance_list.html", {"rows": rows, "tasks": tasks})



def _apply(request, form, *, person, applied_by, fault_case=None):
    data = form.cleaned_data
    return services.tolerance_apply(
        person=person, applied_by=applied_by, error=data["error"], occurred_on=data["occurred_on"], error_kind=data["error_kind"],
        error_field=data["error_field"], grounds=data["grounds"], mitigations=data["mitigations"],
        abused_or_failed_duty_causing_harm=data["abused_or_failed_duty_causing_harm"], minor_and_low_harm=data["minor_and_low_harm"],
        evidence=data["evidence"], evidence_text=data["evidence_text"], fault_case=fault_case, actor=request.user, now=timezone.now(),
    )  # fmt: skip



@discipline_required
@require_http_methods(["GET", "POST"])
@submit_once
def tolerance_create(request: HttpRequest) -> HttpResponse:
    """A unit's application (004 第二十条), entered by the discipline body's staff."""
    form = forms.ToleranceForm(
        request.POST or None,
        request.FILES or None,
        people=people_supervised(request.user),
        fault_cases=access.fault_cases_visible_to(request.user).order_by("-id"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            app = _apply(request, form, person=form.cleaned_data["person"], applied_by="unit", fault_case=form.cleaned_data["fault_case"])
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("已登记。初步评估：%(r)s") % {"r": app.assessment_reason})
            return accepted(redirect("discipline:tolerance", pk=app.pk))
    return render(request, "discipline/fault/tolerance_form.html", {"form": form, "own": False})



@officer_required
@require_http_methods(["GET", "POST"])
@submit_once
def tolerance_apply(request: HttpRequest) -> HttpResponse:
    """An officer applies for error tolerance for themself (004 第二十条 "个人也可以直接向单位提出")."""
    person = Person.objects.filter(user=request.user).select_related("unit").first()
    form = forms.ToleranceForm(request.POST or None, request.FILES or None, own=True)
    if request.method == "POST" and form.is_valid():
        if person is None:
            form.add_error(None, _("您的账号未关联人员信息，无法申请。"))
        else:
            try:
                app = _apply(request, form, person=person, applied_by="self")
            except ValidationError as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("申请已提交。初步评估：%(r)s") % {"r": app.assessment_reason})
                return accepted(redirect("discipline:tolerance_apply"))
    mine = list(ToleranceApplication.objects.filter(person=person).order_by("-created_at")) if person else []
    tasks = list(CorrectionTask.objects.filter(responsible=person, completed_on__isnull=True).order_by("deadline")) if person else []
    return render(
        request,
        "discipline/fault/tolerance_form.html",
        {"form": form, "own": True, "mine": mine, "tasks": tasks, "extend_form": forms.ExtensionRequestForm()},
    )



@officer_required
@require_http_methods(["POST"])
@submit_once
def correction_extend(request: HttpRequest, pk: int) -> HttpResponse:
    """The person responsible for a correction asks for more time (004 第二十三条 "因特殊情况难以在
    规定时间内完成的，可以申请适当延长整改期限")."""
    person = Person.objects.filter(user=request.user).first()
    try:
        task = CorrectionTask.objects.get(pk=int(pk), responsible=person) if person else None
    except (CorrectionTask.DoesNotExist, ValueError):
        task = None
    if task is None:
        raise Http404
    form = forms.ExtensionRequestForm(request.POST)
    if form.is_valid():
        try:
            services.correction_extension_request(
                task=task, reason=form.cleaned_data["reason"], until=form.cleaned_data["until"], actor=request.user, now=timezone.now()
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("延期申请已提交，等待审批。"))
            return accepted(redirect("discipline:tolerance_apply"))
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("discipline:tolerance_apply")



@require_GET
def tolerance_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """The evidence attached to a tolerance application, as an attachment, for its body's staff and the
    applicant only."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    app = access_tolerance_evidence(request.user, pk)
    return private_file_response(request, app.evidence, filename=app.evidence.name.rsplit("/", 1)[-1])



TOLERANCE_STEPS = {"decide": forms.ToleranceDecideForm, "notify": forms.NotifyForm}



class _CorrectionStep:
    @staticmethod
    def make(request):
        return forms.CorrectionForm(request.POST, people=people_supervised(request.user))


TOLERANCE_STEPS["correction"] = _CorrectionStep



def _tolerance_step(action, app, data, user) -> str:
    now = timezone.now()
    if action == "decide":
        services.tolerance_decide(
            application=app,
            grant=data["grant"],
            decision=data["decision"],
            decided_on=data["decided_on"],
            measures=data["measures"],
            actor=user,
            now=now,
        )
        return _("认定结论已登记，请在7日内告知相关单位及当事人。")
    if action == "notify":
        services.tolerance_notify(
            application=app, notified_on=data["notified_on"], publicity_scope=data["publicity_scope"], actor=user, now=now
        )
        return _("已登记告知。")
    task = services.correction_create(
        application=app, reason=data["reason"], requirement=data["requirement"], deadline=data["deadline"], responsible=data["responsible"],
        actor=user, now=now,
    )  # fmt: skip
    return _("已启动纠错，整改期限%(d)s。") % {"d": cn_date(task.deadline)}



@discipline_required
@require_http_methods(["GET", "POST"])
def tolerance(request: HttpRequest, pk: int) -> HttpResponse:
    app = access.access_tolerance(request.user, pk)
    bound = {}
    if request.method == "POST":
        done, bound = run_posted_step(request, TOLERANCE_STEPS, _tolerance_step, app, redirect("discipline:tolerance", pk=app.pk))
        if done is not None:
            return done
    today = local_date(timezone.now())
    tasks = list(app.corrections.select_related("responsible").order_by("deadline", "id"))
    cal = WorkCalendar.covering([app.notice_due, *(t.deadline for t in tasks), today])
    for t in tasks:
        t.countdown = countdown(t.deadline, t.completed_on, today, cal)
    initial = {"decided_on": today, "notified_on": today}
    context = {
        "app": app, "tasks": tasks, "notice_countdown": countdown(app.notice_due, app.notified_on, today, cal),
        "decide_form": bound.get("decide") or forms.ToleranceDecideForm(initial=initial),
        "notify_form": bound.get("notify") or forms.NotifyForm(initial=initial),
        "correction_form": bound.get("correction") or forms.CorrectionForm(initial={"responsible": app.person_id}, people=people_supervised(request.user)),
    }  # fmt: skip
    return render(request, "discipline/fault/tolerance_detail.html", context)



@discipline_required
@require_GET
def tolerance_decision_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The tolerance decision (004 第二十条) as a PDF, once decided."""
    app = access.access_tolerance(request.user, pk)
    if app.decided_on is None:
        messages.error(request, _("尚未作出认定结论。"))
        return redirect("discipline:tolerance", pk=app.pk)
    pdf = render_pdf(*fault_documents.tolerance_decision_document(app))
    return traced_document_response(request, pdf, filename=f"容错免责认定-{app.decision_number or app.pk}.pdf", content_type=PDF, document=f"容错免责认定决定 {app.decision_number or app.pk}", obj=app)


CORRECTION_STEPS = {
    "extend": forms.ExtensionRequestForm,
    "extension_decide": forms.ExtensionDecideForm,
    "follow_up": forms.FollowUpForm,
    "complete": forms.CompleteForm,
}



def _correction_step(action, task, data, user) -> str:
    now = timezone.now()
    if action == "extend":
        services.correction_extension_request(task=task, reason=data["reason"], until=data["until"], actor=user, now=now)
        return _("已登记延期申请。")
    if action == "extension_decide":
        services.correction_extension_decide(task=task, approve=data["approve"], decision=data["decision"], actor=user, now=now)
        return _("已审批延期申请。")
    if action == "follow_up":
        services.correction_follow_up(task=task, on=data["on"], note=data["note"], actor=user, now=now)
        return _("已登记跟踪情况。")
    services.correction_complete(task=task, completed_on=data["completed_on"], note=data["note"], actor=user, now=now)
    return _("纠错整改已完成。")



@discipline_required
@require_http_methods(["GET", "POST"])
def correction(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.access_correction(request.user, pk)
    bound = {}
    if request.method == "POST":
        done, bound = run_posted_step(request, CORRECTION_STEPS, _correction_step, task, redirect("discipline:correction", pk=task.pk))
        if done is not None:
            return done
    today = local_date(timezone.now())
    cal = WorkCalendar.covering([task.deadline, today])
    initial = {"on": today, "completed_on": today}
    step_forms = {name: bound.get(name) or cls(initial=initial) for name, cls in CORRECTION_STEPS.items()}
    context = {
        "task": task,
        "forms": step_forms,
        "countdown": countdown(task.deadline, task.completed_on, today, cal),
        "follow_ups": list(task.follow_ups.all()),
    }
    return render(request, "discipline/fault/correction_detail.html", context)
