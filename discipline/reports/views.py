"""The reports page (R-ANNUAL): choose year/quarter and unit, start a job, watch its progress (a
small JSON status endpoint polled by static/js/report-progress.js), download. Administrators and
discipline staff; jobs are seen and downloaded only by who asked for them (404 otherwise)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.downloads import PDF, XLSX, traced_document_response
from cases.formats import cn_date
from cases.idempotency import accepted, submit_once
from discipline.common.decorators import admin_or_discipline_required, discipline_required
from discipline.common.http import page_of, query_without_page
from discipline.reports import charts
from discipline.reports.access import access_report_job, may_report
from discipline.reports.dashboard import dashboard as dashboard_figures
from discipline.reports.forms import DashboardFilterForm, LedgerFilterForm, ReportForm
from discipline.reports.jobs import report_job_request, ring_if_stale
from discipline.reports.ledger import categories_for_filter, units_for_filter
from discipline.reports.ledger import ledger as ledger_records
from discipline.reports.models import ReportJob
from discipline.reports.services import dashboard_export, dashboard_read_log, ledger_export, ledger_read_log, report_file_open
from discipline.review.access import people_visible_to
from discipline.review.selectors import flag_repeats, repeat_map, with_timeliness
from records.calendar.dates import local_date


def _user_may_report(request: HttpRequest) -> None:
    if not may_report(request.user):
        raise Http404


@admin_or_discipline_required
@require_http_methods(["GET", "POST"])
@submit_once
def reports(request: HttpRequest) -> HttpResponse:
    """年度分析报告与季度通报."""
    _user_may_report(request)
    now = timezone.now()
    form = ReportForm(request.POST or None, user=request.user, today=local_date(now), initial={"year": local_date(now).year})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            job, reused = report_job_request(
                year=d["year"], quarter=d["quarter"], unit=d["unit"], appendix=d.get("appendix", False), force=d["force"],
                actor=request.user, now=now,
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if reused:
                messages.info(request, _("数据自上次生成以来未发生变化，未重新生成；如需重新生成，请勾选“数据未变也重新生成”。"))
            return accepted(redirect(f"{reverse('discipline:reports')}?job={job.pk}"))
    jobs = ReportJob.objects.filter(requested_by=request.user).select_related("unit", "requested_by__person")[:50]
    current = None
    if request.GET.get("job"):
        current = access_report_job(request.user, request.GET["job"])
    return render(request, "discipline/reports.html", {"form": form, "jobs": jobs, "current": current}, status=400 if form.errors else 200)


@admin_or_discipline_required
def report_status(request: HttpRequest, pk: int) -> JsonResponse:
    _user_may_report(request)
    return job_status_response(access_report_job(request.user, pk), "discipline:report_download")


def job_status_response(job: ReportJob, download_view: str) -> JsonResponse:
    """A report job's progress for static/js/report-progress.js (the reports page and a campaign's
    dashboard): status, percentage, the download link once done, and a notice when the job was
    queued again because its worker stopped."""
    if ring_if_stale(job, now=timezone.now()):
        job.refresh_from_db()
    return JsonResponse(
        {
            "status": job.status,
            "status_display": job.get_status_display(),
            "progress": job.progress,
            "notice": job.requeue_notice(),
            "worker_notice": job.worker_notice(),
            "download": reverse(download_view, args=[job.pk]) if job.status == ReportJob.Status.DONE else "",
            "error": _("报告生成失败，请稍后重试或联系管理员。") if job.status == ReportJob.Status.FAILED else "",
        }
    )


@admin_or_discipline_required
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    _user_may_report(request)
    job = access_report_job(request.user, pk)
    with report_file_open(job=job, actor=request.user) as content:
        pdf = content.read()
    name = f"{job.year}年{f'第{job.quarter}季度通报' if job.quarter else '年度分析报告'}.pdf"
    return traced_document_response(request, pdf, filename=name, content_type=PDF, document=name.removesuffix(".pdf"), obj=job)


# --- The ledger and the dashboard's tables as Excel (audited reads, R-LEDGER) ---------------------



def _filter_labels(form) -> list[tuple[str, str]]:
    labels = []
    for name, value in form.cleaned_data.items() if form.is_bound and hasattr(form, "cleaned_data") else []:
        if value in (None, "", []):
            continue
        field = form.fields[name]
        if hasattr(value, "isoformat"):
            shown = cn_date(value)
        elif hasattr(field, "choices") and not hasattr(value, "pk"):
            shown = str(dict((str(k), v) for k, v in field.choices).get(str(value), value))
        else:
            shown = str(value)
        labels.append((str(field.label), shown))
    return labels


def _xlsx_response(request: HttpRequest, content: bytes, filename: str, *, document: str) -> HttpResponse:
    """Watermarked for the reader (header, footer, properties) and its hash audited."""
    return traced_document_response(request, content, filename=filename, content_type=XLSX, document=document)


@discipline_required
@translation.override(settings.LANGUAGE_CODE)  # the bureau's Chinese ledger whatever the UI language
def ledger_xlsx(request: HttpRequest) -> HttpResponse:
    """台账导出: the same rows as the ledger page with the same filters (invalid filters dropped)."""
    form = _ledger_form(request)
    data = form.filters() if request.GET else {}
    content = ledger_export(
        actor=request.user, filters=data, filter_labels=_filter_labels(form), title="领导干部过问案件信息台账", now=timezone.now()
    )
    return _xlsx_response(request, content, f"台账-{local_date(timezone.now()):%Y%m%d}.xlsx", document="台账导出")


@discipline_required
@translation.override(settings.LANGUAGE_CODE)  # the bureau's Chinese ledger whatever the UI language
def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    """统计表导出: the dashboard's tables for the same period and unit."""
    now = timezone.now()
    today = local_date(now)
    form, data = _dashboard_period(request, today)
    board = dashboard_figures(request.user, data, now)
    filters = [("过问日期", f"{data['date_from']:%Y-%m-%d}至{data['date_to']:%Y-%m-%d}")]
    if data.get("unit"):
        filters.append(("单位（含下级）", data["unit"].name))
    content = dashboard_export(actor=request.user, board=board, filters=data, filter_labels=filters, title="干预过问情况统计")
    return _xlsx_response(request, content, f"统计-{today:%Y%m%d}.xlsx", document="统计表导出")


