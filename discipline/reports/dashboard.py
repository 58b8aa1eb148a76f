"""The dashboard (R-ANNUAL figures at a glance): counts by dimension, trend and repeat interferers for a reader."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Person
from cases.selectors import unit_subtree_ids
from discipline.reports.figures.reading import discipline_scope, read_figures
from discipline.reports.ledger import filter_records, week_end
from discipline.review import rules as review_rules
from discipline.review.models import Review
from records.calendar.dates import local_date
from records.models import BehaviourCategory, InterferenceRecord


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

    def tables(self) -> list[tuple[str, list[Figure]]]:
        """The dashboard's tables in page order, each with its title: the charts on the page and the
        sheets of its Excel export are drawn from this one list."""
        return [(str(title), getattr(self, name)) for title, name in DASHBOARD_TABLES]


DASHBOARD_TABLES = [
    (gettext_lazy("按状态"), "by_status"),
    (gettext_lazy("按行为类别"), "by_category"),
    (gettext_lazy("按过问方式"), "by_channel"),
    (gettext_lazy("按过问人类别"), "by_kind"),
    (gettext_lazy("按过问人职级"), "by_level"),
    (gettext_lazy("按记录单位"), "by_unit"),
    (gettext_lazy("核实结论"), "by_conclusion"),
]


def _choices_figures(rows: Iterable[dict], key: str, choices, param: str) -> list[Figure]:
    counts = {row[key]: row["n"] for row in rows}
    return [Figure(str(label), counts.get(value, 0), {param: value}) for value, label in choices if counts.get(value, 0)]


def open_records_supervised(user) -> QuerySet:
    """Unsubmitted records of the units supervised by `user`'s discipline bodies, without the records
    `user` is party to (conflict of interest)."""
    from discipline.common.bodies import bodies_of, supervised_unit_ids

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
    """The repeat interferers of the figures (review_rules.repeat_interferers_counted): {person id: records}."""
    return review_rules.repeat_interferers_counted({key: n for key, _name, n in grouped.get("repeat", [])})


def grouped_categories(grouped: dict[str, list[tuple]]) -> list[tuple[BehaviourCategory, int]]:
    counts = {int(key): n for key, _name, n in grouped.get("category", [])}
    categories = BehaviourCategory.objects.filter(pk__in=counts).order_by("order", "id") if counts else []
    return [(c, counts[c.pk]) for c in categories]


def dashboard(user, data: dict[str, Any], now: dt.datetime) -> Dashboard:
    """All figures of the discipline dashboard for the period and unit subtree in `data`; every count
    is an aggregate over the records the user can open, read in a fixed number of queries (the
    per-record figures in one, see ``_scope_rows``)."""
    date_from, date_to = data.get("date_from"), data.get("date_to")
    trend_year = (date_to or local_date(now)).year
    grouped = read_figures(
        discipline_scope(user),
        unit_ids=unit_subtree_ids(data["unit"]) if data.get("unit") else None,
        start=date_from,
        end=date_to,
        today=local_date(now),
        trend_year=trend_year,
    )

    def counts(dimension: str, field_name: str) -> list[dict]:
        return grouped_counts(grouped, dimension, field_name)

    by_status = _choices_figures(counts("status", "status"), "status", InterferenceRecord.Status.choices, "status")
    total = sum(f.count for f in by_status)

    # Unsubmitted records are never routed, so they are counted from the units this user's bodies
    # supervise, as the overdue list (records:overdue) shows them: metadata only, parties excluded.
    drafts = filter_records(open_records_supervised(user), {"unit": data.get("unit")}, now).aggregate(
        overdue=Count("id", filter=Q(due_at__lt=now)),
        due_week=Count("id", filter=Q(due_at__gte=now, due_at__lt=week_end(now))),
    )
    states = {name: grouped_total(grouped, name) for name in ("late", "submitted", "on_time")}
    by_category = [Figure(c.name, n, {"category": str(c.pk)}) for c, n in grouped_categories(grouped)]

    by_channel = _choices_figures(counts("channel", "channel"), "channel", InterferenceRecord.Channel.choices, "channel")
    by_kind = _choices_figures(counts("kind", "interferer_kind"), "interferer_kind", InterferenceRecord.InterfererKind.choices, "kind")
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
        on_time_rate=review_rules.on_time_rate(states["on_time"], states["submitted"]),
        by_conclusion=by_conclusion,
        top_repeat=top_repeat,
    )
