"""Figures of submitted records for the dashboard and the reports (R-ANNUAL; issue 10).

Whole months are read from ``FigureCell`` (counts per recorder unit and month, refreshed by the
services that change what they count); days of a period that do not fill a month are counted from
the records themselves. Both go through ``fact_cells``, so a figure is the same whichever way it was
read, and ``check_cells`` proves it against the records.

Who may count what is the visibility rule of ``access.routed_records``: a discipline reader counts
the records routed to their bodies, minus those they are party to (``RecordQuerySet.of_party``). The
cells rely on the invariant that routing a record to a body grants that body's staff group the view
permission, which ``record_route`` does in the same transaction (``check_cells`` verifies it too).
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from cases.models import Person, Unit
from records.calendar.dates import BEIJING, local_date
from records.models import InterferenceRecord

from . import rules
from .models import FigureBodyCell, FigureCell, NoticeLetter, Routing, SpecialReport

R = InterferenceRecord
ROUTED_ROLES = (Routing.Role.DISCIPLINE, Routing.Role.HIGHER)
# Ids per IN list: large enough that a page's query count stays constant, small enough for SQLite.
CHUNK = 10_000
# Cells written with COPY on PostgreSQL above this many (a bulk rebuild); a refresh uses the ORM.
COPY_ABOVE = 1000


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
    the leader behind (rules.repeat_interferers, 000 第十二条)."""
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
    if fact.conclusion in rules.SUBSTANTIATED:
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


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def day_start(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time.min, tzinfo=BEIJING)


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def facts(qs: QuerySet) -> list[Fact]:
    """The facts of the records of `qs` (submitted ones only), in 7 queries per CHUNK records."""
    rows = list(
        qs.exclude(status=R.Status.DRAFT)
        .order_by()
        .values_list(
            "id", "recorder_unit_id", "occurred_at", "status", "channel", "interferer_kind", "interferer_id",
            "behind_person_id", "recorder_id", "nature", "submitted_at", "due_at", "review__conclusion",
            "handling__internal_notice_on",
        )  # fmt: skip
    )
    # Levels by separate lookups rather than two more joins: the plan of the main read stays simple
    # (a bulk-loaded table without statistics once turned the joins into minutes).
    levels: dict[int, str] = {}
    filer_levels: dict[int, str] = {}
    for chunk in _chunks(sorted({row[6] for row in rows if row[6]})):
        levels.update(Person.objects.filter(pk__in=chunk).values_list("pk", "level"))
    for chunk in _chunks(sorted({row[8] for row in rows})):
        filer_levels.update(Person.objects.filter(user_id__in=chunk).values_list("user_id", "level"))
    bodies: defaultdict[int, list[int]] = defaultdict(list)
    categories: defaultdict[int, list[int]] = defaultdict(list)
    letters: Counter[int] = Counter()
    sent: Counter[int] = Counter()
    special: Counter[int] = Counter()
    through = R.categories.through
    for chunk in _chunks([row[0] for row in rows]):
        routed = Routing.objects.filter(record_id__in=chunk, role__in=ROUTED_ROLES, body__isnull=False)
        for record_id, body_id in routed.values_list("record_id", "body_id"):
            bodies[record_id].append(body_id)
        for record_id, category_id in through.objects.filter(interferencerecord_id__in=chunk).values_list(
            "interferencerecord_id", "behaviourcategory_id"
        ):
            categories[record_id].append(category_id)
        for record_id, sent_on in NoticeLetter.objects.filter(handling__record_id__in=chunk).values_list("handling__record_id", "sent_on"):
            letters[record_id] += 1
            sent[record_id] += sent_on is not None
        for record_id in SpecialReport.objects.filter(review__record_id__in=chunk).values_list("review__record_id", flat=True):
            special[record_id] += 1
    result = []
    for rid, unit_id, occurred, status, channel, kind, interferer, behind, recorder, nature, submitted, due, conclusion, internal in rows:
        routed_to = sorted(set(bodies[rid]))[:2]  # R-ROUTE routes to at most two bodies
        result.append(
            Fact(
                id=rid,
                recorder_unit_id=unit_id,
                month=month_of(occurred),
                bodies=(routed_to[0] if routed_to else None, routed_to[1] if len(routed_to) > 1 else None),
                status=status,
                channel=channel,
                interferer_kind=kind,
                interferer_id=interferer,
                behind_person_id=behind,
                recorder_id=recorder,
                nature=nature,
                conclusion=conclusion or "",
                on_time=None if submitted is None else submitted <= due,
                interferer_level=levels.get(interferer, "") if interferer else "",
                filer_level=filer_levels.get(recorder, ""),
                categories=tuple(sorted(categories[rid])),
                letters=letters[rid],
                letters_sent=sent[rid],
                internal_notice=internal is not None,
                special=special[rid],
            )
        )
    return result


