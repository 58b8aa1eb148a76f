"""Reads of the discipline side: inboxes, the ledger's filters, dashboard aggregates, integrity files.

Lists start from ``InterferenceRecord.objects.visible_to(user)`` (through ``access.routed_records``);
the dashboard's figures come from ``discipline.figures``, whose cells count exactly that set (proved
against the records by ``figures.check_cells`` and its tests), so a figure never counts what its
reader cannot open. Each page reads in a number of queries that does not grow with its rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Person, Unit
from cases.selectors import unit_subtree_ids
from records.calendar.dates import BEIJING, local_date
from records.calendar.deadlines import deadline_state
from records.calendar.workdays import WorkCalendar
from records.models import BehaviourCategory, InterferenceRecord

from . import figures, rules
from .access import routed_records
from .models import Review, Routing

ONE_DAY = dt.timedelta(days=1)


def day_start(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time.min, tzinfo=BEIJING)


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


def filter_records(qs: QuerySet, data: dict[str, Any], now: dt.datetime) -> QuerySet:
    """Apply the ledger's filters (cleaned form data; missing or empty keys are ignored)."""
    if data.get("date_from"):
        qs = qs.filter(occurred_at__gte=day_start(data["date_from"]))
    if data.get("date_to"):
        qs = qs.filter(occurred_at__lt=day_start(data["date_to"] + ONE_DAY))
    if data.get("unit"):
        qs = qs.filter(recorder_unit_id__in=unit_subtree_ids(data["unit"]))
    if data.get("recorder_unit"):
        qs = qs.filter(recorder_unit=data["recorder_unit"])
    for key, lookup in (("status", "status"), ("channel", "channel"), ("kind", "interferer_kind"), ("nature", "nature")):
        if data.get(key):
            qs = qs.filter(**{lookup: data[key]})
    if data.get("category"):
        qs = qs.filter(categories=data["category"])
    level = data.get("level")
    if level == "none":
        qs = qs.filter(interferer__isnull=True)
    elif level:
        qs = qs.filter(interferer__level=level)
    conclusion = data.get("conclusion")
    if conclusion == "pending":
        qs = qs.filter(Q(review__isnull=True) | Q(review__conclusion=""))
    elif conclusion:
        qs = qs.filter(review__conclusion=conclusion)
    timeliness = data.get("timeliness")
    if timeliness == "on_time":
        qs = qs.filter(submitted_at__isnull=False, submitted_at__lte=F("due_at"))
    elif timeliness == "late":
        qs = qs.filter(submitted_at__gt=F("due_at"))
    state = data.get("state")
    if state == "overdue":
        qs = qs.filter(status=InterferenceRecord.Status.DRAFT, due_at__lt=now)
    elif state == "due_week":
        qs = qs.filter(status=InterferenceRecord.Status.DRAFT, due_at__gte=now, due_at__lt=week_end(now))
    if data.get("month"):
        year, month = data["month"]
        qs = qs.annotate(_y=ExtractYear("occurred_at", tzinfo=BEIJING), _m=ExtractMonth("occurred_at", tzinfo=BEIJING)).filter(
            _y=year, _m=month
        )
    if data.get("person"):
        qs = qs.filter(Q(interferer=data["person"]) | Q(behind_person=data["person"]))
    if data.get("q"):
        q = data["q"].strip()
        qs = qs.filter(Q(serial__icontains=q) | Q(interferer_name__icontains=q) | Q(behind_name__icontains=q) | Q(matter__icontains=q))
    return qs


def week_end(now: dt.datetime) -> dt.datetime:
    """Start of next Monday (Beijing): "due this week" runs from now to the end of Sunday."""
    today = local_date(now)
    return day_start(today + dt.timedelta(days=7 - today.weekday()))


def ledger(user, data: dict[str, Any], now: dt.datetime) -> QuerySet:
    """The leaders' inquiry ledger (台账, R-LEDGER, 001 第五条): all records routed to the user's bodies."""
    return for_rows(filter_records(routed_records(user), data, now)).order_by("-occurred_at", "-id")


# --- Dashboard ---------------------------------------------------------------------------------


