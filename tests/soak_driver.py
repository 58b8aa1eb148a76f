"""The load and the checks of tests/test_soak.py, run as separate processes against the embedded stack
that scripts/run.sh started (its SQLite database and filesystem broker, passed in the environment).

    python tests/soak_driver.py submit SECONDS USERNAME   # records created and submitted: each rings the doorbell
    python tests/soak_driver.py report SECONDS USERNAME   # annual reports asked for (force: each one rendered)
    python tests/soak_driver.py check                     # what the database holds now

Each prints one JSON line. The writes go through the services the pages call (record_create,
record_submit, report_job_request), in processes of their own, as the web server's would.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interference_registry.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.worker import last_pulses  # noqa: E402
from discipline.reports.jobs import report_job_request  # noqa: E402
from discipline.reports.models import ReportJob  # noqa: E402
from records.models import InterferenceRecord  # noqa: E402
from records.notifications.models import Notification  # noqa: E402
from records.record.services import record_create, record_submit  # noqa: E402
from records.record.vocabulary import RecordNotice  # noqa: E402

KIND_SUBMITTED = RecordNotice.SUBMITTED
# The records this driver makes (the demo data has records and notices of its own).
MATTER = "浸泡测试事项"


def record_fields(serial: int) -> dict:
    occurred = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)
    return {
        "case": None, "matter": f"{MATTER} {serial}", "occurred_at": occurred, "place": "办公室", "channel": "oral",
        "interferer": None, "interferer_name": "李某", "interferer_position": "副县长", "interferer_unit": "某县政府",
        "interferer_kind": "leader", "proxy_relation": "", "behind_person": None, "behind_name": "", "behind_position": "",
        "letter_organization": "", "letter_number": "", "content": "要求从轻处罚。", "nature": "interference", "response": "refused",
        "response_note": "", "missing_evidence_reason": "",
    }  # fmt: skip


def submit(seconds: float, username: str) -> dict:
    officer = get_user_model().objects.get(username=username)
    deadline, submitted = time.monotonic() + seconds, 0
    while time.monotonic() < deadline:
        record = record_create(data=record_fields(submitted), actor=officer)
        record_submit(record=record, actor=officer, now=timezone.now())
        submitted += 1
        time.sleep(random.uniform(0.1, 0.6))  # noqa: S311 - spacing, not security
    return {"submitted": submitted}


def report(seconds: float, username: str) -> dict:
    user = get_user_model().objects.get(username=username)
    deadline, requested = time.monotonic() + seconds, 0
    while time.monotonic() < deadline:
        report_job_request(
            year=timezone.localdate().year, quarter=None, unit=None, appendix=False, force=True, actor=user, now=timezone.now()
        )  # fmt: skip
        requested += 1
        time.sleep(random.uniform(8, 16))  # noqa: S311
    return {"requested": requested}


def check() -> dict:
    """What is owed and what was delivered: for each submitted record, one 收到报送记录 notice per
    discipline staff member of the record's discipline body (the users in both the role group and
    the body's group, counted here with a plain query)."""
    users = get_user_model().objects.filter(is_active=True, groups__name="discipline")
    owed = 0
    submitted = InterferenceRecord.objects.filter(status=InterferenceRecord.Status.SUBMITTED, matter__startswith=MATTER).select_related("recorder_unit")
    bodies: dict[int, int] = {}
    for record in submitted:
        body = record.recorder_unit.effective_discipline_body()
        if body.pk not in bodies:
            bodies[body.pk] = users.filter(groups__name=f"discipline:{body.code}").count()
        owed += bodies[body.pk]
    notices = Notification.objects.filter(kind=KIND_SUBMITTED, record__matter__startswith=MATTER)
    repeated = notices.values("recipient", "kind", "key").annotate(n=Count("id")).filter(n__gt=1).count()
    jobs = dict(ReportJob.objects.values_list("status").annotate(n=Count("id")))
    now = timezone.now()
    return {
        "submitted": submitted.count(),
        "owed": owed,
        "delivered": notices.count(),
        "repeated": repeated,
        "waiting": InterferenceRecord.objects.filter(next_notice_at__lte=now).count(),
        "jobs": jobs,
        "pulses": {name: (now - at).total_seconds() for name, at in last_pulses().items()},
    }


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "check":
        result = check()
    else:
        result = {"submit": submit, "report": report}[mode](float(sys.argv[2]), sys.argv[3])
    print(json.dumps(result))
