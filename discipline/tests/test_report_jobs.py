"""The reports page (R-ANNUAL): a job asked for on the page, rendered by the task (eagerly here, by a
real worker when REDIS_URL is set), progress through the status endpoint, download with an access
check; no re-render while the data are unchanged; Excel exports of the ledger and dashboard."""

import datetime as dt
import os
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import AuditEvent
from discipline.models import ReportJob
from discipline.reports import jobs as report_jobs
from discipline.reports.jobs import report_job_request, report_job_run
from discipline.reports.vocabulary import ReportEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(submit):
    submit()
    submit(nature="procedural", interferer_name="王科长", interferer_position="科长")
    submit(late=True, occurred_at=timezone.now().replace(microsecond=0) - dt.timedelta(days=10))


def _start(client, user, **post):
    client.force_login(user)
    data = {"year": str(timezone.localdate().year), **post}
    return client.post(reverse("discipline:reports"), data)


def _assert_kept_encrypted(job: ReportJob) -> None:
    """The stored PDF is SM4 ciphertext on disk (neither its header nor its page objects) and reads
    back whole through its storage."""
    job.refresh_from_db()
    raw = Path(job.file.path).read_bytes()
    assert not raw.startswith(b"%PDF") and b"/Type /Page" not in raw
    with job.file.open("rb") as stored:
        assert stored.read().startswith(b"%PDF")


def test_page_job_progress_and_download_eager(client, jj, records, django_capture_on_commit_callbacks, monkeypatch):
    rung = []
    monkeypatch.setattr(report_jobs, "_ring", rung.append)
    with django_capture_on_commit_callbacks(execute=True):
        response = _start(client, jj)
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert rung == [job.pk] and job.status == "queued"
    status = client.get(reverse("discipline:report_status", args=[job.pk])).json()
    assert status["status"] == "queued" and status["download"] == ""
    assert client.get(reverse("discipline:report_download", args=[job.pk])).status_code == 404
    seen = []
    real = report_jobs._progress

    def spy(*args):
        step = real(*args)
        return lambda p: (seen.append(p), step(p))

    monkeypatch.setattr(report_jobs, "_progress", spy)
    assert report_job_run(job.pk, now_fn=timezone.now) == "done"
    assert seen == sorted(seen) and len(seen) >= 3
    status = client.get(reverse("discipline:report_status", args=[job.pk])).json()
    assert status["status"] == "done" and status["progress"] == 100 and status["download"]
    page = client.get(f"{reverse('discipline:reports')}?job={job.pk}").content.decode()
    assert "report-progress.js" in page and "<script>" not in page and "下载 PDF" in page
    pdf = client.get(status["download"]).content  # a watermarked, signed copy made for this download
    assert pdf.startswith(b"%PDF")
    _assert_kept_encrypted(job)
    assert AuditEvent.objects.filter(type=ReportEvent.REPORT_REQUESTED, object_id=str(job.pk)).count() == 1
    assert AuditEvent.objects.filter(type=ReportEvent.REPORT_DOWNLOADED, object_id=str(job.pk)).count() == 1


def test_unchanged_data_is_not_rendered_again_unless_forced(jj, records, submit):
    now = timezone.now()
    year = timezone.localdate().year
    job, reused = report_job_request(year=year, quarter=None, unit=None, appendix=False, force=False, actor=jj, now=now)
    report_job_run(job.pk, now_fn=timezone.now)
    again, reused = report_job_request(year=year, quarter=None, unit=None, appendix=False, force=False, actor=jj, now=now)
    assert reused and again.pk == job.pk
    forced, reused = report_job_request(year=year, quarter=None, unit=None, appendix=False, force=True, actor=jj, now=now)
    assert not reused and forced.pk != job.pk
    report_job_run(forced.pk, now_fn=timezone.now)
    submit()  # the data change
    changed, reused = report_job_request(year=year, quarter=None, unit=None, appendix=False, force=False, actor=jj, now=now)
    assert not reused and changed.pk not in (job.pk, forced.pk)


def test_dead_broker_leaves_the_job_queued_and_the_sweep_rings(jj, records, django_capture_on_commit_callbacks, monkeypatch):
    def boom(*a, **k):
        raise ConnectionError("broker down")

    monkeypatch.setattr(report_jobs.current_app, "send_task", boom)
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = report_job_request(year=2026, quarter=None, unit=None, appendix=False, force=False, actor=jj, now=timezone.now())
    job.refresh_from_db()
    assert job.status == "queued"
    calls = []
    monkeypatch.setattr(report_jobs.current_app, "send_task", lambda *a, **k: calls.append(k["args"]))
    assert report_jobs.report_job_sweep(now=timezone.now() + dt.timedelta(minutes=1)) == 1 and calls == [[job.pk]]


def test_status_polls_ring_a_stale_job_once_per_period(client, jj, records, monkeypatch):
    """The page polls every second; a job still queued after STALE_QUEUED is rung again once per
    STALE_QUEUED across processes, not on every poll (each ring would queue another message while no
    worker runs)."""
    rung = []
    monkeypatch.setattr(report_jobs, "_ring", rung.append)
    job, _ = report_job_request(year=2026, quarter=None, unit=None, appendix=False, force=False, actor=jj, now=timezone.now())
    client.force_login(jj)
    url = reverse("discipline:report_status", args=[job.pk])
    for _i in range(3):
        assert client.get(url).json()["status"] == "queued"
    assert rung == []  # fresh: the ring made on commit is enough
    ReportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - report_jobs.STALE_QUEUED - dt.timedelta(seconds=1))
    for _i in range(5):
        assert client.get(url).json()["status"] == "queued"
    assert rung == [job.pk]
    # Another web process polling sees the same claim in the database and does not ring.
    assert report_jobs.ring_if_stale(ReportJob.objects.get(pk=job.pk), now=timezone.now()) is False
    ReportJob.objects.filter(pk=job.pk).update(rung_at=timezone.now() - report_jobs.STALE_QUEUED - dt.timedelta(seconds=1))
    client.get(url)  # the period has passed
    assert rung == [job.pk, job.pk]


