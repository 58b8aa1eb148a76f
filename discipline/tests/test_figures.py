"""Figure cells (issue 10): the dashboard's and the reports' figures read from per-unit, per-month
cells must equal what the records give, for whole months, parts of months and the reader's own
records (conflict of interest), and ``check_cells`` must find and repair any drift."""

import datetime as dt
from collections import Counter

import pytest
from django.urls import reverse

from cases.models import Person
from discipline.models import FigureCell
from discipline.reports import figures
from discipline.reports.figures import cells
from discipline.reports.figures.rules import Fact, PeriodPlan, fact_cells, plan_period
from discipline.reports.vocabulary import ReportEvent
from discipline.tests.conftest import make_discipline_user
from discipline.tests.test_dashboard import fixtures  # noqa: F401 - the dashboard's hand-counted records
from discipline.tests.test_permissions import build_workflow
from records.calendar.dates import day_start, local_date
from records.models import RecordGroupObjectPermission

D = dt.date
TODAY = D(2026, 11, 24)


# --- The plan: which days come from cells and which from records (pure) -------------------------------


@pytest.mark.parametrize(
    ("start", "end", "plan"),
    [
        # The dashboard's default, 1 January to today: every month from the cells, minus 25–30 November
        # (after today: no record can have occurred there).
        (D(2026, 1, 1), TODAY, PeriodPlan(True, D(2026, 1, 1), D(2026, 11, 1), subtract=((D(2026, 11, 25), D(2026, 11, 30)),))),
        # Whole months only.
        (D(2026, 3, 1), D(2026, 6, 30), PeriodPlan(True, D(2026, 3, 1), D(2026, 6, 1))),
        # Open on both sides: every cell.
        (None, None, PeriodPlan(True, None, None)),
        # Eleven days inside one month: read from the records (11 days < 20 outside).
        (D(2026, 3, 10), D(2026, 3, 20), PeriodPlan(False, D(2026, 4, 1), D(2026, 2, 1), add=((D(2026, 3, 10), D(2026, 3, 20)),))),
        # 2 March to 31 May: March from the cells minus 1 March (1 day < 30).
        (D(2026, 3, 2), D(2026, 5, 31), PeriodPlan(True, D(2026, 3, 1), D(2026, 5, 1), subtract=((D(2026, 3, 1), D(2026, 3, 1)),))),
        # 25 March to 5 May: 7 days of March and 5 of May from the records, April from the cells.
        (
            D(2026, 3, 25),
            D(2026, 5, 5),
            PeriodPlan(True, D(2026, 4, 1), D(2026, 4, 1), add=((D(2026, 3, 25), D(2026, 3, 31)), (D(2026, 5, 1), D(2026, 5, 5)))),
        ),
        # From 10 November, open end: 15 days up to today against 9 before: cells minus 1–9 November.
        (D(2026, 11, 10), None, PeriodPlan(True, D(2026, 11, 1), None, subtract=((D(2026, 11, 1), D(2026, 11, 9)),))),
        # Up to 29 February 2028 (a leap year's last day of February): a whole month.
        (D(2028, 2, 1), D(2028, 2, 29), PeriodPlan(True, D(2028, 2, 1), D(2028, 2, 1))),
        # An empty period (start after end): nothing at all.
        (D(2026, 5, 1), D(2026, 4, 30), PeriodPlan(False, None, None)),
    ],
)
def test_plan_period(start, end, plan):
    assert plan_period(start, end, TODAY) == plan


