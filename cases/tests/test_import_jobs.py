"""The confirmed 批量导入 as a background job (issue 21): confirming the dry run queues one job (however
often the confirmation is posted) and rings the worker; the job imports all or nothing, writes the
audit event once, shows its progress while its transaction is open and its counts once done; a job
whose data changed after the dry run, or whose import hits the database's constraints, fails with a
Chinese message and writes nothing; the uploader is told; only administrators follow a job."""

import hashlib
import re

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import AuditEvent, ImportJob, Person, Unit
from cases.onboarding import jobs
from cases.onboarding.jobs import ImportProgress, import_job_run
from cases.onboarding.uploads import imports_storage
from cases.vocabulary import OrganisationEvent
from records.notifications.models import Notification
from tests.factories import UserFactory, make_officer

pytestmark = pytest.mark.django_db

UNIT_HEADERS = ["单位代码", "单位名称", "单位类型", "上级单位代码", "受理纪检监察机构代码", "所在党组织", "适用制度"]
PEOPLE_HEADERS = ["人员编号", "姓名", "职务", "职级", "领导干部", "所在单位代码", "系统账号"]


@pytest.fixture(autouse=True)
def chinese():
    """Stored and shown messages are checked in Chinese, whatever language an earlier test left active."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def administrator(admin_role_user):
    return admin_role_user


@pytest.fixture
def rung(monkeypatch):
    """The rings the broker would carry to the worker (what leaves the machine)."""
    rings = []
    monkeypatch.setattr(jobs, "_ring", lambda job_id, **options: rings.append(job_id))
    return rings


def _csv(name: str, headers: list[str], rows: list[list[str]]) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tablib.Dataset(*rows, headers=headers).export("csv").encode("utf-8-sig"))


def _preview(client, **files) -> str:
    """Upload ``files`` for a dry run; the confirmation token it offers."""
    text = client.post(reverse("onboarding:index"), files).content.decode()
    assert "所有行均无问题" in text, text
    return re.search(r'name="token" value="([0-9a-f]+)"', text).group(1)


def _confirm(client, token, capture):
    with capture(execute=True):
        return client.post(reverse("onboarding:confirm"), {"token": token})


def _queued(client, user, capture, **files) -> tuple[ImportJob, str]:
    """``files`` previewed and confirmed by ``user``: the queued job and the upload's token."""
    client.force_login(user)
    token = _preview(client, **files)
    _confirm(client, token, capture)
    return ImportJob.objects.get(), token


def _run(job, capture) -> str:
    with capture(execute=True):
        return import_job_run(job.pk, now_fn=timezone.now)


