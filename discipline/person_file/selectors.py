"""The integrity file (廉政档案) of one person: what the reader may see of the person's records, sanctions and faults."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from cases.models import Person
from discipline.review import rules as review_rules
from discipline.review.access import routed_records
from discipline.review.selectors import for_rows, with_timeliness
from records.models import InterferenceRecord


@dataclass
class IntegrityFile:
    person: Person
    as_interferer: list[InterferenceRecord]
    substantiated: int
    is_repeat: bool
    sanctions: list
    as_recorder: list[InterferenceRecord]
    recorder_on_time: int
    recorder_late: int



def integrity_file(user, person: Person, now: dt.datetime) -> IntegrityFile:
    """R-FILE (000 第十二条; 002 第十一条): what a person's integrity and enforcement file holds, as far
    as `user` may see: records naming them as interferer or leader behind with the verification,
    sanctions entered by the user's bodies, and as a recorder the records they made and their
    timeliness."""
    from discipline.review.access import sanctions_visible_to

    visible = routed_records(user)
    named = list(for_rows(visible.filter(Q(interferer=person) | Q(behind_person=person))).order_by("-occurred_at", "-id"))
    substantiated = sum(1 for r in named if getattr(getattr(r, "review", None), "conclusion", "") in review_rules.SUBSTANTIATED)
    sanctions = list(sanctions_visible_to(user).filter(person=person).select_related("record").order_by("-decided_on", "-id"))
    made: list[InterferenceRecord] = []
    if person.user_id:
        made = with_timeliness(list(for_rows(visible.filter(recorder_id=person.user_id)).order_by("-occurred_at", "-id")), now)
    on_time = sum(1 for r in made if r.deadline.code == "submitted")
    late = sum(1 for r in made if r.deadline.code in ("submitted_late", "overdue"))
    file = IntegrityFile(
        person=person,
        as_interferer=named,
        substantiated=substantiated,
        is_repeat=substantiated >= review_rules.REPEAT_THRESHOLD,
        sanctions=sanctions,
        as_recorder=made,
        recorder_on_time=on_time,
        recorder_late=late,
    )
    # Issue 8: enforcement errors (tolerated excluded, 004 第二十一条), tolerated errors, cleared names.
    from discipline.faults.selectors import fault_file

    file.fault = fault_file(user, person)
    return file