def test_fact_cells_of_one_substantiated_record_with_a_leader_behind():
    fact = Fact(
        id=1, recorder_unit_id=7, month=D(2026, 3, 1), bodies=(3, None), status="verified", channel="phone",
        interferer_kind="proxy", interferer_id=11, behind_person_id=12, recorder_id=5, nature="interference",
        conclusion="partly", on_time=False, categories=(2, 4), letters=1, letters_sent=0, internal_notice=False, special=1,
        interferer_level="division", filer_level="",
    )  # fmt: skip
    assert Counter({(d, k): n for d, k, n in fact_cells(fact)}) == Counter(
        {
            ("status", "verified"): 1, ("channel", "phone"): 1, ("kind", "proxy"): 1, ("level", "division"): 1,
            ("filer_level", ""): 1, ("conclusion", "partly"): 1, ("nature", "interference"): 1, ("timely", "late"): 1,
            ("category", "2"): 1, ("category", "4"): 1, ("repeat", "11"): 1, ("repeat", "12"): 1,
            ("letters", ""): 1, ("special", ""): 1,
        }
    )  # fmt: skip
    # The same person as interferer and as leader behind counts once (000 第十二条 "两次以上" is per record).
    same = Fact(**{**fact.__dict__, "behind_person_id": 11, "conclusion": "unfounded"})
    assert [k for d, k, _n in fact_cells(same) if d == "repeat"] == []
    twice = Fact(**{**fact.__dict__, "behind_person_id": 11})
    assert [k for d, k, _n in fact_cells(twice) if d == "repeat"] == ["11"]


# --- Cells against the records ------------------------------------------------------------------------


def brute_force(qs, start, end) -> Counter:
    """Reference: the figures of the records themselves, period filtered in Python by local date."""
    counts: Counter = Counter()
    ids = {
        pk
        for pk, occurred in qs.values_list("pk", "occurred_at")
        if (start is None or local_date(occurred) >= start) and (end is None or local_date(occurred) <= end)
    }
    for fact in figures.facts(qs.filter(pk__in=ids)):
        for dimension, key, n in fact_cells(fact):
            counts[(dimension, key)] += n
        counts[("unit", str(fact.recorder_unit_id))] += 1
    return counts


def as_counter(grouped) -> Counter:
    counts: Counter = Counter()
    for dimension in ("status", "channel", "kind", "conclusion", "nature", "category"):
        for key, _name, n in grouped[dimension]:
            counts[(dimension, key)] += n
    for dimension in ("level", "filer_level"):
        for key, _name, n in grouped[dimension]:
            counts[(dimension, key or "")] += n
    for unit, _name, n in grouped["unit"]:
        counts[("unit", str(unit))] += n
    for dimension, key in (("on_time", "on_time"), ("late", "late")):
        counts[("timely", key)] += grouped[dimension][0][2]
    for key, _name, n in grouped["repeat"]:
        counts[("repeat", str(key))] += n
    for dimension in ("letters", "letters_sent", "internal", "special"):
        counts[(dimension, "")] += grouped[dimension][0][2]
    return +counts


def reference(qs, start, end) -> Counter:
    counts = brute_force(qs, start, end)
    return +counts


PERIODS = [
    (D(2026, 3, 1), D(2026, 6, 30)),
    (D(2026, 3, 10), D(2026, 3, 20)),  # days of one month: from the records
    (D(2026, 3, 4), D(2026, 6, 30)),  # March minus its first three days
    (D(2025, 3, 25), D(2026, 4, 7)),  # a part of March 2025 added, a part of April 2026 added
    (D(2026, 6, 30), D(2026, 7, 1)),  # the evening of 30 June and the first minutes of 1 July (Beijing)
    (D(2026, 1, 1), TODAY),
    (None, None),
]


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_discipline_figures_equal_the_records(org, jj, fixtures, start, end):  # noqa: F811
    scope = figures.discipline_scope(jj)
    grouped = figures.read_figures(scope, unit_ids=None, start=start, end=end, today=TODAY, trend_year=2026)
    assert as_counter(grouped) == reference(scope.exact, start, end)


def test_hand_counted_part_of_a_month(org, jj, fixtures):  # noqa: F811
    # 10–20 March 2026 holds one record of SPECS (17 March 16:00, electronic, late, 部分属实).
    grouped = figures.read_figures(figures.discipline_scope(jj), unit_ids=None, start=D(2026, 3, 10), end=D(2026, 3, 20), today=TODAY, trend_year=2026)
    assert grouped["status"] == [("verified", None, 1)]
    assert grouped["channel"] == [("electronic", None, 1)]
    assert grouped["late"][0][2] == 1 and grouped["on_time"][0][2] == 0
    # The trend is the whole of 2026 and 2025 whatever the period: 5 and 4 records (test_dashboard).
    trend = {(y, m): n for y, m, n in grouped["trend"]}
    assert sum(n for (y, _m), n in trend.items() if y == 2026) == 5 and sum(n for (y, _m), n in trend.items() if y == 2025) == 4


