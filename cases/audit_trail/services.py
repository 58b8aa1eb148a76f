"""Writers of the audit trail's own side: reading and exporting it (each audited), and the storage
alert to the 安全审计员. The trail itself is never changed or deleted here or anywhere (database
triggers, migration 0023)."""

import csv
import datetime as dt
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import signing, sm
from cases.audit import audit, read_anchor, seal_chain
from cases.audit_seal import SealKeyError, seal_key
from cases.formats import cn_date
from cases.health import existing_folder, gib
from cases.models import AuditEvent
from cases.pagination import OpenEndedPage

from . import rules
from .alerts import auditor_alerts
from .selectors import TrailFilter, actor_label, summary, trail_events
from .vocabulary import AuditTrailEvent

PAGE_SIZE = 50
# An export larger than this is refused with a request to narrow the filter: the file is built in
# the request, and a year of a province's trail is for the backup, not a spreadsheet.
EXPORT_MAX_ROWS = 100_000


@transaction.atomic
def audit_trail_read(*, trail_filter: TrailFilter, page: int, actor) -> OpenEndedPage:
    """One page of the events matching `trail_filter` (PAGE_SIZE, newest first, without a total: a
    COUNT over millions of events is not worth a page number), and the reading audited."""
    page = max(1, page)
    rows = list(trail_events(trail_filter)[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    audit(type=AuditTrailEvent.TRAIL_VIEWED, actor=actor, data={"filter": trail_filter.described(), "page": page})
    return OpenEndedPage(object_list=rows[:PAGE_SIZE], number=page, has_next=len(rows) > PAGE_SIZE)


@dataclass(frozen=True)
class TrailExport:
    content: bytes
    filename: str
    sm3: str
    rows: int


def _head_line() -> str:
    """The sealed head as anchored now (seq, hash, anchored_at, HMAC-SM3, key id on one line that
    `verify_audit_chain --head` reads), or why there is none."""
    try:
        anchor = read_anchor()
    except ValueError as error:
        return _("链头无法读取：%(error)s") % {"error": error}
    if anchor is None:
        return _("尚无封存的链头")
    return anchor.as_line()


def audit_trail_export(*, trail_filter: TrailFilter, actor, now: dt.datetime) -> TrailExport:
    """The events matching `trail_filter` as a CSV file (UTF-8 with BOM, for Excel), headed by who
    exported what and when, and the chain head sealed with HMAC-SM3 at that moment, the whole file
    signed with the system's SM2 key; the export is audited with its filter and the file's SM3. ValidationError when more than EXPORT_MAX_ROWS match."""
    # Seal first (its own transactions), so the head in the file covers every event exported.
    seal_chain()
    with transaction.atomic():
        events = trail_events(trail_filter)
        total = events.count()
        if total > EXPORT_MAX_ROWS:
            raise ValidationError(
                _("符合条件的审计记录有%(count)s条，超过单次导出上限%(limit)s条，请缩小时间范围或增加条件。") % {"count": total, "limit": EXPORT_MAX_ROWS}
            )
        local = timezone.localtime(now)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([_("干预过问记录系统 审计记录导出")])
        writer.writerow([_("导出时间"), f"{cn_date(local)} {local:%H:%M:%S}"])
        writer.writerow([_("导出人"), actor.get_username()])
        writer.writerow([_("筛选条件"), "；".join(f"{name}={value}" for name, value in trail_filter.described().items()) or _("全部")])
        writer.writerow([_("记录条数"), total])
        writer.writerow([_("链头封印（HMAC-SM3）"), _head_line()])
        writer.writerow([])
        writer.writerow([_("时间"), _("事件类型"), _("操作人"), _("对象类型"), _("对象编号"), _("来源地址"), _("请求编号"), _("链序号"), _("哈希算法"), _("本事件哈希"), _("说明")])
        for event in events.iterator(chunk_size=2000):
            writer.writerow([
                timezone.localtime(event.occurred_at).isoformat(timespec="seconds"), event.get_type_display(), actor_label(event),
                event.object_type, event.object_id, event.ip or "", event.request_id, event.seq or "", event.hash_algorithm, event.hash,
                summary(event),
            ])  # fmt: skip
        # Signed like an issued document: a last line an SM2 signature over every byte before it
        # (cases.signing; `manage.py verify_document` checks the file).
        content = signing.sign_document(buffer.getvalue().encode("utf-8-sig"))
        digest = sm.digest(sm.SM3, content)
        filename = f"audit-trail-{local:%Y%m%d-%H%M%S}.csv"
        audit(
            type=AuditTrailEvent.TRAIL_EXPORTED,
            actor=actor,
            data={"filter": trail_filter.described(), "rows": total, "file": filename, "sm3": digest},
        )
    return TrailExport(content=content, filename=filename, sm3=digest, rows=total)


@dataclass(frozen=True)
class StorageUsage:
    disk_total: int
    disk_used: int
    db_size: int


def database_size() -> int:
    """Bytes the database takes: PostgreSQL's own count, or SQLite's pages."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA page_count")
            pages = int(cursor.fetchone()[0])
            cursor.execute("PRAGMA page_size")
            return pages * int(cursor.fetchone()[0])
    return 0


def measure_usage() -> StorageUsage:
    disk = shutil.disk_usage(existing_folder(Path(settings.PRIVATE_STORAGE_ROOT)))
    return StorageUsage(disk_total=disk.total, disk_used=disk.used, db_size=database_size())


def storage_check(*, now: dt.datetime, usage: StorageUsage | None = None) -> list[rules.StorageCondition]:
    """Tell the auditors of every store at least AUDIT_STORAGE_ALERT_PERCENT full (rules.storage_conditions),
    once per store and day (Asia/Shanghai): one audit event and one notice to each auditor (after the
    commit, through cases.audit_trail.alerts). Returns the conditions newly alerted."""
    usage = usage or measure_usage()
    found = rules.storage_conditions(
        disk_total=usage.disk_total, disk_used=usage.disk_used, db_size=usage.db_size,
        db_capacity=settings.AUDIT_DATABASE_CAPACITY_BYTES, threshold=settings.AUDIT_STORAGE_ALERT_PERCENT,
    )  # fmt: skip
    day = timezone.localdate(now)
    alerted = []
    for condition in found:
        key = f"audit-storage:{condition.name}:{day.isoformat()}"
        with transaction.atomic():
            if AuditEvent.objects.filter(type=AuditTrailEvent.STORAGE_ALERT, data__key=key).exists():
                continue
            audit(
                type=AuditTrailEvent.STORAGE_ALERT,
                actor=None,
                data={"key": key, "store": condition.name, "percent": condition.percent, "threshold": condition.threshold},
            )
            title, body = _alert_text(condition, usage)
            transaction.on_commit(lambda key=key, title=title, body=body: auditor_alerts.run(key=key, title=title, body=body, link=reverse("audit:trail")))
        alerted.append(condition)
    return alerted


def _alert_text(condition: rules.StorageCondition, usage: StorageUsage) -> tuple[str, str]:
    shown = {"percent": condition.percent, "threshold": condition.threshold}
    if condition.name == rules.STORAGE:
        title = _("存储空间告警：私有存储卷已用%(percent)s%%") % shown
        body = _("私有存储卷（证据、审计链锚定文件）已用%(percent)s%%，剩余%(free)s，达到告警阈值%(threshold)s%%。审计记录至少在线保存6个月且不得删除，请及时扩容。") % {
            **shown,
            "free": gib(usage.disk_total - usage.disk_used),
        }
    else:
        title = _("存储空间告警：数据库已用%(percent)s%%") % shown
        body = _("数据库已占用%(size)s，为分配容量的%(percent)s%%，达到告警阈值%(threshold)s%%。审计记录至少在线保存6个月且不得删除，请及时扩容。") % {
            **shown,
            "size": gib(usage.db_size),
        }
    return title, body


def seal_key_problem() -> str:
    """Why the chain head cannot be sealed now, for the auditor's page, or empty."""
    try:
        seal_key()
    except SealKeyError as error:
        return str(error)
    return ""
