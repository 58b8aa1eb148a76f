"""The working-day calendar (records.calendar.workdays).

Every expected date below was checked by hand against the State Council data shipped in
chinese_calendar (site-packages/chinese_calendar/constants.py: `holidays` = days off, `workdays` =
make-up working days) or, for years the package lacks, against the lunar dates from lunardate and
the 清明 term from chinese_calendar.get_solar_terms. The 2026 schedule used here:
  元旦 Jan 1–3 (make-up Sun Jan 4); 春节 Feb 15–23 (make-up Sat Feb 14, Sat Feb 28);
  清明 Apr 4–6; 劳动节 May 1–5 (make-up Sat May 9); 端午 Jun 19–21; 中秋 Sep 25–27;
  国庆 Oct 1–7 (make-up Sun Sep 20, Sat Oct 10).
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from records.calendar.workdays import (
    PACKAGE_YEARS,
    CalendarWindowError,
    UnsupportedDateError,
    WorkCalendar,
    add_working_days,
    calendar_source,
    is_working_day,
    provisional_holidays,
)
from records.models import CalendarYear, HolidayOverride

D = dt.date
PURE = WorkCalendar()  # no administrator data: the package and the statute only


def days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def reference_add(d: dt.date, n: int, is_workday) -> dt.date:
    """Naive day-by-day reference: step one day at a time, count working days after d."""
    count = 0
    current = d
    while count < n:
        current += dt.timedelta(days=1)
        if is_workday(current):
            count += 1
    return current


# --- sources and coverage ---------------------------------------------------------------------


def test_package_years_are_read_from_the_package():
    # chinesecalendar 1.11.0 ships 2004..2026; the range is derived, not hard-coded.
    assert PACKAGE_YEARS.start == min(chinese_calendar.holidays).year == 2004
    assert PACKAGE_YEARS.stop - 1 == max(chinese_calendar.holidays).year == 2026
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2027, 1, 4))


def test_pure_calendar_sources():
    assert PURE.source_for(D(2026, 12, 31)) == "official"
    assert PURE.source_for(D(2027, 1, 1)) == "provisional"
    assert PURE.is_provisional(D(2027, 6, 9))
    assert not PURE.is_provisional(D(2004, 1, 1))


@pytest.mark.django_db
def test_calendar_source_by_year():
    assert calendar_source(2026) == "official"
    assert calendar_source(2027) == "provisional"
    assert calendar_source(2099) == "provisional"
    HolidayOverride.objects.create(date=D(2027, 1, 4), is_working_day=False)
    assert calendar_source(2027) == "provisional"  # one override is not the year's official schedule
    CalendarYear.objects.create(year=2028, source="国办发明电〔2027〕X号")
    assert calendar_source(2028) == "override"
    HolidayOverride.objects.create(date=D(2026, 12, 31), is_working_day=False)
    assert calendar_source(2026) == "override"


# --- exhaustive cross-checks against the package ---------------------------------------------------


def test_every_day_2024_to_2026_matches_the_package():
    all_days = days(D(2024, 1, 1), D(2026, 12, 31))
    assert len(all_days) == 366 + 365 + 365
    mismatches = [d for d in all_days if PURE.is_working_day(d) != chinese_calendar.is_workday(d)]
    assert mismatches == []


def test_add_working_days_matches_naive_reference_2024_to_2026():
    # Start days up to 2026-12-20 so that 5 working days after them stay inside the package's data
    # (the reference raises past 2026: Dec 21–25 2026 are Mon–Fri working days).
    starts = days(D(2024, 1, 1), D(2026, 12, 20))
    assert starts
    mismatches = [
        (d, n)
        for d in starts
        for n in range(1, 6)
        if PURE.add_working_days(d, n) != reference_add(d, n, chinese_calendar.is_workday)
    ]
    assert mismatches == []


def test_add_working_days_matches_naive_reference_on_provisional_years():
    # The counting is the same on provisional years; the reference reads the statute table directly.
    def provisional_workday(d: dt.date) -> bool:
        return d.weekday() < 5 and d not in provisional_holidays(d.year)

    starts = days(D(2027, 1, 1), D(2028, 12, 20))
    assert starts
    mismatches = [
        (d, n) for d in starts for n in range(1, 6)
        if PURE.add_working_days(d, n) != reference_add(d, n, provisional_workday)
    ]
    assert mismatches == []


def test_add_working_days_zero_and_negative():
    assert PURE.add_working_days(D(2026, 2, 15), 0) == D(2026, 2, 15)  # a holiday is returned as is
    with pytest.raises(ValueError):
        PURE.add_working_days(D(2026, 2, 15), -1)


def test_add_working_days_from_a_non_working_day_is_not_off_by_one():
    # chinese_calendar.find_workday(1, Sun 2026-02-15) would count differently; here the start day never
    # counts: the first working day after the holiday start is Tue Feb 24 (Feb 15–23 off).
    assert PURE.add_working_days(D(2026, 2, 15), 1) == D(2026, 2, 24)
    # From a make-up Saturday (Feb 14, working) the next working day is still Feb 24.
    assert PURE.add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)


# --- individual days -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 2, 13), True),   # Friday before the Spring Festival
        (D(2026, 2, 14), True),   # Saturday, make-up working day (workdays[2026-02-14])
        (D(2026, 2, 15), False),  # Sunday, first day of 春节 Feb 15–23
        (D(2026, 2, 23), False),  # Monday, last day of 春节
        (D(2026, 2, 24), True),   # Tuesday after the holiday
        (D(2026, 2, 28), True),   # Saturday, make-up working day
        (D(2026, 9, 20), True),   # Sunday, make-up working day for 国庆
        (D(2026, 10, 7), False),  # Wednesday, last day of 国庆 Oct 1–7
        (D(2026, 10, 10), True),  # Saturday, make-up working day
        (D(2026, 10, 11), False),  # plain Sunday
        (D(2026, 12, 31), True),  # Thursday, ordinary working day
        (D(2027, 1, 1), False),   # Friday, 元旦 (provisional)
        (D(2027, 1, 4), True),    # Monday (provisional, no 补假: 元旦 was a Friday)
        (D(2027, 2, 10), False),  # Wednesday, 春节（补假） (provisional)
    ],
)
def test_is_working_day_pure(day: dt.date, working: bool):
    assert PURE.is_working_day(day) is working


@pytest.mark.django_db
def test_module_is_working_day_reads_overrides(django_assert_num_queries):
    with django_assert_num_queries(2):
        assert is_working_day(D(2026, 12, 31)) is True
    HolidayOverride.objects.create(date=D(2026, 12, 31), is_working_day=False, note="test")
    assert is_working_day(D(2026, 12, 31)) is False
    # An override may also make a Sunday a working day.
    HolidayOverride.objects.create(date=D(2027, 1, 3), is_working_day=True)
    assert is_working_day(D(2027, 1, 3)) is True


@pytest.mark.django_db
def test_calendar_year_turns_a_year_into_plain_weekdays_plus_overrides():
    assert is_working_day(D(2027, 1, 1)) is False  # provisional 元旦
    CalendarYear.objects.create(year=2027, source="国办发明电〔2026〕X号")
    # The admin entered 2027 "in full" without Jan 1: it is now a plain Friday.
    assert is_working_day(D(2027, 1, 1)) is True
    assert is_working_day(D(2027, 1, 2)) is False  # Saturday
    HolidayOverride.objects.create(date=D(2027, 2, 6), is_working_day=True)  # a Saturday made working
    cal = WorkCalendar.load(D(2027, 1, 1), D(2027, 12, 31))
    assert cal.is_working_day(D(2027, 2, 6)) is True
    assert cal.is_working_day(D(2027, 2, 9)) is True  # provisional 补假 no longer applies
    assert cal.source_for(D(2027, 5, 1)) == "override"
    assert not cal.is_provisional(D(2027, 5, 1))


@pytest.mark.django_db
def test_override_wins_over_the_package():
    HolidayOverride.objects.create(date=D(2026, 2, 14), is_working_day=False)  # package: make-up working day
    cal = WorkCalendar.load(D(2026, 2, 1), D(2026, 2, 28))
    assert cal.is_working_day(D(2026, 2, 14)) is False
    assert cal.source_for(D(2026, 2, 14)) == "override"
    assert cal.source_for(D(2026, 2, 13)) == "official"
    # Fri Feb 13 → Feb 14 is now off, Feb 15–23 holiday → 1st working day is Tue Feb 24.
    assert cal.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 24)


# --- module-level add_working_days -----------------------------------------------------------------


@pytest.mark.django_db
def test_module_add_working_days():
    # Fri 2026-02-13: Sat Feb 14 (make-up) = 1, Feb 15–23 off, Tue Feb 24 = 2, Wed Feb 25 = 3.
    assert add_working_days(D(2026, 2, 13), 3) == D(2026, 2, 25)
    assert add_working_days(D(2026, 2, 13), 0) == D(2026, 2, 13)
    # Wed 2026-12-30: Thu Dec 31 = 1, Fri Jan 1 2027 元旦 off, Jan 2–3 weekend, Mon Jan 4 = 2, Tue Jan 5 = 3.
    assert add_working_days(D(2026, 12, 30), 3) == D(2027, 1, 5)
    with pytest.raises(ValueError):
        add_working_days(D(2026, 12, 30), -1)


@pytest.mark.django_db
def test_add_working_days_query_count_is_bounded(django_assert_max_num_queries):
    # Wed 2026-09-30: Oct 1–7 国庆 off, Thu Oct 8 = 1, Fri Oct 9 = 2, Sat Oct 10 (make-up) = 3.
    with django_assert_max_num_queries(2):
        assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)


@pytest.mark.django_db
def test_add_working_days_many_days_still_two_queries(django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        result = add_working_days(D(2026, 1, 1), 200)
    assert result == reference_add(D(2026, 1, 1), 200, PURE.is_working_day)


@pytest.mark.django_db
def test_add_working_days_extends_an_exhausted_window(django_assert_max_num_queries):
    # 70 consecutive non-working overrides exhaust the default 60-day window; the window doubles once.
    start = D(2026, 3, 1)
    HolidayOverride.objects.bulk_create(
        HolidayOverride(date=start + dt.timedelta(days=i), is_working_day=False) for i in range(1, 71)
    )
    # 2026-05-10 (day 70) is the last override; May 11 2026 is a Monday, an ordinary working day.
    with django_assert_max_num_queries(4):
        assert add_working_days(start, 1) == D(2026, 5, 11)


def test_loaded_window_is_enforced():
    cal = WorkCalendar(start=D(2026, 1, 1), end=D(2026, 1, 31))
    with pytest.raises(CalendarWindowError):
        cal.is_working_day(D(2026, 2, 1))
    with pytest.raises(CalendarWindowError):
        cal.add_working_days(D(2026, 1, 28), 5)


# --- provisional calendar --------------------------------------------------------------------------


def test_provisional_holidays_2027():
    # Verified: lunardate gives 正月初一 2027 = Sat Feb 6 (so 除夕 = Fri Feb 5), 端午 (5/5) = Wed Jun 9,
    # 中秋 (8/15) = Wed Sep 15; chinese_calendar.get_solar_terms gives 清明 2027 = Mon Apr 5.
    # 第六条 补假: 春节 Sat Feb 6 + Sun Feb 7 → Tue Feb 9, Wed Feb 10 (Mon Feb 8 is itself 初三);
    # 劳动节 Sat May 1 + Sun May 2 → Mon May 3, Tue May 4; 国庆 Sat Oct 2 + Sun Oct 3 → Mon Oct 4, Tue Oct 5.
    # 元旦 Fri Jan 1, 清明, 端午, 中秋 fall on weekdays: no 补假.
    assert provisional_holidays(2027) == {
        D(2027, 1, 1): "元旦",
        D(2027, 2, 5): "春节",
        D(2027, 2, 6): "春节",
        D(2027, 2, 7): "春节",
        D(2027, 2, 8): "春节",
        D(2027, 2, 9): "春节（补假）",
        D(2027, 2, 10): "春节（补假）",
        D(2027, 4, 5): "清明节",
        D(2027, 5, 1): "劳动节",
        D(2027, 5, 2): "劳动节",
        D(2027, 5, 3): "劳动节（补假）",
        D(2027, 5, 4): "劳动节（补假）",
        D(2027, 6, 9): "端午节",
        D(2027, 9, 15): "中秋节",
        D(2027, 10, 1): "国庆节",
        D(2027, 10, 2): "国庆节",
        D(2027, 10, 3): "国庆节",
        D(2027, 10, 4): "国庆节（补假）",
        D(2027, 10, 5): "国庆节（补假）",
    }
    assert [d.weekday() for d in (D(2027, 2, 5), D(2027, 5, 1), D(2027, 10, 1))] == [4, 5, 4]


def test_provisional_holidays_2028_weekend_and_coinciding_festivals():
    # 2028: 元旦 is Sat Jan 1 → 补假 Mon Jan 3 (Sun Jan 2 skipped). 端午 (lunar 5/5) is Sun May 28 →
    # 补假 Mon May 29. 中秋 (lunar 8/15) is Tue Oct 3, the same day as 国庆's 3rd day; 国庆 Oct 1 is a
    # Sunday. So the Oct 1–3 block loses two days: Sun Oct 1 and the doubled Oct 3 → 补假 Wed Oct 4, Thu Oct 5.
    # 春节: 正月初一 2028 = Wed Jan 26, 除夕 Tue Jan 25, all four days weekdays; 清明 = Tue Apr 4.
    holidays = provisional_holidays(2028)
    assert holidays[D(2028, 1, 1)] == "元旦"
    assert holidays[D(2028, 1, 3)] == "元旦（补假）"
    assert D(2028, 1, 2) not in holidays  # a weekend stays a weekend, it is not a holiday entry
    assert [d for d, name in holidays.items() if name == "春节"] == days(D(2028, 1, 25), D(2028, 1, 28))
    assert holidays[D(2028, 4, 4)] == "清明节"
    assert holidays[D(2028, 5, 28)] == "端午节"
    assert holidays[D(2028, 5, 29)] == "端午节（补假）"
    assert holidays[D(2028, 10, 3)] == "中秋节、国庆节"
    assert holidays[D(2028, 10, 4)].endswith("（补假）")
    assert holidays[D(2028, 10, 5)].endswith("（补假）")
    assert D(2028, 10, 6) not in holidays
    assert len(holidays) == 16


def test_provisional_holidays_returns_a_copy():
    first = provisional_holidays(2027)
    first.clear()
    assert len(provisional_holidays(2027)) == 19


def test_provisional_is_never_weekdays_only():
    # Every year the package lacks still has its 13 statutory days (1+4+1+2+1+1+3; a day lost to a
    # coinciding festival comes back as 补假), and every 补假 day is a weekday.
    years = list(range(2027, 2100))
    assert years
    for year in years:
        holidays = provisional_holidays(year)
        assert len(holidays) >= 13, year
        assert all(d.weekday() < 5 for d, name in holidays.items() if name.endswith("（补假）")), year


def test_chuxi_when_lunar_month_12_has_29_days():
    # Lunar 2025/12 has 29 days (初一 Jan 19 2026 .. 廿九 Feb 16 2026), so 除夕 is 廿九 = Mon Feb 16
    # 2026, the day before 正月初一 Tue Feb 17 — consistent with the package's 2026 festival (Feb 15–23).
    from lunardate import LunarDate

    assert LunarDate(2026, 1, 1).to_solar_date() == D(2026, 2, 17)
    assert (LunarDate(2026, 1, 1).to_solar_date() - LunarDate(2025, 12, 1).to_solar_date()).days == 29
    assert provisional_holidays(2026)[D(2026, 2, 16)] == "春节"


def test_years_2028_and_2099_do_not_raise():
    # 第二条 gives 13 days and 第六条 turns each one lost to a weekend into a weekday 补假, so every
    # provisional year has exactly (Mon–Fri days - 13) working days. 2028 is a leap year starting on
    # a Saturday: 260 weekdays → 247 working days; 2099 starts on a Thursday: 261 → 248.
    expected = {1901: 261 - 13, 2028: 260 - 13, 2099: 261 - 13}
    for year, working in expected.items():
        year_days = days(D(year, 1, 1), D(year, 12, 31))
        assert sum(d.weekday() < 5 for d in year_days) - 13 == working
        assert sum(PURE.is_working_day(d) for d in year_days) == working, year
    assert PURE.add_working_days(D(2099, 12, 20), 5) == reference_add(
        D(2099, 12, 20), 5, lambda d: d.weekday() < 5 and d not in provisional_holidays(d.year)
    )


def test_every_provisional_year_loses_exactly_13_weekdays():
    years = list(range(2027, 2100))
    assert years
    wrong = []
    for year in years:
        year_days = days(D(year, 1, 1), D(year, 12, 31))
        if sum(PURE.is_working_day(d) for d in year_days) != sum(d.weekday() < 5 for d in year_days) - 13:
            wrong.append(year)
    assert wrong == []


def test_outside_supported_range_raises_a_clear_error():
    with pytest.raises(UnsupportedDateError):
        PURE.is_working_day(D(2100, 1, 1))
    with pytest.raises(ValueError):  # UnsupportedDateError is a ValueError
        provisional_holidays(1899)


@pytest.mark.django_db
def test_counting_past_2099_raises_the_clear_error():
    # The lunar tables end with 2099: counting into 2100 is refused explicitly, never guessed.
    assert add_working_days(D(2099, 12, 28), 3) == D(2099, 12, 31)  # Tue 29, Wed 30, Thu 31
    with pytest.raises(UnsupportedDateError):
        add_working_days(D(2099, 12, 30), 5)


def test_long_spans_are_counted_once_and_equal_the_day_by_day_count():
    # 2024 has 251 working days and 2025 has 248 (365 days, 104 weekend days, 13 statutory holidays
    # from 2025 on, with the make-up working days of 国办发明电〔2024〕12号); a long span uses the
    # calendar's cumulative counts, which must give exactly the day-by-day answer.
    calendar = WorkCalendar()
    assert calendar.working_days_between(D(2023, 12, 31), D(2024, 12, 31)) == 251
    assert calendar.working_days_between(D(2024, 12, 31), D(2025, 12, 31)) == 248
    assert calendar.working_days_between(D(2023, 12, 31), D(2025, 12, 31)) == 499
    for start in (D(2017, 3, 5), D(2024, 9, 30), D(2025, 10, 1), D(2025, 10, 31)):
        expected = sum(calendar.is_working_day(d) for d in days(start + dt.timedelta(days=1), D(2025, 12, 31)))
        assert calendar.working_days_between(start, D(2025, 12, 31)) == expected


def test_the_fast_package_lookup_equals_the_package_on_every_day_it_covers():
    """Every day 2004-01-01 .. 2026-12-31 (8,401 days): the set lookups give chinese_calendar's answer."""
    from records.calendar.workdays import _package_is_workday

    days = [D(PACKAGE_YEARS.start, 1, 1) + dt.timedelta(days=i) for i in range((D(PACKAGE_YEARS.stop - 1, 12, 31) - D(PACKAGE_YEARS.start, 1, 1)).days + 1)]
    assert len(days) == 8401
    assert [d for d in days if _package_is_workday(d) != chinese_calendar.is_workday(d)] == []
