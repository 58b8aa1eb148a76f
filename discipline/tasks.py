"""Celery discovers ``<app>.tasks``: the report tasks live in ``report_tasks`` and are registered here."""

from .report_tasks import generate_report, sweep_reports

__all__ = ["generate_report", "sweep_reports"]
