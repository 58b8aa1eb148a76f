"""The discipline side's states of a record (received, verified, handled, closed): the only code in discipline
that writes ``InterferenceRecord.status``; records' services own draft → submitted."""

from __future__ import annotations

from records.models import InterferenceRecord

Status = InterferenceRecord.Status



def record_status_advance(record: InterferenceRecord, status: str) -> None:
    record.status = status
    record.save(update_fields=["status", "updated_at"])