@dataclass
class Figure:
    """One bar of a chart: a label, a count and the ledger filter it links to."""

    label: str
    count: int
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class Dashboard:
    total: int
    by_status: list[Figure]
    overdue: int
    due_week: int
    late_submitted: int
    by_category: list[Figure]
    by_channel: list[Figure]
    by_kind: list[Figure]
    by_level: list[Figure]
    by_unit: list[Figure]
    trend_year: int
    trend: list[tuple[int, int, int]]  # month, this year, previous year
    submitted: int
    on_time: int
    on_time_rate: float | None
    by_conclusion: list[Figure]
    top_repeat: list[tuple[Person, int]]


def _choices_figures(rows: Iterable[dict], key: str, choices, param: str) -> list[Figure]:
    counts = {row[key]: row["n"] for row in rows}
    return [Figure(str(label), counts.get(value, 0), {param: value}) for value, label in choices if counts.get(value, 0)]


def open_records_supervised(user) -> QuerySet:
    """Unsubmitted records of the units supervised by `user`'s discipline bodies, without the records
    `user` is party to (conflict of interest)."""
    from .bodies import bodies_of, supervised_unit_ids

    unit_ids = supervised_unit_ids(bodies_of(user))
    if not unit_ids:
        return InterferenceRecord.objects.none()
    return InterferenceRecord.objects.filter(status=InterferenceRecord.Status.DRAFT, recorder_unit_id__in=unit_ids).exclude_parties(user)


def grouped_counts(grouped: dict[str, list[tuple]], dimension: str, field_name: str) -> list[dict]:
    """One dimension of ``scope_figures`` as the {field: value, "n": count} rows of a values() query."""
    return [{field_name: key, "n": n} for key, _name, n in grouped.get(dimension, [])]


def grouped_total(grouped: dict[str, list[tuple]], dimension: str) -> int:
    return sum(n for _k, _n, n in grouped.get(dimension, []))


def grouped_trend(grouped: dict[str, list[tuple]], trend_year: int) -> list[tuple[int, int, int]]:
    counts = {(int(y), int(m)): n for y, m, n in grouped.get("trend", [])}
    return [(m, counts.get((trend_year, m), 0), counts.get((trend_year - 1, m), 0)) for m in range(1, 13)]


def grouped_repeats(grouped: dict[str, list[tuple]]) -> dict[int, int]:
    """The repeat interferers of the figures (rules.repeat_interferers_counted): {person id: records}."""
    return rules.repeat_interferers_counted({key: n for key, _name, n in grouped.get("repeat", [])})


def grouped_categories(grouped: dict[str, list[tuple]]) -> list[tuple[BehaviourCategory, int]]:
    counts = {int(key): n for key, _name, n in grouped.get("category", [])}
    categories = BehaviourCategory.objects.filter(pk__in=counts).order_by("order", "id") if counts else []
    return [(c, counts[c.pk]) for c in categories]


