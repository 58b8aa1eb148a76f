"""How long a user action's ring to the broker takes when Redis is down (issue 17 §6).

    python benchmarks/broker_down.py                   # the project's broker options
    python benchmarks/broker_down.py --kombu-defaults  # without max_retries/socket_connect_timeout (before the fix)

Points Celery at a loopback port that is bound but never listens (every connect refused at once) and
times the three rings a request makes: the reminder sweep (submit), a report job (report request)
and the audit verification (/audit/verify/). No database is touched.
"""

import os
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interference_registry.settings")

import django  # noqa: E402

django.setup()

from cases.tasks import verify_audit_chain  # noqa: E402
from discipline.reports.jobs import _ring as ring_report  # noqa: E402
from interference_registry.celery import app  # noqa: E402
from records.notifications.sweep import wake_sweep as ring_sweep  # noqa: E402


def main() -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    app.conf.broker_url = f"redis://127.0.0.1:{closed.getsockname()[1]}/0"
    options = dict(app.conf.broker_transport_options)
    if "--kombu-defaults" in sys.argv:
        options.pop("max_retries", None)
        options.pop("socket_connect_timeout", None)
    app.conf.broker_transport_options = options

    def audit_verify() -> None:
        try:
            verify_audit_chain.apply_async(retry=False)
        except Exception as exc:  # noqa: BLE001 - the view catches it the same way
            print(f"{'':22s} refused: {type(exc).__name__}")

    for label, ring in (("submit (sweep ring)", ring_sweep), ("report request", lambda: ring_report(0)), ("/audit/verify/", audit_verify)):
        started = time.perf_counter()
        ring()
        print(f"{label:22s} {1000 * (time.perf_counter() - started):8.1f} ms")


if __name__ == "__main__":
    main()
