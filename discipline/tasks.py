"""Celery discovers ``<app>.tasks`` only: the discipline tasks live in their packages and are imported here."""

from discipline.reports.tasks import check_figures, generate_report, sweep_reports

__all__ = ["check_figures", "generate_report", "sweep_reports"]
