"""The administrators' holiday calendar page: a year's schedule pasted from the State Council notice
in its own words is previewed day by day, saved only once confirmed (re-entering a year shows the
difference and asks before replacing), moves open deadlines in the background and tells each
recorder once; single days are added, changed and removed on the same page."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from cases.models import AuditEvent
from conftest import local, record_data
from records.calendar.vocabulary import CalendarEvent
from records.calendar.workdays import calendar_source
from records.models import CalendarRecompute, CalendarYear, HolidayOverride, Notification
from records.notifications.sweep import reminder_sweep
from records.record import services

pytestmark = pytest.mark.django_db

# A 2027 notice for the test: 元旦 Jan 1–4 off (a four-day block, unlike the provisional one day).
# With it, an interference on Wed 2026-12-30 counts Thu Dec 31 = 1, Tue Jan 5 = 2, Wed Jan 6 = 3.
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
国办发明电〔2026〕9号
一、元旦：1月1日（周五）至4日（周一）放假调休，共4天。
二、春节：2月5日（周五）至13日（周六）放假调休，共9天。2月20日（星期六）上班。
"""
SCHEDULE = {"year": "2027", "source": "", "notice": NOTICE_2027}


def _preview(client, data=SCHEDULE):
    response = client.post(reverse("calendar:index"), {**data, "preview": ""})
    assert response.status_code == 200
    return response


def _enter(client, data=SCHEDULE, **extra):
    """Preview, then confirm what the preview showed."""
    fingerprint = _preview(client, data).context["preview"]["fingerprint"]
    return client.post(reverse("calendar:index"), {**data, "save": "", "fingerprint": fingerprint, **extra})


def test_only_administrators_open_the_page(client, officer, admin_role_user):
    client.force_login(officer)
    assert client.get(reverse("calendar:index")).status_code == 404
    assert client.post(reverse("calendar:index"), {**SCHEDULE, "preview": ""}).status_code == 404
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


def test_the_preview_shows_every_day_per_festival_and_saves_nothing(client, admin_role_user):
    client.force_login(admin_role_user)
    response = _preview(client)
    preview = response.context["preview"]
    assert [name for name, _h, _w in preview["festivals"]] == ["元旦", "春节"]
    assert preview["source"] == "国办发明电〔2026〕9号"  # read from the pasted text
    html = response.content.decode()
    for day in ["1月1日（星期五）", "1月2日（星期六）", "1月3日（星期日）", "1月4日（星期一）", "2月13日（星期六）", "2月20日（星期六）"]:
        assert day in html
    assert "共放假 13 天，调休上班 1 天" in html and "确认保存" in html
    assert not HolidayOverride.objects.exists() and not CalendarYear.objects.exists()


def test_entering_a_schedule_moves_open_deadlines_once(client, officer, admin_role_user):
    with time_machine.travel(local(2026, 12, 30, 10), tick=False):
        open_record = services.record_create(data=record_data(occurred_at=local(2026, 12, 30, 10)), actor=officer)
        submitted = services.record_submit(
            record=services.record_create(data=record_data(occurred_at=local(2026, 12, 30, 9)), actor=officer), actor=officer, now=local(2026, 12, 30, 11)
        )
    assert open_record.due_at == local(2027, 1, 5, 23, 59, 59) and open_record.calendar_provisional
    with time_machine.travel(local(2026, 12, 31, 10), tick=False):
        client.force_login(admin_role_user)
        response = _enter(client)
        assert response.status_code == 302 and response["Location"] == reverse("calendar:index")
        assert calendar_source(2027) == "override"
        assert CalendarYear.objects.get(year=2027).source == "国办发明电〔2026〕9号"
        assert HolidayOverride.objects.filter(date__year=2027, is_working_day=False).count() == 4 + 9
        assert list(HolidayOverride.objects.filter(is_working_day=True).values_list("date", flat=True)) == [dt.date(2027, 2, 20)]
        assert HolidayOverride.objects.get(date=dt.date(2027, 2, 5)).note == "春节"
        event = AuditEvent.objects.filter(type=CalendarEvent.CALENDAR_CHANGED).get()
        assert event.actor == admin_role_user and event.data["workdays"] == ["2027-02-20"]
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


def test_a_text_changed_after_the_preview_is_shown_again_not_saved(client, admin_role_user):
    client.force_login(admin_role_user)
    fingerprint = _preview(client).context["preview"]["fingerprint"]
    edited = {**SCHEDULE, "notice": NOTICE_2027.replace("至13日（周六）放假调休，共9天", "至12日（周五）放假调休，共8天")}
    response = client.post(reverse("calendar:index"), {**edited, "save": "", "fingerprint": fingerprint})
    assert response.status_code == 200
    assert "预览后有变化" in response.content.decode()
    assert response.context["preview"]["holiday_count"] == 12
    assert not CalendarYear.objects.exists()


