"""Pages of self-inspection campaigns (R-CAMPAIGN). Thin: objects through
``discipline.campaigns.access``, changes through ``discipline.campaigns.services``, figures from
``discipline.campaigns.selectors``. Query counts do not grow with units, findings or items."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.downloads import PDF, private_file_response, traced_document_response
from cases.idempotency import accepted, submit_once
from cases.selectors import root_of
from discipline.campaigns import access, forms, rules, services
from discipline.campaigns.models import Campaign, CampaignFinding, CampaignQuestion, Rectification
from discipline.campaigns.selectors import campaign_figures, checklist_for
from discipline.common.decorators import admin_or_discipline_required
from discipline.common.http import error_text
from discipline.reports.models import ReportJob
from discipline.reports.services import report_file_open
from discipline.reports.views import job_status_response
from records.calendar.dates import local_date


def _phase_labels(campaign: Campaign, today: dt.date) -> str:
    phases = rules.open_phases(campaign.timetable(), today)
    if phases:
        return "、".join(str(rules.PHASE_LABELS[p]) for p in phases)
    return _("未开始") if today < campaign.selfcheck_start else _("已结束")


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    """自查自纠专项行动: the campaigns a user manages or takes part in, their own unit's part, and
    the rectification items they are responsible for."""
    today = local_date(timezone.now())
    user = request.user
    managed = set(access.managed_campaigns(user).values_list("pk", flat=True))
    campaigns = list(access.campaigns_visible_to(user).select_related("body").order_by("-year", "-id"))
    uid = access.unit_id_of(user)
    parts = {}
    if uid is not None:
        for p in access.visible_parts(user).filter(unit_id=uid).select_related("unit"):
            parts[p.campaign_id] = p
        checks = list(
            access.visible_parts(user).filter(checker_id=uid).select_related("unit", "campaign").order_by("-campaign_id", "unit__code")
        )
    else:
        checks = []
    rows = [{"c": c, "phase": _phase_labels(c, today), "managed": c.pk in managed, "part": parts.get(c.pk)} for c in campaigns]
    person = getattr(user, "person", None)
    mine = []
    if person is not None:
        mine = list(
            Rectification.objects.filter(responsible=person, completed_on__isnull=True)
            .select_related("finding__part__campaign", "finding__part__unit", "finding__area")
            .order_by("deadline", "id")[:100]
        )
    return render(
        request,
        "discipline/campaign/list.html",
        {"rows": rows, "checks": checks, "mine": mine, "today": today, "may_create": access.may_create(user)},
    )


@admin_or_discipline_required
@require_http_methods(["GET", "POST"])
@submit_once
def campaign_create(request: HttpRequest) -> HttpResponse:
    today = local_date(timezone.now())
    # The document's timetable for this year, or for next year once this year's 31 August has passed.
    year = today.year if today <= dt.date(today.year, 8, 31) else today.year + 1
    default = rules.default_timetable(year, max(today, dt.date(year, 1, 1)))
    initial = {"year": year, "title": _("%(y)s年规范行政执法专项行动") % {"y": year}}
    for phase in (rules.SELFCHECK, rules.CROSSCHECK, rules.SUMMARY):
        initial[f"{phase}_start"], initial[f"{phase}_end"] = default.period(phase)
    person = getattr(request.user, "person", None)
    if person is not None and person.unit_id:
        initial["body"] = root_of(person.unit).pk
    form = forms.CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            campaign = services.campaign_create(
                title=d["title"], year=d["year"], body=d["body"], leads=list(d["leads"]), units=form.unit_pairs(),
                timetable=form.timetable(), actor=request.user, now=timezone.now(),
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已创建专项行动。"))
            if access.is_manager(campaign, request.user):
                return accepted(redirect("discipline:campaign", campaign.pk))
            return accepted(redirect("discipline:campaigns"))
    return render(request, "discipline/campaign/form.html", {"form": form})


def _dashboard_context(request, campaign: Campaign, **forms_) -> dict:
    today = local_date(timezone.now())
    figures = campaign_figures(campaign, today=today, overdue_limit=200)
    jobs = list(ReportJob.objects.filter(campaign=campaign, requested_by=request.user).order_by("-created_at", "-id")[:5])
    return {
        "c": campaign,
        "f": figures,
        "phase": _phase_labels(campaign, today),
        "is_lead": access.is_lead(campaign, request.user),
        "reopen_form": forms_.get("reopen_form") or forms.ReopenForm(campaign=campaign),
        "mech_form": forms_.get("mech_form") or forms.MechanismsForm(mechanisms=figures.mechanisms),
        "reopenings": list(campaign.reopenings.select_related("part__unit", "by__person")[:20]),
        "jobs": jobs,
        "report_open": today >= campaign.summary_start,
        "leads": list(campaign.leads.select_related("person")),
        "rate": figures.total.completion_rate,
    }


@login_required
@require_GET
def campaign_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign dashboard: progress per unit and per area, overdue items, mechanisms, reopening
    and the summary report (managers only)."""
    campaign = access.access_managed_campaign(request.user, pk)
    return render(request, "discipline/campaign/dashboard.html", _dashboard_context(request, campaign))