CellKey = tuple[int | None, int | None, int, dt.date, str, str]


def tally(items: Iterable[Fact]) -> Counter[CellKey]:
    """Cells of `items`: {(body_one, body_two, recorder unit, month, dimension, key): count}."""
    cells: Counter[CellKey] = Counter()
    for fact in items:
        for dimension, key, n in fact_cells(fact):
            cells[(*fact.bodies, fact.recorder_unit_id, fact.month, dimension, key)] += n
    return cells


def _write_cells(cells: Counter[CellKey]) -> int:
    """Insert `cells` (zero counts left out); PostgreSQL COPY for a bulk rebuild, where building a
    model instance per cell took longer than reading the records."""
    from django.db import connection

    rows = [(*key, n) for key, n in cells.items() if n]
    if connection.vendor == "postgresql" and len(rows) > COPY_ABOVE:
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join("\\N" if v is None else str(v).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ") for v in row))
            buffer.write("\n")
        buffer.seek(0)
        columns = "body_one_id, body_two_id, recorder_unit_id, month, dimension, key, count"
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {FigureCell._meta.db_table} ({columns}) FROM STDIN", buffer)
    else:
        FigureCell.objects.bulk_create(
            [FigureCell(body_one_id=b1, body_two_id=b2, recorder_unit_id=u, month=m, dimension=d, key=k, count=n) for b1, b2, u, m, d, k, n in rows],
            batch_size=5000,
        )
    return len(rows)


def _month_records(unit_id: int | None, month: dt.date) -> QuerySet:
    qs = R.objects.filter(occurred_at__gte=day_start(month), occurred_at__lt=day_start(next_month(month)))
    return qs if unit_id is None else qs.filter(recorder_unit_id=unit_id)


def refresh_cells(*, unit_id: int, month: dt.date) -> None:
    """Recompute every cell of one recorder unit and month from its records. Called inside the
    transaction of each service that changes a counted value (submit/route, receive, verify, special
    report, handling, notice letters). The unit row is locked first (FOR NO KEY UPDATE, which does
    not block inserts that reference the unit), so two refreshes of one unit run one after the
    other and the later one reads what the earlier committed."""
    with transaction.atomic():
        list(Unit.objects.select_for_update(no_key=True).filter(pk=unit_id).values_list("pk", flat=True))
        stale = FigureCell.objects.filter(recorder_unit_id=unit_id, month=month)
        pairs = set(stale.values_list("body_one_id", "body_two_id").distinct())
        stale.delete()
        cells = tally(facts(_month_records(unit_id, month)))
        _write_cells(cells)
        _roll_up(pairs | {(key[0], key[1]) for key in cells}, month)


def refresh_person(*, person_id: int, user_ids: Iterable[int | None] = ()) -> int:
    """Refresh the cells of every unit-month holding a submitted record that names `person_id` as
    interferer or was recorded by one of `user_ids` (the person's user before and after a change):
    their level is counted in those cells. Returns the number of unit-months refreshed."""
    users = [u for u in user_ids if u is not None]
    records = R.objects.exclude(status=R.Status.DRAFT).filter(Q(interferer_id=person_id) | Q(recorder_id__in=users))
    unit_months = sorted({(unit, month_of(occurred)) for unit, occurred in records.values_list("recorder_unit_id", "occurred_at")})
    for unit, month in unit_months:
        refresh_cells(unit_id=unit, month=month)
    return len(unit_months)


def _pair(body_one: int | None, body_two: int | None) -> Q:
    """Cells of exactly this pair of bodies (None matches an empty column)."""
    first = Q(body_one_id=body_one) if body_one is not None else Q(body_one__isnull=True)
    return first & (Q(body_two_id=body_two) if body_two is not None else Q(body_two__isnull=True))


def _roll_up(pairs: set[tuple[int | None, int | None]], month: dt.date) -> None:
    """Rewrite the body cells of `pairs` in `month` from the unit cells. The bodies' rows are locked
    (after the unit's, in id order) so refreshes of two units of one body do not interleave."""
    bodies = sorted({b for pair in pairs for b in pair if b is not None})
    list(Unit.objects.select_for_update(no_key=True).filter(pk__in=bodies).order_by("pk").values_list("pk", flat=True))
    for body_one, body_two in sorted(pairs, key=lambda pair: (pair[0] or 0, pair[1] or 0)):
        where = _pair(body_one, body_two) & Q(month=month)
        FigureBodyCell.objects.filter(where).delete()
        sums = FigureCell.objects.filter(where).values("dimension", "key").annotate(n=Sum("count")).values_list("dimension", "key", "n")
        FigureBodyCell.objects.bulk_create(
            [FigureBodyCell(body_one_id=body_one, body_two_id=body_two, month=month, dimension=d, key=k, count=n) for d, k, n in sums if n]
        )


def _roll_up_all(month: dt.date | None = None) -> None:
    """Rewrite the body cells (of one month, or all) from the unit cells in one statement."""
    from django.db import connection

    body, unit = FigureBodyCell._meta.db_table, FigureCell._meta.db_table
    where, params = ("WHERE month = %s", [month]) if month is not None else ("", [])
    (FigureBodyCell.objects.filter(month=month) if month is not None else FigureBodyCell.objects.all()).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {body} (body_one_id, body_two_id, month, dimension, key, count) "  # noqa: S608 - table names
            f"SELECT body_one_id, body_two_id, month, dimension, key, SUM(count) FROM {unit} {where} "
            "GROUP BY body_one_id, body_two_id, month, dimension, key",
            params,
        )


