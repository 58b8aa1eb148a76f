"""A report job whose worker is gone (``kill -9``, out of memory) is queued again within a minute, not
left "running 5%" for 15 minutes (issue 17): the worker beats while it runs, a status poll or the
sweep requeues a job whose heartbeat is older than REPORT_WORKER_LOST_SECONDS, the page says so, and
a stalled worker that comes back produces no second result."""

import datetime as dt
import time

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from discipline.models import ReportJob
from discipline.reports import jobs as report_jobs
from discipline.reports.jobs import report_job_request, report_job_run, report_job_sweep

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 16, 10, 0, tzinfo=dt.UTC)
LOST = dt.timedelta(seconds=settings.REPORT_WORKER_LOST_SECONDS)


@pytest.fixture
def rung(monkeypatch):
    calls = []
    monkeypatch.setattr(report_jobs, "_ring", calls.append)
    return calls


def _running_job(jj, *, heartbeat: dt.datetime, attempt: int = 1) -> ReportJob:
    """A job a worker took at T0 and last beat for at `heartbeat`, at 5%."""
    job, _reused = report_job_request(year=2026, quarter=None, unit=None, appendix=False, force=True, actor=jj, now=T0)
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.RUNNING, started_at=T0, heartbeat_at=heartbeat, attempt=attempt, progress=5)
    return job


def test_the_poll_requeues_a_job_whose_worker_stopped_within_a_minute_and_says_so(client, jj, rung):
    assert LOST <= dt.timedelta(minutes=1)
    job = _running_job(jj, heartbeat=T0)
    client.force_login(jj)
    url = reverse("discipline:report_status", args=[job.pk])
    with time_machine.travel(T0 + LOST - dt.timedelta(seconds=5), tick=False):
        status = client.get(url).json()
    # Still beating recently: left alone.
    assert (status["status"], status["progress"], status["notice"]) == ("running", 5, "") and rung == []
    with time_machine.travel(T0 + LOST + dt.timedelta(seconds=1), tick=False):
        status = client.get(url).json()
        page = client.get(f"{reverse('discipline:reports')}?job={job.pk}").content.decode()
        again = client.get(url).json()
    assert status["status"] == "queued" and status["progress"] == 0
    assert "后台进程已停止响应" in status["notice"] and "自动重新排队" in status["notice"]
    assert "18:00:51" in status["notice"]  # T0 + 51 s in Asia/Shanghai
    assert status["notice"] in page
    assert rung == [job.pk]  # rung once, not on every poll
    assert again["notice"] == status["notice"]
    job.refresh_from_db()
    assert job.requeued_at == T0 + LOST + dt.timedelta(seconds=1)


def test_the_sweep_requeues_only_jobs_with_a_stale_heartbeat(jj, rung):
    with time_machine.travel(T0 + dt.timedelta(minutes=5), tick=False):
        now = timezone.now()
        lost = _running_job(jj, heartbeat=now - LOST - dt.timedelta(seconds=1))
        alive = _running_job(jj, heartbeat=now - dt.timedelta(seconds=5))
        report_job_sweep(now=now)
    lost.refresh_from_db()
    alive.refresh_from_db()
    assert lost.status == ReportJob.Status.QUEUED and lost.requeued_at is not None and rung == [lost.pk]
    assert alive.status == ReportJob.Status.RUNNING and alive.requeued_at is None and alive.progress == 5


def test_a_job_that_keeps_losing_its_worker_fails_instead_of_looping(jj, rung):
    job = _running_job(jj, heartbeat=T0, attempt=report_jobs.MAX_ATTEMPTS)
    report_job_sweep(now=T0 + LOST + dt.timedelta(seconds=1))
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED and rung == []


def test_a_stalled_worker_that_comes_back_produces_no_second_result(jj, rung, monkeypatch):
    """Run 1 stalls past the heartbeat limit; the job is queued again and run 2 renders it; then run 1
    wakes up and finishes: its progress and its file are discarded, run 2's result stands."""
    job, _reused = report_job_request(year=2026, quarter=None, unit=None, appendix=False, force=False, actor=jj, now=T0)
    outcome = {}

    def build(job_row, now_fn, progress):
        if job_row.attempt == 1:
            # The worker stalls; meanwhile the sweep finds it silent and another worker takes the job.
            later = now_fn() + LOST + dt.timedelta(seconds=1)
            assert report_jobs.requeue_lost(now=later) == [job.pk]
            outcome["second"] = report_job_run(job.pk, now_fn=lambda: later)
            progress(50)  # the first worker wakes up and reports progress
            return b"%PDF-first", ""
        return b"%PDF-second", ""

    monkeypatch.setattr(report_jobs, "_build", build)
    first = report_job_run(job.pk, now_fn=lambda: T0)
    assert (first, outcome["second"]) == ("superseded", ReportJob.Status.DONE)
    job.refresh_from_db()
    assert (job.status, job.progress, job.attempt) == (ReportJob.Status.DONE, 100, 2)
    assert job.file.read() == b"%PDF-second"
    stored = [p for p in (settings.PRIVATE_STORAGE_ROOT / "reports").rglob("*") if p.is_file()]
    assert len(stored) == 1  # the first run's file was removed
    # A redelivered message of either run finds nothing to do.
    assert report_job_run(job.pk, now_fn=lambda: T0) == "skipped"