def test_re_entering_a_year_shows_the_difference_and_asks_before_replacing(client, admin_role_user):
    client.force_login(admin_role_user)
    assert _enter(client).status_code == 302
    # The corrected notice: 元旦 three days only, 2月6日 a working day instead of a holiday, 2月27日 added.
    corrected = NOTICE_2027.replace("1月1日（周五）至4日（周一）放假调休，共4天。", "1月1日（周五）至3日（周日）放假，共3天。")
    corrected = corrected.replace("2月5日（周五）至13日（周六）放假调休，共9天。2月20日（星期六）上班。", "2月7日（周日）至13日（周六）放假调休，共7天。2月6日（周六）、2月20日（星期六）、2月27日（周六）上班。")
    data = {**SCHEDULE, "notice": corrected}
    response = _preview(client, data)
    changes = response.context["preview"]["changes"]
    assert response.context["preview"]["replaces"]
    assert changes.removed == ((dt.date(2027, 1, 4), False), (dt.date(2027, 2, 5), False))
    assert changes.changed == ((dt.date(2027, 2, 6), True),)
    assert changes.added == ((dt.date(2027, 2, 27), True),)
    html = response.content.decode()
    assert "1月4日（原为放假）" in html and "2月6日改为上班" in html and "2月27日上班" in html
    # Confirming without ticking the replacement changes nothing.
    response = _enter(client, data)
    assert response.status_code == 200 and "勾选确认替换" in response.content.decode()
    assert HolidayOverride.objects.filter(date=dt.date(2027, 1, 4)).exists()
    assert AuditEvent.objects.filter(type=CalendarEvent.CALENDAR_CHANGED).count() == 1
    response = _enter(client, data, replace="on")
    assert response.status_code == 302
    assert not HolidayOverride.objects.filter(date=dt.date(2027, 1, 4)).exists()
    assert HolidayOverride.objects.get(date=dt.date(2027, 2, 6)).is_working_day
    assert AuditEvent.objects.filter(type=CalendarEvent.CALENDAR_CHANGED).count() == 2


def test_a_first_entry_over_the_provisional_calendar_needs_no_replacement_tick(client, admin_role_user):
    client.force_login(admin_role_user)
    preview = _preview(client).context["preview"]
    assert not preview["replaces"]
    assert (dt.date(2027, 1, 4), False) in preview["changes"].added  # provisional 元旦 is one day


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"notice": "元旦：1月1日（周四）至4日放假。"}, "notice", "2027年1月1日是星期五，通知写的是星期四"),
        ({"notice": "元旦：明年1月放假。\n1月4日休息。"}, "notice", "第2行“1月4日休息。”：无法识别"),
        ({"notice": "元旦：2028年1月1日放假。"}, "notice", "2028年1月1日不在2027年内"),
        ({"notice": "元旦：1月1日放假。1月1日上班。"}, "notice", "既被列为放假又被列为上班"),
        ({"notice": "元旦：1月1日放假。"}, "source", "原文中没有找到文号，请填写通知文号"),
        ({"year": "1999"}, "year", ""),
    ],
)
def test_bad_notices_get_a_chinese_error_next_to_the_field(client, admin_role_user, data, field, message):
    client.force_login(admin_role_user)
    response = _preview(client, {**SCHEDULE, **data})
    assert field in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert response.context["preview"] is None
    assert not CalendarYear.objects.exists() and not HolidayOverride.objects.exists()


def test_one_day_is_added_changed_and_removed_audited(client, admin_role_user):
    client.force_login(admin_role_user)
    url = reverse("calendar:day")
    response = client.post(url, {"day-date": "2027-03-08", "day-is_working_day": "0", "day-note": "调整放假", "save": ""})
    assert response.status_code == 302
    day = HolidayOverride.objects.get(date=dt.date(2027, 3, 8))
    assert not day.is_working_day and day.note == "调整放假" and day.entered_by == admin_role_user
    assert client.post(url, {"day-date": "2027-03-08", "day-is_working_day": "1", "save": ""}).status_code == 302
    day.refresh_from_db()
    assert day.is_working_day and day.note == "调休上班"
    assert client.post(url, {"day-date": "2027-03-08", "remove": ""}).status_code == 302
    assert not HolidayOverride.objects.exists()
    events = AuditEvent.objects.filter(type=CalendarEvent.CALENDAR_CHANGED)
    assert events.count() == 3 and events.filter(data__deleted=True).count() == 1
    assert set(CalendarRecompute.objects.values_list("year", flat=True)) == {2027}


@pytest.mark.parametrize(
    ("data", "message"),
    [({"day-date": "2027-03-08", "remove": ""}, "这一天没有调整"), ({"day-date": "9999-12-31"}, "超出可录入的范围"), ({"day-date": "明天"}, "")],
)
def test_a_bad_day_gets_a_chinese_error(client, admin_role_user, data, message):
    client.force_login(admin_role_user)
    response = client.post(reverse("calendar:day"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["day_form"].errors["date"])
    assert not HolidayOverride.objects.exists()


def test_others_cannot_change_a_day(client, officer, discipline_user):
    for user in (officer, discipline_user):
        client.force_login(user)
        assert client.post(reverse("calendar:day"), {"day-date": "2027-03-08", "day-is_working_day": "0"}).status_code == 404
    client.logout()
    assert client.post(reverse("calendar:day"), {"day-date": "2027-03-08", "day-is_working_day": "0"}).status_code == 302
    assert not HolidayOverride.objects.exists() and not AuditEvent.objects.filter(type=CalendarEvent.CALENDAR_CHANGED).exists()
