"""The discipline side's state machine of a record, and the one module that writes its states.

    submitted → received (签收) → verified (核实) → closed (own unit, or no action)
                                                → handled (notice letter to another unit's party
                                                  organisation) → closed when the outcome comes back

``record_status_advance`` is the only code anywhere that writes ``InterferenceRecord.status`` to
received, verified, handled or closed; ``discipline.review.services`` calls it inside its transactions,
which also write the audit events. The record's own machine (draft → submitted) belongs to records and
is written by ``records.record.services.record_submit`` alone. The statuses stay on the record (one
column, which the lists, the ledger and the figures filter on) rather than in a discipline model.
``discipline/tests/test_state_machines.py`` checks that no other module writes either side's states.
"""

from __future__ import annotations

from records.models import InterferenceRecord

Status = InterferenceRecord.Status

# The states this module owns, and the moves between them.
DISCIPLINE_STATES = frozenset({Status.RECEIVED, Status.VERIFIED, Status.HANDLED, Status.CLOSED})
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.SUBMITTED: frozenset({Status.RECEIVED}),
    Status.RECEIVED: frozenset({Status.VERIFIED}),
    Status.VERIFIED: frozenset({Status.HANDLED, Status.CLOSED}),
    Status.HANDLED: frozenset({Status.CLOSED}),
}


def record_status_advance(record: InterferenceRecord, status: str) -> None:
    """Move `record` (locked by the caller) to `status`. The services check the user-facing
    preconditions with their own messages; a move the machine does not allow is a programming error."""
    if status not in TRANSITIONS.get(record.status, frozenset()):
        raise ValueError(f"record {record.pk}: no transition from {record.status!r} to {status!r}")
    record.status = status
    record.save(update_fields=["status", "updated_at"])
