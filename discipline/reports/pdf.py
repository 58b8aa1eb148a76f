"""The annual report and the quarterly bulletin (季度通报) as PDF (R-ANNUAL). One builder used by the
Celery task, the management command and the tests; `progress` is called as real steps complete."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone, translation

from cases.models import AuditEvent, Unit
from discipline.common.official import Gongwen
from discipline.reports import charts
from discipline.reports.access import is_discipline
from discipline.reports.dashboard import Figure
from discipline.reports.selectors import ReportFigures, period_records, report_figures
from discipline.review.selectors import for_rows
from records.calendar.dates import local_date

CN_NUMERALS = "〇一二三四五六七八九十"
APPENDIX_LIMIT = 500
CHART_BARS = 20
TABLE_ROWS = 50
# Charts in a PDF link nowhere: the anchor is an empty fragment.
_NO_LINK = "#"


def chain_head_with_date() -> dict | None:
    """The audit chain head (issue 5: printed in every annual report): sequence, hash and when the
    last sealed event happened."""
    head = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").values("seq", "hash", "occurred_at").first()
    if head is None:
        return None
    return {"seq": head["seq"], "hash": head["hash"], "date": local_date(head["occurred_at"])}


def _bounded(figures: list[Figure]) -> list[Figure]:
    """A table of at most TABLE_ROWS rows: the largest, then one row summing the rest."""
    if len(figures) <= TABLE_ROWS:
        return figures
    ranked = sorted(figures, key=lambda x: -x.count)
    rest = ranked[TABLE_ROWS - 1 :]
    return [*ranked[: TABLE_ROWS - 1], Figure(f"其余{len(rest)}项合计", sum(x.count for x in rest))]


def default_number(figures: ReportFigures, serial: int | None = None) -> str:
    kind = "季通" if figures.period.quarter else "年报"
    return f"纪{kind}〔{figures.period.year}〕{serial or 1}号"


@translation.override(settings.LANGUAGE_CODE)  # the bureau's Chinese document, whoever asks
def build_report(
    user,
    *,
    year: int,
    quarter: int | None = None,
    unit: Unit | None = None,
    appendix: bool = False,
    number: str = "",
    issued_on: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
    now: dt.datetime | None = None,
) -> tuple[bytes, ReportFigures]:
    """Render the PDF; returns (pdf bytes, the figures it shows)."""
    from discipline.common.pdf import render_pdf

    step = progress or (lambda _p: None)
    now = now or timezone.now()
    step(5)
    figures = report_figures(user, year=year, quarter=quarter, unit=unit, now=now)
    step(40)
    bar = [
        ("按行为类别", figures.by_category),
        ("按过问方式", figures.by_channel),
        ("按过问人类别", figures.by_kind),
        ("按过问人职级", figures.by_level),
        ("按记录单位", figures.by_unit),
    ]
    if quarter:
        bar.append(("按报告人职级", figures.by_filer_level))
    # A chart shows at most CHART_BARS bars (the largest); its table lists every row.
    chart_map = {
        title: charts.bar_chart(title, figs, _NO_LINK, {}, limit=CHART_BARS)
        for title, figs in bar
    }
    trend = charts.trend_chart(year, figures.trend, _NO_LINK, {})
    rows, truncated = [], False
    if appendix and is_discipline(user):
        qs = for_rows(period_records(user, figures.period, unit)).order_by("occurred_at", "id")
        rows = list(qs[: APPENDIX_LIMIT + 1])
        truncated = len(rows) > APPENDIX_LIMIT
        rows = rows[:APPENDIX_LIMIT]
    step(55)
    issued_on = issued_on or local_date(now)
    issuer = figures.issuer or figures.unit_name
    doc = Gongwen(
        issuer=issuer, number=number or default_number(figures), date=issued_on, secrecy="内部",
        title=f"关于{figures.period.label}领导干部干预、内部人员过问执法办案记录{'情况的通报' if quarter else '报告工作的分析报告'}",
        # 001 领导干部制度 第七条: the analysis goes to the party committee and the administration above;
        # the quarterly 通报 to the units it counts.
        addressee="各科室、各执法单位" if quarter else "局党委（党组）、上级行政机关",
        signature=issuer.replace("\n", "、"), printer=issuer.replace("\n", "、"), printed_on=issued_on,
        attachments=("干预过问记录台账",) if appendix and is_discipline(user) else (),
    )  # fmt: skip
    context = {
        "doc": doc,
        "f": figures,
        # 二级标题 numbered （一）（二）… (GB/T 9704-2012 7.3.3), under 一、总体情况 and 二、分类统计.
        "sections": [(f"（{CN_NUMERALS[n]}）", title, chart_map[title], _bounded(figs)) for n, (title, figs) in enumerate(bar, 1)],
        "trend": trend,
        "head": chain_head_with_date(),
        "appendix": appendix and is_discipline(user),
        "rows": rows,
        "truncated": truncated,
        "limit": APPENDIX_LIMIT,
        "quarterly": bool(quarter),
    }
    pdf = render_pdf("discipline/pdf/annual_report.html", context)
    step(95)
    return pdf, figures
