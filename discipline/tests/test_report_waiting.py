"""A report waiting on a worker that does not answer says so in words (issue 19), on the reports page
and a campaign's dashboard alike (the same status endpoint and progress box); the report list follows
its unfinished jobs without a reload (static/js/report-progress.js polls their status endpoints)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.worker import WORKER, record_pulse
from discipline.models import ReportJob
from discipline.reports.jobs import report_job_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(jj, submit):
    submit()
    job, _reused = report_job_request(year=timezone.localdate().year, quarter=None, unit=None, appendix=False, force=False, actor=jj, now=timezone.now())
    return job


def _age(job, **delta):
    ReportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(**delta))


def test_the_status_says_when_no_worker_answered(client, jj, queued, settings):
    settings.WORKER_SILENT_SECONDS = 120
    client.force_login(jj)
    status_url = reverse("discipline:report_status", args=[queued.pk])
    assert client.get(status_url).json()["worker_notice"] == ""  # just asked for: nothing to say yet
    _age(queued, minutes=5)
    status = client.get(status_url).json()
    assert status["status"] == "queued" and "后台进程尚未响应：本任务已排队5分钟" in status["worker_notice"]
    page = client.get(f"{reverse('discipline:reports')}?job={queued.pk}").content.decode()
    assert "后台进程尚未响应" in page and 'data-role="worker"' in page
    record_pulse(WORKER, now=timezone.now() - dt.timedelta(minutes=3))
    assert "后台进程已有3分钟没有响应" in client.get(status_url).json()["worker_notice"]
    record_pulse(WORKER, now=timezone.now())
    assert client.get(status_url).json()["worker_notice"] == ""


def test_a_running_job_relies_on_its_own_heartbeat(client, jj, queued, settings):
    """A worker busy rendering may answer the pulse late; the running job's heartbeat speaks for it."""
    _age(queued, minutes=30)
    ReportJob.objects.filter(pk=queued.pk).update(status=ReportJob.Status.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now())
    client.force_login(jj)
    assert client.get(reverse("discipline:report_status", args=[queued.pk])).json()["worker_notice"] == ""


def test_the_report_list_follows_unfinished_jobs(client, jj, queued):
    from django.core.files.base import ContentFile

    done, _reused = report_job_request(year=timezone.localdate().year - 1, quarter=None, unit=None, appendix=False, force=False, actor=jj, now=timezone.now())
    done.status, done.progress = ReportJob.Status.DONE, 100
    done.file.save("r.pdf", ContentFile(b"%PDF-1.4 r"), save=True)
    client.force_login(jj)
    page = client.get(reverse("discipline:reports")).content.decode()
    assert f'data-status-url="{reverse("discipline:report_status", args=[queued.pk])}"' in page
    assert f'data-status-url="{reverse("discipline:report_status", args=[done.pk])}"' not in page
    assert page.count("js/report-progress.js") == 1
    # With a job's progress box open, the script is included once, by the box.
    page = client.get(f"{reverse('discipline:reports')}?job={queued.pk}").content.decode()
    assert page.count("js/report-progress.js") == 1


def test_the_sweeps_record_when_they_finished(monkeypatch):
    """The administrator's status page shows when the beat's sweeps last finished."""
    from cases.worker import REMINDER_SWEEP, REPORT_SWEEP, last_pulses
    from discipline.reports.tasks import sweep_reports
    from records.notifications import tasks as notification_tasks

    before = timezone.now()
    monkeypatch.setattr(notification_tasks, "reminder_sweep", lambda now: {"record_notices": 0})
    assert notification_tasks.sweep() == {"record_notices": 0}
    assert sweep_reports() == 0
    pulses = last_pulses()
    assert set(pulses) == {REMINDER_SWEEP, REPORT_SWEEP} and all(at >= before for at in pulses.values())