def dashboard(user, data: dict[str, Any], now: dt.datetime) -> Dashboard:
    """All figures of the discipline dashboard for the period and unit subtree in `data`; every count
    is an aggregate over the records the user can open, read in a fixed number of queries (the
    per-record figures in one, see ``_scope_rows``)."""
    R = InterferenceRecord
    date_from, date_to = data.get("date_from"), data.get("date_to")
    trend_year = (date_to or local_date(now)).year
    grouped = figures.read_figures(
        figures.discipline_scope(user),
        unit_ids=unit_subtree_ids(data["unit"]) if data.get("unit") else None,
        start=date_from,
        end=date_to,
        today=local_date(now),
        trend_year=trend_year,
    )

    def counts(dimension: str, field_name: str) -> list[dict]:
        return grouped_counts(grouped, dimension, field_name)

    by_status = _choices_figures(counts("status", "status"), "status", R.Status.choices, "status")
    total = sum(f.count for f in by_status)

    # Unsubmitted records are never routed, so they are counted from the units this user's bodies
    # supervise, as the overdue list (records:overdue) shows them: metadata only, parties excluded.
    drafts = filter_records(open_records_supervised(user), {"unit": data.get("unit")}, now).aggregate(
        overdue=Count("id", filter=Q(due_at__lt=now)),
        due_week=Count("id", filter=Q(due_at__gte=now, due_at__lt=week_end(now))),
    )
    states = {name: grouped_total(grouped, name) for name in ("late", "submitted", "on_time")}
    by_category = [Figure(c.name, n, {"category": str(c.pk)}) for c, n in grouped_categories(grouped)]

    by_channel = _choices_figures(counts("channel", "channel"), "channel", R.Channel.choices, "channel")
    by_kind = _choices_figures(counts("kind", "interferer_kind"), "interferer_kind", R.InterfererKind.choices, "kind")
    level_rows = counts("level", "interferer__level")
    by_level = _choices_figures(level_rows, "interferer__level", Person.Level.choices, "level")
    unlinked = sum(row["n"] for row in level_rows if row["interferer__level"] is None)
    if unlinked:
        by_level.append(Figure(_("未关联人员库"), unlinked, {"level": "none"}))

    unit_rows = sorted(grouped.get("unit", []), key=lambda row: (-row[2], row[1] or ""))
    by_unit = [Figure(name, n, {"recorder_unit": str(key)}) for key, name, n in unit_rows]

    trend = grouped_trend(grouped, trend_year)

    conclusion_rows = counts("conclusion", "review__conclusion")
    by_conclusion = _choices_figures(conclusion_rows, "review__conclusion", Review.Conclusion.choices, "conclusion")
    pending = sum(row["n"] for row in conclusion_rows if not row["review__conclusion"])
    if pending:
        by_conclusion.append(Figure(_("尚未核实"), pending, {"conclusion": "pending"}))

    repeats = grouped_repeats(grouped)
    top_ids = sorted(repeats, key=lambda pid: (-repeats[pid], pid))[:10]
    people = Person.objects.in_bulk(top_ids) if top_ids else {}
    top_repeat = [(people[pid], repeats[pid]) for pid in top_ids if pid in people]

    return Dashboard(
        total=total,
        by_status=by_status,
        overdue=drafts["overdue"],
        due_week=drafts["due_week"],
        late_submitted=states["late"],
        by_category=by_category,
        by_channel=by_channel,
        by_kind=by_kind,
        by_level=by_level,
        by_unit=by_unit,
        trend_year=trend_year,
        trend=trend,
        submitted=states["submitted"],
        on_time=states["on_time"],
        on_time_rate=rules.on_time_rate(states["on_time"], states["submitted"]),
        by_conclusion=by_conclusion,
        top_repeat=top_repeat,
    )


def units_for_filter(user) -> QuerySet:
    """Units a discipline user may pick as the subtree of a dashboard or ledger: those their bodies supervise."""
    from .bodies import bodies_of, supervised_unit_ids

    return Unit.objects.filter(pk__in=supervised_unit_ids(bodies_of(user))).order_by("code")


def categories_for_filter() -> QuerySet:
    return BehaviourCategory.objects.order_by("order", "code")


# --- Integrity file (廉政档案, R-FILE) ----------------------------------------------------------


@dataclass
class IntegrityFile:
    person: Person
    as_interferer: list[InterferenceRecord]
    substantiated: int
    is_repeat: bool
    sanctions: list
    as_recorder: list[InterferenceRecord]
    recorder_on_time: int
    recorder_late: int


def integrity_file(user, person: Person, now: dt.datetime) -> IntegrityFile:
    """R-FILE (000 第十二条; 002 第十一条): what a person's integrity and enforcement file holds, as far
    as `user` may see: records naming them as interferer or leader behind with the verification,
    sanctions entered by the user's bodies, and as a recorder the records they made and their
    timeliness."""
    from .access import sanctions_visible_to

    visible = routed_records(user)
    named = list(for_rows(visible.filter(Q(interferer=person) | Q(behind_person=person))).order_by("-occurred_at", "-id"))
    substantiated = sum(1 for r in named if getattr(getattr(r, "review", None), "conclusion", "") in rules.SUBSTANTIATED)
    sanctions = list(sanctions_visible_to(user).filter(person=person).select_related("record").order_by("-decided_on", "-id"))
    made: list[InterferenceRecord] = []
    if person.user_id:
        made = with_timeliness(list(for_rows(visible.filter(recorder_id=person.user_id)).order_by("-occurred_at", "-id")), now)
    on_time = sum(1 for r in made if r.deadline.code == "submitted")
    late = sum(1 for r in made if r.deadline.code in ("submitted_late", "overdue"))
    file = IntegrityFile(
        person=person,
        as_interferer=named,
        substantiated=substantiated,
        is_repeat=substantiated >= rules.REPEAT_THRESHOLD,
        sanctions=sanctions,
        as_recorder=made,
        recorder_on_time=on_time,
        recorder_late=late,
    )
    # Issue 8: enforcement errors (tolerated excluded, 004 第二十一条), tolerated errors, cleared names.
    from .fault_selectors import fault_file

    file.fault = fault_file(user, person)
    return file


def now() -> dt.datetime:
    return timezone.now()
