"""Reads of the records endpoints that are more than an access check."""

from __future__ import annotations

from dataclasses import dataclass

from cases.api.vocabulary import ApiEvent
from cases.models import ApiSystem, AuditEvent
from records.record.models import InterferenceRecord
from records.record.vocabulary import RecordEvent

from .access import api_records

# Events that read a record change nothing a synchronising platform keeps.
READ_EVENTS = (RecordEvent.RECORD_VIEWED, RecordEvent.EVIDENCE_DOWNLOADED, ApiEvent.CALLED)
RECORD_OBJECT = InterferenceRecord._meta.label_lower
# Events scanned per record asked for: most events of a page name records already on it, or out of scope.
SCAN_PER_RECORD = 5


@dataclass(frozen=True)
class ChangesPage:
    record_ids: list[int]  # in the order their first change after the cursor was sealed
    cursor: int  # the seq of the last event this page accounts for
    more: bool


def record_changes(*, system: ApiSystem, cursor: int, limit: int) -> ChangesPage:
    """The records `system` reaches that changed after `cursor`, read from the sealed audit chain: its
    order is the order changes became visible (committed), so a cursor never skips a change committed
    late. A change is seen once sealed (within a minute, the seal's beat). Two queries."""
    batch = list(
        AuditEvent.objects.filter(seq__gt=cursor, object_type=RECORD_OBJECT)
        .exclude(type__in=READ_EVENTS)
        .order_by("seq")
        .values_list("seq", "object_id")[: limit * SCAN_PER_RECORD]
    )
    candidates = {int(object_id) for _seq, object_id in batch}
    reachable = set(api_records(system).filter(pk__in=candidates).values_list("pk", flat=True))
    order: list[int] = []
    last, full = cursor, False
    for seq, object_id in batch:
        record_id = int(object_id)
        if record_id in reachable and record_id not in order:
            if len(order) == limit:
                full = True  # this event starts the next page
                break
            order.append(record_id)
        last = seq
    return ChangesPage(record_ids=order, cursor=last, more=full or len(batch) == limit * SCAN_PER_RECORD)
