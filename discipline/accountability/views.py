"""Accountability pages (R-FAIL, R-PROTECT, zero report): recording failures with the rule's
suggestion and the decision, personnel actions (administrators), retaliation alerts and complaints,
missing zero reports and the recording board. Thin: objects through the access helpers, changes
through ``discipline.accountability``."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.idempotency import accepted, submit_once
from cases.models import Case, Person
from cases.selectors import people_for_picker, root_of, unit_subtree_ids
from discipline.accountability import access, rules, selectors, services
from discipline.accountability.forms import (
    AlertReviewForm,
    ComplaintConclusionForm,
    ComplaintForm,
    FailureDecisionForm,
    FailureForm,
    PersonnelActionForm,
)
from discipline.accountability.models import PersonnelAction
from discipline.common.bodies import bodies_of, supervised_unit_ids
from discipline.common.decorators import admin_required, discipline_required
from discipline.common.http import error_text, show_refusal
from discipline.review import rules as review_rules
from discipline.review.access import routed_records
from records.calendar.dates import local_date
from records.record.access import access_record
from records.zero_report import rules as zero_report_rules

# --- Failure to record (R-FAIL) ---------------------------------------------------------------------


@discipline_required
@require_GET
def failure_list(request: HttpRequest) -> HttpResponse:
    """不记录、不如实记录: confirmed failures registered by the user's bodies, with suggestion and decision."""
    rows = list(
        access.failures_visible_to(request.user)
        .select_related("officer__unit", "supervisor", "officer_sanction", "supervisor_sanction")
        .order_by("-confirmed_on", "-id")
    )
    return render(request, "discipline/failure_list.html", {"rows": rows})


def _failure_form(request: HttpRequest, data=None) -> FailureForm:
    unit_ids = supervised_unit_ids(bodies_of(request.user))
    people = Person.objects.filter(unit_id__in=unit_ids).select_related("unit").order_by("unit__code", "name")
    cases = Case.objects.filter(unit_id__in=unit_ids).order_by("-opened_on", "number")
    records = routed_records(request.user).order_by("-occurred_at")
    return FailureForm(data, people=people, cases=cases, records=records)


@discipline_required
@require_http_methods(["GET", "POST"])
@submit_once
def failure_create(request: HttpRequest) -> HttpResponse:
    form = _failure_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        bodies = bodies_of(request.user)
        body = next((b for b in bodies if data["officer"].unit_id in supervised_unit_ids([b])), bodies[0] if bodies else None)
        try:
            failure = services.recording_failure_register(
                officer=data["officer"], body=body, kind=data["kind"], source=data["source"], source_detail=data["source_detail"],
                facts=data["facts"], confirmed_on=data["confirmed_on"], interferer_kind=data["interferer_kind"], regime=data["regime"],
                case=data["case"], matter=data["matter"], record=data["record"], instigated=data["instigated"],
                supervisor=data["supervisor"], actor=request.user, now=timezone.now(),
            )  # fmt: skip
        except ValidationError as error:
            # Errors about one field (the regime a unit without a governing document must choose) go next to it.
            show_refusal(form, error)
        else:
            messages.success(request, _("已登记。系统建议：%(s)s") % {"s": failure.suggested_outcome})
            return accepted(redirect("discipline:failure", pk=failure.pk))
    return render(request, "discipline/failure_form.html", {"form": form})