def test_a_reader_does_not_count_records_they_are_party_to(client, org, jj, leader, fixtures):  # noqa: F811
    # A member of the same body who is the linked leader of three SPECS records (2025-03-10, 2026-03-03,
    # 2026-03-17): their figures leave those three out, from the cells and from the days alike.
    reader = make_discipline_user(org["discipline"], "jj_party")
    Person.objects.filter(user=reader).delete()
    leader.user = reader
    leader.save()
    scope = figures.discipline_scope(reader)
    for start, end in PERIODS:
        grouped = figures.read_figures(scope, unit_ids=None, start=start, end=end, today=TODAY, trend_year=2026)
        assert as_counter(grouped) == reference(scope.exact, start, end), (start, end)
    whole = figures.read_figures(scope, unit_ids=None, start=None, end=None, today=TODAY, trend_year=2026)
    colleague = figures.read_figures(figures.discipline_scope(jj), unit_ids=None, start=None, end=None, today=TODAY, trend_year=2026)
    assert sum(n for _k, _n, n in colleague["status"]) == 9  # the 9 SPECS records were all routed to this body
    assert sum(n for _k, _n, n in whole["status"]) == 9 - 3  # 9 SPECS records of this body, 3 of them naming the reader
    assert whole["repeat"] == []  # the reader's own two substantiated records are not theirs to count
    client.force_login(reader)
    board = client.get(reverse("discipline:dashboard"), {"date_from": "2026-03-01", "date_to": "2026-03-31"}).context["board"]
    assert board.total == 0  # both March 2026 records name the reader


def test_workflow_counts_letters_special_reports_and_handling(org, jj, outsider, submit):
    build_workflow(org, jj, outsider, submit)
    grouped = figures.read_figures(figures.discipline_scope(jj), unit_ids=None, start=None, end=None, today=TODAY, trend_year=2026)
    assert grouped["letters"][0][2] == 1 and grouped["special"][0][2] == 1 and grouped["letters_sent"][0][2] == 0
    assert grouped["status"] == [("handled", None, 1)]
    assert figures.check_cells() == ([], [])


def test_check_cells_finds_and_repairs_drift(org, jj, fixtures):  # noqa: F811
    assert figures.check_cells() == ([], [])
    cell = FigureCell.objects.filter(dimension="channel").order_by("pk").first()
    FigureCell.objects.filter(pk=cell.pk).update(count=cell.count + 5)
    FigureCell.objects.create(recorder_unit=org["section"], month=D(2001, 1, 1), dimension="status", key="submitted", count=1)
    mismatches, ungranted = figures.check_cells(repair=True)
    assert sorted((m.recorder_unit_id, m.month) for m in mismatches) == sorted(
        [(cell.recorder_unit_id, cell.month), (org["section"].pk, D(2001, 1, 1))]
    )
    assert ungranted == []
    assert figures.check_cells() == ([], [])


def test_check_cells_reports_a_routing_without_the_group_grant(org, jj, fixtures):  # noqa: F811
    record = fixtures["records"][0]
    RecordGroupObjectPermission.objects.filter(content_object=record).delete()
    assert figures.check_cells()[1] == [record.pk]


@pytest.mark.parametrize("copy_above", [1000, 0])  # the ORM path and (on PostgreSQL) the COPY path
def test_rebuild_equals_the_cells_the_services_wrote(org, jj, fixtures, monkeypatch, copy_above):  # noqa: F811
    monkeypatch.setattr(cells, "COPY_ABOVE", copy_above)

    def snapshot():
        return sorted(FigureCell.objects.values_list("body_one_id", "body_two_id", "recorder_unit_id", "month", "dimension", "key", "count"))

    written_by_services = snapshot()
    assert figures.rebuild_cells() == len(written_by_services)
    assert snapshot() == written_by_services


