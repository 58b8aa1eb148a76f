"""Pages of fault accountability (R-FAULT), error tolerance and correction (R-TOL) and petitions
(R-PETITION). Thin: objects through ``discipline.fault_access``, changes through ``discipline.fault``.
Detail pages carry one small form per step, posted with an ``action`` field."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.audit import audit
from cases.decorators import role_required
from cases.formats import cn_date
from cases.idempotency import accepted, submit_once
from cases.models import AuditEvent, Case, Person, Unit
from cases.roles import Role
from records.calendar.dates import local_date
from records.calendar.workdays import WorkCalendar

from . import fault as services
from . import fault_access as acc
from . import fault_forms as forms
from .bodies import bodies_of, supervised_unit_ids
from .fault_access import access_tolerance_evidence
from .models import CorrectionTask, FaultCase, FaultParticipant, ToleranceApplication
from .pdf import render_pdf

discipline_only = role_required(Role.DISCIPLINE)
officer_only = role_required(Role.OFFICER)


def _errors(error: ValidationError) -> str:
    return "；".join(error.messages)


def _today() -> dt.date:
    return local_date(timezone.now())


# --- countdowns ------------------------------------------------------------------------------------


def countdown(due: dt.date | None, done: dt.date | None, today: dt.date, cal: WorkCalendar) -> dict | None:
    """A deadline's state in working days (for "剩余N个工作日" / "已逾期N个工作日")."""
    if due is None:
        return None
    if done is not None:
        return {"code": "done_late" if done > due else "done", "label": _("已逾期完成") if done > due else _("已按期完成")}
    if today > due:
        return {"code": "overdue", "label": _("已逾期 %(n)s 个工作日") % {"n": max(1, cal.working_days_between(due, today))}}
    if today == due:
        return {"code": "today", "label": _("今日到期")}
    return {"code": "remaining", "label": _("还剩 %(n)s 个工作日") % {"n": cal.working_days_between(today, due)}}


def _calendar(dates: list[dt.date | None], today: dt.date) -> WorkCalendar:
    return WorkCalendar.covering([*dates, today])


def _people(user):
    return Person.objects.filter(unit_id__in=supervised_unit_ids(bodies_of(user))).select_related("unit").order_by("unit__code", "name")


def _body_for(user, unit_id: int | None) -> Unit | None:
    bodies = bodies_of(user)
    return next((b for b in bodies if unit_id in supervised_unit_ids([b])), bodies[0] if bodies else None)


# --- fault cases (002) -----------------------------------------------------------------------------


@discipline_only
@require_GET
def fault_cases(request: HttpRequest) -> HttpResponse:
    """行政执法过错: cases of the user's bodies with their deadlines, and the recurring-error flags."""
    today = _today()
    rows = list(
        acc.fault_cases_visible_to(request.user)
        .select_related("unit", "body")
        .prefetch_related(Prefetch("participants", queryset=FaultParticipant.objects.select_related("person")))
        .prefetch_related(Prefetch("tolerance_applications", queryset=ToleranceApplication.objects.only("id", "status", "fault_case_id")))
        .order_by("-occurred_on", "-id")
    )
    cal = _calendar([r.notice_due for r in rows] + [r.review_due for r in rows], today)
    for r in rows:
        r.tolerated = any(a.status == ToleranceApplication.Status.GRANTED for a in r.tolerance_applications.all())
        r.notice_countdown = countdown(r.notice_due, r.served_on, today, cal)
        r.review_countdown = countdown(r.review_due, r.review_requested_on, today, cal) if r.review_due else None
    flags = [(body, services.recurring_for_body(body, today=today)) for body in bodies_of(request.user)]
    return render(request, "discipline/fault/case_list.html", {"rows": rows, "flags": [(b, f) for b, f in flags if f]})


