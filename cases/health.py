"""The product's health (issue 22): the checks behind /health/ready and the administrator's 运行状态
page, one function for both. A check says in words what it found and never shows a path, a URL or
anything of a record: load balancers and monitors read the answer without signing in."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from .worker import pulse_rows

log = logging.getLogger(__name__)

# A broker or database that does not answer costs the probe at most this long.
PROBE_TIMEOUT_SECONDS = 2


@dataclass(frozen=True)
class Check:
    name: str  # stable, for machines: database, broker, worker, reminder_sweep, report_sweep, storage
    label: str
    ok: bool
    detail: str


def system_checks(*, now: dt.datetime) -> list[Check]:
    """Every check, in the order the status page shows them. A check that raises fails with its
    fallback wording (the exception is logged, not shown: it may name a host or a password)."""
    checks = [_checked("database", _("数据库"), _database, _("数据库无法连接或查询失败。"))]
    checks.append(_checked("broker", _("任务队列"), _broker, _("任务队列无法连接。")))
    try:
        rows = pulse_rows(now=now)
    except Exception:  # noqa: BLE001 - the database check above already says why
        log.warning("health: the pulses could not be read", exc_info=True)
        rows = None
    for name in ("worker", "reminder_sweep", "report_sweep"):
        checks.append(_pulse_check(name, rows, now=now))
    checks.append(_checked("storage", _("私有存储空间"), _storage, _("私有存储目录无法读取。")))
    return checks


def readiness(*, now: dt.datetime) -> dict:
    """The answer of /health/ready: {"status": "ok"|"fail", "checks": {name: {"ok", "detail"}}}."""
    checks = system_checks(now=now)
    return {
        "status": "ok" if all(check.ok for check in checks) else "fail",
        "checks": {check.name: {"ok": check.ok, "detail": check.detail} for check in checks},
    }


def _checked(name: str, label: str, probe: Callable[[], tuple[bool, str]], failure: str) -> Check:
    try:
        ok, detail = probe()
    except Exception:  # noqa: BLE001 - whatever the failure, the check fails and says so in words
        log.warning("health check %s failed", name, exc_info=True)
        ok, detail = False, failure
    return Check(name=name, label=label, ok=ok, detail=detail)


def _database() -> tuple[bool, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True, _("数据库连接正常。")


def _broker() -> tuple[bool, str]:
    """Redis answers a PING; the embedded filesystem broker's queue folder can be written."""
    url = settings.CELERY_BROKER_URL
    if url.startswith(("redis://", "rediss://", "unix://")):
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=PROBE_TIMEOUT_SECONDS, socket_timeout=PROBE_TIMEOUT_SECONDS)
        try:
            client.ping()
        finally:
            client.close()
        return True, _("任务队列（Redis）响应正常。")
    folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("data_folder_out") or settings.CELERY_BROKER_DIR
    if writable(Path(folder)):
        return True, _("任务队列（本机文件队列）目录可写。")
    return False, _("任务队列（本机文件队列）目录不可写。")


def _storage() -> tuple[bool, str]:
    """Evidence and reports can still be written: the folder (or, before the first upload, the
    nearest folder above it) is writable and has HEALTH_MIN_FREE_BYTES free."""
    folder = existing_folder(Path(settings.PRIVATE_STORAGE_ROOT))
    if not writable(folder):
        return False, _("私有存储目录不可写。")
    usage = shutil.disk_usage(folder)
    shown = {"free": gib(usage.free), "percent": f"{100 * usage.free / usage.total:.0f}" if usage.total else "0", "minimum": gib(settings.HEALTH_MIN_FREE_BYTES)}
    if usage.free < settings.HEALTH_MIN_FREE_BYTES:
        return False, _("私有存储剩余空间 %(free)s（%(percent)s%%），低于下限 %(minimum)s。") % shown
    return True, _("私有存储剩余空间 %(free)s（%(percent)s%%）。") % shown


def _pulse_check(name: str, rows: list[dict] | None, *, now: dt.datetime) -> Check:
    """The worker's or a sweep's heartbeat (cases.worker.pulse_rows: the rows the status page lists)."""
    if rows is None:  # only when the database is down: nobody then reads the label on the status page
        return Check(name=name, label=name, ok=False, detail=_("无法读取（数据库不可用）。"))
    row = next(row for row in rows if row["name"] == name.replace("_", "-"))
    if row["at"] is None:
        detail = _("从未运行。")
    elif row["late"]:
        detail = _("已有 %(seconds)s 秒没有运行（应在 %(limit)s 秒内）。") % {"seconds": int((now - row["at"]).total_seconds()), "limit": row["limit"]}
    else:
        detail = _("%(seconds)s 秒前运行。") % {"seconds": max(0, int((now - row["at"]).total_seconds()))}
    return Check(name=name, label=row["label"], ok=not row["late"], detail=detail)


def existing_folder(path: Path) -> Path:
    """`path`, or the nearest folder above it that exists (a folder is made at its first write)."""
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def writable(path: Path) -> bool:
    folder = existing_folder(path)
    return folder.is_dir() and os.access(folder, os.W_OK)


def gib(size: int) -> str:
    return f"{size / 1024**3:.1f} GiB"
