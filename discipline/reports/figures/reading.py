"""Reading the figures of a reader's scope and period from the cells (whole months) and the records (edge days)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from cases.models import Unit
from discipline.reports.figures.facts import ROUTED_ROLES, facts
from discipline.reports.figures.rules import Fact, fact_cells, plan_period
from discipline.reports.models import FigureBodyCell, FigureCell
from discipline.review.models import Routing
from records.calendar.dates import day_start, next_month
from records.models import InterferenceRecord


@dataclass
class FigureScope:
    """Whose figures: ``exact`` are the records the reader may count by the visibility rule itself
    (used for days read from the records); ``body_ids`` the bodies whose cells they read (None: all,
    including unrouted records); ``party`` the records of those cells the reader must not count
    (conflict of interest, ``RecordQuerySet.of_party``)."""

    exact: QuerySet
    body_ids: list[int] | None
    party: QuerySet | None



def discipline_scope(user) -> FigureScope:
    """A discipline reader: what ``access.routed_records`` gives them."""
    from discipline.common.bodies import body_codes_of
    from discipline.review.access import _body_ids, routed_records

    codes = body_codes_of(user)
    body_ids = _body_ids(user, codes) if codes else []
    routed = Routing.objects.filter(record=OuterRef("pk"), role__in=ROUTED_ROLES, body_id__in=body_ids)
    return FigureScope(
        exact=routed_records(user),
        body_ids=body_ids,
        party=InterferenceRecord.objects.of_party(user).exclude(status=InterferenceRecord.Status.DRAFT).filter(Exists(routed)),
    )



def system_scope(user=None) -> FigureScope:
    """Every submitted record (the ``annual_report`` command, user None), or for an administrator
    every submitted record they are not party to."""
    submitted = InterferenceRecord.objects.exclude(status=InterferenceRecord.Status.DRAFT)
    if user is None:
        return FigureScope(exact=submitted, body_ids=None, party=None)
    return FigureScope(exact=submitted.exclude_parties(user), body_ids=None, party=submitted.of_party(user))



def _in_days(qs: QuerySet, first: dt.date, last: dt.date) -> QuerySet:
    return qs.filter(occurred_at__gte=day_start(first), occurred_at__lt=day_start(last + dt.timedelta(days=1)))



def read_figures(
    scope: FigureScope, *, unit_ids: list[int] | None, start: dt.date | None, end: dt.date | None, today: dt.date, trend_year: int
) -> dict[str, list[tuple]]:
    """The figures of `scope` for records of `unit_ids` (None: all) that occurred in [start, end]
    (inclusive local dates, None = open), and the monthly trend of `trend_year` and the year before,
    as {dimension: [(key, name, count), ...]} (the shape the dashboard and the reports read).
    A fixed number of queries: three over the cells, a few for the days and the reader's own records."""
    plan = plan_period(start, end, today)
    trend_first, trend_last = dt.date(trend_year - 1, 1, 1), dt.date(trend_year, 12, 1)
    dims: Counter[tuple[str, str]] = Counter()
    units: Counter[int] = Counter()
    months: Counter[dt.date] = Counter()

    def scoped(cells: QuerySet) -> QuerySet:
        if scope.body_ids is not None:
            cells = cells.filter(Q(body_one_id__in=scope.body_ids) | Q(body_two_id__in=scope.body_ids))
        if plan.first is not None:
            cells = cells.filter(month__gte=plan.first)
        if plan.last is not None:
            cells = cells.filter(month__lte=plan.last)
        return cells

    # Without a unit subtree the body cells (summed over units) give the same sums from fewer rows.
    cells = FigureCell.objects.all() if unit_ids is None else FigureCell.objects.filter(recorder_unit_id__in=unit_ids)
    summed = FigureBodyCell.objects.all() if unit_ids is None else cells
    if plan.cells and (scope.body_ids is None or scope.body_ids):
        for dimension, key, n in scoped(summed).values("dimension", "key").annotate(n=Sum("count")).values_list("dimension", "key", "n"):
            dims[(dimension, key)] += n
        by_unit = scoped(cells).filter(dimension="status").values("recorder_unit_id").annotate(n=Sum("count"))
        for unit, n in by_unit.values_list("recorder_unit_id", "n"):
            units[unit] += n
    if scope.body_ids is None or scope.body_ids:
        trend_cells = summed.filter(dimension="status", month__gte=trend_first, month__lte=trend_last)
        if scope.body_ids is not None:
            trend_cells = trend_cells.filter(Q(body_one_id__in=scope.body_ids) | Q(body_two_id__in=scope.body_ids))
        for month, n in trend_cells.values("month").annotate(n=Sum("count")).values_list("month", "n"):
            months[month] += n

    def in_cells(month: dt.date) -> bool:
        return plan.cells and (plan.first is None or month >= plan.first) and (plan.last is None or month <= plan.last)

    def count(items: Iterable[Fact], sign: int, *, period, trend: bool) -> None:
        for fact in items:
            if period(fact):
                for dimension, key, n in fact_cells(fact):
                    dims[(dimension, key)] += sign * n
                units[fact.recorder_unit_id] += sign
            if trend and trend_first <= fact.month <= trend_last:
                months[fact.month] += sign

    exact = scope.exact if unit_ids is None else scope.exact.filter(recorder_unit_id__in=unit_ids)
    if scope.party is not None:
        party = scope.party if unit_ids is None else scope.party.filter(recorder_unit_id__in=unit_ids)
        bounds = Q(occurred_at__gte=day_start(trend_first), occurred_at__lt=day_start(next_month(trend_last)))
        if plan.cells:
            period_q = Q()
            if plan.first is not None:
                period_q &= Q(occurred_at__gte=day_start(plan.first))
            if plan.last is not None:
                period_q &= Q(occurred_at__lt=day_start(next_month(plan.last)))
            bounds |= period_q
        count(facts(party.filter(bounds)), -1, period=lambda f: in_cells(f.month), trend=True)
    for first, last in plan.add:
        count(facts(_in_days(exact, first, last)), +1, period=lambda f: True, trend=False)
    for first, last in plan.subtract:
        count(facts(_in_days(exact, first, last)), -1, period=lambda f: True, trend=False)
    return _grouped(dims, units, months)



