"""Whether a worker answers (issue 19): the pulse the beat sends, the sweeps' pulses, the wording of a
page that waits on a silent worker, and the administrator's 运行状态 page."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from celery import current_app
from django.urls import reverse
from django.utils import timezone

from cases import worker
from cases.models import WorkerPulse
from cases.rules import worker_silence_minutes
from cases.tasks import worker_pulse

T0 = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("last_pulse", "waiting_since", "now", "expected"),
    [
        (T0, T0, T0 + dt.timedelta(seconds=119), None),  # answered within the limit
        (T0, T0 + dt.timedelta(minutes=9), T0 + dt.timedelta(minutes=10), 10),  # silent for 10 min; the wait just began
        (T0, T0, T0 + dt.timedelta(seconds=120), 2),
        (T0, T0, T0 + dt.timedelta(seconds=179), 2),
        (None, T0, T0 + dt.timedelta(seconds=60), None),  # never answered, but the wait is short
        (None, T0, T0 + dt.timedelta(minutes=3), 3),
    ],
)
def test_worker_silence_minutes(last_pulse, waiting_since, now, expected):
    assert worker_silence_minutes(last_pulse=last_pulse, waiting_since=waiting_since, now=now, limit_seconds=120) == expected


@pytest.mark.django_db
def test_the_pulse_task_records_when_the_worker_answered():
    before = timezone.now()
    worker_pulse()
    worker_pulse()
    pulses = WorkerPulse.objects.filter(name=worker.WORKER)
    assert pulses.count() == 1 and pulses.get().at >= before


@pytest.mark.django_db
def test_a_waiting_page_says_when_no_worker_answered(settings):
    settings.WORKER_SILENT_SECONDS = 120
    now = timezone.now()
    assert worker.worker_silence_notice(waiting_since=now - dt.timedelta(seconds=30), now=now) == ""
    assert "后台进程尚未响应：本任务已排队4分钟" in worker.worker_silence_notice(waiting_since=now - dt.timedelta(minutes=4), now=now)
    worker.record_pulse(worker.WORKER, now=now - dt.timedelta(minutes=7))
    assert "后台进程已有7分钟没有响应" in worker.worker_silence_notice(waiting_since=now - dt.timedelta(seconds=5), now=now)
    worker.record_pulse(worker.WORKER, now=now - dt.timedelta(seconds=20))
    assert worker.worker_silence_notice(waiting_since=now - dt.timedelta(hours=1), now=now) == ""


def test_queue_length_counts_the_messages_waiting():
    """Counted through the broker the settings name (Redis in CI, the in-memory broker of the tests
    elsewhere; the filesystem count is tests/test_broker.py's); a queue of its own, emptied after."""
    name = f"status-test-{uuid.uuid4().hex}"
    assert worker.queue_length(name) == 0
    for _ in range(3):
        current_app.send_task("cases.tasks.worker_pulse", queue=name, expires=60, retry=False)
    try:
        assert worker.queue_length(name) == 3
    finally:
        with current_app.connection_for_write() as connection:
            connection.default_channel.queue_purge(name)


def test_queue_length_is_unknown_when_the_broker_cannot_be_asked(monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(current_app, "connection_for_read", broken)
    assert worker.queue_length() is None


@pytest.mark.django_db
def test_the_status_page_is_the_administrators(client, admin_role_user, discipline_user, officer, settings, monkeypatch):
    url = reverse("system_status")
    for user in (discipline_user, officer):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(admin_role_user)
    page = client.get(url).content.decode()
    assert "运行状态" in page and "后台进程或定时任务没有按时响应" in page and page.count("从未") == 6  # the pulses' table and the checks
    now = timezone.now()
    for name in (worker.WORKER, worker.REMINDER_SWEEP, worker.REPORT_SWEEP):
        worker.record_pulse(name, now=now - dt.timedelta(seconds=10))
    monkeypatch.setattr(worker, "queue_length", lambda: 7)
    page = client.get(url).content.decode()
    assert "后台进程运行正常" in page and "从未" not in page and page.count("未按时响应") == 0 and "异常" not in page
    assert 'data-role="queue-length">7</dd>' in page
    # The reminder sweep stops (beat down: two runs missed and the margin): its row says so, and so do
    # the banner and its check.
    worker.record_pulse(worker.REMINDER_SWEEP, now=now - dt.timedelta(seconds=2 * settings.REMINDER_SWEEP_SECONDS + settings.WORKER_SILENT_SECONDS + 5))
    monkeypatch.setattr(worker, "queue_length", lambda: None)
    page = client.get(url).content.decode()
    assert "无法读取" in page
    assert page.count("未按时响应") == 1 and "后台进程或定时任务没有按时响应" in page
    assert page.count("异常") == 1 and 'data-check="reminder_sweep"' in page
    assert f'href="{url}"' in page  # the administrator's menu links it
