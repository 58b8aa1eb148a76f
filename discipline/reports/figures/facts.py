"""The counted records: the facts of each submitted, routed record that the figure cells count, read in chunks."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

from django.db.models import QuerySet

from cases.models import Person
from discipline.reports.figures.rules import Fact, month_of
from discipline.review.models import NoticeLetter, Routing, SpecialReport
from records.models import InterferenceRecord

ROUTED_ROLES = (Routing.Role.DISCIPLINE, Routing.Role.HIGHER)



# Ids per IN list: large enough that a page's query count stays constant, small enough for SQLite.
CHUNK = 10_000



def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]



def facts(qs: QuerySet) -> list[Fact]:
    """The facts of the records of `qs` (submitted ones only), in 7 queries per CHUNK records."""
    rows = list(
        qs.exclude(status=InterferenceRecord.Status.DRAFT)
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
    through = InterferenceRecord.categories.through
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