@pytest.mark.django_db(transaction=True)
def test_the_worker_beats_while_a_long_step_runs(jj, settings, monkeypatch):
    """The heartbeat comes from its own thread: a layout step that never calls `progress` still beats."""
    settings.REPORT_HEARTBEAT_SECONDS = 0.05
    monkeypatch.setattr(report_jobs, "_ring", lambda _pk: None)
    job, _reused = report_job_request(year=2026, quarter=None, unit=None, appendix=False, force=False, actor=jj, now=timezone.now())
    beats = []

    def build(job_row, now_fn, progress):
        for _i in range(10):
            time.sleep(0.05)
            beats.append(ReportJob.objects.values_list("heartbeat_at", flat=True).get(pk=job_row.pk))
        return b"%PDF-long", ""

    monkeypatch.setattr(report_jobs, "_build", build)
    assert report_job_run(job.pk, now_fn=timezone.now) == ReportJob.Status.DONE
    assert len(set(beats)) >= 3, beats


def _worker(name: str, env: dict):
    import subprocess
    import sys
    from pathlib import Path

    celery = Path(sys.executable).with_name("celery")
    return subprocess.Popen(  # noqa: S603 - fixed arguments, our own worker
        [str(celery), "-A", "interference_registry", "worker", "--pool=solo", "--loglevel=WARNING", "--without-gossip",
         "--without-mingle", "--without-heartbeat", "-n", f"{name}@%h"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip


@pytest.mark.skipif(not __import__("os").environ.get("REDIS_URL"), reason="real worker processes need PostgreSQL and Redis")
@pytest.mark.django_db(transaction=True)
def test_kill_9_of_the_worker_mid_report_and_a_second_worker_finishes_it(client, jj, submit, settings):
    """Real processes: a Celery worker takes the job, is killed with SIGKILL while the job runs; the
    page's poll queues it again once the heartbeat is REPORT_WORKER_LOST_SECONDS old, and a second
    worker renders it."""
    import os
    import signal
    from urllib.parse import urlsplit, urlunsplit

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("worker processes share the test database only on PostgreSQL")
    for _i in range(3):
        submit()
    settings.REPORT_WORKER_LOST_SECONDS = 4
    url = urlsplit(os.environ["DATABASE_URL"])
    env = {
        **os.environ, "DATABASE_URL": urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"])),
        "PRIVATE_STORAGE_ROOT": str(settings.PRIVATE_STORAGE_ROOT), "REPORT_HEARTBEAT_SECONDS": "0.5",
        "REPORT_WORKER_LOST_SECONDS": "4",
    }  # fmt: skip
    workers = [_worker("first", env)]
    try:
        client.force_login(jj)
        assert client.post(reverse("discipline:reports"), {"year": str(timezone.localdate().year)}).status_code == 302
        job = ReportJob.objects.get()
        deadline = time.monotonic() + 60
        while ReportJob.objects.get(pk=job.pk).status == ReportJob.Status.QUEUED and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(workers[0].pid, signal.SIGKILL)
        killed_at = time.monotonic()
        workers[0].wait(10)
        job.refresh_from_db()
        assert job.status == ReportJob.Status.RUNNING and job.attempt == 1, "the worker was not killed mid-report"
        workers.append(_worker("second", env))
        status_url = reverse("discipline:report_status", args=[job.pk])
        requeued_after = notice = None
        while time.monotonic() < killed_at + 90:
            status = client.get(status_url).json()
            if status["notice"] and requeued_after is None:
                requeued_after, notice = time.monotonic() - killed_at, status["notice"]
            if status["status"] in ("done", "failed"):
                break
            time.sleep(0.1)
        done_after = time.monotonic() - killed_at
    finally:
        for process in workers:
            if process.poll() is None:
                os.kill(process.pid, signal.SIGKILL)
                process.wait(10)
    assert status["status"] == "done", status
    assert requeued_after is not None and requeued_after < 4 + 2, requeued_after
    assert "后台进程已停止响应" in notice
    job.refresh_from_db()
    assert job.attempt == 2 and job.file.read().startswith(b"%PDF")
    print(f"kill -9 -> requeued after {requeued_after:.1f} s, done after {done_after:.1f} s")
