"""The administrators' holiday calendar page: entering a year's official schedule moves open
deadlines (in the background) and tells each recorder once; submitted records keep theirs."""

import pytest
import time_machine
from django.urls import reverse

from conftest import local, record_data
from records.calendar.workdays import calendar_source
from records.models import CalendarYear, HolidayOverride, Notification
from records.notifications.sweep import reminder_sweep
from records.record import services

pytestmark = pytest.mark.django_db

# A 2027 schedule for the test: 元旦 Jan 1–4 off (a four-day block, unlike the provisional one day).
# With it, an interference on Wed 2026-12-30 counts Thu Dec 31 = 1, Tue Jan 5 = 2, Wed Jan 6 = 3.
SCHEDULE = {
    "year": "2027",
    "source": "国办发明电〔2026〕9号",
    "holidays": "2027-01-01 至 2027-01-04 元旦\n2027-02-05 至 2027-02-13 春节",
    "workdays": "2027-02-20",
}


def test_only_administrators_open_the_page(client, officer, admin_role_user):
    client.force_login(officer)
    assert client.get(reverse("calendar:index")).status_code == 404
    client.force_login(admin_role_user)
    with time_machine.travel(local(2026, 11, 24, 10), tick=False):
        page = client.get(reverse("calendar:index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "2027年的放假安排尚未录入" in html  # the November warning
    assert "暂定" in html


def test_no_warning_before_november(client, admin_role_user):
    client.force_login(admin_role_user)
    with time_machine.travel(local(2026, 10, 31, 10), tick=False):
        html = client.get(reverse("calendar:index")).content.decode()
    assert "年的放假安排尚未录入" not in html


def test_entering_a_schedule_moves_open_deadlines_once(client, officer, admin_role_user):
    with time_machine.travel(local(2026, 12, 30, 10), tick=False):
        open_record = services.record_create(data=record_data(occurred_at=local(2026, 12, 30, 10)), actor=officer)
        submitted = services.record_submit(
            record=services.record_create(data=record_data(occurred_at=local(2026, 12, 30, 9)), actor=officer), actor=officer, now=local(2026, 12, 30, 11)
        )
    assert open_record.due_at == local(2027, 1, 5, 23, 59, 59) and open_record.calendar_provisional
    with time_machine.travel(local(2026, 12, 31, 10), tick=False):
        client.force_login(admin_role_user)
        response = client.post(reverse("calendar:index"), SCHEDULE)
        assert response.status_code == 302 and response["Location"] == reverse("calendar:index")
        assert calendar_source(2027) == "override"
        assert CalendarYear.objects.get(year=2027).source == "国办发明电〔2026〕9号"
        assert HolidayOverride.objects.filter(date__year=2027, is_working_day=False).count() == 4 + 9
        # The recomputation runs in the sweep (the doorbell's task), not in the request.
        open_record.refresh_from_db()
        assert open_record.due_at == local(2027, 1, 5, 23, 59, 59)
        reminder_sweep(now=local(2026, 12, 31, 10, 1))
        reminder_sweep(now=local(2026, 12, 31, 10, 2))
    open_record.refresh_from_db()
    assert open_record.due_at == local(2027, 1, 6, 23, 59, 59)
    assert not open_record.calendar_provisional
    moved = Notification.objects.filter(recipient=officer, kind="deadline_moved")
    assert moved.count() == 1 and "2027年1月6日" in moved.get().title
    old_due = submitted.due_at
    submitted.refresh_from_db()
    assert submitted.due_at == old_due  # a submitted record's deadline is not rewritten


@pytest.mark.parametrize(
    ("holidays", "workdays", "message"),
    [
        ("2027-13-01", "", "日期“2027-13-01”无效"),
        ("明年元旦", "", "格式不对"),
        ("2028-01-01", "", "所有日期都必须在2027年内"),
        ("2027-01-01", "2027-01-01", "同一天不能既是假日又是调休上班日"),
        ("2027-01-01", "2027-02-20 至 2027-02-21", "调休上班日请逐日填写"),
        ("2027-01-01", "9999-12-31", "超出可录入的范围"),  # found by the fuzzer: used to overflow
    ],
)
def test_bad_schedules_get_a_chinese_error(client, admin_role_user, holidays, workdays, message):
    client.force_login(admin_role_user)
    response = client.post(reverse("calendar:index"), {**SCHEDULE, "holidays": holidays, "workdays": workdays})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CalendarYear.objects.exists() and not HolidayOverride.objects.exists()
