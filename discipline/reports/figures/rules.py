"""Pure rules of the figure cells: what one counted record contributes to which cell, and how a period splits
into whole months read from the cells and edge days read from the records."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from discipline.review import rules as review_rules
from records.calendar.dates import local_date, month_end, next_month


@dataclass(frozen=True)
class Fact:
    """What the figures need of one submitted record, as plain values."""

    id: int
    recorder_unit_id: int
    month: dt.date
    bodies: tuple[int | None, int | None]
    status: str
    channel: str
    interferer_kind: str
    interferer_id: int | None
    behind_person_id: int | None
    recorder_id: int
    nature: str
    conclusion: str
    on_time: bool | None
    interferer_level: str = ""
    filer_level: str = ""
    categories: tuple[int, ...] = ()
    letters: int = 0
    letters_sent: int = 0
    internal_notice: bool = False
    special: int = 0



def fact_cells(fact: Fact) -> Iterator[tuple[str, str, int]]:
    """The (dimension, key, amount) that one record adds to the figures. ``level``/``filer_level`` are
    the current levels of the linked interferer and of the recorder ("" when unlinked or unset): a
    change of a person's level refreshes the cells of their records (``refresh_person``); ``repeat`` counts a substantiated record once per person it names as interferer or as
    the leader behind (review_rules.repeat_interferers, 000 第十二条)."""
    yield "status", fact.status, 1
    yield "channel", fact.channel, 1
    yield "kind", fact.interferer_kind, 1
    yield "level", fact.interferer_level, 1
    yield "filer_level", fact.filer_level, 1
    yield "conclusion", fact.conclusion, 1
    yield "nature", fact.nature, 1
    if fact.on_time is not None:
        yield "timely", "on_time" if fact.on_time else "late", 1
    for category in fact.categories:
        yield "category", str(category), 1
    if fact.conclusion in review_rules.SUBSTANTIATED:
        for person in sorted({fact.interferer_id, fact.behind_person_id} - {None}):
            yield "repeat", str(person), 1
    if fact.letters:
        yield "letters", "", fact.letters
    if fact.letters_sent:
        yield "letters_sent", "", fact.letters_sent
    if fact.internal_notice:
        yield "internal", "", 1
    if fact.special:
        yield "special", "", fact.special



def month_of(value: dt.datetime) -> dt.date:
    return local_date(value).replace(day=1)



CellKey = tuple[int | None, int | None, int, dt.date, str, str]



def tally(items: Iterable[Fact]) -> Counter[CellKey]:
    """Cells of `items`: {(body_one, body_two, recorder unit, month, dimension, key): count}."""
    cells: Counter[CellKey] = Counter()
    for fact in items:
        for dimension, key, n in fact_cells(fact):
            cells[(*fact.bodies, fact.recorder_unit_id, fact.month, dimension, key)] += n
    return cells



def _days(first: dt.date, last: dt.date, today: dt.date) -> int:
    """Days of [first, last] on which records can exist (none occur after today)."""
    return max(0, (min(last, today) - first).days + 1)



DateRange = tuple[dt.date, dt.date]



@dataclass(frozen=True)
class PeriodPlan:
    """How to count the period: the cells of months ``first``..``last`` (inclusive; None = open;
    ``cells`` False = no cells at all), plus the records of ``add``, minus the records of ``subtract``."""

    cells: bool
    first: dt.date | None
    last: dt.date | None
    add: tuple[DateRange, ...] = ()
    subtract: tuple[DateRange, ...] = ()



def plan_period(start: dt.date | None, end: dt.date | None, today: dt.date) -> PeriodPlan:
    """Split the period [start, end] (inclusive local dates; None = open) into whole months read from
    the cells and days read from the records. A month the period covers only in part is read either
    as its days in the period (added) or as the whole month minus its other days (subtracted),
    whichever reads fewer days on which records can exist: so "1 January to today" reads the cells
    of every month and subtracts the days after today, which hold no records."""
    if start is not None and end is not None and start > end:
        return PeriodPlan(cells=False, first=None, last=None)
    first = start.replace(day=1) if start is not None else None
    last = end.replace(day=1) if end is not None else None
    add: list[DateRange] = []
    subtract: list[DateRange] = []
    edges = sorted({m for m in (first, last) if m is not None})
    for month in edges:
        lo = max(start, month) if start is not None else month
        hi = min(end, month_end(month)) if end is not None else month_end(month)
        if lo == month and hi == month_end(month):
            continue  # whole month
        outside = [r for r in ((month, lo - dt.timedelta(days=1)), (hi + dt.timedelta(days=1), month_end(month))) if r[0] <= r[1]]
        if sum(_days(a, b, today) for a, b in outside) <= _days(lo, hi, today):
            subtract.extend(outside)
        else:
            add.append((lo, hi))
            if month == first:
                first = next_month(month)
            if month == last:
                last = month - dt.timedelta(days=1)
                last = last.replace(day=1)
    cells = first is None or last is None or first <= last
    return PeriodPlan(cells=cells, first=first, last=last, add=tuple(add), subtract=tuple(subtract))
