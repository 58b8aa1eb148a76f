"""The audit log (全程留痕，有据可查): writing events, sealing them into a hash chain, verifying it.

Events are written by services and access helpers inside their transaction, never by signals, so
Celery tasks and management commands are audited too, and `QuerySet.update()` or `bulk_create` in a
service cannot slip past a save() hook.

Sealing is separate from writing: `seal_chain` gives unsealed events their place (`seq`), the
previous event's hash and their own, in the order they became visible (committed). Writers never
wait for one another on a chain lock; the sealer runs every minute (Celery beat) and before every
verification. Once sealed, an event cannot be changed or deleted (a PostgreSQL trigger refuses it),
and a change made anyway by whoever owns the database breaks the chain from that event on.
"""

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction

from .middleware import current_client_ip, current_request_id
from .models import AuditEvent

GENESIS = "0" * 64
# Any constant: the key of the PostgreSQL advisory lock that lets one sealer run at a time.
_SEAL_LOCK_KEY = 7_202_611


def audit(*, type: AuditEvent.Type, actor, obj: models.Model | None = None, data: dict[str, Any] | None = None) -> AuditEvent:
    """Append one audit event for `actor` doing `type` to `obj`, with the request id and address of
    the current request (empty for tasks and commands)."""
    return AuditEvent.objects.create(
        type=type,
        actor=actor if getattr(actor, "pk", None) else None,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=data or {},
        request_id=current_request_id(),
        ip=current_client_ip() or None,
    )


def canonical(event: AuditEvent) -> bytes:
    """The bytes an event's hash covers: every field but the chain's own, in a fixed form."""
    return json.dumps(
        {
            "type": event.type,
            "actor": event.actor_id,
            "at": event.occurred_at.isoformat(timespec="microseconds"),
            "object_type": event.object_type,
            "object_id": event.object_id,
            "data": event.data,
            "request_id": event.request_id,
            "ip": event.ip or "",
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def link_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(event)).hexdigest()


def _lock_sealer() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEAL_LOCK_KEY])


def seal_chain(*, batch: int = 5000) -> int:
    """Seal every committed unsealed event, oldest first. Returns how many were sealed."""
    sealed = 0
    while True:
        with transaction.atomic():
            _lock_sealer()
            head = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", "hash").first()
            seq, prev = head if head else (0, GENESIS)
            # Re-read from the database so the hash covers exactly what is stored (JSON, timestamps).
            pending = list(AuditEvent.objects.filter(seq__isnull=True).order_by("id")[:batch])
            if not pending:
                return sealed
            for event in pending:
                seq += 1
                event.seq = seq
                event.prev_hash = prev
                event.hash = link_hash(prev, event)
                prev = event.hash
            AuditEvent.objects.bulk_update(pending, ["seq", "prev_hash", "hash"])
            sealed += len(pending)


@dataclass
class ChainReport:
    """What a verification found. `problems` holds human-readable findings, first broken link first."""

    events_checked: int = 0
    unsealed: int = 0
    head_seq: int | None = None
    head_hash: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain() -> ChainReport:
    """Walk the sealed chain in order and recompute every link. Stops at the first broken one."""
    report = ChainReport(unsealed=AuditEvent.objects.filter(seq__isnull=True).count())
    expected_seq, prev = 1, GENESIS
    for event in AuditEvent.objects.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=2000):
        report.events_checked += 1
        if event.seq != expected_seq:
            report.problems.append(f"审计链在第{expected_seq}号断开：缺失或插入了事件（实际为第{event.seq}号，事件ID {event.pk}）")
            break
        if event.prev_hash != prev:
            report.problems.append(f"审计链在第{event.seq}号断开：前一事件哈希不符（事件ID {event.pk}）")
            break
        if link_hash(prev, event) != event.hash:
            report.problems.append(f"审计链在第{event.seq}号断开：事件内容被修改（事件ID {event.pk}，{event.get_type_display()}）")
            break
        prev = event.hash
        expected_seq += 1
    report.head_seq = expected_seq - 1 if expected_seq > 1 else None
    report.head_hash = prev if expected_seq > 1 else ""
    return report


def chain_head() -> tuple[int, str] | None:
    """(seq, hash) of the last sealed event, for anchoring outside the database."""
    return AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", "hash").first()
