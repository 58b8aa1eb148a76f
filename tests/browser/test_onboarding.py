"""批量导入 in the browser (issue 21): the administrator downloads the template, uploads a file with a
mistake, reads the problem by row and column, uploads the corrected file, sees the dry run's counts,
confirms, follows the import job's page while the worker runs it, and finds the counts there once it
is done (the page follows the job by itself) and the units imported."""

import pytest
import tablib
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _units_csv(tmp_path, rows, name="units.csv"):
    from cases.onboarding.services import template_dataset

    dataset = template_dataset("units")
    for row in rows:
        dataset.append(row)
    path = tmp_path / name
    path.write_text("\ufeff" + dataset.export("csv"), encoding="utf-8")
    return path


def test_an_administrator_previews_corrects_and_confirms_an_import(journey, demo, tmp_path):
    from cases.models import ImportJob, Unit
    from cases.tasks import run_import_job

    me = journey
    me.login("admin")
    me.go("/")
    me.page.get_by_role("link", name="批量导入").click()
    me.check()
    with me.page.expect_download() as download:
        me.page.get_by_role("link", name=".xlsx").first.click()
    headers = tablib.Dataset().load(download.value.path().read_bytes(), format="xlsx").headers
    assert headers[:3] == ["单位代码", "单位名称", "单位类型"]

    broken = _units_csv(tmp_path, [["YJJ-ZD3", "执法三大队", "科室", "YJJ-ZD", "", "", ""], ["YJJ-ZD4", "", "科室", "YJJ-ZD", "", "", ""]])
    me.page.get_by_label("单位文件").set_input_files(str(broken))
    me.page.get_by_role("button", name="试导入").click()
    me.check()
    problems = me.page.locator("table[data-problems=units]")
    expect(problems).to_contain_text("第3行")
    expect(problems).to_contain_text("单位名称")
    expect(me.page.get_by_role("button", name="确认导入")).to_have_count(0)
    me.shot("onboarding-problems", full_page=True)
    assert not Unit.objects.filter(code="YJJ-ZD3").exists()

    me.page.get_by_role("link", name="重新上传").click()
    fixed = _units_csv(tmp_path, [["YJJ-ZD3", "执法三大队", "科室", "YJJ-ZD", "", "", ""], ["YJJ-ZD4", "执法四大队", "科室", "YJJ-ZD", "", "", ""]], "fixed.csv")
    me.page.get_by_label("单位文件").set_input_files(str(fixed))
    me.page.get_by_role("button", name="试导入").click()
    me.check()
    row = me.page.locator("tr[data-table=units]")
    expect(row).to_contain_text("fixed.csv")
    expect(row.locator("td").nth(2)).to_have_text("2")  # new
    me.shot("onboarding-preview", full_page=True)
    me.page.get_by_role("button", name="确认导入").click()
    me.page.wait_for_load_state()
    expect(me.page.get_by_role("heading", name="批量导入任务")).to_be_visible()
    expect(me.page.locator("#import-job [data-role=status]")).to_have_text("排队中")
    me.check()
    assert not Unit.objects.filter(code="YJJ-ZD3").exists()  # nothing imported inside the request

    job = ImportJob.objects.latest("pk")
    assert run_import_job(job.pk) == "done"  # what the Celery worker does
    # The page notices the end by itself and shows the counts.
    expect(me.page.get_by_role("status").filter(has_text="导入已完成")).to_be_visible(timeout=15_000)
    counts = me.page.locator("tr[data-table=units] td.text-end")
    expect(counts).to_have_text(["2", "2", "0", "0"])
    me.check()
    me.shot("onboarding-job-done", full_page=True)
    assert sorted(Unit.objects.filter(parent__code="YJJ-ZD").values_list("code", flat=True)) == ["YJJ-ZD1", "YJJ-ZD2", "YJJ-ZD3", "YJJ-ZD4"]
    # The uploader is told: a notice (the bell on every page counts it) that leads to the job.
    me.go("/notifications/")
    me.page.locator(".card", has_text="批量导入已完成").get_by_role("button", name="查看").click()
    expect(me.page.get_by_role("heading", name="批量导入任务")).to_be_visible()