@discipline_only
@require_http_methods(["GET", "POST"])
@submit_once
def fault_case_create(request: HttpRequest) -> HttpResponse:
    unit_ids = supervised_unit_ids(bodies_of(request.user))
    form = forms.FaultCaseForm(
        request.POST if request.method == "POST" else None,
        units=Unit.objects.filter(pk__in=unit_ids).exclude(kind=Unit.Kind.DISCIPLINE).order_by("code"),
        people=_people(request.user),
        cases=Case.objects.filter(unit_id__in=unit_ids).order_by("-opened_on", "number"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fc = services.fault_case_open(
                body=_body_for(request.user, data["unit"].pk), unit=data["unit"], case=data["case"], act=data["act"],
                occurred_on=data["occurred_on"], fault_types=data["fault_types"], participants=form.participants(),
                misreported=data["misreported"], approval_required=data["approval_required"], approved=data["approved"],
                head_consented=data["head_consented"], changed_by_superior=data["changed_by_superior"],
                no_liability=data["no_liability"], lighter=data["lighter"], heavier=data["heavier"], error_field=data["error_field"],
                facts=data["facts"], actor=request.user, now=timezone.now(),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("已登记。第九条建议：%(b)s") % {"b": fc.suggestion_basis})
            return accepted(redirect("discipline:fault_case", pk=fc.pk))
    return render(request, "discipline/fault/case_form.html", {"form": form})


FAULT_STEPS = {
    "share": forms.ShareForm,
    "decide": forms.DecideForm,
    "serve": forms.ServeForm,
    "receive": forms.ReceiveForm,
    "review": forms.ReviewRequestForm,
    "review_decide": forms.OutcomeForm,
    "appeal": forms.AppealForm,
    "appeal_decide": forms.OutcomeForm,
}


def _fault_step(action: str, fc: FaultCase, data: dict, user) -> str:
    now = timezone.now()
    common = {"fault_case": fc, "actor": user, "now": now}
    if action == "share":
        participant = fc.participants.filter(pk=data["participant"]).first()
        if participant is None:
            raise ValidationError(_("相关人员不存在。"))
        services.fault_share_confirm(participant=participant, share=data["share"], reason=data["reason"], actor=user, now=now)
        return _("责任认定已保存。")
    if action == "decide":
        services.fault_case_decide(decision=data["decision"], decided_on=data["decided_on"], **common)
        return _("处理决定已登记，请在10日内书面通知本人。")
    if action == "serve":
        services.fault_case_serve(served_on=data["served_on"], **common)
        return _("已登记书面通知。")
    if action == "receive":
        services.fault_case_receive(received_on=data["received_on"], **common)
        return _("已登记接到通知日期，复核申请期限已计算。")
    if action == "review":
        services.fault_review_request(requested_on=data["requested_on"], reason=data["reason"], **common)
        return _("已登记复核申请。")
    if action == "review_decide":
        services.fault_review_decide(outcome=data["outcome"], text=data["text"], decided_on=data["decided_on"], **common)
        return _("已登记复核决定。")
    if action == "appeal":
        services.fault_appeal_record(filed_on=data["filed_on"], appeal_to=data["appeal_to"], text=data["text"], **common)
        return _("已登记申诉。")
    services.fault_appeal_decide(outcome=data["outcome"], text=data["text"], decided_on=data["decided_on"], **common)
    return _("已登记申诉处理结果。")


def _step(request, steps, handler, obj, redirect_to):
    """Run the posted step; on error return the bound forms to show again (input kept)."""
    action = request.POST.get("action", "")
    bound = {}
    if action not in steps:
        messages.error(request, _("无效的操作。"))
        return None, bound
    form = steps[action](request.POST, request.FILES) if not hasattr(steps[action], "make") else steps[action].make(request)
    bound[action] = form
    if form.is_valid():
        try:
            messages.success(request, handler(action, obj, form.cleaned_data, request.user))
        except ValidationError as error:
            form.add_error(None, _errors(error))
            messages.error(request, _errors(error))
        else:
            return redirect_to, bound
    else:
        messages.error(request, _("请检查填写的内容。"))
    return None, bound


@discipline_only
@require_http_methods(["GET", "POST"])
def fault_case(request: HttpRequest, pk: int) -> HttpResponse:
    fc = acc.access_fault_case(request.user, pk)
    bound = {}
    if request.method == "POST":
        done, bound = _step(request, FAULT_STEPS, _fault_step, fc, redirect("discipline:fault_case", pk=fc.pk))
        if done is not None:
            return done
    today = _today()
    cal = _calendar([fc.notice_due, fc.review_due], today)
    participants = list(fc.participants.select_related("person__unit", "confirmed_by__person"))
    tolerances = list(fc.tolerance_applications.select_related("person"))
    initial = {"decided_on": today, "served_on": today, "received_on": today, "requested_on": today, "filed_on": today}
    step_forms = {name: bound.get(name) or cls(initial=initial) for name, cls in FAULT_STEPS.items() if name != "share"}
    context = {
        "fc": fc, "participants": participants, "forms": step_forms, "share_form": bound.get("share"), "share_choices": forms.ShareForm.base_fields["share"].choices,
        "notice_countdown": countdown(fc.notice_due, fc.served_on, today, cal),
        "review_countdown": countdown(fc.review_due, fc.review_requested_on, today, cal),
        "tolerances": tolerances, "tolerated": any(t.status == ToleranceApplication.Status.GRANTED for t in tolerances),
    }  # fmt: skip
    return render(request, "discipline/fault/case_detail.html", context)


@discipline_only
@require_GET
def fault_decision_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The written decision (002 第十一条), as a PDF."""
    fc = acc.access_fault_case(request.user, pk)
    if fc.decided_on is None:
        messages.error(request, _("尚未作出处理决定。"))
        return redirect("discipline:fault_case", pk=fc.pk)
    participants = list(fc.participants.select_related("person__unit"))
    pdf = render_pdf("discipline/fault/decision_pdf.html", {"fc": fc, "participants": participants})
    audit(type=AuditEvent.Type.FAULT_DECISION_DOWNLOADED, actor=request.user, obj=fc)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="fault-decision-{fc.pk}.pdf"'
    return response


# --- tolerance (004) -------------------------------------------------------------------------------


@discipline_only
@require_GET
def tolerance_list(request: HttpRequest) -> HttpResponse:
    today = _today()
    rows = list(acc.tolerance_visible_to(request.user).select_related("person__unit").order_by("-created_at", "-id"))
    tasks = list(acc.corrections_visible_to(request.user).select_related("application__person", "responsible").order_by("deadline", "id"))
    cal = _calendar([r.notice_due for r in rows] + [t.deadline for t in tasks], today)
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


@discipline_only
@require_http_methods(["GET", "POST"])
@submit_once
def tolerance_create(request: HttpRequest) -> HttpResponse:
    """A unit's application (004 第二十条), entered by the discipline body's staff."""
    form = forms.ToleranceForm(
        request.POST or None,
        request.FILES or None,
        people=_people(request.user),
        fault_cases=acc.fault_cases_visible_to(request.user).order_by("-id"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            app = _apply(request, form, person=form.cleaned_data["person"], applied_by="unit", fault_case=form.cleaned_data["fault_case"])
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("已登记。初步评估：%(r)s") % {"r": app.assessment_reason})
            return accepted(redirect("discipline:tolerance", pk=app.pk))
    return render(request, "discipline/fault/tolerance_form.html", {"form": form, "own": False})


@officer_only
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
                form.add_error(None, _errors(error))
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


@officer_only
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
            messages.error(request, _errors(error))
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
    audit(type=AuditEvent.Type.TOLERANCE_EVIDENCE_DOWNLOADED, actor=request.user, obj=app)
    response = FileResponse(app.evidence.open("rb"), as_attachment=True, filename=app.evidence.name.rsplit("/", 1)[-1])
    response["X-Content-Type-Options"] = "nosniff"
    return response


TOLERANCE_STEPS = {"decide": forms.ToleranceDecideForm, "notify": forms.NotifyForm}


class _CorrectionStep:
    @staticmethod
    def make(request):
        return forms.CorrectionForm(request.POST, people=_people(request.user))


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


@discipline_only
@require_http_methods(["GET", "POST"])
def tolerance(request: HttpRequest, pk: int) -> HttpResponse:
    app = acc.access_tolerance(request.user, pk)
    bound = {}
    if request.method == "POST":
        done, bound = _step(request, TOLERANCE_STEPS, _tolerance_step, app, redirect("discipline:tolerance", pk=app.pk))
        if done is not None:
            return done
    today = _today()
    tasks = list(app.corrections.select_related("responsible").order_by("deadline", "id"))
    cal = _calendar([app.notice_due] + [t.deadline for t in tasks], today)
    for t in tasks:
        t.countdown = countdown(t.deadline, t.completed_on, today, cal)
    initial = {"decided_on": today, "notified_on": today}
    context = {
        "app": app, "tasks": tasks, "notice_countdown": countdown(app.notice_due, app.notified_on, today, cal),
        "decide_form": bound.get("decide") or forms.ToleranceDecideForm(initial=initial),
        "notify_form": bound.get("notify") or forms.NotifyForm(initial=initial),
        "correction_form": bound.get("correction") or forms.CorrectionForm(initial={"responsible": app.person_id}, people=_people(request.user)),
    }  # fmt: skip
    return render(request, "discipline/fault/tolerance_detail.html", context)


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


@discipline_only
@require_http_methods(["GET", "POST"])
def correction(request: HttpRequest, pk: int) -> HttpResponse:
    task = acc.access_correction(request.user, pk)
    bound = {}
    if request.method == "POST":
        done, bound = _step(request, CORRECTION_STEPS, _correction_step, task, redirect("discipline:correction", pk=task.pk))
        if done is not None:
            return done
    today = _today()
    cal = _calendar([task.deadline], today)
    initial = {"on": today, "completed_on": today}
    step_forms = {name: bound.get(name) or cls(initial=initial) for name, cls in CORRECTION_STEPS.items()}
    context = {
        "task": task,
        "forms": step_forms,
        "countdown": countdown(task.deadline, task.completed_on, today, cal),
        "follow_ups": list(task.follow_ups.all()),
    }
    return render(request, "discipline/fault/correction_detail.html", context)


# --- petitions (004 第二十五条) ---------------------------------------------------------------------


@discipline_only
@require_GET
def petitions(request: HttpRequest) -> HttpResponse:
    rows = list(acc.petitions_visible_to(request.user).select_related("subject__unit").order_by("-received_on", "-id"))
    return render(request, "discipline/fault/petition_list.html", {"rows": rows})


@discipline_only
@require_http_methods(["GET", "POST"])
@submit_once
def petition_create(request: HttpRequest) -> HttpResponse:
    form = forms.PetitionForm(request.POST or None, people=_people(request.user), initial={"received_on": _today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            p = services.petition_register(
                body=_body_for(request.user, data["subject"].unit_id), subject=data["subject"], real_name=data["real_name"],
                petitioner_name=data["petitioner_name"], petitioner_contact=data["petitioner_contact"], received_on=data["received_on"],
                allegation=data["allegation"], actor=request.user, now=timezone.now(),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("信访举报已登记。"))
            return accepted(redirect("discipline:petition", pk=p.pk))
    return render(request, "discipline/fault/petition_form.html", {"form": form})


class _FindingStep:
    @staticmethod
    def make(request):
        return forms.FindingForm(
            request.POST, tolerances=acc.tolerance_visible_to(request.user).filter(status=ToleranceApplication.Status.GRANTED)
        )


PETITION_STEPS = {"find": _FindingStep, "answer": forms.AnswerForm, "clear": forms.ClearForm}


def _petition_step(action, petition, data, user) -> str:
    now = timezone.now()
    if action == "find":
        services.petition_find(
            petition=petition, finding=data["finding"], text=data["text"], found_on=data["found_on"], malicious=data["malicious"],
            tolerance=data["tolerance"], actor=user, now=now,
        )  # fmt: skip
        return _("查处结论已登记。")
    if action == "answer":
        services.petition_answer(petition=petition, on=data["on"], content=data["content"], scope=data["scope"], actor=user, now=now)
        return _("已登记反馈或说明。")
    services.petition_clear_name(
        petition=petition, cleared_on=data["cleared_on"], how=data["how"], where=data["where"], text=data["text"], actor=user, now=now
    )
    return _("已登记澄清正名，将在被反映人的廉政档案中显示。")


@discipline_only
@require_http_methods(["GET", "POST"])
def petition(request: HttpRequest, pk: int) -> HttpResponse:
    p = acc.access_petition(request.user, pk)
    bound = {}
    if request.method == "POST":
        done, bound = _step(request, PETITION_STEPS, _petition_step, p, redirect("discipline:petition", pk=p.pk))
        if done is not None:
            return done
    today = _today()
    tolerances = acc.tolerance_visible_to(request.user).filter(status=ToleranceApplication.Status.GRANTED, person=p.subject)
    context = {
        "p": p,
        "find_form": bound.get("find") or forms.FindingForm(initial={"found_on": today}, tolerances=tolerances),
        "answer_form": bound.get("answer") or forms.AnswerForm(initial={"on": today}),
        "clear_form": bound.get("clear") or forms.ClearForm(initial={"cleared_on": today}),
    }
    return render(request, "discipline/fault/petition_detail.html", context)