def refresh_record(record: InterferenceRecord) -> None:
    """``refresh_cells`` for the unit and month `record` is counted in."""
    refresh_cells(unit_id=record.recorder_unit_id, month=month_of(record.occurred_at))


def _months_with_records() -> list[dt.date]:
    first = R.objects.exclude(status=R.Status.DRAFT).order_by("occurred_at").values_list("occurred_at", flat=True).first()
    last = R.objects.exclude(status=R.Status.DRAFT).order_by("-occurred_at").values_list("occurred_at", flat=True).first()
    if first is None or last is None:
        return []
    months, month = [], month_of(first)
    while month <= month_of(last):
        months.append(month)
        month = next_month(month)
    return months


def rebuild_cells(*, roll_up: bool = True) -> int:
    """Rebuild every cell from the records, one month at a time (bounded memory). Returns the number
    of cells written. Used by ``generate_load`` and ``figures_check --repair``."""
    from django.db import connection

    written = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # After a bulk load the planner may have no statistics yet (generate_load, a restored dump,
            # a test's uncommitted data): gather them for the tables every month's read joins.
            tables = [R._meta.db_table, R.categories.through._meta.db_table, Routing._meta.db_table]
            tables += [m._meta.db_table for m in (NoticeLetter, SpecialReport, Person)]
            tables += [R._meta.get_field("review").related_model._meta.db_table, R._meta.get_field("handling").related_model._meta.db_table]
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
        FigureCell.objects.all().delete()
        for month in _months_with_records():
            written += _write_cells(tally(facts(_month_records(None, month))))
        if roll_up:  # False only in migration 0009, which runs before the body cells' table exists
            _roll_up_all()
    return written


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


# --- Reading -------------------------------------------------------------------------------------


def _days(first: dt.date, last: dt.date, today: dt.date) -> int:
    """Days of [first, last] on which records can exist (none occur after today)."""
    return max(0, (min(last, today) - first).days + 1)


def _month_end(month: dt.date) -> dt.date:
    return next_month(month) - dt.timedelta(days=1)


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
        hi = min(end, _month_end(month)) if end is not None else _month_end(month)
        if lo == month and hi == _month_end(month):
            continue  # whole month
        outside = [r for r in ((month, lo - dt.timedelta(days=1)), (hi + dt.timedelta(days=1), _month_end(month))) if r[0] <= r[1]]
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
    from .access import _body_ids, routed_records
    from .bodies import body_codes_of

    codes = body_codes_of(user)
    body_ids = _body_ids(user, codes) if codes else []
    routed = Routing.objects.filter(record=OuterRef("pk"), role__in=ROUTED_ROLES, body_id__in=body_ids)
    return FigureScope(
        exact=routed_records(user),
        body_ids=body_ids,
        party=R.objects.of_party(user).exclude(status=R.Status.DRAFT).filter(Exists(routed)),
    )


def system_scope(user=None) -> FigureScope:
    """Every submitted record (the ``annual_report`` command, user None), or for an administrator
    every submitted record they are not party to."""
    submitted = R.objects.exclude(status=R.Status.DRAFT)
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
    from cases.models import AuditEvent

    mismatches, ungranted = check_cells(repair=repair)
    audit(
        type=AuditEvent.Type.FIGURES_CHECKED,
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
    from cases.models import AuditEvent

    written = rebuild_cells()
    ungranted = ungranted_routings()
    audit(type=AuditEvent.Type.FIGURES_CHECKED, actor=actor, data={"rebuilt": written, "ungranted_records": ungranted[:100]})
    return written, ungranted
