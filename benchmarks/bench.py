"""Side-by-side timings at national scale (issue 10), on data made by `manage.py generate_load`.

    DATABASE_URL=postgres://.../registry_bench .venv/bin/python benchmarks/bench.py \
        [--small-url postgres://.../registry_bench_small] [--runs 15] [--load-seconds 30] [--write]

`make bench` (benchmarks/run.sh) prepares both databases and runs this. Each figure is the median of
several runs taken alternately with its comparison in the same process, so that machine noise
cancels. Prints a Markdown report; with --write it replaces the "latest run" part of RESULTS.md.
"""

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interference_registry.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.models import Person, Unit  # noqa: E402
from cases.roles import Role  # noqa: E402
from records.models import InterferenceRecord  # noqa: E402

MARK = "<!-- latest run: written by benchmarks/bench.py --write -->"


class Queries:
    """Every SQL statement run inside the block, with its parameters."""

    def __init__(self):
        self.statements: list[tuple[str, object]] = []

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self._record)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)

    def _record(self, execute, sql, params, many, context):
        self.statements.append((sql, params))
        return execute(sql, params, many, context)


def side_by_side(fns: dict, runs: int, warm: bool = True) -> dict[str, float]:
    """Median milliseconds of each function, run alternately `runs` times after one warm-up each."""
    for fn in fns.values() if warm else ():
        fn()
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            samples[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(values) for name, values in samples.items()}


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "—"


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    except OSError:
        mem = 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        pg = cursor.fetchone()[0].split(" on ")[0]
        cursor.execute("SELECT current_setting('shared_buffers'), current_setting('work_mem')")
        buffers, work_mem = cursor.fetchone()
    return (
        f"{platform.machine()}, {os.cpu_count()} cores ({cpu}), {mem} GB RAM, Python {platform.python_version()}, "
        f"Django {django.get_version()}, {pg} (shared_buffers {buffers}, work_mem {work_mem}), on loopback; "
        "other processes shared the 2 cores"
    )


# --- 1. officer list page ------------------------------------------------------------------------


# The matter of every record the load test (benchmarks/load.lua) creates.
LOAD_MATTER = "压力测试事项"


def _officers_by_records():
    return InterferenceRecord.objects.values("recorder_id").annotate(n=Count("id")).order_by("-n", "recorder_id").values_list("recorder_id", flat=True)


def busiest_officer():
    """The officer with the most generated records among those the load test never wrote for: the
    load test's records (no case, one unit, the newest) would otherwise pile up on top of this list
    run after run and change what the page and its admin peer are compared on."""
    touched = InterferenceRecord.objects.filter(matter=LOAD_MATTER).values("recorder_id")
    recorder_id = _officers_by_records().exclude(recorder_id__in=touched)[:1]
    return get_user_model().objects.get(pk=recorder_id[0])


FLOOR_SQL = (
    "SELECT r.id, r.serial, r.occurred_at, r.channel, r.interferer_name, r.interferer_position, r.status, r.due_at, "
    "r.submitted_at, r.calendar_provisional, r.matter, r.nature, c.number, c.title, u.name "
    "FROM records_interferencerecord r LEFT JOIN cases_case c ON c.id = r.case_id "
    "JOIN cases_unit u ON u.id = r.recorder_unit_id WHERE r.recorder_id = %s ORDER BY r.occurred_at DESC, r.id DESC LIMIT 20"
)


