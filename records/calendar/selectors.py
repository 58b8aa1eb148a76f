"""Reads of the calendar page (DESIGN §5)."""

import datetime as dt

from .models import CalendarRecompute, CalendarYear, HolidayOverride
from .notice import Notice, preview_fingerprint, schedule_changes
from .workdays import schedule_of_year


def entered_years():
    return CalendarYear.objects.select_related("entered_by").order_by("-year")


def recent_overrides(today: dt.date):
    """Overrides from last year on."""
    return HolidayOverride.objects.filter(date__year__gte=today.year - 1).order_by("date")


def recompute_status() -> dict:
    """How many deadline recomputations are pending, and the last five done."""
    return {
        "pending": CalendarRecompute.objects.filter(done_at__isnull=True).count(),
        "recent": CalendarRecompute.objects.filter(done_at__isnull=False).order_by("-done_at")[:5],
    }


def year_schedule(year: int) -> tuple[bool, dict[dt.date, bool]]:
    """Whether an administrator has entered anything for `year` (its schedule or single days), and
    the year's non-ordinary days as the calendar now has them, {date: is_working_day}."""
    overrides = dict(HolidayOverride.objects.filter(date__year=year).values_list("date", "is_working_day"))
    entered = CalendarYear.objects.filter(year=year).exists()
    return entered or bool(overrides), schedule_of_year(year, overrides, entered=entered)


def override_for(date: dt.date) -> HolidayOverride:
    """The stored override of `date`, or a new unsaved one."""
    return HolidayOverride.objects.filter(date=date).first() or HolidayOverride(date=date)


def notice_preview(*, year: int, source: str, notice: Notice) -> dict:
    """What the preview of a pasted notice shows: every day understood, per festival; how the year
    would change; whether that replaces an administrator's entries (then the save asks to confirm);
    and the fingerprint the confirming form carries back."""
    entered, before = year_schedule(year)
    return {
        "year": year,
        "source": source,
        "festivals": notice.by_festival(),
        "holiday_count": len(notice.holidays()),
        "workday_count": len(notice.workdays()),
        "changes": schedule_changes(before, {day.date: day.is_working_day for day in notice.days}),
        "replaces": entered,
        "fingerprint": preview_fingerprint(year=year, source=source, days=notice.days, before=before),
    }
