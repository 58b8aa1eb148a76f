"""Waking the Celery worker after a commit, rather than waiting for the next beat.

The broker only wakes the worker (DESIGN §2): the database says what is owed. If the broker is down,
the user's action has already succeeded and the next scheduled run does the work, so a failure here
is logged, never raised.
"""

import datetime as dt
import logging
from collections.abc import Sequence

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from .models import WorkerPulse
from .rules import pulse_late, worker_silence_minutes

log = logging.getLogger(__name__)


def wake_worker(task_name: str, *, args: Sequence = (), expires: float | None = None, logger: logging.Logger | None = None) -> None:
    """Ask the worker to run `task_name` now. `retry=False`: a dead broker must not hold up the request
    that woke it. `expires`: a wake-up nobody took in time is spent (the scheduled run has done the
    work), so wake-ups made while no worker ran are dropped instead of queueing up ahead of real work.
    `logger`: the caller's, so a broker failure is logged where the caller's logs go."""
    try:
        current_app.send_task(task_name, args=list(args), retry=False, expires=expires)
    except Exception:  # noqa: BLE001 - any broker failure; the scheduled run is the safety net
        (logger or log).warning("broker unavailable; the next scheduled run of %s does what is owed", task_name, exc_info=True)


def wake_worker_after_commit(task_name: str, *, args: Sequence = (), expires: float | None = None, logger: logging.Logger | None = None) -> None:
    transaction.on_commit(lambda: wake_worker(task_name, args=args, expires=expires, logger=logger))


# --- Whether a worker answers (issue 19) ------------------------------------------------------------
# The pulse names: the worker's (a task the beat sends every WORKER_PULSE_SECONDS) and the sweeps'.
WORKER = "worker"
REMINDER_SWEEP = "reminder-sweep"
REPORT_SWEEP = "report-sweep"
PULSE_TASK = "cases.tasks.worker_pulse"


def record_pulse(name: str, *, now: dt.datetime) -> None:
    """Note that `name` ran at `now` (a heartbeat, not an action: no audit event)."""
    WorkerPulse.objects.update_or_create(name=name, defaults={"at": now})


def last_pulses() -> dict[str, dt.datetime]:
    return dict(WorkerPulse.objects.values_list("name", "at"))


def worker_silence_notice(*, waiting_since: dt.datetime, now: dt.datetime) -> str:
    """What a page waiting on the worker says when no worker has answered for WORKER_SILENT_SECONDS,
    or "" while one answers."""
    last = WorkerPulse.objects.filter(name=WORKER).values_list("at", flat=True).first()
    minutes = worker_silence_minutes(last_pulse=last, waiting_since=waiting_since, now=now, limit_seconds=settings.WORKER_SILENT_SECONDS)
    if minutes is None:
        return ""
    if last is None:
        return _("后台进程尚未响应：本任务已排队%(minutes)s分钟，暂无进程处理。请联系系统管理员检查后台进程。") % {"minutes": minutes}
    return _("后台进程已有%(minutes)s分钟没有响应，排队的任务暂未处理，恢复后将自动继续。请联系系统管理员检查后台进程。") % {"minutes": minutes}


def queue_length(queue: str | None = None) -> int | None:
    """Messages waiting in `queue` (the default queue unless named): a count of files for the
    filesystem broker, LLEN for Redis; None when the broker cannot be asked."""
    app = current_app
    try:
        with app.connection_for_read() as connection:
            # Not passive: Redis has no key for an empty queue, and a passive declare of it fails.
            return connection.default_channel.queue_declare(queue or app.conf.task_default_queue).message_count
    except Exception:  # noqa: BLE001 - any broker failure: the status page says "unknown"
        log.warning("could not read the broker's queue length", exc_info=True)
        return None


def pulse_rows(*, now: dt.datetime) -> list[dict]:
    """When the worker last answered and each sweep the beat sends last finished, and whether that is
    late (cases.rules.pulse_late): the worker once silent for WORKER_SILENT_SECONDS (when pages waiting
    on it say so), a sweep once it missed two of its runs and WORKER_SILENT_SECONDS more (a ring the
    busy worker took too late expires, so one missed run alone is no alarm)."""
    pulses = last_pulses()
    silent = settings.WORKER_SILENT_SECONDS
    rows = []
    for name, label, every, limit in (
        (WORKER, _("后台进程响应（worker）"), settings.WORKER_PULSE_SECONDS, silent),
        (REMINDER_SWEEP, _("提醒扫描（beat 定时发起）"), settings.REMINDER_SWEEP_SECONDS, 2 * settings.REMINDER_SWEEP_SECONDS + silent),
        (REPORT_SWEEP, _("报告任务扫描（beat 定时发起）"), settings.REPORT_SWEEP_SECONDS, 2 * settings.REPORT_SWEEP_SECONDS + silent),
    ):
        at = pulses.get(name)
        rows.append({"name": name, "label": label, "at": at, "every": int(every), "limit": int(limit), "late": pulse_late(at=at, now=now, limit_seconds=limit)})
    return rows


def background_status(*, now: dt.datetime) -> dict:
    """The administrator's view of the background side: the pulses (pulse_rows) and how many messages
    wait in the broker."""
    rows = pulse_rows(now=now)
    return {
        "rows": rows,
        "all_well": not any(row["late"] for row in rows),
        "queue_length": queue_length(),
        "broker": _("Redis") if settings.REDIS_URL else _("本机文件队列（%(folder)s）") % {"folder": settings.CELERY_BROKER_DIR},
    }
