"""Pages of fault accountability (R-FAULT), error tolerance and correction (R-TOL) and petitions
(R-PETITION). Thin: objects through ``discipline.faults.access``, changes through ``discipline.faults.services``.
Detail pages carry one small form per step, posted with an ``action`` field."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.downloads import PDF, traced_document_response
from cases.idempotency import accepted, submit_once
from cases.models import Case, Unit
from discipline.common.bodies import bodies_of, body_supervising, people_supervised, supervised_unit_ids
from discipline.common.decorators import discipline_required
from discipline.common.http import show_refusal
from discipline.common.pdf import render_pdf
from discipline.faults import access, forms, selectors, services
from discipline.faults import documents as fault_documents
from discipline.faults.models import FaultCase, FaultParticipant, ToleranceApplication
from discipline.faults.rules import countdown
from discipline.faults.views.steps import run_posted_step
from records.calendar.dates import local_date
from records.calendar.workdays import WorkCalendar

# --- countdowns ------------------------------------------------------------------------------------


# --- fault cases (002) -----------------------------------------------------------------------------


@discipline_required
@require_GET
def fault_cases(request: HttpRequest) -> HttpResponse:
    """行政执法过错: cases of the user's bodies with their deadlines, and the recurring-error flags."""
    today = local_date(timezone.now())
    rows = list(
        access.fault_cases_visible_to(request.user)
        .select_related("unit", "body")
        .prefetch_related(Prefetch("participants", queryset=FaultParticipant.objects.select_related("person")))
        .prefetch_related(Prefetch("tolerance_applications", queryset=ToleranceApplication.objects.only("id", "status", "fault_case_id")))
        .order_by("-occurred_on", "-id")
    )
    cal = WorkCalendar.covering([*(r.notice_due for r in rows), *(r.review_due for r in rows), today])
    for r in rows:
        r.tolerated = any(a.status == ToleranceApplication.Status.GRANTED for a in r.tolerance_applications.all())
        r.notice_countdown = countdown(r.notice_due, r.served_on, today, cal)
        r.review_countdown = countdown(r.review_due, r.review_requested_on, today, cal) if r.review_due else None
    flags = [(body, selectors.recurring_for_body(body, today=today)) for body in bodies_of(request.user)]
    return render(request, "discipline/fault/case_list.html", {"rows": rows, "flags": [(b, f) for b, f in flags if f]})


@discipline_required
@require_http_methods(["GET", "POST"])
@submit_once
def fault_case_create(request: HttpRequest) -> HttpResponse:
    unit_ids = supervised_unit_ids(bodies_of(request.user))
    form = forms.FaultCaseForm(
        request.POST if request.method == "POST" else None,
        units=Unit.objects.filter(pk__in=unit_ids).exclude(kind=Unit.Kind.DISCIPLINE).order_by("code"),
        people=people_supervised(request.user),
        cases=Case.objects.filter(unit_id__in=unit_ids).order_by("-opened_on", "number"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fc = services.fault_case_open(
                body=body_supervising(request.user, data["unit"].pk), unit=data["unit"], case=data["case"], act=data["act"],
                occurred_on=data["occurred_on"], fault_types=data["fault_types"], participants=form.participants(),
                misreported=data["misreported"], approval_required=data["approval_required"], approved=data["approved"],
                head_consented=data["head_consented"], changed_by_superior=data["changed_by_superior"],
                no_liability=data["no_liability"], lighter=data["lighter"], heavier=data["heavier"], error_field=data["error_field"],
                facts=data["facts"], actor=request.user, now=timezone.now(),
            )  # fmt: skip
        except ValidationError as error:
            show_refusal(form, error)
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


@discipline_required
@require_http_methods(["GET", "POST"])
def fault_case(request: HttpRequest, pk: int) -> HttpResponse:
    fc = access.access_fault_case(request.user, pk)
    bound = {}
    if request.method == "POST":
        done, bound = run_posted_step(request, FAULT_STEPS, _fault_step, fc, redirect("discipline:fault_case", pk=fc.pk))
        if done is not None:
            return done
    today = local_date(timezone.now())
    cal = WorkCalendar.covering([fc.notice_due, fc.review_due, today])
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


@discipline_required
@require_GET
def fault_decision_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The written decision (002 第十一条), as a PDF."""
    fc = access.access_fault_case(request.user, pk, decision_download=True)
    if fc.decided_on is None:
        messages.error(request, _("尚未作出处理决定。"))
        return redirect("discipline:fault_case", pk=fc.pk)
    pdf = render_pdf(*fault_documents.fault_decision_document(fc))
    number = fc.decision_number or str(fc.pk)
    return traced_document_response(request, pdf, filename=f"处理决定书-{number}.pdf", content_type=PDF, document=f"处理决定书 {number}", obj=fc)


# --- tolerance (004) -------------------------------------------------------------------------------
