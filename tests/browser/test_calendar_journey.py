"""The administrator enters a year's holidays by pasting the State Council notice as published (the
real 国务院办公厅关于2026年部分节假日安排的通知), sees what was understood, confirms, and the calendar then
has exactly the notice's holidays and make-up working days; entering the year again asks before
replacing it."""

import datetime as dt

import chinese_calendar
import pytest
from playwright.sync_api import expect

from records.tests.holiday_notices import NOTICE_2026

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _paste_and_preview(journey) -> None:
    journey.page.locator("#id_year").fill("2026")
    journey.page.locator("#id_source").fill("")
    journey.page.locator("#id_notice").fill(NOTICE_2026)
    journey.page.get_by_role("button", name="预览").click()
    journey.page.wait_for_load_state()
    journey.check()


def test_admin_enters_a_year_from_the_state_council_notice(journey, demo):
    from records.models import CalendarYear, HolidayOverride

    journey.login("admin")
    journey.go("/calendar/")
    _paste_and_preview(journey)
    days = journey.page.locator("#preview-days")
    expect(journey.page.get_by_text("读到的2026年放假安排（国办发明电〔2025〕7号）")).to_be_visible()
    for festival in ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]:
        expect(days.get_by_role("rowheader", name=festival)).to_be_visible()
    spring = days.get_by_role("row").filter(has=journey.page.get_by_role("rowheader", name="春节"))
    expect(spring).to_contain_text("2月15日（星期日）")
    expect(spring).to_contain_text("2月23日（星期一）")
    expect(spring).to_contain_text("共9天")
    expect(spring).to_contain_text("2月14日（星期六）、2月28日（星期六）")
    expect(journey.page.get_by_text("共放假 33 天，调休上班 6 天。")).to_be_visible()
    assert not CalendarYear.objects.exists()  # nothing saved by the preview
    journey.shot("admin-calendar", full_page=True)
    journey.page.get_by_role("button", name="确认保存").click()
    journey.page.wait_for_load_state()
    journey.check()
    expect(journey.page.get_by_text("2026年放假安排已录入")).to_be_visible()

    stored = dict(HolidayOverride.objects.filter(date__year=2026).values_list("date", "is_working_day"))
    official = {d: False for d in chinese_calendar.holidays if d.year == 2026} | {d: True for d in chinese_calendar.workdays if d.year == 2026}
    assert len(official) == 33 + 6 and stored == official
    assert CalendarYear.objects.get(year=2026).source == "国办发明电〔2025〕7号"
    assert HolidayOverride.objects.get(date=dt.date(2026, 10, 1)).note == "国庆节"

    # The same year again: the page says it would replace the entered year and waits for the tick.
    _paste_and_preview(journey)
    expect(journey.page.get_by_text("2026年已有管理员录入的安排，保存将替换它们。")).to_be_visible()
    expect(journey.page.locator("#preview-changes")).to_have_text("没有差异。")
    journey.page.get_by_role("button", name="确认保存").click()
    journey.page.wait_for_load_state()
    expect(journey.page.get_by_text("勾选确认替换").first).to_be_visible()
    journey.page.get_by_label("我已核对差异，确认替换该年度原有的安排").check()
    journey.page.get_by_role("button", name="确认保存").click()
    journey.page.wait_for_load_state()
    expect(journey.page.get_by_text("2026年放假安排已录入")).to_be_visible()
    assert dict(HolidayOverride.objects.filter(date__year=2026).values_list("date", "is_working_day")) == official