def _grouped(dims: Counter[tuple[str, str]], units: Counter[int], months: Counter[dt.date]) -> dict[str, list[tuple]]:
    grouped: dict[str, list[tuple]] = defaultdict(list)
    by_dim: defaultdict[str, dict[str, int]] = defaultdict(dict)
    for (dimension, key), n in dims.items():
        if n:
            by_dim[dimension][key] = n
    for dimension in ("status", "channel", "kind", "conclusion", "nature", "category"):
        grouped[dimension] = [(key, None, n) for key, n in sorted(by_dim[dimension].items())]
    for dimension in ("level", "filer_level"):  # "" = not linked to the registry / no level: None, as the choices read
        grouped[dimension] = [(key or None, None, n) for key, n in sorted(by_dim[dimension].items())]
    live_units = {unit: n for unit, n in units.items() if n}
    names = dict(Unit.objects.filter(pk__in=list(live_units)).values_list("pk", "name")) if live_units else {}
    grouped["unit"] = [(unit, names.get(unit, ""), n) for unit, n in sorted(live_units.items())]
    on_time, late = by_dim["timely"].get("on_time", 0), by_dim["timely"].get("late", 0)
    grouped["on_time"], grouped["late"], grouped["submitted"] = [(None, None, on_time)], [(None, None, late)], [(None, None, on_time + late)]
    grouped["repeat"] = [(int(key), None, n) for key, n in sorted(by_dim["repeat"].items())]
    for dimension in ("letters", "letters_sent", "internal", "special"):
        grouped[dimension] = [(None, None, by_dim[dimension].get("", 0))]
    grouped["trend"] = [(month.year, month.month, n) for month, n in sorted(months.items()) if n]
    return dict(grouped)