@discipline_required
@require_http_methods(["GET", "POST"])
def failure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One failure: the suggestion as made, the decisions taken through the sanctions register, and
    the form to decide what is still open."""
    failure = access.access_failure(request.user, pk)
    initial_subject = "officer" if not failure.officer_sanction_id else "supervisor"
    form = FailureDecisionForm(
        request.POST if request.method == "POST" else None,
        initial={"subject": initial_subject, "decided_on": local_date(timezone.now())},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.recording_failure_decide(
                failure=failure, subject=data["subject"], kind=data["kind"], decided_on=data["decided_on"],
                legal_basis=data["legal_basis"], notified_on=data["notified_on"], deviation_reason=data["deviation_reason"],
                actor=request.user, now=timezone.now(),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("处理决定已登记到处理处分登记。"))
            return redirect("discipline:failure", pk=failure.pk)
    labels = {code: label for code, (_g, label, _b) in review_rules.SANCTION_TYPES.items()}
    history = list(access.failures_visible_to(request.user).filter(officer=failure.officer).order_by("ordinal"))
    return render(
        request,
        "discipline/failure_detail.html",
        {
            "failure": failure,
            "form": form,
            "suggested_labels": [labels.get(k, k) for k in failure.suggested_kinds],
            "history": history,
            "heavier": failure.instigated and failure.regime == rules.CHIFENG_INSIDER,
        },
    )


# --- Protection of recorders (R-PROTECT) ------------------------------------------------------------


def _admin_unit_ids(user) -> list[int]:
    person = getattr(user, "person", None)
    if person is None or person.unit_id is None:
        return []
    return unit_subtree_ids(root_of(person.unit))


@admin_required
@require_http_methods(["GET", "POST"])
@submit_once
def personnel_actions(request: HttpRequest) -> HttpResponse:
    """人事处理登记 (administrators): entering an action; the page never says who is a protected
    recorder or whether an alert was raised (administrators do not see record matters)."""
    unit_ids = _admin_unit_ids(request.user)
    people = Person.objects.filter(unit_id__in=unit_ids).select_related("unit").order_by("unit__code", "name")
    form = PersonnelActionForm(request.POST if request.method == "POST" else None, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.personnel_action_enter(
                person=data["person"], kind=data["kind"], effective_on=data["effective_on"], legal_ground=data["legal_ground"],
                procedure=data["procedure"], document_number=data["document_number"], description=data["description"],
                actor=request.user, now=timezone.now(),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("人事处理已登记。"))
            return accepted(redirect("discipline:personnel"))
    rows = list(
        PersonnelAction.objects.filter(person__unit_id__in=unit_ids).select_related("person__unit", "entered_by__person").order_by("-entered_at", "-id")[:200]
    )
    return render(request, "discipline/personnel_actions.html", {"form": form, "rows": rows})


@discipline_required
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    """打击报复预警: open alerts first; an alert stays here until reviewed with a conclusion."""
    rows = list(access.alerts_visible_to(request.user).select_related("action__person__unit", "reviewed_by__person").order_by("reviewed_at", "-raised_at"))
    return render(request, "discipline/alert_list.html", {"rows": rows, "open": sum(1 for a in rows if a.is_open)})


@discipline_required
@require_http_methods(["GET", "POST"])
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = access.access_alert(request.user, pk)
    form = AlertReviewForm(request.POST if request.method == "POST" and alert.is_open else None)
    if request.method == "POST" and alert.is_open and form.is_valid():
        try:
            services.retaliation_alert_review(
                alert=alert, conclusion=form.cleaned_data["conclusion"], findings=form.cleaned_data["findings"], actor=request.user, now=timezone.now()
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("审查结论已保存，预警已关闭。"))
            return redirect("discipline:alerts")
    records_made = services.records_made_by(alert.action.person)
    return render(request, "discipline/alert_detail.html", {"alert": alert, "form": form, "records_made": records_made})


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def complaint_create(request: HttpRequest, record_pk: int) -> HttpResponse:
    """打击报复控告: the recorder of a record complains of retaliation; only they may open this page."""
    record = access_record(request.user, record_pk)
    if record.recorder_id != request.user.pk:
        raise Http404
    people = people_for_picker(record.recorder_unit)
    form = ComplaintForm(request.POST if request.method == "POST" else None, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.retaliation_complaint_file(
                record=record, respondent=data["respondent"], respondent_name=data["respondent_name"],
                respondent_position=data["respondent_position"], occurred_on=data["occurred_on"], description=data["description"],
                actor=request.user, now=timezone.now(),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("控告已提交%(body)s，被控告人无法看到。") % {"body": complaint.body.name})
            return accepted(redirect("records:detail", pk=record.pk))
    return render(request, "discipline/complaint_form.html", {"form": form, "record": record})


@discipline_required
@require_GET
def complaint_list(request: HttpRequest) -> HttpResponse:
    rows = list(access.complaints_visible_to(request.user).select_related("record", "respondent").order_by("concluded_at", "-filed_at"))
    return render(request, "discipline/complaint_list.html", {"rows": rows, "open": sum(1 for c in rows if c.is_open)})


@discipline_required
@require_http_methods(["GET", "POST"])
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = access.access_complaint(request.user, pk)
    form = ComplaintConclusionForm(request.POST if request.method == "POST" and complaint.is_open else None)
    if request.method == "POST" and complaint.is_open and form.is_valid():
        try:
            services.retaliation_complaint_conclude(
                complaint=complaint, conclusion=form.cleaned_data["conclusion"], findings=form.cleaned_data["findings"],
                actor=request.user, now=timezone.now(),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("控告已办结。"))
            return redirect("discipline:complaints")
    record_visible = routed_records(request.user).filter(pk=complaint.record_id).exists()
    return render(request, "discipline/complaint_detail.html", {"complaint": complaint, "form": form, "record_visible": record_visible})


# --- Zero report and recording figures --------------------------------------------------------------

MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


def _month_param(value: str | None, default: dt.date) -> tuple[dt.date, str]:
    if not value:
        return default, ""
    match = MONTH_RE.match(value.strip())
    if match:
        year, month = int(match[1]), int(match[2])
        if 2000 <= year <= 2099 and 1 <= month <= 12:
            return dt.date(year, month, 1), ""
    return default, _("月份格式应为 2026-11，已显示默认月份。")


@discipline_required
@require_GET
def zero_missing(request: HttpRequest) -> HttpResponse:
    """未申报零报告: officers of the supervised units without a declaration for the month."""
    today = local_date(timezone.now())
    month, error = _month_param(request.GET.get("month"), zero_report_rules.missing_month(today))
    page = selectors.zero_month_page(request.user, month, today=today)
    return render(
        request,
        "discipline/zero_missing.html",
        {"page": page, "dates": page.status.dates, "error": error,
         "prev": zero_report_rules.previous_month(month), "next": zero_report_rules.next_month(month)},
    )  # fmt: skip


@discipline_required
@require_GET
def recording_board(request: HttpRequest) -> HttpResponse:
    """记录情况分析: per unit and officer, records per 100 cases handled and runs of months without any
    record, so units that never record stand out."""
    today = local_date(timezone.now())
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    if not 2000 <= year <= 2099:
        year = today.year
    board = selectors.recording_board(request.user, year=year, today=today)
    return render(request, "discipline/recording_board.html", {"board": board, "years": range(today.year, today.year - 5, -1)})