def test_confirming_queues_one_job_which_imports_and_shows_its_counts(client, administrator, org, rung, django_capture_on_commit_callbacks):
    units = _csv("units.csv", UNIT_HEADERS, [["X1", "新局", "局机关", "", "", "", ""], ["X2", "一科", "科室", "X1", "", "", ""]])
    content = units.read()
    units.seek(0)
    client.force_login(administrator)
    token = _preview(client, units=units)

    response = _confirm(client, token, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("onboarding:job", args=[job.pk])
    assert (job.status, job.requested_by, rung) == ("queued", administrator, [job.pk])
    assert job.files == {"units": {"name": "units.csv", "sha256": hashlib.sha256(content).hexdigest()}}
    assert not Unit.objects.filter(code="X1").exists()  # nothing is imported inside the request
    assert AuditEvent.objects.filter(type=OrganisationEvent.ORG_IMPORT_QUEUED, object_id=str(job.pk)).count() == 1
    # A second click on 确认导入 (or the form sent again) leads to the same job; nothing more is queued.
    again = _confirm(client, token, django_capture_on_commit_callbacks)
    assert again["Location"] == reverse("onboarding:job", args=[job.pk])
    assert ImportJob.objects.count() == 1 and rung == [job.pk]

    page = client.get(reverse("onboarding:job", args=[job.pk])).content.decode()
    assert "排队中" in page and reverse("onboarding:job_status", args=[job.pk]) in page and "report-progress.js" in page
    assert "<script>" not in page  # the CSP allows no inline script
    assert client.get(reverse("onboarding:job_status", args=[job.pk])).json()["status"] == "queued"

    assert _run(job, django_capture_on_commit_callbacks) == "done"
    assert Unit.objects.get(code="X2").parent.code == "X1"
    job.refresh_from_db()
    assert job.status == "done" and job.counts == {"units": {"rows": 2, "new": 2, "updated": 0, "unchanged": 0}}
    event = AuditEvent.objects.get(type=OrganisationEvent.ORG_IMPORTED)
    assert event.actor == administrator and event.data["files"]["units"]["sha256"] == hashlib.sha256(content).hexdigest()
    assert event.data["counts"] == job.counts
    status = client.get(reverse("onboarding:job_status", args=[job.pk])).json()
    assert (status["status"], status["progress"], status["error"]) == ("done", 100, "")
    page = client.get(reverse("onboarding:job", args=[job.pk])).content.decode()
    assert "导入已完成" in page and "job_status" not in page and "data-status-url" not in page
    row = re.search(r'<tr data-table="units">(.*?)</tr>', page).group(1)
    assert re.findall(r'<td class="text-end">(\d+)</td>', row) == ["2", "2", "0", "0"]

    # The uploader is told, with a link to the job; the kept files are gone; a second run does nothing.
    notice = Notification.objects.get(recipient=administrator, kind="import_finished")
    assert notice.title == "批量导入已完成" and "单位：新增2、更新0、未变0" in notice.body
    assert notice.link == reverse("onboarding:job", args=[job.pk])
    assert imports_storage().listdir(token)[1] == []
    assert _run(job, django_capture_on_commit_callbacks) == "skipped"
    assert AuditEvent.objects.filter(type=OrganisationEvent.ORG_IMPORTED).count() == 1
    # The upload page lists the job.
    assert reverse("onboarding:job", args=[job.pk]) in client.get(reverse("onboarding:index")).content.decode()


def test_data_changed_after_the_dry_run_fail_the_job_and_nothing_is_written(client, administrator, org, rung, django_capture_on_commit_callbacks):
    """The units file is fine; a person's unit is deleted between the dry run and the import."""
    units = _csv("units.csv", UNIT_HEADERS, [["X1", "新局", "局机关", "", "", "", ""]])
    people = _csv("people.csv", PEOPLE_HEADERS, [["P-1", "新同志", "科员", "其他", "否", org["other_section"].code, ""]])
    job, _token = _queued(client, administrator, django_capture_on_commit_callbacks, units=units, people=people)
    org["other_section"].delete()

    assert _run(job, django_capture_on_commit_callbacks) == "failed"
    assert not Unit.objects.filter(code="X1").exists() and not Person.objects.filter(number="P-1").exists()
    assert not AuditEvent.objects.filter(type=OrganisationEvent.ORG_IMPORTED).exists()
    job.refresh_from_db()
    assert "未写入任何数据" in job.error
    assert job.problems == [{"table": "people", "row": 2, "column": "所在单位代码", "message": "找不到单位“B1-S2”"}]
    page = client.get(reverse("onboarding:job", args=[job.pk])).content.decode()
    assert "试导入之后系统中的数据已有变化" in page and "第2行" in page and "找不到单位“B1-S2”" in page and "重新上传" in page
    assert client.get(reverse("onboarding:job_status", args=[job.pk])).json()["error"] == job.error
    notice = Notification.objects.get(recipient=administrator, kind="import_finished")
    assert notice.title == "批量导入失败，未写入任何数据"


def test_a_constraint_the_database_refuses_at_the_import_fails_the_job_and_writes_nothing(
    client, administrator, org, rung, django_capture_on_commit_callbacks
):
    """An account linked to a person after the dry run: the new person's link to it breaks the
    one-person-per-account constraint when the import saves it, not when it validates the row."""
    spare = UserFactory(username="spare1", roles=["officer"])
    units = _csv("units.csv", UNIT_HEADERS, [["X1", "新局", "局机关", "", "", "", ""]])
    people = _csv("people.csv", PEOPLE_HEADERS, [["P-1", "新同志", "科员", "其他", "否", "X1", "spare1"], ["P-2", "又一人", "科员", "其他", "否", "X1", ""]])
    job, _token = _queued(client, administrator, django_capture_on_commit_callbacks, units=units, people=people)
    Person.objects.create(name="另一人", unit=org["section"], user=spare)

    assert _run(job, django_capture_on_commit_callbacks) == "failed"
    assert not Unit.objects.filter(code="X1").exists() and not Person.objects.filter(number="P-1").exists()
    assert not AuditEvent.objects.filter(type=OrganisationEvent.ORG_IMPORTED).exists()
    job.refresh_from_db()
    # In Chinese, on the row that broke it (the row after it, refused only for that, is not listed).
    assert "未写入任何数据" in job.error
    assert job.problems == [{"table": "people", "row": 2, "column": "", "message": "与系统中已有的数据冲突（例如系统账号已对应其他人员），数据库拒绝写入此行。"}]
    assert "未写入任何数据" in client.get(reverse("onboarding:job", args=[job.pk])).content.decode()


def test_progress_is_shown_while_the_import_runs(client, administrator, org, rung, django_capture_on_commit_callbacks, monkeypatch):
    """What the page reads while the worker's transaction is open: the progress file, not the row."""
    rows = [[f"Y{n}", f"单位{n}", "科室", "", "", "", ""] for n in range(30)]
    job, token = _queued(client, administrator, django_capture_on_commit_callbacks, units=_csv("units.csv", UNIT_HEADERS, rows))
    seen = []
    report = ImportProgress.report

    def watch(progress, table, rows_done, rows_total, percent):
        report(progress, table, rows_done, rows_total, percent)
        if rows_done == 15 and not seen:  # halfway: ask the page, as a poll from the browser would
            seen.append(client.get(reverse("onboarding:job_status", args=[job.pk])).json())
            seen.append(client.get(reverse("onboarding:job", args=[job.pk])).content.decode())

    monkeypatch.setattr(jobs, "PROGRESS_SECONDS", 0)
    monkeypatch.setattr(ImportProgress, "report", watch)
    assert _run(job, django_capture_on_commit_callbacks) == "done"
    status, page = seen
    assert status["status"] == "running" and 0 < status["progress"] < 100
    assert status["notice"] == "正在导入单位：第 15 行，共 30 行"
    assert "导入中" in page and "正在导入单位：第 15 行，共 30 行" in page
    assert ImportProgress.read(token) is None  # removed with the files once the job ended


def test_the_progress_file_is_written_at_most_twice_a_second(settings, tmp_path):
    now = [100.0]
    progress = ImportProgress("a" * 32, clock=lambda: now[0])
    progress.path.parent.mkdir(parents=True)
    progress.report("units", 1, 10, 5)
    progress.report("units", 2, 10, 10)  # within PROGRESS_SECONDS: not written
    assert ImportProgress.read("a" * 32)["rows_done"] == 1
    now[0] += jobs.PROGRESS_SECONDS
    progress.report("units", 3, 10, 15)
    assert ImportProgress.read("a" * 32) == {"table": "units", "rows_done": 3, "rows_total": 10, "percent": 15}


def test_only_administrators_follow_a_job_and_only_the_uploader_confirms(client, administrator, officer, org, rung, django_capture_on_commit_callbacks):
    client.force_login(administrator)
    token = _preview(client, units=_csv("units.csv", UNIT_HEADERS, [["X1", "新局", "局机关", "", "", "", ""]]))
    # Another administrator cannot confirm this upload: no job, nothing rung.
    other_admin = make_officer(org["bureau"], "admin2", role="admin")
    client.force_login(other_admin)
    refused = _confirm(client, token, django_capture_on_commit_callbacks)
    assert refused["Location"] == reverse("onboarding:index") and not ImportJob.objects.exists() and rung == []
    client.force_login(administrator)
    _confirm(client, token, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    # Another administrator follows it (an import changes the whole organisation); other roles get 404.
    client.force_login(other_admin)
    assert client.get(reverse("onboarding:job", args=[job.pk])).status_code == 200
    for user in (officer, make_officer(org["discipline"], "jj9", role="discipline")):
        client.force_login(user)
        assert client.get(reverse("onboarding:job", args=[job.pk])).status_code == 404
        assert client.get(reverse("onboarding:job_status", args=[job.pk])).status_code == 404
    client.force_login(administrator)
    assert client.get(reverse("onboarding:job", args=[job.pk + 1])).status_code == 404
    assert client.get("/onboarding/jobs/99999999999999999999/").status_code == 404


def test_a_job_whose_ring_was_lost_is_rung_again_by_its_status_poll(client, administrator, org, rung, django_capture_on_commit_callbacks):
    job, _token = _queued(client, administrator, django_capture_on_commit_callbacks, units=_csv("units.csv", UNIT_HEADERS, [["X1", "新局", "局机关", "", "", "", ""]]))
    status_url = reverse("onboarding:job_status", args=[job.pk])
    client.get(status_url)
    assert rung == [job.pk]  # just confirmed: the first ring may still be on its way
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - jobs.STALE_QUEUED * 2)
    client.get(status_url)
    client.get(status_url)  # once per STALE_QUEUED, however often the page polls
    assert rung == [job.pk, job.pk]
    # A job whose worker died mid-import (its transaction with it) is run again.
    ImportJob.objects.filter(pk=job.pk).update(status="running", started_at=timezone.now() - jobs.LOST_AFTER * 2, rung_at=None)
    client.get(status_url)
    assert rung == [job.pk] * 3
    assert _run(job, django_capture_on_commit_callbacks) == "done" and Unit.objects.filter(code="X1").exists()


def test_the_job_page_reads_a_bounded_number_of_queries(client, administrator, org, rung, django_capture_on_commit_callbacks, django_assert_max_num_queries):
    rows = [[f"Y{n}", f"单位{n}", "科室", "", "", "", ""] for n in range(40)]
    job, _token = _queued(client, administrator, django_capture_on_commit_callbacks, units=_csv("units.csv", UNIT_HEADERS, rows))
    _run(job, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("onboarding:job", args=[job.pk])).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("onboarding:job_status", args=[job.pk])).status_code == 200
