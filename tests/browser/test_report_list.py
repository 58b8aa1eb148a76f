"""The report list shows a finished job as finished without a reload (issue 19)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_report_list_shows_a_job_finished_without_a_reload(journey, demo):
    from discipline.reports.models import ReportJob
    from discipline.reports.tasks import generate_report

    me = journey
    me.login("zhaolei")
    me.go("/discipline/reports/")
    me.page.get_by_role("button", name="生成报告").click()
    me.page.wait_for_load_state()
    job = ReportJob.objects.latest("pk")
    me.go("/discipline/reports/")
    row = me.page.locator(f'tr[data-status-url$="/reports/{job.pk}/status/"]')
    expect(row.locator("[data-role=status]")).to_have_text("排队中")
    me.page.evaluate("window.notReloaded = true")
    generate_report(job.pk)  # what the Celery worker does
    expect(row.locator("[data-role=status]")).to_have_text("已完成", timeout=20_000)
    expect(row.get_by_role("link", name="PDF")).to_be_visible()
    assert me.page.evaluate("window.notReloaded === true")
    me.check()
