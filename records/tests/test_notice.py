"""Reading the State Council holiday notice in its own words (records.calendar.notice): the real
notices of 2024, 2025 and 2026 give exactly the official schedule that the chinese_calendar package
carries, and every line that cannot be read is named in Chinese."""

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from records.calendar.notice import parse_notice, preview_fingerprint, schedule_changes
from records.tests.holiday_notices import NOTICES, SOURCES


def _official(year: int) -> tuple[set[dt.date], set[dt.date]]:
    return {d for d in chinese_calendar.holidays if d.year == year}, {d for d in chinese_calendar.workdays if d.year == year}


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_the_real_notice_gives_the_official_schedule(year):
    notice = parse_notice(NOTICES[year], year)
    holidays, workdays = _official(year)
    assert notice.errors == ()
    assert holidays and workdays  # the package carries the year
    assert {d for d, _name in notice.holidays()} == holidays
    assert set(notice.workdays()) == workdays
    assert notice.source == SOURCES[year]


def test_the_2026_notice_per_festival():
    festivals = {name: (holidays, workdays) for name, holidays, workdays in parse_notice(NOTICES[2026], 2026).by_festival()}
    assert list(festivals) == ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]
    day = dt.date
    assert festivals["元旦"] == ([day(2026, 1, 1), day(2026, 1, 2), day(2026, 1, 3)], [day(2026, 1, 4)])
    assert festivals["春节"][1] == [day(2026, 2, 14), day(2026, 2, 28)]
    assert len(festivals["春节"][0]) == 9
    assert festivals["国庆节"][1] == [day(2026, 9, 20), day(2026, 10, 10)]


def test_a_combined_festival_keeps_its_name():
    notice = parse_notice(NOTICES[2025], 2025)
    assert ("国庆节、中秋节", dt.date(2025, 10, 8)) in [(name, d) for d, name in notice.holidays()]


def test_a_date_mentioned_in_brackets_is_not_a_day_off():
    # 2024: "安排职工在除夕（2月9日）休息" encourages leave; 2月9日 is not in the schedule.
    days = {d for d, _name in parse_notice(NOTICES[2024], 2024).holidays()}
    assert dt.date(2024, 2, 9) not in days and dt.date(2024, 2, 10) in days


@pytest.mark.parametrize(
    ("text", "holidays", "workdays"),
    [
        ("元旦：1月1日至3日放假调休，共3天", [(1, 1), (1, 2), (1, 3)], []),
        ("1月4日（星期日）上班", [], [(1, 4)]),  # only workdays: an error below, checked separately
        ("国庆节：9月29日至10月6日放假调休，共8天。", [(9, 29), (9, 30), (10, 1), (10, 2), (10, 3), (10, 4), (10, 5), (10, 6)], []),
        ("春节：2月7日至13日放假。1月28日（星期日）、2月8日（星期六）上班", [], []),  # 2月8日 both: error
        ("五、端午节：6月10日放假，与周末连休。", [(6, 10)], []),
        ("元旦：１月１日（周四）放假１天，不调休。", [(1, 1)], []),  # full-width digits
        ("一、元旦：1月1日至3日放假调休，共3天。1月4日(周日)上班。二、春节：2月15日至23日放假调休，共9天。2月14日、2月28日上班。", None, [(1, 4), (2, 14), (2, 28)]),
    ],
)
def test_the_wordings_of_the_notices(text, holidays, workdays):
    notice = parse_notice(text, 2026)
    if holidays:
        assert notice.errors == ()
        assert [d for d, _name in notice.holidays()] == [dt.date(2026, m, d) for m, d in holidays]
    if workdays:
        assert notice.workdays() == [dt.date(2026, m, d) for m, d in workdays]
    if holidays == [] and workdays == []:
        assert notice.errors


def test_one_paragraph_with_all_items_reads_each_festival():
    notice = parse_notice("一、元旦：1月1日至3日放假调休，共3天。1月4日(周日)上班。二、春节：2月15日至23日放假调休，共9天。2月14日、2月28日上班。", 2026)
    names = [name for name, _h, _w in notice.by_festival()]
    assert names == ["元旦", "春节"] and notice.errors == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("元旦：1月1日（周三）至3日放假调休，共3天。", "2026年1月1日是星期四，通知写的是星期三"),
        ("元旦：1月1日至3日放假调休，共4天。", "1月1日至1月3日是3天，通知写的是共4天"),
        ("元旦：1月1日至3日放假调休，共3天。\n1月4日休息半天。", "第2行“1月4日休息半天。”：无法识别"),
        ("元旦：2月30日放假。", "“2月30日”不是有效的日期"),
        ("元旦：1日至3日放假。", "“1日”缺少月份"),
        ("元旦：1月5日至3日放假。", "日期区间1月5日至1月3日无效"),
        ("元旦：1月1日至2月15日放假。", "日期区间1月1日至2月15日无效"),
        ("元旦：2027年1月1日放假。", "2027年1月1日不在2026年内"),
        ("国务院办公厅关于2025年部分节假日安排的通知\n元旦：1月1日放假。", "这是2025年的通知，正在录入的是2026年"),
        ("元旦：1月1日放假。\n春节：1月1日放假。", "第2行“春节：1月1日放假。”：1月1日 重复列出"),
        ("元旦：1月1日放假。1月1日上班。", "1月1日 既被列为放假又被列为上班"),
        ("1月4日（周日）上班。", "没有读到任何放假日期"),
        ("", "没有读到任何放假日期"),
    ],
)
def test_what_cannot_be_read_is_named_in_chinese(text, message):
    notice = parse_notice(text, 2026)
    assert any(message in error for error in notice.errors), notice.errors


def test_a_long_line_is_shortened_in_the_error():
    notice = parse_notice("元旦：1月1日至3日放假，共9天。" + "这是一句很长的说明" * 10, 2026)
    assert len(notice.errors) == 1 and "…”" in notice.errors[0]


def test_changes_between_two_schedules():
    day = dt.date
    before = {day(2027, 1, 1): False, day(2027, 1, 2): False, day(2027, 2, 6): True}
    after = {day(2027, 1, 1): False, day(2027, 1, 3): False, day(2027, 2, 6): False}
    changes = schedule_changes(before, after)
    assert changes.added == ((day(2027, 1, 3), False),)
    assert changes.removed == ((day(2027, 1, 2), False),)
    assert changes.changed == ((day(2027, 2, 6), False),)
    assert changes and not schedule_changes(after, dict(after))


def test_the_fingerprint_follows_what_the_preview_showed():
    notice = parse_notice(NOTICES[2026], 2026)
    base = {"year": 2026, "source": "x", "days": notice.days, "before": {}}
    same = preview_fingerprint(**base)
    assert same == preview_fingerprint(**base)
    assert same != preview_fingerprint(**{**base, "days": notice.days[1:]})
    assert same != preview_fingerprint(**{**base, "before": {dt.date(2026, 1, 1): False}})
    assert same != preview_fingerprint(**{**base, "source": "y"})


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("0123456789年月日至、，。：（）()周星期一二三四五六日放假调休上班共天元旦春节\n ")), max_size=120))
def test_any_text_is_read_or_refused_never_crashes(text):
    notice = parse_notice(text, 2026)
    assert bool(notice.errors) or any(not day.is_working_day for day in notice.days)
    assert all(day.date.year == 2026 for day in notice.days)
