"""The reminder sweep (R-REMIND): everything owed at `now`, then the e-mails of the notices sent.

The database is the source of truth: each step reads what is owed from it (a record's
`next_notice_at`, pending `CalendarRecompute` rows, months without a zero report, deadlines of
discipline's procedures), so the sweep is safe to run concurrently and repeatedly, and the Celery task
(records.notifications.tasks.sweep) only calls it.

The steps are registered in AppConfig.ready(): records' own first (recomputed, record_notices,
digests, calendar_warnings, zero_report_reminders), then discipline's (fault_reminders,
campaign_reminders), which records may not import.
"""

import datetime as dt
import logging

from django.conf import settings

from cases.hooks import NamedSteps
from cases.worker import wake_worker, wake_worker_after_commit

from .services import deliver_emails

log = logging.getLogger(__name__)
# The Celery task that runs the sweep (records.notifications.tasks.sweep), by name: waking it needs no import.
SWEEP_TASK = "records.tasks.sweep"

# Each step is called as step(now=now) and returns how many notices (or changes) it made.
sweep_steps = NamedSteps("sweep_steps")


def reminder_sweep(*, now: dt.datetime) -> dict[str, int]:
    """Run every registered step in order, then send the e-mails owed; the count of each by name."""
    result = {name: step(now=now) for name, step in sweep_steps.items()}
    result["emails"] = deliver_emails(now=now)
    return result


def wake_sweep() -> None:
    """Ask the worker to sweep now rather than at the next beat. A wake-up nobody took within one sweep
    period is spent: the scheduled sweep has sent what was owed."""
    wake_worker(SWEEP_TASK, expires=settings.REMINDER_SWEEP_SECONDS, logger=log)


def wake_sweep_after_commit() -> None:
    wake_worker_after_commit(SWEEP_TASK, expires=settings.REMINDER_SWEEP_SECONDS, logger=log)
