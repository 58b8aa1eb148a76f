"""Audited reads of the reports room (R-LEDGER, 001 第五条: the ledger is kept and its use is
traceable): every view of the ledger or the dashboard, every export and every report downloaded
writes its audit event here, so views only render what these return."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404

from cases.audit import audit
from discipline.reports.dashboard import Dashboard
from discipline.reports.exports import ledger_xlsx, tables_xlsx
from discipline.reports.ledger import ledger_for_export
from discipline.reports.models import ReportJob
from discipline.reports.vocabulary import ReportEvent


def audit_filters(data: dict[str, Any]) -> dict[str, str]:
    """The filters of a read as the audit trail keeps them: model choices by primary key."""
    return {key: (str(value.pk) if hasattr(value, "pk") else str(value)) for key, value in data.items()}


def _given(filters: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in filters.items() if value}


def ledger_read_log(*, actor, filters: dict[str, Any], page: int) -> None:
    """One page of the ledger was shown to `actor` with these filters."""
    audit(type=ReportEvent.LEDGER_VIEWED, actor=actor, data={"filters": audit_filters(filters), "page": page})


def dashboard_read_log(*, actor, filters: dict[str, Any]) -> None:
    """The dashboard was shown to `actor` for this period and unit."""
    audit(type=ReportEvent.DASHBOARD_VIEWED, actor=actor, data={"filters": audit_filters(_given(filters))})


def ledger_export(*, actor, filters: dict[str, Any], filter_labels: list[tuple[str, str]], title: str, now: dt.datetime) -> bytes:
    """台账导出: the ledger rows `actor` may see with these filters, as a workbook; audited with the
    filters and the number of rows written."""
    content, rows = ledger_xlsx(ledger_for_export(actor, filters, now), filter_labels, title)
    audit(type=ReportEvent.LEDGER_EXPORTED, actor=actor, data={"filters": audit_filters(filters), "export": "xlsx", "rows": rows})
    return content


def dashboard_export(*, actor, board: Dashboard, filters: dict[str, Any], filter_labels: list[tuple[str, str]], title: str) -> bytes:
    """统计表导出: the dashboard's tables as a workbook, one sheet each; audited with the filters."""
    content = tables_xlsx(board.tables(), filter_labels, title)
    audit(type=ReportEvent.DASHBOARD_EXPORTED, actor=actor, data={"filters": audit_filters(_given(filters)), "export": "xlsx"})
    return content


def report_file_open(*, job: ReportJob, actor, data: dict[str, Any] | None = None):
    """The finished PDF of `job` (already fetched through an access helper), opened for `actor`;
    audited. A job without its file is missing (404)."""
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404
    audit(type=ReportEvent.REPORT_DOWNLOADED, actor=actor, obj=job, data=data or {"report": job.kind})
    return job.file.open("rb")
