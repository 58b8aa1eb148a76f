"""Health (issue 22): /health/live answers without touching anything; /health/ready checks the
database, the broker, the worker's and the beat's heartbeats and the private storage's free space,
and says which check failed; the administrator's status page shows the same checks."""

import datetime as dt
import json
import shutil
import socket

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import worker
from cases.models import AuditEvent

pytestmark = pytest.mark.django_db

CHECKS = {"database", "broker", "worker", "reminder_sweep", "report_sweep", "storage"}


@pytest.fixture
def fresh_pulses():
    now = timezone.now()
    for name in (worker.WORKER, worker.REMINDER_SWEEP, worker.REPORT_SWEEP):
        worker.record_pulse(name, now=now - dt.timedelta(seconds=5))
    return now


def _ready(client):
    response = client.get(reverse("health_ready"))
    return response.status_code, json.loads(response.content)


def _failing(answer) -> set[str]:
    return {name for name, check in answer["checks"].items() if not check["ok"]}


def test_live_answers_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("health_live"))
    assert response.status_code == 200 and response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]
    assert client.head(reverse("health_live")).status_code == 200
    assert client.post(reverse("health_live")).status_code == 405


def test_ready_when_everything_answers(client, fresh_pulses):
    status, answer = _ready(client)
    assert status == 200 and answer["status"] == "ok", answer
    assert set(answer["checks"]) == CHECKS and _failing(answer) == set()
    assert all(check["detail"] for check in answer["checks"].values())


def test_ready_fails_on_a_silent_worker(client, fresh_pulses, settings):
    worker.record_pulse(worker.WORKER, now=fresh_pulses - dt.timedelta(seconds=settings.WORKER_SILENT_SECONDS + 30))
    status, answer = _ready(client)
    assert status == 503 and answer["status"] == "fail" and _failing(answer) == {"worker"}
    assert "秒没有运行" in answer["checks"]["worker"]["detail"]


def test_ready_fails_when_beat_stopped_sweeping(client, fresh_pulses, settings, time_machine):
    # Two reminder sweeps missed and the margin on top: beat is down. The worker still answers.
    time_machine.move_to(fresh_pulses + dt.timedelta(seconds=2 * settings.REMINDER_SWEEP_SECONDS + settings.WORKER_SILENT_SECONDS + 60))
    worker.record_pulse(worker.WORKER, now=timezone.now())
    worker.record_pulse(worker.REPORT_SWEEP, now=timezone.now())
    status, answer = _ready(client)
    assert status == 503 and _failing(answer) == {"reminder_sweep"}


def test_one_missed_sweep_is_no_alarm(client, fresh_pulses, settings):
    worker.record_pulse(worker.REMINDER_SWEEP, now=fresh_pulses - dt.timedelta(seconds=settings.REMINDER_SWEEP_SECONDS + settings.WORKER_SILENT_SECONDS + 30))
    assert _ready(client)[0] == 200


def test_ready_fails_on_a_pulse_never_recorded(client):
    status, answer = _ready(client)
    assert status == 503 and _failing(answer) == {"worker", "reminder_sweep", "report_sweep"}
    assert answer["checks"]["worker"]["detail"] == "从未运行。"


def test_ready_fails_when_the_storage_is_short_of_space(client, fresh_pulses, settings):
    settings.PRIVATE_STORAGE_ROOT.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(settings.PRIVATE_STORAGE_ROOT).free
    settings.HEALTH_MIN_FREE_BYTES = free + 1024**4
    status, answer = _ready(client)
    assert status == 503 and _failing(answer) == {"storage"}
    assert "低于下限" in answer["checks"]["storage"]["detail"]
    settings.HEALTH_MIN_FREE_BYTES = 1024
    assert _ready(client)[0] == 200


def test_storage_not_yet_made_is_judged_by_the_folder_above(client, fresh_pulses, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "not" / "yet"
    assert _ready(client)[0] == 200


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed when the socket is: nothing listens there


def test_ready_fails_when_the_broker_is_unreachable(client, fresh_pulses, settings):
    down = f"redis://:secret-password@127.0.0.1:{_closed_port()}/0"
    settings.REDIS_URL = settings.CELERY_BROKER_URL = down
    response = client.get(reverse("health_ready"))
    answer = json.loads(response.content)
    assert response.status_code == 503 and _failing(answer) == {"broker"}
    # Nothing of the configuration in the answer: no host, port or password.
    text = response.content.decode()
    assert "secret-password" not in text and "127.0.0.1" not in text and "redis://" not in text


def test_the_filesystem_broker_needs_a_writable_folder(client, fresh_pulses, settings, tmp_path):
    settings.REDIS_URL, settings.CELERY_BROKER_URL = "", "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_out": str(tmp_path / "broker" / "queue")}
    assert _ready(client)[0] == 200  # made at the first message
    # A file where the folder should be (a mistyped CELERY_BROKER_DIR): no message can be written.
    (tmp_path / "broker").write_text("")
    status, answer = _ready(client)
    assert status == 503 and _failing(answer) == {"broker"}
    assert answer["checks"]["broker"]["detail"] == "任务队列（本机文件队列）目录不可写。"


def test_ready_tells_no_paths_and_audits_nothing(client, fresh_pulses, settings):
    response = client.get(reverse("health_ready"))
    assert str(settings.PRIVATE_STORAGE_ROOT) not in response.content.decode()
    assert str(settings.BASE_DIR) not in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_the_database_check_fails_in_words(client, fresh_pulses, monkeypatch):
    from cases import health

    def broken():
        raise RuntimeError("connection to server at db.internal failed: password authentication failed")

    monkeypatch.setattr(health, "_database", broken)
    status, answer = _ready(client)
    assert status == 503 and _failing(answer) == {"database"}
    assert answer["checks"]["database"]["detail"] == "数据库无法连接或查询失败。"


def test_ready_makes_few_queries(client, fresh_pulses):
    with CaptureQueriesContext(connection) as queries:
        assert _ready(client)[0] == 200
    assert len(queries) == 2  # SELECT 1 and the pulses


def test_the_status_page_shows_the_same_checks(client, admin_role_user, fresh_pulses, settings):
    client.force_login(admin_role_user)
    settings.HEALTH_MIN_FREE_BYTES = 1024**6  # an exabyte: short of it wherever the test runs
    page = client.get(reverse("system_status")).content.decode()
    _status, answer = _ready(client)
    for name, check in answer["checks"].items():
        row = page.split(f'data-check="{name}"')[1].split("</tr>")[0]
        assert check["detail"] in row and ("异常" in row) == (not check["ok"]), name
    assert _failing(answer) == {"storage"}
