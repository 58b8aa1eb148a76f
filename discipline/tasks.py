"""Celery discovers ``<app>.tasks``: the report tasks live in ``report_tasks`` and are registered here,
with the nightly reconciliation of the figure cells."""

from celery import shared_task

from .report_tasks import generate_report, sweep_reports


@shared_task(acks_late=True, soft_time_limit=3000, time_limit=3300)
def check_figures() -> bool:
    """Nightly: reconcile the figure cells with the records and repair any drift (discipline.figures)."""
    from .figures import figures_check

    return figures_check(repair=True, actor=None).ok


__all__ = ["check_figures", "generate_report", "sweep_reports"]
