"""Reads of accountability pages: recording figures per unit and per officer (records per 100 cases
handled, runs of months without any record, zero-report declarations) and the missing
declarations. Counts start from ``access.routed_records`` so a figure never counts what its reader
cannot open; each read is a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth, ExtractYear

from cases.models import Case, Person, Unit
from discipline.accountability import rules
from discipline.common.bodies import bodies_of, supervised_unit_ids
from discipline.review.access import routed_records
from records.calendar.dates import BEIJING, day_start
from records.models import InterferenceRecord, ZeroReport
from records.zero_report import rules as zero_report_rules
from records.zero_report.selectors import MonthStatus, declaration_status, officers


@dataclass
class Row:
    """One unit or officer on the recording board."""

    label: str
    unit: str = ""
    pk: int | None = None
    person_id: int | None = None
    officers: int = 0
    records: int = 0
    cases: int = 0
    rate: float | None = None
    zero_run: int | None = 0  # None: a unit without officers, where silence means nothing
    longest_zero_run: int | None = 0
    declared_none: int = 0
    declared_all: int = 0
    undeclared: int = 0
    flagged: bool = False
    months: list[bool] = field(default_factory=list)


@dataclass
class RecordingBoard:
    year: int
    months: list[dt.date]
    units: list[Row]
    officers: list[Row]
    threshold: int = zero_report_rules.LONG_ZERO_RUN


def _case_active(year: int) -> Q:
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    return (Q(opened_on__lt=end) | Q(opened_on__isnull=True)) & (Q(closed_on__isnull=True) | Q(closed_on__gte=start))


def recording_board(user, *, year: int, today: dt.date) -> RecordingBoard:
    """Per unit the body supervises and per officer in those units: records made in `year` per 100
    cases handled in `year` (cases open at some time in the year), the months of the last twelve
    complete months without any record (the current run and the longest), and the officer's
    zero-report declarations over those months. Sorted so that long silence comes first."""
    unit_ids = supervised_unit_ids(bodies_of(user))
    units = list(Unit.objects.filter(pk__in=unit_ids).order_by("code"))
    months = zero_report_rules.months_back(zero_report_rules.previous_month(zero_report_rules.month_start(today)), 12)
    recs = routed_records(user).filter(recorder_unit_id__in=unit_ids)
    in_year = recs.filter(occurred_at__gte=day_start(dt.date(year, 1, 1)), occurred_at__lt=day_start(dt.date(year + 1, 1, 1)))
    by_unit = dict(in_year.values_list("recorder_unit_id").annotate(n=Count("id")).order_by())
    by_officer = dict(in_year.values_list("recorder_id").annotate(n=Count("id")).order_by())
    monthly = (
        recs.filter(occurred_at__gte=day_start(months[0]), occurred_at__lt=day_start(zero_report_rules.next_month(months[-1])))
        .annotate(y=ExtractYear("occurred_at", tzinfo=BEIJING), m=ExtractMonth("occurred_at", tzinfo=BEIJING))
        .values_list("recorder_unit_id", "recorder_id", "y", "m")
        .distinct()
    )
    unit_months: set[tuple[int, int, int]] = set()
    officer_months: set[tuple[int, int, int]] = set()
    for unit_id, recorder_id, y, m in monthly:
        unit_months.add((unit_id, y, m))
        officer_months.add((recorder_id, y, m))
    active = Case.objects.filter(_case_active(year))
    cases_by_unit = dict(active.filter(unit_id__in=unit_ids).values_list("unit_id").annotate(n=Count("id")).order_by())
    people = list(officers(unit_ids))
    through = Case.handling_officers.through
    cases_by_officer = dict(
        through.objects.filter(user_id__in=[u.pk for u in people], case__in=active).values_list("user_id").annotate(n=Count("case_id")).order_by()
    )
    # The same figures as 零报告申报情况 and the officer's card: a month counts as undeclared only when
    # the officer owed it (declaration_status).
    status = declaration_status(months, today=today, unit_ids=unit_ids)
    declarations: dict[int, dict[dt.date, str]] = {}
    owed_months: dict[int, int] = {}
    for month_status in status.values():
        for u in month_status.expected:
            owed_months[u.pk] = owed_months.get(u.pk, 0) + 1
        for officer_id, report in month_status.declared.items():
            declarations.setdefault(officer_id, {})[report.month] = report.declaration
    officers_per_unit: dict[int, int] = {}
    for u in people:
        officers_per_unit[u.person.unit_id] = officers_per_unit.get(u.person.unit_id, 0) + 1

    def runs(key_set, key) -> tuple[list[bool], int, int]:
        flags = [(key, m.year, m.month) not in key_set for m in months]
        current, longest = zero_report_rules.zero_runs(flags)
        return flags, current, longest

    unit_rows = []
    for unit in units:
        flags, current, longest = runs(unit_months, unit.pk)
        records, cases = by_unit.get(unit.pk, 0), cases_by_unit.get(unit.pk, 0)
        staff = officers_per_unit.get(unit.pk, 0)
        unit_rows.append(
            Row(
                label=unit.name, pk=unit.pk, officers=staff, records=records, cases=cases,
                rate=rules.rate_per_hundred(records, cases), zero_run=current if staff else None,
                longest_zero_run=longest if staff else None,
                flagged=zero_report_rules.long_silence(zero_run=current, officers=staff), months=flags,
            )  # fmt: skip
        )
    officer_rows = []
    for u in people:
        flags, current, longest = runs(officer_months, u.pk)
        decl = declarations.get(u.pk, {})
        records, cases = by_officer.get(u.pk, 0), cases_by_officer.get(u.pk, 0)
        officer_rows.append(
            Row(
                label=u.person.name, unit=u.person.unit.name, pk=u.pk, person_id=u.person.pk, records=records, cases=cases,
                rate=rules.rate_per_hundred(records, cases), zero_run=current, longest_zero_run=longest,
                declared_none=sum(1 for v in decl.values() if v == ZeroReport.Declaration.NONE),
                declared_all=sum(1 for v in decl.values() if v == ZeroReport.Declaration.ALL_RECORDED),
                undeclared=owed_months.get(u.pk, 0) - len(decl), flagged=zero_report_rules.long_silence(zero_run=current, officers=1),
                months=flags,
            )  # fmt: skip
        )

    def order(row: Row):
        # Units without officers (no run: nobody could record) come last, not first as "silent".
        return (row.zero_run is None, -(row.zero_run or 0), row.rate if row.rate is not None else float("inf"), row.label)

    return RecordingBoard(year=year, months=months, units=sorted(unit_rows, key=order), officers=sorted(officer_rows, key=order))


@dataclass
class ZeroMonthPage:
    """零报告申报情况 for one month: the scope's figures (``status``, the same selector as the officer's
    card and 记录情况分析), the missing officers grouped by unit, and the declared ones."""

    status: MonthStatus
    missing_groups: list[tuple[Unit, list]]


def zero_month_page(user, month: dt.date, *, today: dt.date) -> ZeroMonthPage:
    """Officers of the units `user`'s bodies supervise who owe `month`, who declared and who has not."""
    status = declaration_status([month], today=today, unit_ids=supervised_unit_ids(bodies_of(user)))[zero_report_rules.month_start(month)]
    groups: dict[int, tuple[Unit, list]] = {}
    for u in status.missing:
        groups.setdefault(u.person.unit_id, (u.person.unit, []))[1].append(u)
    return ZeroMonthPage(status=status, missing_groups=sorted(groups.values(), key=lambda g: g[0].code))


def records_made_by(person: Person) -> int:
    """How many records a person has made (any state): a protected recorder has at least one."""
    if person.user_id is None:
        return 0
    return InterferenceRecord.objects.filter(recorder_id=person.user_id).count()
