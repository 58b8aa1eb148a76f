"""The annual and quarterly summary analysis (R-ANNUAL, 001 第七条; 000 第九条): the figures of one
period and unit subtree. The per-record figures come from the figure cells (``discipline.reports.figures``:
counts per unit and month kept by the services), so the time to compute them does not grow with the
number of records; the registers beside them (sanctions, failures, alerts, zero reports) are
aggregate queries.

Scope: discipline staff count the records routed to their bodies that they may open
(``access.routed_records``: ``visible_to`` and the conflict-of-interest exclusion); a pure
administrator (no discipline role) counts the submitted records of the units, parties excluded, and
gets counts only — no names (they do not read content, DESIGN §1). ``user=None`` (the management
command without --user) counts like an administrator over every unit."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from cases.models import Person, Unit
from cases.roles import Role, has_role
from cases.selectors import bureau_of
from discipline.accountability.access import alerts_visible_to, failures_visible_to
from discipline.accountability.models import RecordingFailure, RetaliationAlert
from discipline.common.bodies import bodies_of
from discipline.reports.access import is_discipline, scope_unit_ids
from discipline.reports.dashboard import (
    Figure,
    _choices_figures,
    grouped_categories,
    grouped_counts,
    grouped_repeats,
    grouped_total,
    grouped_trend,
)
from discipline.reports.figures.reading import FigureScope, discipline_scope, read_figures, system_scope
from discipline.review import rules as review_rules
from discipline.review.access import routed_records, sanctions_visible_to
from discipline.review.models import NoticeLetter, Review, Sanction
from records.calendar.dates import day_start, local_date
from records.models import InterferenceRecord
from records.zero_report.selectors import declaration_status


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None = None

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1 if not self.quarter else 3 * self.quarter - 2, 1)

    @property
    def end(self) -> dt.date:
        """Last day of the period."""
        if not self.quarter or self.quarter == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.quarter + 1, 1) - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.year}年第{'一二三四'[self.quarter - 1]}季度" if self.quarter else f"{self.year}年度"

    def counted_end(self, today: dt.date) -> dt.date:
        """The last day the report counts: the period's last day, or the day it is made when the
        period is not over (no record can have happened after it)."""
        return min(self.end, today)

    def has_begun(self, today: dt.date) -> bool:
        """A period that has not begun has nothing to count: no report is made for it."""
        return self.start <= today

    def months(self) -> list[dt.date]:
        first = self.start.month
        return [dt.date(self.year, m, 1) for m in range(first, self.end.month + 1)]


def base_records(user) -> QuerySet:
    if is_discipline(user):
        return routed_records(user)
    if user is None:  # the management command: the whole system, counts only
        return InterferenceRecord.objects.exclude(status=InterferenceRecord.Status.DRAFT)
    if has_role(user, Role.ADMIN):
        return InterferenceRecord.objects.exclude(status=InterferenceRecord.Status.DRAFT).exclude_parties(user)
    return InterferenceRecord.objects.none()


def period_records(user, period: Period, unit: Unit | None) -> QuerySet:
    qs = base_records(user).filter(occurred_at__gte=day_start(period.start), occurred_at__lt=day_start(period.end + dt.timedelta(days=1)))
    ids = scope_unit_ids(user, unit)
    return qs if ids is None else qs.filter(recorder_unit_id__in=ids)


@dataclass
class ReportFigures:
    period: Period
    unit_name: str
    names_shown: bool
    issuer: str = ""  # who issues the report (the red head of its cover): the reader's bodies, or the units
    counted_end: dt.date | None = None  # the last day counted (Period.counted_end)
    partial: bool = False  # the period is not over: counted up to the day the report was made
    total: int = 0
    interference: int = 0
    procedural: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    on_time_rate: float | None = None
    by_conclusion: list[Figure] = field(default_factory=list)
    letters: int = 0
    letters_sent: int = 0
    internal_notices: int = 0
    sanctions_total: int = 0
    sanctions: list[Figure] = field(default_factory=list)
    special: int = 0
    by_category: list[Figure] = field(default_factory=list)
    by_channel: list[Figure] = field(default_factory=list)
    by_kind: list[Figure] = field(default_factory=list)
    by_level: list[Figure] = field(default_factory=list)
    by_filer_level: list[Figure] = field(default_factory=list)
    by_unit: list[Figure] = field(default_factory=list)
    trend: list[tuple[int, int, int]] = field(default_factory=list)
    repeat_count: int = 0
    repeaters: list[tuple[str, str, int]] = field(default_factory=list)  # name, position, substantiated records
    failures_total: int = 0
    failures: list[Figure] = field(default_factory=list)
    failures_decided: int = 0
    failures_pending: int = 0
    alerts_total: int = 0
    alerts: list[Figure] = field(default_factory=list)
    zero_rows: list[tuple[str, int, int, int]] = field(default_factory=list)  # month, owed, declared, missing
    zero_owed: int = 0
    zero_declared: int = 0
    fingerprint: str = ""


def _level_figures(rows: list[dict], key: str) -> list[Figure]:
    figures = _choices_figures(rows, key, Person.Level.choices, "level")
    unlinked = sum(row["n"] for row in rows if row[key] is None)
    if unlinked:
        figures.append(Figure("未关联人员库", unlinked, {"level": "none"}))
    return figures


def figure_scope(user) -> FigureScope:
    """The records `user` counts in a report (as ``base_records``)."""
    if is_discipline(user):
        return discipline_scope(user)
    if user is None or has_role(user, Role.ADMIN):
        return system_scope(user)
    return FigureScope(exact=InterferenceRecord.objects.none(), body_ids=[], party=None)


def period_figures(user, period: Period, unit: Unit | None, today: dt.date) -> dict[str, list[tuple]]:
    """The per-record figures of the report's period and subtree, and the trend of its year
    (``read_figures``: the months from the figure cells)."""
    return read_figures(
        figure_scope(user), unit_ids=scope_unit_ids(user, unit), start=period.start, end=period.end, today=today, trend_year=period.year
    )


def data_fingerprint(user, period: Period, unit: Unit | None, today: dt.date | None = None) -> str:
    """Changes when a figure of the report changes (the record figures, read from the cells, and the
    registers counted beside them)."""
    today = today or local_date(timezone.now())
    return _fingerprint(period_figures(user, period, unit, today), period, unit, today)


def _fingerprint(grouped: dict[str, list[tuple]], period: Period, unit: Unit | None, today: dt.date) -> str:
    """The counted end is part of it: a report of a period not yet over says up to which day it
    counts, so one made on another day is another document even when no figure moved."""
    extra = [
        Sanction.objects.aggregate(n=Count("id"), last=Max("created_at")),
        RecordingFailure.objects.aggregate(n=Count("id"), last=Max("created_at")),
        RetaliationAlert.objects.aggregate(n=Count("id"), last=Max("reviewed_at"), raised=Max("raised_at")),
        NoticeLetter.objects.aggregate(n=Count("id"), sent=Max("sent_on")),
    ]
    raw = repr((sorted(grouped.items()), extra, period, period.counted_end(today), unit.pk if unit else None))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def report_figures(
    user, *, year: int, quarter: int | None = None, unit: Unit | None = None, now: dt.datetime | None = None
) -> ReportFigures:
    """Every figure of the report for `user`'s scope (see the module docstring)."""
    now = now or timezone.now()
    period = Period(year, quarter)
    names = is_discipline(user)
    unit_ids = scope_unit_ids(user, unit)
    today = local_date(now)
    f = ReportFigures(
        period=period, unit_name=unit.name if unit else _default_unit_name(user), names_shown=names, issuer=_issuer(user, unit),
        counted_end=period.counted_end(today), partial=today < period.end,
    )  # fmt: skip

    # The per-record figures and the trend from the figure cells (issue 10), as the dashboard.
    grouped = period_figures(user, period, unit, today)
    natures = {row["nature"]: row["n"] for row in grouped_counts(grouped, "nature", "nature")}
    f.total = grouped_total(grouped, "status")
    f.interference, f.procedural = natures.get(InterferenceRecord.Nature.INTERFERENCE, 0), natures.get(InterferenceRecord.Nature.PROCEDURAL, 0)
    f.submitted, f.on_time, f.late = (grouped_total(grouped, name) for name in ("submitted", "on_time", "late"))
    f.on_time_rate = review_rules.on_time_rate(f.on_time, f.submitted)

    conclusion_rows = grouped_counts(grouped, "conclusion", "review__conclusion")
    f.by_conclusion = _choices_figures(conclusion_rows, "review__conclusion", Review.Conclusion.choices, "conclusion")
    pending = sum(row["n"] for row in conclusion_rows if not row["review__conclusion"])
    if pending:
        f.by_conclusion.append(Figure("尚未核实", pending, {"conclusion": "pending"}))

    f.letters, f.letters_sent = grouped_total(grouped, "letters"), grouped_total(grouped, "letters_sent")
    f.internal_notices = grouped_total(grouped, "internal")
    f.special = grouped_total(grouped, "special")

    sanctions = sanctions_visible_to(user) if names else Sanction.objects.all()
    sanctions = sanctions.filter(decided_on__gte=period.start, decided_on__lte=period.end)
    if unit_ids is not None:
        sanctions = sanctions.filter(Q(person__unit_id__in=unit_ids) | Q(record__recorder_unit_id__in=unit_ids))
    sanction_rows = list(sanctions.values("kind").annotate(n=Count("id", distinct=True)).order_by())
    f.sanctions = _choices_figures(sanction_rows, "kind", Sanction.Kind.choices, "kind")
    f.sanctions_total = sum(x.count for x in f.sanctions)

    f.by_category = [Figure(c.name, n) for c, n in grouped_categories(grouped)]
    f.by_channel = _choices_figures(grouped_counts(grouped, "channel", "channel"), "channel", InterferenceRecord.Channel.choices, "channel")
    f.by_kind = _choices_figures(
        grouped_counts(grouped, "kind", "interferer_kind"), "interferer_kind", InterferenceRecord.InterfererKind.choices, "kind"
    )
    f.by_level = _level_figures(grouped_counts(grouped, "level", "interferer__level"), "interferer__level")
    f.by_filer_level = _level_figures(grouped_counts(grouped, "filer_level", "recorder__person__level"), "recorder__person__level")
    unit_rows = sorted(grouped.get("unit", []), key=lambda row: (-row[2], row[1] or ""))
    f.by_unit = [Figure(name, n) for _key, name, n in unit_rows]
    f.trend = grouped_trend(grouped, year)

    repeats = grouped_repeats(grouped)
    f.repeat_count = len(repeats)
    if names and repeats:
        top = sorted(repeats, key=lambda pid: (-repeats[pid], pid))[:20]
        people = Person.objects.in_bulk(top)
        f.repeaters = [(people[p].name, people[p].position, repeats[p]) for p in top if p in people]

    failures = failures_visible_to(user) if names else RecordingFailure.objects.all()
    failures = failures.filter(confirmed_on__gte=period.start, confirmed_on__lte=period.end)
    if unit_ids is not None:
        failures = failures.filter(officer__unit_id__in=unit_ids)
    fail_rows = list(
        failures.values("kind").annotate(n=Count("id"), decided=Count("id", filter=Q(officer_sanction__isnull=False))).order_by()
    )
    f.failures = _choices_figures(fail_rows, "kind", RecordingFailure.Kind.choices, "kind")
    f.failures_total = sum(x.count for x in f.failures)
    f.failures_decided = sum(row["decided"] for row in fail_rows)
    f.failures_pending = f.failures_total - f.failures_decided

    alerts = alerts_visible_to(user) if names else RetaliationAlert.objects.all()
    alerts = alerts.filter(raised_at__gte=day_start(period.start), raised_at__lt=day_start(period.end + dt.timedelta(days=1)))
    if unit_ids is not None:
        alerts = alerts.filter(action__person__unit_id__in=unit_ids)
    alert_rows = list(alerts.values("conclusion").annotate(n=Count("id")).order_by())
    f.alerts = _choices_figures(alert_rows, "conclusion", RetaliationAlert.Conclusion.choices, "conclusion")
    open_alerts = sum(row["n"] for row in alert_rows if not row["conclusion"])
    if open_alerts:
        f.alerts.append(Figure("尚未审查", open_alerts))
    f.alerts_total = sum(x.count for x in f.alerts)

    # The figures of 零报告申报情况 and the officer's card, from the same selector.
    zero_status = declaration_status([m for m in period.months() if m <= today], today=today, unit_ids=unit_ids)
    for month_status in zero_status.values():
        n_owed, n_declared = month_status.expected_count, month_status.declared_count
        f.zero_rows.append((month_status.dates.label, n_owed, n_declared, n_owed - n_declared))
    f.zero_owed = sum(r[1] for r in f.zero_rows)
    f.zero_declared = sum(r[2] for r in f.zero_rows)
    f.fingerprint = _fingerprint(grouped, period, unit, today)
    return f


def _issuer(user, unit: Unit | None) -> str:
    """The issuing organ printed at the head of the report: the reader's discipline bodies (one per
    line); for an administrator, the bureau of the chosen unit or the tops of the unit tree. Not the
    scope phrase "……监督范围内各单位", which says what is counted, not who reports."""
    bodies = bodies_of(user) if is_discipline(user) else []
    if bodies:
        return "\n".join(b.name for b in bodies)
    if unit is not None:
        return bureau_of(unit).name
    roots = Unit.objects.filter(parent__isnull=True).exclude(kind=Unit.Kind.DISCIPLINE).order_by("code").values_list("name", flat=True)
    return "\n".join(roots)


def _default_unit_name(user) -> str:
    bodies = bodies_of(user) if is_discipline(user) else []
    if bodies:
        return "、".join(b.name for b in bodies) + "监督范围内各单位"
    return "全系统各单位"
