"""Entries of the report and export URLs (issue 7) for the project permission matrix
(``discipline/tests/test_matrix.py``): administrators and discipline staff reach the reports page;
a job's status and download only for who asked for it; the Excel exports for discipline staff."""

from django.core.files.base import ContentFile
from django.utils import timezone

from discipline.models import ReportJob


def report_matrix(only) -> dict:
    return {
        "discipline:reports": ("get", None, only(200, "jj", "jj_other", "admin")),
        "discipline:report_status": ("get", "report_job", only(200, "jj")),
        "discipline:report_download": ("get", "report_job", only(200, "jj")),
        "discipline:ledger_xlsx": ("get", None, only(200, "jj", "jj_other")),
        "discipline:dashboard_xlsx": ("get", None, only(200, "jj", "jj_other")),
    }


def blank_pdf() -> bytes:
    """A one-page PDF a reader opens: a download is watermarked on its pages (cases.watermark)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def report_args(*, jj) -> dict:
    """A finished report job of `jj`."""
    job = ReportJob.objects.create(
        kind="annual", year=timezone.localdate().year, requested_by=jj, status="done", progress=100, created_at=timezone.now()
    )
    job.file.save("matrix.pdf", ContentFile(blank_pdf()))
    return {"report_job": [job.pk]}
