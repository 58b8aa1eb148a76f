"""Content integrity of the discipline side: review conclusions, handling decisions and sanctions are
vouched for in the audit chain by a content hash, like submitted records (records.integrity). The
services put the hash into their event (SM3 and tagged ``sm3:``; older bare ones are SHA-256); `verify_discipline_content` compares, both ways, and is
registered with records.audit_check in DisciplineConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import F, QuerySet

from cases import sm
from cases.audit import ChainReport
from discipline.review.models import Handling, Review, Sanction
from discipline.review.vocabulary import ReviewEvent
from records.record.integrity import chained_events, fields_hash, matches, plain

# What a conclusion, decision or register entry says; not who looked at it since, nor the special
# report flag (that has its own event).
REVIEW_FIELDS = ("record", "conclusion", "findings", "seriousness", "affects_case", "verified_at", "verified_by")
HANDLING_FIELDS = (
    "record", "kind", "person", "decision", "internal_notice", "internal_notice_on", "public_disclosure", "disclosure_reason",
    "decided_at", "decided_by",
)  # fmt: skip
SANCTION_FIELDS = (
    "person", "record", "body", "group", "kind", "legal_basis", "decided_on", "notified_on", "review_deadline",
    "review_requested_on", "review_note", "created_by",
)  # fmt: skip


def review_hash(review: Review, algorithm: str = sm.CURRENT) -> str:
    return fields_hash(review, REVIEW_FIELDS, algorithm=algorithm)


# Joined the handling decision later (001 第八条 报经批准): hashed only when set, so older decisions keep
# the hash their event vouches for.
HANDLING_APPROVAL_FIELDS = ("notice_decided_by", "notice_approved_by", "notice_approved_on")


def handling_hash(handling: Handling, algorithm: str = sm.CURRENT) -> str:
    approval = {name: plain(getattr(handling, name)) for name in HANDLING_APPROVAL_FIELDS if getattr(handling, name)}
    return fields_hash(handling, HANDLING_FIELDS, algorithm=algorithm, **approval)


def sanction_hash(sanction: Sanction, algorithm: str = sm.CURRENT) -> str:
    # The ground joined the register later: an entry without one hashes as it always did.
    return fields_hash(sanction, SANCTION_FIELDS, algorithm=algorithm, **({"ground": sanction.ground} if sanction.ground else {}))


def _compare(
    report: ChainReport,
    rows: QuerySet,
    vouched: dict[int, str | None],
    *,
    key: Callable,
    digest: Callable,
    name: Callable[[object], str],
    deleted_name: Callable[[int], str],
) -> None:
    """Every row has its event and matches the hash in it, recomputed with that hash's algorithm
    (`digest(row, algorithm)`; an event without a hash predates hashing); every event still has its row."""
    present: set[int] = set()
    unvouched: list[str] = []
    for row in rows.iterator(chunk_size=2000):
        present.add(key(row))
        if key(row) not in vouched:
            unvouched.append(f"{name(row)}在审计链中没有对应事件（被伪造或事件被删除）")
        elif vouched[key(row)] and not matches(vouched[key(row)], lambda algorithm: digest(row, algorithm)):  # noqa: B023 - called at once
            report.problems.append(f"{name(row)}与审计链记载不符（被直接修改）")
    report.add_findings(unvouched)
    report.add_findings(f"{deleted_name(pk)}已不存在（被删除）" for pk in sorted(set(vouched) - present))


def _latest_hashes(events: Iterable[tuple[str, str, dict]]) -> tuple[dict[int, str | None], ...]:
    reviews: dict[int, str | None] = {}
    handlings: dict[int, str | None] = {}
    sanctions: dict[int, str | None] = {}
    # Oldest first, so a sanction's last update event wins.
    for event_type, object_id, data in events:
        if event_type == ReviewEvent.REVIEW_VERIFIED:
            reviews[int(object_id)] = data.get("hash")  # the event's object is the record
        elif event_type == ReviewEvent.HANDLING_DECIDED:
            if data.get("handling"):
                handlings[int(data["handling"])] = data.get("hash")
        else:
            sanctions[int(object_id)] = data.get("hash")
    return reviews, handlings, sanctions


def verify_discipline_content(report: ChainReport, *, check_files: bool = True) -> None:
    """Compare review conclusions, handling decisions and sanctions with what the chain vouches for
    (rows only: `check_files` has nothing to re-hash here)."""
    types = (ReviewEvent.REVIEW_VERIFIED, ReviewEvent.HANDLING_DECIDED, ReviewEvent.SANCTION_RECORDED)
    reviews, handlings, sanctions = _latest_hashes(chained_events(types))
    _compare(
        report,
        Review.objects.exclude(conclusion="").annotate(serial=F("record__serial")),
        reviews,
        key=lambda review: review.record_id,
        digest=review_hash,
        name=lambda review: f"记录 {review.serial} 的核实结论",
        deleted_name=lambda pk: f"记录（ID {pk}）的核实结论",
    )
    _compare(
        report,
        Handling.objects.annotate(serial=F("record__serial")),
        handlings,
        key=lambda handling: handling.pk,
        digest=handling_hash,
        name=lambda handling: f"记录 {handling.serial} 的处理决定（ID {handling.pk}）",
        deleted_name=lambda pk: f"处理决定（ID {pk}）",
    )
    _compare(
        report,
        Sanction.objects.all(),
        sanctions,
        key=lambda sanction: sanction.pk,
        digest=sanction_hash,
        name=lambda sanction: f"处理处分登记（ID {sanction.pk}）",
        deleted_name=lambda pk: f"处理处分登记（ID {pk}）",
    )
