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
from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q, QuerySet, Sum

from cases.models import Person, Unit
from discipline.reports.figures.facts import facts
from discipline.reports.figures.rules import CellKey, month_of, tally
from discipline.reports.models import FigureBodyCell, FigureCell
from discipline.review.models import NoticeLetter, Routing, SpecialReport
from records.calendar.dates import day_start, next_month
from records.models import InterferenceRecord

# Cells written with COPY on PostgreSQL above this many (a bulk rebuild); a refresh uses the ORM.
COPY_ABOVE = 1000


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
    qs = InterferenceRecord.objects.filter(occurred_at__gte=day_start(month), occurred_at__lt=day_start(next_month(month)))
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
    records = InterferenceRecord.objects.exclude(status=InterferenceRecord.Status.DRAFT).filter(Q(interferer_id=person_id) | Q(recorder_id__in=users))
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
    first = InterferenceRecord.objects.exclude(status=InterferenceRecord.Status.DRAFT).order_by("occurred_at").values_list("occurred_at", flat=True).first()
    last = InterferenceRecord.objects.exclude(status=InterferenceRecord.Status.DRAFT).order_by("-occurred_at").values_list("occurred_at", flat=True).first()
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
            tables = [InterferenceRecord._meta.db_table, InterferenceRecord.categories.through._meta.db_table, Routing._meta.db_table]
            tables += [m._meta.db_table for m in (NoticeLetter, SpecialReport, Person)]
            tables += [InterferenceRecord._meta.get_field("review").related_model._meta.db_table, InterferenceRecord._meta.get_field("handling").related_model._meta.db_table]
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
        FigureCell.objects.all().delete()
        for month in _months_with_records():
            written += _write_cells(tally(facts(_month_records(None, month))))
        if roll_up:  # False only in migration 0009, which runs before the body cells' table exists
            _roll_up_all()
    return written


# --- Reading -------------------------------------------------------------------------------------


