"""The summary report of a self-inspection campaign (R-CAMPAIGN, 003 §三 "11-12月总结专项行动开展
情况", §四 长效机制) as PDF, through the report machinery (``ReportJob`` of kind campaign, rendered by
``report_jobs.report_job_run`` in the Celery task, WeasyPrint with the embedded CJK font)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone, translation

from discipline.campaigns import rules
from discipline.campaigns.models import Campaign
from discipline.campaigns.selectors import CampaignFigures, campaign_figures
from discipline.common.official import Gongwen
from records.calendar.dates import local_date

# The overdue list of the PDF is bounded; the count above it is not.
OVERDUE_ROWS = 200


@translation.override(settings.LANGUAGE_CODE)  # the bureau's Chinese document, whoever asks
def build_campaign_report(
    campaign: Campaign, *, number: str = "", now: dt.datetime | None = None, progress: Callable[[int], None] | None = None
) -> tuple[bytes, CampaignFigures]:
    """Render the PDF; returns (pdf bytes, the figures it shows)."""
    from discipline.common.pdf import render_pdf

    step = progress or (lambda _p: None)
    now = now or timezone.now()
    today = local_date(now)
    step(5)
    figures = campaign_figures(campaign, today=today)
    step(40)
    doc = Gongwen(
        issuer=campaign.body.name, number=number or f"专项〔{campaign.year}〕{campaign.pk}号", title=f"{campaign.title}总结报告",
        addressee="局党委（党组）", date=today, secrecy="内部", printer=campaign.body.name, printed_on=today,
    )  # fmt: skip
    context = {
        "doc": doc,
        "c": campaign,
        "f": figures,
        "rate": figures.total.completion_rate,
        "verified_rate": rules.format_rate(rules.rate(figures.total.verified, figures.total.items)),
        "overdue_rows": figures.overdue_items[:OVERDUE_ROWS],
        "overdue_truncated": len(figures.overdue_items) > OVERDUE_ROWS,
        "phases": [
            (rules.PHASE_LABELS[p], *campaign.timetable().period(p)) for p in (rules.SELFCHECK, rules.CROSSCHECK, rules.SUMMARY)
        ],
    }
    pdf = render_pdf("discipline/campaign/report_pdf.html", context)
    step(95)
    return pdf, figures


def build_campaign_job(job, *, now_fn, progress) -> tuple[bytes, str]:
    """The report builder of campaign report jobs (registered in ``discipline.reports.jobs.report_builders``)."""
    pdf, _figures = build_campaign_report(job.campaign, number=job.number, now=now_fn(), progress=progress)
    return pdf, ""