def _dashboard_period(request: HttpRequest, today: dt.date) -> tuple[DashboardFilterForm, dict]:
    """The dashboard's filter form and its period and unit (this year to today unless chosen)."""
    form = DashboardFilterForm(request.GET or None, units=units_for_filter(request.user))
    data = {"date_from": dt.date(today.year, 1, 1), "date_to": today, "unit": None}
    if request.GET:
        form.is_valid()
        data.update({k: v for k, v in form.cleaned_data.items() if v})
    return form, data


def _ledger_form(request: HttpRequest) -> LedgerFilterForm:
    return LedgerFilterForm(
        request.GET or None,
        units=units_for_filter(request.user),
        categories=categories_for_filter(),
        people=people_visible_to(request.user),
    )


@discipline_required
def ledger(request: HttpRequest) -> HttpResponse:
    """台账 (R-LEDGER, 001 第五条): every record routed to the user's bodies, filterable. Each view of
    the ledger is audited with its filters; each record opened is audited by records.access."""
    form = _ledger_form(request)
    data = form.filters() if request.GET else {}
    now = timezone.now()
    page = page_of(request, ledger_records(request.user, data, now))
    rows = with_timeliness(list(page.object_list), now)
    flag_repeats(rows, repeat_map(request.user))
    ledger_read_log(actor=request.user, filters=data, page=page.number)
    return render(
        request,
        "discipline/ledger.html",
        {"form": form, "page": page, "rows": rows, "query": query_without_page(request), "count": page.paginator.count},
    )


@discipline_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """统计分析: figures for a period and a unit subtree; every figure links to the filtered ledger."""
    now = timezone.now()
    today = local_date(now)
    form, data = _dashboard_period(request, today)
    board = dashboard_figures(request.user, data, now)
    base = {"date_from": data["date_from"].isoformat(), "date_to": data["date_to"].isoformat()}
    if data.get("unit"):
        base["unit"] = str(data["unit"].pk)
    url = reverse("discipline:ledger")
    chart_list = [charts.bar_chart(title, figures, url, base, limit=charts.DASHBOARD_BARS) for title, figures in board.tables()]
    trend = charts.trend_chart(board.trend_year, board.trend, url, base)
    dashboard_read_log(actor=request.user, filters=data)

    def link(**params) -> str:
        from urllib.parse import urlencode

        return f"{url}?{urlencode({**base, **params})}"

    return render(
        request,
        "discipline/dashboard.html",
        {
            "form": form,
            "board": board,
            "charts": chart_list,
            "trend": trend,
            "period": data,
            "export_query": query_without_page(request),
            "links": {
                "all": link(),
                "overdue": reverse("records:overdue"),
                "due_week": link(state="due_week"),
                "late": link(timeliness="late"),
                "on_time": link(timeliness="on_time"),
            },
            "repeat_links": [(p, n, link(person=str(p.pk))) for p, n in board.top_repeat],
        },
    )
