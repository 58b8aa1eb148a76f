"""Side-by-side timings on the generated data (python manage.py generate_load --records N first).

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/bench.py [--runs 15]

Each figure is the median of several runs, measured in the same process as its comparison so that
machine noise cancels. Prints a Markdown table for benchmarks/RESULTS.md.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interference_registry.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from records.models import InterferenceRecord  # noqa: E402
from records.notify import reminder_sweep  # noqa: E402


def median_ms(fn, runs: int) -> float:
    fn()  # warm caches
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    total = InterferenceRecord.objects.count()
    # The busiest officer: the list page is slowest for them.
    recorder_id = (
        InterferenceRecord.objects.values("recorder_id").annotate(n=django.db.models.Count("id")).order_by("-n").values_list("recorder_id", flat=True).first()
    )
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.get(pk=recorder_id)
    mine = InterferenceRecord.objects.filter(recorder=officer).count()
    client = Client()
    client.force_login(officer)

    def page():
        assert client.get("/records/").status_code == 200

    # Counted with an execute wrapper: the request_started signal resets connection.queries.
    executed = []
    with connection.execute_wrapper(lambda execute, sql, params, many, context: executed.append(sql) or execute(sql, params, many, context)):
        page()
    sql = (
        "SELECT r.id, r.serial, r.occurred_at, r.channel, r.interferer_name, r.interferer_position, r.status, r.due_at, "
        "r.submitted_at, c.number, u.name FROM records_interferencerecord r LEFT JOIN cases_case c ON c.id = r.case_id "
        "JOIN cases_unit u ON u.id = r.recorder_unit_id WHERE r.recorder_id = %s ORDER BY r.occurred_at DESC, r.id DESC LIMIT 20"
    )

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(sql, [officer.pk])
            cursor.fetchall()

    page_ms, floor_ms = median_ms(page, runs), median_ms(floor, runs)
    open_count = InterferenceRecord.objects.filter(status="draft").count()
    sweep_ms = median_ms(lambda: reminder_sweep(now=timezone.now()), max(3, runs // 3))
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN SELECT * FROM records_interferencerecord WHERE next_notice_at <= now() ORDER BY id LIMIT 500"
            if connection.vendor == "postgresql"
            else "EXPLAIN QUERY PLAN SELECT * FROM records_interferencerecord WHERE next_notice_at <= datetime('now') ORDER BY id LIMIT 500"
        )
        plan = " / ".join(str(row[-1] if connection.vendor != "postgresql" else row[0]) for row in cursor.fetchall())
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {connection.vendor}")
    print(f"Records: {total}; the officer has {mine}; open drafts: {open_count}\n")
    print("| measure | median | comparison |")
    print("| --- | --- | --- |")
    print(f"| officer list page (20 rows), {len(executed)} queries | {page_ms:.1f} ms | raw SQL floor {floor_ms:.2f} ms ({page_ms / floor_ms:.1f}×) |")
    print(f"| reminder sweep, {open_count} open records | {sweep_ms:.1f} ms | target ≤ 200 ms at 20,000 |")
    print(f"\nSweep query plan: {plan}")


if __name__ == "__main__":
    main()