def test_dashboard_queries_do_not_grow_with_records(client, org, jj, submit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(jj)
    url = reverse("discipline:dashboard")
    params = {"date_from": "2026-01-05", "date_to": "2026-11-20"}  # parts of January and November from the records
    submit(occurred_at=day_start(D(2026, 1, 5)) + dt.timedelta(hours=10))
    with CaptureQueriesContext(connection) as one:
        assert client.get(url, params).context["board"].total == 1
    for day in range(6, 16):
        submit(occurred_at=day_start(D(2026, 1, day)) + dt.timedelta(hours=10))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url, params).context["board"].total == 11
    assert len(many.captured_queries) == len(one.captured_queries)


def test_command_and_nightly_task(org, jj, fixtures):  # noqa: F811
    from django.core.management import CommandError, call_command

    from cases.models import AuditEvent
    from discipline.tasks import check_figures

    call_command("figures_check")  # clean: no error
    cell = FigureCell.objects.filter(dimension="status").order_by("pk").first()
    FigureCell.objects.filter(pk=cell.pk).update(count=cell.count + 1)
    with pytest.raises(CommandError, match="不一致"):
        call_command("figures_check")
    assert check_figures() is False  # found (and repaired) one unit-month
    event = AuditEvent.objects.filter(type=ReportEvent.FIGURES_CHECKED).order_by("-pk").first()
    assert event.data["mismatches"] == 1 and event.data["repaired"] is True
    assert event.data["unit_months"] == [[cell.recorder_unit_id, cell.month.isoformat()]]
    assert check_figures() is True
    call_command("figures_check", "--repair")
    FigureCell.objects.all().delete()
    call_command("figures_check", "--rebuild")
    assert figures.check_cells() == ([], [])


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(__import__("django.db").db.connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (CI runs it)")
def test_concurrent_services_on_one_unit_month_keep_the_cells_true(org, jj, submit, monkeypatch):
    """Two receipts of records of the same unit and month, committed at the same time: each refresh
    must see the other's change. The reads are held at a barrier so that, without the unit lock, both
    would compute their cells before either commits (and the later write would lose a receipt)."""
    import threading

    from django.utils import timezone

    from discipline.review import services

    occurred = day_start(D(2026, 3, 2)) + dt.timedelta(hours=10)
    records = [submit(occurred_at=occurred + dt.timedelta(hours=i)) for i in range(2)]
    barrier = threading.Barrier(2, timeout=3)
    original = figures.facts

    def facts_at_the_barrier(qs):
        rows = original(qs)
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass  # with the lock the other thread cannot arrive until this one commits
        return rows

    monkeypatch.setattr(cells, "facts", facts_at_the_barrier)
    errors = []

    def receive(record):
        from django.db import connection as thread_connection

        try:
            services.record_receive(record=record, actor=jj, now=timezone.now())
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=receive, args=(r,)) for r in records]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    monkeypatch.setattr(cells, "facts", original)
    assert errors == []
    grouped = figures.read_figures(figures.discipline_scope(jj), unit_ids=None, start=None, end=None, today=TODAY, trend_year=2026)
    assert grouped["status"] == [("received", None, 2)]
    assert figures.check_cells() == ([], [])


def test_a_change_of_level_in_the_admin_refreshes_the_figures(client, org, jj, admin_user, leader, fixtures):  # noqa: F811
    # Three SPECS records name the linked leader (周副局长, 处级); promoted to 厅局级 in the admin, they
    # are counted under the new level at once, and the cells stay equal to the records.
    from django.contrib.auth import get_user_model

    def levels():
        grouped = figures.read_figures(figures.discipline_scope(jj), unit_ids=None, start=None, end=None, today=TODAY, trend_year=2026)
        return {key: n for key, _name, n in grouped["level"]}

    assert levels() == {"division": 3, None: 6}
    superuser = get_user_model().objects.create_superuser("root", "root@example.com", "x-Registry-2026")
    client.force_login(superuser)
    url = reverse("admin:cases_person_change", args=[leader.pk])
    form = client.get(url).context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items() if name in form.fields}
    data.update(level=Person.Level.BUREAU, is_leading_cadre="on", unit=leader.unit_id)
    response = client.post(url, {k: v for k, v in data.items() if v is not False})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert levels() == {"bureau": 3, None: 6}
    assert figures.check_cells() == ([], [])
