"""Reads of the monthly zero report: months, record counts, officers who owe a declaration."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from records.calendar.dates import day_start, local_date
from records.calendar.workdays import WorkCalendar
from records.record.models import InterferenceRecord

from . import rules
from .models import ZeroReport


def month_label(month: dt.date) -> str:
    return _("%(y)s年%(m)s月") % {"y": month.year, "m": month.month}


def declaration_text(declaration: str, month: dt.date) -> str:
    """A declaration's words naming its month ("2026年11月无…"), where the stored choice says 本月."""
    if declaration == ZeroReport.Declaration.NONE:
        return _("%(month)s无领导干部干预、内部人员过问案件情况") % {"month": month_label(month)}
    return _("%(month)s领导干部干预、内部人员过问案件情况已全部如实记录") % {"month": month_label(month)}


def month_record_count(officer, month: dt.date) -> int:
    """Records `officer` made about interference that occurred in `month` (any state)."""
    start, end = day_start(month), day_start(rules.next_month(month))
    return InterferenceRecord.objects.filter(recorder=officer, occurred_at__gte=start, occurred_at__lt=end).count()


def month_begins(month: dt.date) -> dt.datetime:
    return day_start(month)


def officers(unit_ids: list[int] | None = None, *, for_month: dt.date | None = None):
    """Active users holding the officer role with a unit; optionally only in `unit_ids`, and only
    those who owe a declaration for `for_month` (joined before it began, ``rules.required``)."""
    qs = get_user_model().objects.filter(is_active=True, groups__name="officer", person__unit__isnull=False)
    if unit_ids is not None:
        qs = qs.filter(person__unit_id__in=unit_ids)
    if for_month is not None:
        qs = qs.filter(date_joined__lt=month_begins(for_month))
    return qs.select_related("person__unit").order_by("person__unit__code", "person__name", "pk")


def declarations_of(officer, limit: int = 24) -> list[ZeroReport]:
    """The officer's own declarations, newest first."""
    return list(ZeroReport.objects.filter(officer=officer).order_by("-month")[:limit])


@dataclass(frozen=True)
class MonthDates:
    """The dates of one month's declaration, from ``rules`` (the one place they are decided)."""

    month: dt.date
    label: str
    due: dt.date
    closes: dt.date
    overdue: bool  # today is after the due date: whoever owes and has not declared is late


def month_dates(months: Iterable[dt.date], today: dt.date) -> dict[dt.date, MonthDates]:
    """Due date, last day accepted and whether the due date has passed, for each of `months`; one
    calendar load (two queries) for all of them."""
    months = sorted({rules.month_start(m) for m in months})
    if not months:
        return {}
    calendar = WorkCalendar.load(rules.due_calendar_window(months[0])[0], rules.due_calendar_window(months[-1])[1])
    return {
        m: MonthDates(month=m, label=month_label(m), due=rules.due_date(m, calendar), closes=rules.window_closes(m),
                      overdue=rules.is_late(m, today, calendar))
        for m in months
    }  # fmt: skip


@dataclass
class MonthStatus:
    """Who owed a month's declaration in a scope and who made it: the figures every page shows
    (the officer's card, 零报告申报情况, 记录情况分析, the annual report), so they cannot differ.

    ``expected`` are the officers in scope who owe the month (``rules.required``) or declared it
    anyway; ``declared`` maps each declaring officer's id to the declaration."""

    dates: MonthDates
    expected: list = field(default_factory=list)
    declared: dict[int, ZeroReport] = field(default_factory=dict)

    @property
    def expected_count(self) -> int:
        return len(self.expected)

    @property
    def declared_count(self) -> int:
        return len(self.declared)

    @property
    def missing(self) -> list:
        return [u for u in self.expected if u.pk not in self.declared]

    @property
    def declared_rows(self) -> list[tuple]:
        """(officer, declaration) for each officer of the scope who declared."""
        return [(u, self.declared[u.pk]) for u in self.expected if u.pk in self.declared]

    @property
    def nobody_expected(self) -> bool:
        """No officer in scope owed the month: an empty state, not "everyone declared"."""
        return not self.expected


def declaration_status(
    months: Iterable[dt.date], *, today: dt.date, unit_ids: list[int] | None = None, officer_ids: list[int] | None = None
) -> dict[dt.date, MonthStatus]:
    """For each of `months`, the officers of the scope (the units `unit_ids`, or the officers
    `officer_ids`, or everyone when both are None) who owe a declaration and those who made it.
    Four queries whatever the number of months: officers, declarations, the calendar."""
    dates = month_dates(months, today)
    if not dates:
        return {}
    people = officers(unit_ids)
    if officer_ids is not None:
        people = people.filter(pk__in=officer_ids)
    people = list(people)
    reports: dict[tuple[int, dt.date], ZeroReport] = {
        (r.officer_id, r.month): r for r in ZeroReport.objects.filter(officer__in=[u.pk for u in people], month__in=list(dates))
    }
    status = {}
    for month, month_info in dates.items():
        row = MonthStatus(dates=month_info)
        for officer in people:
            report = reports.get((officer.pk, month))
            if report is not None:
                row.declared[officer.pk] = report
            if report is not None or rules.required(month, local_date(officer.date_joined)):
                row.expected.append(officer)
        status[month] = row
    return status
