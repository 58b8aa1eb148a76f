"""Reconciliation of the figure cells with the records (``manage.py figures_check`` and the nightly task), and
the repair that rebuilds them. Audited as ``figures.checked``."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Sum

from discipline.reports.figures.cells import _month_records, _months_with_records, _roll_up_all, rebuild_cells, refresh_cells
from discipline.reports.figures.facts import ROUTED_ROLES, facts
from discipline.reports.figures.rules import CellKey, tally
from discipline.reports.models import FigureBodyCell, FigureCell
from discipline.reports.vocabulary import ReportEvent
from discipline.review.models import Routing


@dataclass
class Mismatch:
    """Cells of one unit-month (or, with no unit, the body cells of a month) that differ from the records."""

    month: dt.date
    recorder_unit_id: int | None
    expected: dict
    stored: dict



def check_cells(*, repair: bool = False) -> tuple[list[Mismatch], list[int]]:
    """Reconcile the cells with the records, month by month: the unit-months whose stored cells
    differ from what the records give (repaired when asked), and the ids of records routed to a body
    whose staff group lacks the view grant (the invariant the cells rely on; never repaired here)."""
    mismatches: list[Mismatch] = []
    for month in _months_with_records() or []:
        expected = tally(facts(_month_records(None, month)))
        stored: Counter[CellKey] = Counter()
        for cell in FigureCell.objects.filter(month=month).values_list("body_one_id", "body_two_id", "recorder_unit_id", "month", "dimension", "key", "count"):
            stored[cell[:6]] += cell[6]
        units = {key[2] for key in expected} | {key[2] for key in stored}
        for unit in sorted(units):
            mine = {k: n for k, n in expected.items() if k[2] == unit and n}
            theirs = {k: n for k, n in stored.items() if k[2] == unit and n}
            if mine != theirs:
                mismatches.append(Mismatch(month, unit, mine, theirs))
                if repair:
                    refresh_cells(unit_id=unit, month=month)
        expected_sums = Counter(
            {
                row[:5]: row[5]
                for row in FigureCell.objects.filter(month=month)
                .values("body_one_id", "body_two_id", "month", "dimension", "key")
                .annotate(n=Sum("count"))
                .values_list("body_one_id", "body_two_id", "month", "dimension", "key", "n")
            }
        )
        stored_sums = Counter(
            {row[:5]: row[5] for row in FigureBodyCell.objects.filter(month=month).values_list("body_one_id", "body_two_id", "month", "dimension", "key", "count")}
        )
        if +expected_sums != +stored_sums:
            mismatches.append(Mismatch(month, None, dict(expected_sums), dict(stored_sums)))
            if repair:
                _roll_up_all(month)
    stale = FigureCell.objects.exclude(month__in=_months_with_records()).values_list("recorder_unit_id", "month").distinct()
    for unit, month in list(stale):
        mismatches.append(Mismatch(month, unit, {}, {"stale": True}))
        if repair:
            refresh_cells(unit_id=unit, month=month)
    for month in FigureBodyCell.objects.exclude(month__in=_months_with_records()).values_list("month", flat=True).distinct():
        mismatches.append(Mismatch(month, None, {}, {"stale": True}))
        if repair:
            _roll_up_all(month)
    return mismatches, ungranted_routings()



def ungranted_routings() -> list[int]:
    """Records routed to a discipline body whose staff group does not hold the view grant (one query)."""
    from django.db.models import Value
    from django.db.models.functions import Concat

    from cases.roles import discipline_group_name
    from records.models import RecordGroupObjectPermission

    prefix = discipline_group_name("")
    grant = RecordGroupObjectPermission.objects.filter(
        content_object_id=OuterRef("record_id"),
        permission__codename="view_interferencerecord",
        group__name=Concat(Value(prefix), OuterRef("body__code")),
    )
    routed = Routing.objects.filter(role__in=ROUTED_ROLES, body__isnull=False)
    return sorted(set(routed.filter(~Exists(grant)).values_list("record_id", flat=True)))



@dataclass
class FiguresCheck:
    mismatches: list[Mismatch]
    ungranted: list[int]
    repaired: bool

    @property
    def ok(self) -> bool:
        return not self.mismatches and not self.ungranted



def figures_check(*, repair: bool, actor) -> FiguresCheck:
    """Reconcile the figure cells with the records (``check_cells``), repairing drifted unit-months
    when asked; one audit event with what was found (the nightly task and ``manage.py figures_check``).
    Routings whose group grant is missing are reported, never repaired here: a missing grant is a
    security question for a person, not for a job. Not one transaction on purpose: each repaired
    unit-month is its own (``refresh_cells``), so a check of millions of records does not hold the
    locks of every repaired unit until it ends."""
    from cases.audit import audit

    mismatches, ungranted = check_cells(repair=repair)
    audit(
        type=ReportEvent.FIGURES_CHECKED,
        actor=actor,
        data={
            "mismatches": len(mismatches),
            "unit_months": [[m.recorder_unit_id, m.month.isoformat()] for m in mismatches[:100]],
            "repaired": repair and bool(mismatches),
            "ungranted_records": ungranted[:100],
        },
    )
    return FiguresCheck(mismatches=mismatches, ungranted=ungranted, repaired=repair and bool(mismatches))



def figures_rebuild(*, actor) -> tuple[int, list[int]]:
    """Write every cell afresh from the records (``rebuild_cells``) and check the grants; one audit
    event. Returns (cells written, records routed without the group grant)."""
    from cases.audit import audit

    written = rebuild_cells()
    ungranted = ungranted_routings()
    audit(type=ReportEvent.FIGURES_CHECKED, actor=actor, data={"rebuilt": written, "ungranted_records": ungranted[:100]})
    return written, ungranted
