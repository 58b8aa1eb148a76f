"""A long-lived worker that renders the national annual report (no appendix) on request, so that
bench.py can time two databases side by side (one worker each, requests alternating) and read the
peak memory of the process that renders the report.

    DATABASE_URL=postgres://.../db python benchmarks/report_worker.py YEAR
Reads one line per render from stdin, answers one JSON line: {"ms", "records", "bytes", "rss_peak_mb"}.
"""

import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interference_registry.settings")

import django  # noqa: E402

django.setup()

from discipline.reports.pdf import build_report  # noqa: E402


def main() -> None:
    year = int(sys.argv[1])
    for _line in sys.stdin:
        start = time.perf_counter()
        pdf, figures = build_report(None, year=year)
        ms = (time.perf_counter() - start) * 1000
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"ms": ms, "records": figures.total, "bytes": len(pdf), "rss_peak_mb": round(peak, 1)}), flush=True)


if __name__ == "__main__":
    main()
