"""Hooks records offers to the apps above it (filled in their AppConfig.ready(); records imports none
of them). Dependencies point one way: cases <- records <- discipline."""

from dataclasses import dataclass, field
from typing import Any

from cases.hooks import Hook

# Called as fn(record=..., actor=...) by record_submit inside its transaction, after the record is
# frozen and before the `record.submitted` event; a ValidationError refuses the submission.
# discipline: routing to the principal and the discipline body (R-ROUTE).
record_submitted = Hook("record_submitted")

# Called as fn(record=...) by the reminder sweep when it tells of a submission, after the recorder's
# discipline body; returns how many notices it sent. discipline: the principal routed for 批示 and
# the staff of a higher-level body the record was routed to (R-ROUTE: every recipient is told).
submission_notices = Hook("submission_notices")

# Called as fn(record=...) on the confirmation page of a draft; returns a list of `Addressee`s: who
# the record will go to if submitted now, by name of body or leader. discipline: the routing (R-ROUTE).
submission_preview = Hook("submission_preview")


@dataclass(frozen=True)
class Addressee:
    """One recipient of a submission as the officer sees it before confirming."""

    role: str  # what they receive it for, e.g. "受理、核实", "批示"
    name: str  # the body's or the leader's name
    optional: bool = False  # only if the officer asks for it on the form


@dataclass(frozen=True)
class RecorderPanel:
    """A part of the record page shown only to its recorder, rendered from `template` with `context`
    (the record page's own context is not passed), with an optional button in the page header."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    action_url: str = ""
    action_label: str = ""
    action_class: str = "btn-outline-secondary"


# Called as fn(user=..., record=...) for the recorder viewing their record; returns a RecorderPanel or
# None. discipline: the recorder's retaliation complaints about the record (R-PROTECT).
recorder_panels = Hook("recorder_panels")

# Called as fn(records=[...]) by the API's record status (records.api); returns {record id: outcome}
# for those that have one, an outcome being a dict of plain values (no person's name, no content).
# discipline: the verification's conclusion and the handling decision.
record_outcomes = Hook("record_outcomes")