def test_other_users_get_404_for_status_and_download(client, jj, jj_other, admin_user, records):
    job, _ = report_job_request(year=2026, quarter=None, unit=None, appendix=False, force=False, actor=jj, now=timezone.now())
    report_job_run(job.pk, now_fn=timezone.now)
    for user in (jj_other, admin_user):
        client.force_login(user)
        assert client.get(reverse("discipline:report_status", args=[job.pk])).status_code == 404
        assert client.get(reverse("discipline:report_download", args=[job.pk])).status_code == 404


@pytest.mark.parametrize(
    "post, message",
    [({"year": "abc"}, "年度应为数字"), ({"year": "1900"}, "年度应在2000至2100之间"), ({"quarter": "7"}, "请选择有效的报告类型"),
     ({"unit": "999999"}, "所选单位无效")],
)  # fmt: skip
def test_bad_input_gets_a_chinese_error(client, jj, post, message):
    response = _start(client, jj, **post)
    assert response.status_code == 400 and message in response.content.decode()
    assert not ReportJob.objects.exists()


def test_admin_cannot_pick_a_unit_outside_the_tree_or_ask_for_the_appendix(client, admin_user, org2, records):
    response = _start(client, admin_user, unit=str(org2["discipline"].pk))
    assert response.status_code == 400 and "所选单位无效" in response.content.decode()
    response = _start(client, admin_user, appendix="on")
    job = ReportJob.objects.get()
    assert response.status_code == 302 and job.appendix is False


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="a real Celery worker needs the Redis broker (REDIS_URL)")
@pytest.mark.django_db(transaction=True)
def test_progress_and_download_through_the_page_with_a_real_worker(client, jj, records):
    import time

    from celery.contrib.testing.worker import start_worker

    from interference_registry.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        response = _start(client, jj)
        assert response.status_code == 302
        job = ReportJob.objects.get()
        url = reverse("discipline:report_status", args=[job.pk])
        seen = set()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status = client.get(url).json()
            seen.add(status["progress"])
            if status["status"] in ("done", "failed"):
                break
            time.sleep(0.05)
    assert status["status"] == "done", status
    assert 100 in seen
    pdf = client.get(status["download"]).content  # a watermarked, signed copy made for this download
    assert pdf.startswith(b"%PDF")
    _assert_kept_encrypted(job)


def test_ledger_xlsx_holds_the_filtered_rows_with_types(client, jj, records):
    from openpyxl import load_workbook

    from records.models import InterferenceRecord

    client.force_login(jj)
    response = client.get(reverse("discipline:ledger_xlsx"), {"nature": "procedural"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(BytesIO(response.content)).active
    assert ws["A1"].value == "领导干部过问案件信息台账" and "定性" in ws["A2"].value and "依程序过问" in ws["A2"].value
    assert ws.freeze_panes == "A5" and ws["A4"].value == "登记编号"
    rows = [r for r in ws.iter_rows(min_row=5, values_only=True) if r[0]]
    expected = InterferenceRecord.objects.filter(nature="procedural").exclude(status="draft")
    assert [r[0] for r in rows] == list(expected.values_list("serial", flat=True))
    assert all(isinstance(r[1], dt.datetime) for r in rows) and all(r[8] == "依程序过问" for r in rows)
    assert AuditEvent.objects.filter(type=ReportEvent.LEDGER_EXPORTED, data__export="xlsx").exists()
    # Bad filter input: dropped, never a 500.
    assert client.get(reverse("discipline:ledger_xlsx"), {"date_from": "2026-13-45"}).status_code == 200


def test_dashboard_xlsx(client, jj, records):
    from openpyxl import load_workbook

    client.force_login(jj)
    wb = load_workbook(BytesIO(client.get(reverse("discipline:dashboard_xlsx")).content))
    assert "按过问方式" in wb.sheetnames
    ws = wb["按状态"]
    assert sum(r[1] for r in ws.iter_rows(min_row=5, values_only=True) if r[1] is not None) == 3


def test_spreadsheets_stay_chinese_for_an_english_reader(client, jj, records):
    """The ledger and the tables are the bureau's Chinese documents: an English page asks for them
    and still gets Chinese row labels (choice labels and labels made in code alike)."""
    from openpyxl import load_workbook

    client.force_login(jj)
    wb = load_workbook(BytesIO(client.get(reverse("discipline:dashboard_xlsx"), HTTP_ACCEPT_LANGUAGE="en").content))
    labels = {r[0] for r in wb["按状态"].iter_rows(min_row=5, values_only=True) if r[0]}
    conclusions = {r[0] for r in wb["核实结论"].iter_rows(min_row=5, values_only=True) if r[0]}
    assert "已受理" in labels or "已报送" in labels, labels
    assert "尚未核实" in conclusions and "Not yet verified" not in conclusions
    assert client.get(reverse("records:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode().count("My records") >= 1