def _dashboard_post(request, pk: int, *, key: str, make_form, apply, done: str) -> HttpResponse:
    """A form posted from the dashboard: saved through `apply(campaign, cleaned_data)` and back to the
    dashboard, or the dashboard again with the form's errors and input (400)."""
    campaign = access.access_managed_campaign(request.user, pk)
    form = make_form(campaign)
    if form.is_valid():
        try:
            apply(campaign, form)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect("discipline:campaign", campaign.pk)
    return render(request, "discipline/campaign/dashboard.html", _dashboard_context(request, campaign, **{key: form}), status=400)


@login_required
@require_POST
def campaign_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    def apply(campaign, form):
        d = form.cleaned_data
        services.campaign_reopen(
            campaign=campaign, part=d["part"], until=d["until"], reason=d["reason"], actor=request.user, now=timezone.now()
        )

    return _dashboard_post(
        request, pk, key="reopen_form", make_form=lambda c: forms.ReopenForm(request.POST, campaign=c), apply=apply,
        done=_("已重新开放自查自纠。"),
    )  # fmt: skip


@login_required
@require_POST
def campaign_mechanisms(request: HttpRequest, pk: int) -> HttpResponse:
    def apply(campaign, form):
        services.campaign_mechanisms_update(campaign=campaign, states=form.states(), actor=request.user, now=timezone.now())

    return _dashboard_post(
        request, pk, key="mech_form", make_form=lambda c: forms.MechanismsForm(request.POST, mechanisms=list(c.mechanisms.order_by("key"))),
        apply=apply, done=_("已保存长效机制建立情况。"),
    )  # fmt: skip