def bench_list(runs: int) -> dict:
    from benchmarks.admin_peer import RecordPeerAdmin, site

    officer = busiest_officer()
    RecordPeerAdmin.recorder_id = officer.pk
    admin_user, _ = get_user_model().objects.get_or_create(username="bench-peer-admin", defaults={"is_staff": True, "is_superuser": True})
    client, peer = Client(), Client()
    client.force_login(officer)
    peer.force_login(admin_user)
    mine = InterferenceRecord.objects.filter(recorder=officer).count()
    peer_url = f"/bench-peer/{InterferenceRecord._meta.app_label}/{InterferenceRecord._meta.model_name}/"
    with override_settings(ROOT_URLCONF="benchmarks.urls"):
        assert site.name == "peer"

        def page(page_no=1):
            response = client.get(f"/records/?page={page_no}")
            assert response.status_code == 200, response.status_code

        def admin_page():
            response = peer.get(peer_url)
            assert response.status_code == 200, response.status_code
            assert response.content.count(b'class="action-checkbox"') == 20, "the peer shows other rows"

        def floor():
            with connection.cursor() as cursor:
                cursor.execute(FLOOR_SQL, [officer.pk])
                assert len(cursor.fetchall()) == 20

        def page_rows():
            # The rows the page reads, through the same code path (visibility, filters, paginator).
            from records.record.forms import RecordFilterForm
            from records.record.selectors import own_records_page

            assert len(own_records_page(officer, RecordFilterForm(), "1").object_list) == 20

        with Queries() as q1:
            page()
        with Queries() as q_admin:
            admin_page()
        counts_by_page = []
        for page_no in (1, 2, 3):
            with Queries() as q:
                page(page_no)
            counts_by_page.append(len(q.statements))
        times = side_by_side({"page": page, "floor": floor, "rows": page_rows, "admin": admin_page}, runs)
    return {
        "officer_records": mine,
        "queries": len(q1.statements),
        "queries_by_page": counts_by_page,
        "admin_queries": len(q_admin.statements),
        **times,
    }


# --- 2. dashboard --------------------------------------------------------------------------------


def national_discipline_user():
    """A discipline staff member in every body's staff group: sees what every body was sent."""
    user, _ = get_user_model().objects.get_or_create(username="bench-national-discipline")
    groups = list(Group.objects.filter(name__startswith="discipline:")) + [Group.objects.get_or_create(name=Role.DISCIPLINE.value)[0]]
    user.groups.add(*groups)
    Person.objects.get_or_create(user=user, defaults={"name": "基准纪检员", "position": "纪检干部"})
    return get_user_model().objects.get(pk=user.pk)


def raw_runner(statements):
    def run():
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    return run


def bench_dashboard(runs: int, year: int) -> dict:
    from discipline.reports import dashboard as selectors

    user = national_discipline_user()
    province = Unit.objects.filter(parent__isnull=True, kind=Unit.Kind.BUREAU).order_by("pk").first()
    city = Unit.objects.filter(parent=province, kind=Unit.Kind.BUREAU).order_by("pk").first()
    client = Client()
    client.force_login(user)
    period = {"date_from": f"{year}-01-01", "date_to": f"{year}-12-31"}
    now = timezone.now()
    result = {"city": city.name}
    for scope, unit in (("subtree", city), ("national", None)):
        params = {**period, **({"unit": str(unit.pk)} if unit else {})}
        data = {"date_from": timezone.datetime(year, 1, 1).date(), "date_to": timezone.datetime(year, 12, 31).date(), "unit": unit}

        def figures(data=data):
            return selectors.dashboard(user, data, now)

        def page(params=params):
            response = client.get("/discipline/dashboard/", params)
            assert response.status_code == 200, response.status_code

        with Queries() as q:
            board = figures()
        with Queries() as qp:
            page()
        # Already warmed up by the two counted runs above.
        times = side_by_side({"figures": figures, "sql": raw_runner(q.statements), "page": page}, runs, warm=False)
        result[scope] = {"records": board.total, "queries": len(q.statements), "page_queries": len(qp.statements), **times}
    # The page as it opens (1 January to today): the days after today are read from the records.
    default = side_by_side({"page": lambda: client.get("/discipline/dashboard/")}, runs)
    result["default_page"] = default["page"]
    # What the services pay to keep the cells: one refresh of the busiest unit-month of the year.
    from django.db.models import Count

    from discipline.reports.figures.cells import refresh_cells
    from discipline.reports.figures.rules import month_of

    busiest = (
        InterferenceRecord.objects.filter(occurred_at__year=year).exclude(status="draft")
        .values("recorder_unit_id").annotate(n=Count("id")).order_by("-n").first()
    )  # fmt: skip
    sample = InterferenceRecord.objects.filter(recorder_unit_id=busiest["recorder_unit_id"], occurred_at__year=year).exclude(status="draft").order_by("-occurred_at").first()
    month = month_of(sample.occurred_at)
    in_month = InterferenceRecord.objects.filter(recorder_unit_id=sample.recorder_unit_id).exclude(status="draft")
    in_month = sum(1 for r in in_month.only("occurred_at") if month_of(r.occurred_at) == month)
    refresh = side_by_side({"refresh": lambda: refresh_cells(unit_id=sample.recorder_unit_id, month=month)}, runs)
    from discipline.models import FigureCell

    result["refresh"] = {"ms": refresh["refresh"], "records": in_month, "cells": FigureCell.objects.count()}
    return result


