"""Reads of the discipline side: inboxes, the ledger's filters, dashboard aggregates, integrity files.

Lists start from ``InterferenceRecord.objects.visible_to(user)`` (through ``access.routed_records``);
the dashboard's figures come from ``discipline.reports.figures``, whose cells count exactly that set (proved
against the records by ``figures.check_cells`` and its tests), so a figure never counts what its
reader cannot open. Each page reads in a number of queries that does not grow with its rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from cases.selectors import party_anchor_of
from discipline.common.bodies import supervised_unit_ids
from discipline.review import rules
from discipline.review.access import routed_records
from discipline.review.models import Handling, Review, Routing
from records.calendar.dates import local_date
from records.calendar.deadlines import deadline_state
from records.calendar.workdays import WorkCalendar
from records.models import InterferenceRecord


@dataclass(frozen=True)
class LetterRecipients:
    """Who a notice letter (通报函) about a record's interferer goes to, as the unit tree knows it.
    Empty strings where the tree does not know: the staff fill them in."""

    addressee: str
    cc: str
    unit_name: str  # the unit the answer comes from ("" when the person's unit is not in the tree)


def letter_recipients(record: InterferenceRecord) -> LetterRecipients:
    """000 第九条 "向其所在党委或党组织通报情况，同时抄送同级纪委、监察委": the party organisation of the
    unit of the person the letter is about (the leader behind an aide or relative, else the
    interferer), found up the tree, and the discipline body of that same unit (its same-level 纪委监委).
    A person outside the tree gives nothing to copy: the addressee is guessed from the unit as
    written, the cc is left for the staff."""
    subject = record.behind_person or record.interferer
    unit = subject.unit if subject is not None and subject.unit_id else None
    written = record.interferer_unit.strip()
    guessed = f"{written}党组（党委）" if written else ""
    if unit is None:
        return LetterRecipients(addressee=guessed, cc="", unit_name="")
    anchor = party_anchor_of(unit)
    same_level = anchor or unit
    body = same_level.effective_discipline_body()
    return LetterRecipients(
        addressee=anchor.party_organization.strip() if anchor else guessed, cc=body.name if body else "", unit_name=same_level.name
    )

def handling_kinds_for(record: InterferenceRecord, review, body) -> tuple[str, ...]:
    """The handling kinds open for `record` handled through discipline body `body`
    (``rules.handling_kinds``): whether its subject — the leader behind an aide, else the interferer —
    belongs to a unit `body` supervises. One query for the supervised units."""
    subject = record.behind_person or record.interferer
    in_body = None
    if subject is not None and subject.unit_id is not None:
        in_body = subject.unit_id in supervised_unit_ids([body])
    return rules.handling_kinds(substantiated=review.conclusion in rules.SUBSTANTIATED, interferer_unit_in_body=in_body)


def calendar_for(records: Iterable[InterferenceRecord], now: dt.datetime) -> WorkCalendar:
    """One working-day calendar covering every due date, submission date and today (two queries)."""
    days = [local_date(now)]
    for r in records:
        days += [local_date(r.due_at), local_date(r.submitted_at) if r.submitted_at else None]
    return WorkCalendar.covering(days)


def with_timeliness(rows: list[InterferenceRecord], now: dt.datetime) -> list[InterferenceRecord]:
    """Attach each record's reporting timeliness (R-DUE, 000 第九条: 3 working days) as ``.deadline``."""
    if rows:
        calendar = calendar_for(rows, now)
        for r in rows:
            r.deadline = deadline_state(due_at=r.due_at, now=now, submitted_at=r.submitted_at, calendar=calendar)
    return rows


def substantiated_pairs(qs: QuerySet) -> list[tuple[int, int | None, int | None]]:
    return list(
        qs.filter(review__conclusion__in=rules.SUBSTANTIATED).values_list("pk", "interferer_id", "behind_person_id")
    )


def repeat_map(user) -> dict[int, int]:
    """Repeat interferers among the records `user` can open: {person id: substantiated records}."""
    return rules.repeat_interferers(substantiated_pairs(routed_records(user)))


def flag_repeats(rows: Iterable[InterferenceRecord], repeats: dict[int, int]) -> None:
    for r in rows:
        r.interferer_repeat = repeats.get(r.interferer_id or 0, 0)
        r.behind_repeat = repeats.get(r.behind_person_id or 0, 0)


LIST_FIELDS = (
    "id", "serial", "occurred_at", "channel", "interferer_id", "interferer_name", "interferer_position", "interferer_kind",
    "behind_person_id", "behind_name", "status", "due_at", "submitted_at", "matter", "nature", "recorder_unit__name",
    "case__number", "case__title",
)  # fmt: skip


def for_rows(qs: QuerySet) -> QuerySet:
    return qs.select_related("case", "recorder_unit", "review", "handling").only(
        *LIST_FIELDS, "review__conclusion", "review__received_at", "handling__kind"
    )


def discipline_inbox(user, *, show: str = "open") -> QuerySet:
    """The body's inbox: records routed to the user's bodies; "open" = not yet handled."""
    qs = routed_records(user)
    if show == "open":
        qs = qs.filter(status__in=[InterferenceRecord.Status.SUBMITTED, InterferenceRecord.Status.RECEIVED, InterferenceRecord.Status.VERIFIED])
    return for_rows(qs).order_by("-submitted_at", "-id")


def principal_inbox(user, *, show: str = "pending") -> QuerySet:
    """Records routed to `user` for instruction (002 第五条); "pending" = not yet instructed by them."""
    routed = Routing.objects.filter(role=Routing.Role.PRINCIPAL, user=user).values("record_id")
    qs = InterferenceRecord.objects.visible_to(user).filter(pk__in=routed)
    if show == "pending":
        qs = qs.exclude(instructions__principal=user)
    return qs.select_related("case", "recorder_unit").only(*LIST_FIELDS).order_by("-submitted_at", "-id")


# --- Ledger filters, shared by the ledger and the dashboard so a figure equals its list. ---------


# --- Dashboard ---------------------------------------------------------------------------------


# --- Integrity file (廉政档案, R-FILE) ----------------------------------------------------------




def record_outcomes(*, records) -> dict[int, dict]:
    """What became of each of `records` on the discipline side, for the API's record status
    (records.hooks.record_outcomes): receipt, the verification's conclusion and the handling decision,
    as plain values without any person's name or the record's content. Two queries."""
    ids = [record.pk for record in records]
    outcomes: dict[int, dict] = {}
    for review in Review.objects.filter(record_id__in=ids):
        outcomes[review.record_id] = {
            "received_at": review.received_at.isoformat(),
            "conclusion": review.conclusion,
            "conclusion_label": review.get_conclusion_display() if review.conclusion else "",
            "verified_at": review.verified_at.isoformat() if review.verified_at else None,
            "handling": None,
        }
    for handling in Handling.objects.filter(record_id__in=ids):
        outcome = outcomes.setdefault(handling.record_id, {"received_at": None, "conclusion": "", "conclusion_label": "", "verified_at": None})
        outcome["handling"] = {"kind": handling.kind, "kind_label": handling.get_kind_display(), "decided_at": handling.decided_at.isoformat()}
    return outcomes
