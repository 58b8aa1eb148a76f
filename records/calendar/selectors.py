"""Reads of the calendar page (DESIGN §5)."""

import datetime as dt

from .models import CalendarRecompute, CalendarYear, HolidayOverride


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