# --- 3. reminder sweep ---------------------------------------------------------------------------


def sweep_plan() -> str:
    from records.notifications.services import BATCH

    now = timezone.now()
    qs = InterferenceRecord.objects.filter(next_notice_at__lte=now, pk__gt=0).select_related("recorder__person", "recorder_unit").order_by("pk")[:BATCH]
    return qs.explain()


def bench_sweep(runs: int) -> dict:
    from records.notifications.sweep import reminder_sweep

    open_count = InterferenceRecord.objects.filter(status="draft").count()
    first_start = time.perf_counter()
    first = reminder_sweep(now=timezone.now())
    first_ms = (time.perf_counter() - first_start) * 1000
    times = side_by_side({"sweep": lambda: reminder_sweep(now=timezone.now())}, max(5, runs // 2))
    plan = sweep_plan()
    assert "Index" in plan and "Seq Scan on records_interferencerecord" not in plan, plan
    return {"open": open_count, "first_ms": first_ms, "first": first, "plan": plan, **times}


# --- 4. annual report ----------------------------------------------------------------------------


def bench_report(small_url: str | None, year: int, runs: int) -> dict:
    urls = {"large": os.environ["DATABASE_URL"]}
    if small_url:
        urls["small"] = small_url
    workers = {
        name: subprocess.Popen(  # noqa: S603 - our own script
            [sys.executable, str(ROOT / "benchmarks" / "report_worker.py"), str(year)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env={**os.environ, "DATABASE_URL": url},
        )  # fmt: skip
        for name, url in urls.items()
    }
    samples: dict[str, list[dict]] = {name: [] for name in workers}
    try:
        for i in range(runs + 1):  # the first render of each warms it up
            for name, worker in workers.items():
                worker.stdin.write("render\n")
                worker.stdin.flush()
                answer = json.loads(worker.stdout.readline())
                if i:
                    samples[name].append(answer)
    finally:
        for worker in workers.values():
            worker.stdin.close()
            worker.wait(timeout=60)
    return {
        name: {
            "ms": statistics.median(s["ms"] for s in rows),
            "records": rows[-1]["records"],
            "bytes": rows[-1]["bytes"],
            "rss_peak_mb": max(s["rss_peak_mb"] for s in rows),
        }
        for name, rows in samples.items()
    }


# --- 5 and 6. load and memory --------------------------------------------------------------------


def load_users(n: int) -> tuple[list, str]:
    """`n` officers with a session each; returns them and the wrk users file."""
    from django.contrib.sessions.backends.db import SessionStore

    # Never the officer of the list benchmark (see busiest_officer).
    ids = list(_officers_by_records().exclude(recorder_id=busiest_officer().pk)[:n])
    users = list(get_user_model().objects.filter(pk__in=ids).order_by("pk"))
    lines = []
    for user in users:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        assert SessionStore(session_key=session).exists(session)
        mine = list(InterferenceRecord.objects.filter(recorder=user).order_by("-occurred_at").values_list("pk", flat=True)[:50])
        lines.append(f"{session}\t{secrets.token_hex(16)}\t{','.join(map(str, mine))}")
    handle, path = tempfile.mkstemp(prefix="bench-users-", suffix=".tsv")
    with os.fdopen(handle, "w") as f:
        f.write("\n".join(lines) + "\n")
    return users, path


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def bench_load(users: int, seconds: int, workers: int) -> dict:
    if not shutil.which("wrk"):
        return {"skipped": "wrk is not installed (apt-get install wrk)"}
    people, users_file = load_users(users)
    port = 8790
    env = {**os.environ, "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "interference_registry.settings"}
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [str(Path(sys.executable).parent / "gunicorn"), "interference_registry.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--worker-class", "sync", "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    started = timezone.now()
    try:
        import urllib.request

        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2)  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.2)
        out = subprocess.run(  # noqa: S603 - fixed arguments
            [shutil.which("wrk"), "-t", str(users), "-c", str(users), "-d", f"{seconds}s", "--timeout", "30s",
             "-s", str(ROOT / "benchmarks" / "load.lua"), f"http://127.0.0.1:{port}", "--", users_file, str(seconds)],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        line = next(x for x in out.splitlines() if x.startswith("WRK_JSON "))
        result = json.loads(line[len("WRK_JSON ") :])
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        result["worker_rss_mb"] = max(peak_rss_mb(int(pid)) for pid in children) if children else 0.0
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        os.unlink(users_file)
    made = InterferenceRecord.objects.filter(recorder__in=people, created_at__gte=started, matter="压力测试事项")
    result["created_rows"] = made.count()
    result["submitted_rows"] = made.filter(submitted_at__isnull=False).exclude(status="draft").count()
    result["workers"] = workers
    result["users"] = users
    return result


# --- report --------------------------------------------------------------------------------------


def markdown(args, total: int, year: int, in_year: int, lst, dash, sweep, report, load) -> str:
    ok = lambda cond: "✅" if cond else "❌"  # noqa: E731
    out = [MARK, "", f"## Latest run ({timezone.localdate():%Y-%m-%d})", "", f"Machine: {machine()}.", ""]
    out.append(f"Data: {total:,} records ({in_year:,} in {year}); runs per figure: {args.runs}.")
    out += ["", "| # | measure | median | comparison (same run, alternating) | target | |", "| --- | --- | --- | --- | --- | --- |"]
    out.append(
        f"| 1 | officer list page, 20 rows with deadline state, {lst['queries']} queries (pages 1–3: "
        f"{'/'.join(map(str, lst['queries_by_page']))}); officer with {lst['officer_records']} records | {lst['page']:.1f} ms | "
        f"admin changelist of the same rows {lst['admin']:.1f} ms, {lst['admin_queries']} queries ({ratio(lst['page'], lst['admin'])}) | "
        f"≤ ½ the admin | {ok(lst['page'] <= lst['admin'] / 2)} |"
    )
    out.append(
        f"| 1 | the page's rows through the ORM (visibility, paginator) | {lst['rows']:.2f} ms | raw SQL floor {lst['floor']:.2f} ms "
        f"({ratio(lst['rows'], lst['floor'])}); whole page {ratio(lst['page'], lst['floor'])} | ≤ 3× the floor | "
        f"{ok(lst['rows'] <= 3 * lst['floor'])} |"
    )
    out.append(f"| 1 | queries constant in page size | {lst['queries']} | | ≤ 10 | {ok(lst['queries'] <= 10 and len(set(lst['queries_by_page'])) == 1)} |")
    for scope, label in (("subtree", f"one city subtree ({dash['city']})"), ("national", "national scope")):
        d = dash[scope]
        out.append(
            f"| 2 | dashboard figures, {label}, {year}: {d['records']:,} records, {d['queries']} queries | {d['figures']:.0f} ms | "
            f"its own SQL run directly {d['sql']:.0f} ms ({ratio(d['figures'], d['sql'])}); whole page {d['page']:.0f} ms | ≤ 2× the SQL"
            f"{'; page < 1 s' if scope == 'national' else ''} | {ok(d['figures'] <= 2 * d['sql'] and (scope != 'national' or d['page'] < 1000))} |"
        )
    out.append(
        f"| 2 | dashboard page as it opens, national scope (1 January to today) | {dash['default_page']:.0f} ms | | < 1 s | "
        f"{ok(dash['default_page'] < 1000)} |"
    )
    ref = dash["refresh"]
    out.append(
        f"| 2 | keeping the figure cells: one refresh of the busiest unit-month ({ref['records']} records), paid inside each "
        f"submit/receive/verify/handle | {ref['ms']:.1f} ms | {ref['cells']:,} cells in all | — | |"
    )
    out.append(
        f"| 3 | reminder sweep, {sweep['open']:,} open records | {sweep['sweep']:.1f} ms | first sweep of the day (digests) "
        f"{sweep['first_ms']:.0f} ms | ≤ 200 ms; plan uses an index | {ok(sweep['sweep'] <= 200 and 'Index' in sweep['plan'])} |"
    )
    large = report["large"]
    small = report.get("small")
    cmp = (
        f"{small['records']:,} records in the year: {small['ms']:.0f} ms ({ratio(large['ms'], small['ms'])})"
        if small
        else "no small database given"
    )
    out.append(
        f"| 4 | annual report PDF, national, no appendix, {large['records']:,} records in the year | {large['ms']:.0f} ms | {cmp} | "
        f"≤ 5 s; ≤ 1.3× the small | {ok(large['ms'] <= 5000 and (not small or large['ms'] <= 1.3 * small['ms']))} |"
    )
    if "skipped" in load:
        out.append(f"| 5 | load | — | {load['skipped']} | | |")
    else:
        rps = load["requests"] / load["seconds"]
        out.append(
            f"| 5 | load: gunicorn {load['workers']} sync workers, wrk {load['users']} users × {load['seconds']:.0f} s "
            f"(list {load['list']}, detail {load['detail']}, create {load['create']}, submit {load['submit']}) | {rps:.0f} req/s | "
            f"p50 {load['p50_ms']:.0f} ms, p95 {load['p95_ms']:.0f} ms, p99 {load['p99_ms']:.0f} ms; errors "
            f"{load['socket_errors'] + load['status_errors'] + load['unexpected']}; submitted rows afterwards {load['submitted_rows']} "
            f"= successful submits {load['submit']} | 0 errors; rows = submits | "
            f"{ok(load['socket_errors'] + load['status_errors'] + load['unexpected'] == 0 and load['submitted_rows'] == load['submit'])} |"
        )
        out.append(f"| 6 | peak RSS of a web worker after the load | {load['worker_rss_mb']:.0f} MB | | | |")
    out.append(f"| 6 | peak RSS of the worker rendering the national report | {large['rss_peak_mb']:.0f} MB | | | |")
    out += ["", "Reminder sweep query plan (asserted to use an index):", "", "```", sweep["plan"], "```", ""]
    if "sample" in load and load.get("sample"):
        out += [f"First unexpected load response: `{load['sample']}`", ""]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--small-url", default=os.environ.get("BENCH_SMALL_URL"))
    parser.add_argument("--load-seconds", type=int, default=30)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--only", default="1,2,3,4,5", help="comma-separated benchmark numbers")
    parser.add_argument("--write", action="store_true", help="replace the latest run in benchmarks/RESULTS.md")
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "the benchmarks run against PostgreSQL (DATABASE_URL)"
    only = set(args.only.split(","))
    total = InterferenceRecord.objects.count()
    year = InterferenceRecord.objects.order_by("-occurred_at").values_list("occurred_at", flat=True).first().year
    in_year = InterferenceRecord.objects.filter(occurred_at__year=year).count()
    print(f"{total} records, {in_year} in {year}", file=sys.stderr)
    lst = bench_list(args.runs) if "1" in only else None
    print(f"1: {lst}", file=sys.stderr)
    dash = bench_dashboard(args.runs, year) if "2" in only else None
    print(f"2: {dash}", file=sys.stderr)
    sweep = bench_sweep(args.runs) if "3" in only else None
    print(f"3: { {k: v for k, v in (sweep or {}).items() if k != 'plan'} }", file=sys.stderr)
    report = bench_report(args.small_url, year, max(3, args.runs // 5)) if "4" in only else None
    print(f"4: {report}", file=sys.stderr)
    load = bench_load(args.users, args.load_seconds, args.workers) if "5" in only else None
    print(f"5: {load}", file=sys.stderr)
    if None in (lst, dash, sweep, report, load):
        return
    text = markdown(args, total, year, in_year, lst, dash, sweep, report, load)
    print(text)
    if args.write:
        path = ROOT / "benchmarks" / "RESULTS.md"
        current = path.read_text() if path.exists() else ""
        head = current.split(MARK)[0].rstrip() + "\n\n" if MARK in current else current.rstrip() + "\n\n"
        path.write_text(head + text + "\n")


if __name__ == "__main__":
    main()
