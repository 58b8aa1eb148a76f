"""python manage.py sample_documents --output DIR

One PDF of each document the product issues, from the demo data (after ``seed_demo``), named by type:
notice_letter, circular, special_report, fault_decision, tolerance_decision, annual_report,
quarterly_bulletin, campaign_summary. The measured-layout test and the README's page images use it."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from discipline.campaigns.models import Campaign
from discipline.campaigns.report import build_campaign_report
from discipline.common.pdf import render_pdf
from discipline.faults import documents as fault_documents
from discipline.faults.models import FaultCase, ToleranceApplication
from discipline.reports.pdf import build_report
from discipline.review import documents as review_documents
from discipline.review.models import Handling, NoticeLetter, SpecialReport
from records.calendar.dates import local_date


def sample_documents(output: Path) -> dict[str, Path]:
    """Write one PDF of each type into ``output``; returns type → path. CommandError naming what the
    data lacks (run seed_demo first)."""
    sources = {
        "notice_letter": NoticeLetter.objects.order_by("pk").first(),
        "circular": Handling.objects.filter(kind=Handling.Kind.OWN_UNIT).exclude(notice_number="").order_by("pk").first(),
        "special_report": SpecialReport.objects.order_by("pk").first(),
        "fault_decision": FaultCase.objects.exclude(decided_on=None).order_by("pk").first(),
        "tolerance_decision": ToleranceApplication.objects.exclude(decided_on=None).order_by("pk").first(),
        "campaign_summary": Campaign.objects.order_by("pk").first(),
    }
    missing = [name for name, source in sources.items() if source is None]
    if missing:
        raise CommandError(f"演示数据中缺少：{', '.join(missing)}。请先运行 python manage.py seed_demo。")
    builders = {
        "notice_letter": review_documents.notice_letter_document,
        "circular": review_documents.circular_document,
        "special_report": review_documents.special_report_document,
        "fault_decision": fault_documents.fault_decision_document,
        "tolerance_decision": fault_documents.tolerance_decision_document,
    }
    output.mkdir(parents=True, exist_ok=True)
    pdfs = {name: render_pdf(*build(sources[name])) for name, build in builders.items()}
    today = local_date(timezone.now())
    quarter = (today.month - 1) // 3 + 1
    staff = sources["special_report"].reported_by  # the reports are made in a discipline staff member's scope
    pdfs["annual_report"] = build_report(staff, year=today.year, appendix=True)[0]
    pdfs["quarterly_bulletin"] = build_report(staff, year=today.year, quarter=quarter)[0]
    pdfs["campaign_summary"] = build_campaign_report(sources["campaign_summary"])[0]
    written = {}
    for name, pdf in pdfs.items():
        path = output / f"{name}.pdf"
        path.write_bytes(pdf)
        written[name] = path
    return written


class Command(BaseCommand):
    help = "从演示数据生成每类公文的PDF样本（通报函、通报、特别事项报告、处理决定书、容错决定、年度报告、季度通报、专项行动总结）"

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="输出目录")

    def handle(self, *args, **opts):
        for name, path in sample_documents(Path(opts["output"])).items():
            self.stdout.write(f"{name}: {path}")