@login_required
@require_POST
@submit_once
def campaign_report(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.access_managed_campaign(request.user, pk)
    try:
        services.campaign_report_request(campaign=campaign, actor=request.user, now=timezone.now())
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已提交生成总结报告，完成后可在本页下载。"))
        return accepted(redirect("discipline:campaign", campaign.pk))
    return redirect("discipline:campaign", campaign.pk)


@login_required
@require_GET
def campaign_report_status(request: HttpRequest, pk: int) -> JsonResponse:
    """The progress of a campaign report job, polled by the campaign dashboard."""
    return job_status_response(access.access_campaign_job(request.user, pk), "discipline:campaign_report_download")


@login_required
@require_GET
def campaign_report_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A finished campaign report, for who asked for it while they still manage the campaign."""
    job = access.access_campaign_job(request.user, pk, done=True)
    with report_file_open(job=job, actor=request.user, data={"report": "campaign", "campaign": job.campaign_id}) as content:
        pdf = content.read()
    name = f"{job.campaign.title}总结报告.pdf"
    return traced_document_response(request, pdf, filename=name, content_type=PDF, document=name.removesuffix(".pdf"), obj=job)


def _posted_answers(request, questions) -> tuple[dict[int, tuple[str, str]], dict[int, dict]]:
    answers, posted = {}, {}
    for q in questions:
        result = request.POST.get(f"r_{q.pk}", "")
        note = request.POST.get(f"n_{q.pk}", "")
        posted[q.pk] = {"result": result, "note": note}
        if result:
            answers[q.pk] = (result, note)
    return answers, posted


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def campaign_unit(request: HttpRequest, pk: int) -> HttpResponse:
    """One unit's part: the checklist with its answers (editable by the unit while the self-check is
    open or reopened), its findings with their rectification items, and a form for new findings."""
    part = access.access_part(request.user, pk)
    campaign = part.campaign
    today = local_date(timezone.now())
    member = access.is_unit_member(part, request.user)
    manager = access.is_manager(campaign, request.user)
    can_answer = member and access.answer_allowed(part, today)
    questions = list(CampaignQuestion.objects.filter(active=True).select_related("area").order_by("area__number", "number"))
    posted: dict[int, dict] = {}
    finding_form = forms.FindingForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "answers":
                answers, posted = _posted_answers(request, questions)
                services.campaign_answers_save(part=part, answers=answers, actor=request.user, now=timezone.now())
                messages.success(request, _("已保存自查情况。"))
            elif action == "submit":
                services.campaign_selfcheck_submit(part=part, actor=request.user, now=timezone.now())
                messages.success(request, _("已报送自查情况。"))
            elif action == "finding":
                finding_form = forms.FindingForm(request.POST)
                if not finding_form.is_valid():
                    raise ValidationError(_("请检查问题登记表中的错误。"))
                d = finding_form.cleaned_data
                services.campaign_finding_add(
                    part=part, area=d["area"], description=d["description"], actor=request.user, now=timezone.now()
                )
                messages.success(request, _("已登记问题。"))
            else:
                raise ValidationError(_("无效的操作。"))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            status = 400
        else:
            return accepted(redirect("discipline:campaign_unit", part.pk))
    groups = checklist_for(part, questions=questions)
    for group in groups:
        for row in group["rows"]:
            row["posted"] = posted.get(row["question"].pk)
    findings = list(
        CampaignFinding.objects.filter(part=part)
        .select_related("area", "answer__question")
        .prefetch_related(
            Prefetch("rectifications", queryset=Rectification.objects.select_related("responsible").order_by("deadline", "id"))
        )
        .order_by("area__number", "id")
    )
    t = campaign.timetable()
    may_add_finding = (member and can_answer) or ((access.is_checker(part, request.user) or manager) and rules.is_open(t.crosscheck, today))
    return render(
        request,
        "discipline/campaign/unit.html",
        {
            "part": part, "c": campaign, "groups": groups, "findings": findings, "can_answer": can_answer, "member": member,
            "manager": manager, "phase": _phase_labels(campaign, today), "finding_form": finding_form, "may_add_finding": may_add_finding,
            "answered": sum(1 for g in groups for r in g["rows"] if r["answer"]), "total": len(questions), "today": today,
            "results": [(rules.OK, _("无问题")), (rules.PROBLEM, _("存在问题")), (rules.NA, _("不适用"))],
        },
        status=status,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def campaign_finding(request: HttpRequest, pk: int) -> HttpResponse:
    """A finding with its rectification items; the unit or the managers add items."""
    finding = access.access_finding(request.user, pk)
    part = finding.part
    may_add = access.is_unit_member(part, request.user) or access.is_manager(part.campaign, request.user)
    people = services.responsible_people(part)
    form = forms.RectificationForm(request.POST or None, people=people)
    status = 200
    if request.method == "POST":
        if not may_add:
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.rectification_create(
                    finding=finding, measure=d["measure"], responsible=d["responsible"], deadline=d["deadline"], actor=request.user,
                    now=timezone.now(),
                )  # fmt: skip
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已登记整改事项。"))
                return accepted(redirect("discipline:campaign_finding", finding.pk))
        status = 400
    items = list(finding.rectifications.select_related("responsible").order_by("deadline", "id"))
    return render(
        request,
        "discipline/campaign/finding.html",
        {"finding": finding, "part": part, "items": items, "form": form, "may_add": may_add, "today": local_date(timezone.now())},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def rectification(request: HttpRequest, pk: int) -> HttpResponse:
    """A rectification item: completion with evidence (the person responsible or the unit) and
    verification (the checking unit or the managers, in the cross-check)."""
    item = access.access_rectification(request.user, pk)
    part = item.finding.part
    user = request.user
    may_complete = item.completed_on is None and (access.is_unit_member(part, user) or item.responsible.user_id == user.pk)
    may_verify = (
        item.completed_on is not None
        and item.verification != Rectification.Verification.PASSED
        and (access.is_checker(part, user) or access.is_manager(part.campaign, user))
    )
    complete_form = forms.CompleteForm(initial={"completed_on": local_date(timezone.now())})
    verify_form = forms.VerifyForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "complete" and may_complete:
            complete_form = forms.CompleteForm(request.POST, request.FILES)
            if complete_form.is_valid():
                d = complete_form.cleaned_data
                try:
                    services.rectification_complete(
                        item=item, completed_on=d["completed_on"], note=d["note"], evidence=d["evidence"], actor=user, now=timezone.now()
                    )
                except ValidationError as exc:
                    complete_form.add_error(None, exc)
                else:
                    messages.success(request, _("已报告整改完成。"))
                    return redirect("discipline:rectification", item.pk)
        elif action == "verify" and may_verify:
            verify_form = forms.VerifyForm(request.POST)
            if verify_form.is_valid():
                d = verify_form.cleaned_data
                try:
                    services.rectification_verify(item=item, passed=d["passed"], note=d["note"], actor=user, now=timezone.now())
                except ValidationError as exc:
                    verify_form.add_error(None, exc)
                else:
                    messages.success(request, _("已登记验收结果。"))
                    return redirect("discipline:rectification", item.pk)
        else:
            messages.error(request, _("您不能进行该操作。"))
        status = 400
    today = local_date(timezone.now())
    return render(
        request,
        "discipline/campaign/rectification.html",
        {
            "item": item, "part": part, "complete_form": complete_form, "verify_form": verify_form, "may_complete": may_complete,
            "may_verify": may_verify, "overdue": rules.is_overdue(item.deadline, item.completed_on, today),
            "late": rules.completed_late(item.deadline, item.completed_on),
        },
        status=status,
    )  # fmt: skip


@login_required
@require_GET
def rectification_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """The evidence of a rectification item, as an attachment, for those who may see the item."""
    item = access.access_rectification_evidence(request.user, pk)
    return private_file_response(request, item.evidence, filename=item.evidence_name or "evidence")
