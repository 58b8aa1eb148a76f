"""发文字号 of the documents the discipline side issues (GB/T 9704-2012 7.2.4: 机关代字, 年份 and 发文顺序号):
numbered per issuing unit and year from 1, with no gap and no duplicate. The issuer's unit row is
locked while the next number is taken, inside the issuing service's transaction, so concurrent issues
wait for each other and a rolled-back issue gives its number back; a unique constraint on each
numbered model backs it (tested on PostgreSQL with concurrent threads)."""

from __future__ import annotations

from django.db.models import Max, QuerySet

from cases.models import Unit


def next_sequence(*, issuer: Unit, year: int, numbered: QuerySet, issuer_field: str, year_field: str, sequence_field: str) -> int:
    """The next 发文顺序号 of ``issuer`` in ``year`` among ``numbered`` (the documents of one kind).
    Call inside a transaction."""
    Unit.objects.select_for_update().get(pk=issuer.pk)
    last = numbered.filter(**{issuer_field: issuer, year_field: year}).aggregate(last=Max(sequence_field))["last"]
    return (last or 0) + 1
