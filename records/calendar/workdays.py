"""The working-day calendar (DESIGN §5, day counting).

A date is a working day according to the first source that knows it:

1. a ``HolidayOverride`` row for that date (an administrator copied it from a State Council notice);
2. a ``CalendarYear`` row for its year: the administrator entered that year's official schedule in
   full as overrides, so a day without an override is a plain Monday–Friday day;
3. the ``chinese_calendar`` package, for the years its data covers (read from the package itself,
   2004–2026 in version 1.11.0), which includes the State Council's make-up working days (调休上班);
4. otherwise a **provisional** calendar built from 《全国年节及纪念日放假办法》 (2024 revision, in force
   since 2025-01-01), 第二条: 元旦 1 day (1 Jan); 春节 4 days (农历除夕 and 正月初一至初三); 清明节 1 day
   (the 清明 solar term); 劳动节 2 days (1–2 May); 端午节 1 day (lunar 5/5); 中秋节 1 day (lunar 8/15);
   国庆节 3 days (1–3 Oct). It has no make-up working days: 调休 exists only by a State Council notice.

   The provisional calendar also applies the same 办法's 第六条, which DESIGN.md does not mention:
   "全体公民放假的假日，如果适逢星期六、星期日，应当在工作日补假". Each holiday day falling on a Saturday or
   Sunday gives one substitute day off (补假) on the next working day after its holiday block
   (skipping weekends and other holidays). When two holidays fall on the same day (中秋 can fall on
   1–3 Oct, e.g. 2028-10-03), the State Council has always kept both days off (2009, 2020), so the
   coinciding day also gives one 补假 day; the statute is silent there, this is the practice.

A deadline that touches the provisional calendar is flagged (``WorkCalendar.is_provisional``) and is
recomputed once an administrator enters the year's official schedule.

The stable module-level functions (DESIGN §6) each load one ``WorkCalendar`` for the date window they
need: two queries per window, no process-wide cache that would have to be invalidated when an
administrator edits the calendar. Code that asks many questions (a reminder sweep, a list page) loads
one ``WorkCalendar`` for the whole window and uses its pure methods.

Supported dates are 1900-01-01 .. 2099-12-31 (the range of the lunar tables of ``lunardate``).
Before 2004 the provisional calendar applies the 2024 rules, which is wrong historically but never
matters for records made by this system.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Literal, TypeVar

import chinese_calendar
from lunardate import LunarDate

Source = Literal["override", "official", "provisional"]
T = TypeVar("T")

ONE_DAY = dt.timedelta(days=1)

# lunardate's tables cover lunar years 1900..2099; every holiday of a solar year Y comes from lunar
# year Y (the lunar new year falls between 21 Jan and 20 Feb), so solar years 1900..2099 are complete.
SUPPORTED_MIN = dt.date(1900, 1, 1)
SUPPORTED_MAX = dt.date(2099, 12, 31)

# The years the package has official data for, derived from the package (the same bounds its own
# `_validate_date` enforces), so a newer package release extends coverage without a code change.
_PACKAGE_KEYS = list(chinese_calendar.holidays) + list(chinese_calendar.workdays)
PACKAGE_YEARS: range = range(min(d.year for d in _PACKAGE_KEYS), max(d.year for d in _PACKAGE_KEYS) + 1)
_PACKAGE_WORKDAYS = frozenset(chinese_calendar.workdays)
_PACKAGE_HOLIDAYS = frozenset(chinese_calendar.holidays)
del _PACKAGE_KEYS

# A window of this many days always holds a handful of working days: the longest official holiday
# block (Spring Festival, 9 days) plus weekends is well under it.
DEFAULT_SPAN_DAYS = 60


class UnsupportedDateError(ValueError):
    """The date lies outside 1900-01-01 .. 2099-12-31, where no calendar source has data."""


class CalendarWindowError(LookupError):
    """A loaded ``WorkCalendar`` was asked about a date outside the window it loaded overrides for.

    Answering anyway could silently ignore an administrator's override, so this is an error; the
    module-level helpers catch it and load a wider window.
    """


def _check_supported(d: dt.date) -> None:
    if not SUPPORTED_MIN <= d <= SUPPORTED_MAX:
        raise UnsupportedDateError(f"no working-day calendar for {d.isoformat()} (supported: 1900–2099)")


def _check_year(year: int) -> None:
    if not SUPPORTED_MIN.year <= year <= SUPPORTED_MAX.year:
        raise UnsupportedDateError(f"no working-day calendar for year {year} (supported: 1900–2099)")


def _package_is_workday(d: dt.date) -> bool:
    """``chinese_calendar.is_workday`` for a year the package covers, as two set lookups: the
    package's own function scans all its dates on every call (~20 µs), and a list page counts
    hundreds of days."""
    return d in _PACKAGE_WORKDAYS or (not _is_weekend(d) and d not in _PACKAGE_HOLIDAYS)


def package_covers(year: int) -> bool:
    """Whether ``chinese_calendar`` has the official schedule of ``year``."""
    return year in PACKAGE_YEARS


def _days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """start .. end inclusive."""
    d = start
    while d <= end:
        yield d
        d += ONE_DAY


def _is_weekend(d: dt.date) -> bool:
    return d.weekday() >= 5


def _qingming(year: int) -> dt.date:
    terms = [d for d, name in chinese_calendar.get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 30))
             if name == "清明"]
    # 清明 is always 4–6 April; anything else means the package changed its output format.
    if len(terms) != 1:
        raise RuntimeError(f"chinese_calendar returned no single 清明 for {year}: {terms!r}")
    return terms[0]


def _statutory_festivals(year: int) -> list[tuple[str, list[dt.date]]]:
    """The festivals of 《全国年节及纪念日放假办法》(2024) 第二条 for a solar year, in the order of the
    article, without 补假."""
    lunar_new_year = LunarDate(year, 1, 1).to_solar_date()
    # 除夕 is the last day of lunar month 12, which has 29 or 30 days: take the day before 正月初一
    # rather than guessing the month's length.
    chuxi = lunar_new_year - ONE_DAY
    return [
        ("元旦", [dt.date(year, 1, 1)]),
        ("春节", [chuxi, lunar_new_year, lunar_new_year + ONE_DAY, lunar_new_year + 2 * ONE_DAY]),
        ("清明节", [_qingming(year)]),
        ("劳动节", [dt.date(year, 5, 1), dt.date(year, 5, 2)]),
        ("端午节", [LunarDate(year, 5, 5).to_solar_date()]),
        ("中秋节", [LunarDate(year, 8, 15).to_solar_date()]),
        ("国庆节", [dt.date(year, 10, 1), dt.date(year, 10, 2), dt.date(year, 10, 3)]),
    ]


@lru_cache(maxsize=256)
def _provisional_table(year: int) -> Mapping[dt.date, str]:
    """Memoised, read-only provisional holidays of ``year``; see ``provisional_holidays``."""
    _check_year(year)
    names_by_day: dict[dt.date, list[str]] = {}
    for name, days in _statutory_festivals(year):
        for d in days:
            names_by_day.setdefault(d, []).append(name)

    result: dict[dt.date, str] = {d: "、".join(names) for d, names in names_by_day.items()}

    # 第六条: group the holiday days into blocks of consecutive days; each holiday day lost to a
    # weekend (or to another holiday on the same day) is given back after its block.
    ordered = sorted(names_by_day)
    blocks: list[list[dt.date]] = []
    for d in ordered:
        if blocks and blocks[-1][-1] + ONE_DAY == d:
            blocks[-1].append(d)
        else:
            blocks.append([d])

    for block in blocks:
        lost: list[str] = []  # festival name for each day to give back, in date order
        for d in block:
            names = names_by_day[d]
            # A weekend day loses every festival on it; a weekday keeps one and loses the others.
            lost.extend(names if _is_weekend(d) else names[1:])
        candidate = block[-1]
        for name in lost:
            candidate += ONE_DAY
            while _is_weekend(candidate) or candidate in result:
                candidate += ONE_DAY
            result[candidate] = f"{name}（补假）"

    # Substitute days stay inside the year (the last festival ends on 3 Oct), which the per-year
    # lookup in WorkCalendar relies on.
    if any(d.year != year for d in result):
        raise RuntimeError(f"provisional holidays of {year} spill into another year")
    return MappingProxyType(dict(sorted(result.items())))



def provisional_holidays(year: int) -> dict[dt.date, str]:
    """Statutory days off of ``year`` by 《全国年节及纪念日放假办法》(2024 revision) 第二条 and 第六条:
    date → holiday name in Chinese; substitute days are named like ``"春节（补假）"``.

    This is the calendar used for years without an official schedule. It never consists of weekdays
    only: besides the seven festivals, 第六条 turns every holiday day that falls on a Saturday or
    Sunday into a substitute working-day holiday after the block. There are no make-up working days.

    The computation is memoised per year with ``functools.lru_cache`` (it depends on nothing but the
    year); this returns a fresh copy so a caller cannot corrupt the cache.

    Raises ``UnsupportedDateError`` (a ``ValueError``) outside 1900–2099.
    """
    return dict(_provisional_table(year))

def schedule_of_year(year: int, overrides: Mapping[dt.date, bool], *, entered: bool) -> dict[dt.date, bool]:
    """The non-ordinary days of ``year``, {date: is_working_day}: the overrides over the package's
    official days, or over the provisional holidays; only the overrides once the year was entered."""
    if entered:
        base: dict[dt.date, bool] = {}
    elif package_covers(year):
        base = {d: False for d in _PACKAGE_HOLIDAYS if d.year == year} | {d: True for d in _PACKAGE_WORKDAYS if d.year == year}
    else:
        base = dict.fromkeys(provisional_holidays(year), False)
    return base | dict(overrides)


@dataclass(frozen=True, eq=False)
class WorkCalendar:
    """The working-day calendar for a window of dates, with the administrator data preloaded.

    ``WorkCalendar.load(start, end)`` reads the overrides and the fully entered years of the window
    in one query each; every method after that is pure (no database, no clock). A calendar built
    directly, ``WorkCalendar()``, has no administrator data and covers every supported date: it is
    the calendar of the package and the statute alone (useful in pure code and tests).

    Asking about a date outside ``start .. end`` raises ``CalendarWindowError`` instead of silently
    ignoring overrides that were not loaded.
    """

    overrides: Mapping[dt.date, bool] = field(default_factory=dict)
    official_years: frozenset[int] = frozenset()
    start: dt.date = SUPPORTED_MIN
    end: dt.date = SUPPORTED_MAX
    # {end: [k -> working days in (end - k days, end]]}, grown on demand: a sweep that counts "逾期N个
    # 工作日" for thousands of records of the last ten years up to today counts each day once.
    _counts_to: dict[dt.date, list[int]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def covering(cls, dates: Iterable[dt.date | None], *, before: int = 1, after: int = 1) -> WorkCalendar:
        """A calendar for the window around `dates` (None ignored; at least one date required),
        widened by `before`/`after` days: what a page or a sweep loads once for all its rows."""
        days = [d for d in dates if d is not None]
        return cls.load(min(days) - dt.timedelta(days=before), max(days) + dt.timedelta(days=after))

    @classmethod
    def load(cls, start: dt.date, end: dt.date) -> WorkCalendar:
        """Load the overrides of ``start .. end`` and the CalendarYear rows of its years (2 queries)."""
        from .models import CalendarYear, HolidayOverride  # late import: keep this module importable without apps

        if end < start:
            raise ValueError(f"empty calendar window {start.isoformat()} .. {end.isoformat()}")
        overrides = dict(
            HolidayOverride.objects.filter(date__range=(start, end)).values_list("date", "is_working_day")
        )
        years = frozenset(
            CalendarYear.objects.filter(year__range=(start.year, end.year)).values_list("year", flat=True)
        )
        return cls(overrides=MappingProxyType(overrides), official_years=years, start=start, end=end)

    def _check(self, d: dt.date) -> None:
        _check_supported(d)
        if not self.start <= d <= self.end:
            raise CalendarWindowError(
                f"{d.isoformat()} is outside the loaded calendar window "
                f"{self.start.isoformat()} .. {self.end.isoformat()}"
            )

    def source_for(self, d: dt.date) -> Source:
        """Which source decides ``d``: "override" (an override row, or its year entered in full),
        "official" (the package's State Council data) or "provisional" (the statute only)."""
        self._check(d)
        if d in self.overrides or d.year in self.official_years:
            return "override"
        if package_covers(d.year):
            return "official"
        return "provisional"

    def is_provisional(self, d: dt.date) -> bool:
        return self.source_for(d) == "provisional"

    def is_working_day(self, d: dt.date) -> bool:
        self._check(d)
        override = self.overrides.get(d)
        if override is not None:
            return override
        if d.year in self.official_years:
            # Every holiday and make-up day of the year is an override row; the rest is Mon–Fri.
            return not _is_weekend(d)
        if package_covers(d.year):
            return _package_is_workday(d)
        return not _is_weekend(d) and d not in _provisional_table(d.year)

    def add_working_days(self, d: dt.date, n: int) -> dt.date:
        """The ``n``-th working day strictly after ``d`` (``d`` itself never counts, working or not:
        民法典 第二百零一条, a period starts the next day); ``n == 0`` returns ``d``.

        Counted day by day here rather than with ``chinese_calendar.find_workday``, which is off by
        one when it starts from a non-working day and raises past the package's last year.
        """
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        current = d
        remaining = n
        while remaining:
            current += ONE_DAY
            if self.is_working_day(current):
                remaining -= 1
        return current

    def roll_forward(self, d: dt.date) -> dt.date:
        """``d`` if it is a working day, else the next working day (民法典 第二百零三条)."""
        while not self.is_working_day(d):
            d += ONE_DAY
        return d

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """The number of working days ``d`` with ``start < d <= end``; 0 when ``end <= start``.
        Used for "剩余N个工作日" and "逾期N个工作日"."""
        if end <= start:
            return 0
        span = (end - start).days
        if span <= 62:
            return sum(1 for d in _days(start + ONE_DAY, end) if self.is_working_day(d))
        counts = self._counts_to.setdefault(end, [0])
        while len(counts) <= span:
            counts.append(counts[-1] + self.is_working_day(end - dt.timedelta(days=len(counts) - 1)))
        return counts[span]


def run_with_calendar(start: dt.date, span_days: int, fn: Callable[[WorkCalendar], T]) -> T:
    """Call ``fn`` with a calendar loaded for ``start .. start + span_days``; when ``fn`` runs off the
    end of the window (``CalendarWindowError``), load one twice as long and try again.

    Each attempt costs two queries and the span doubles, so a call stays at a small bounded number
    of queries even in a pathological run of non-working overrides.
    """
    _check_supported(start)
    span = max(1, span_days)
    while True:
        # Clamp in days first: a huge span must not overflow `date` before it is capped.
        end = start + dt.timedelta(days=min(span, (SUPPORTED_MAX - start).days))
        calendar = WorkCalendar.load(start, end)
        try:
            return fn(calendar)
        except CalendarWindowError:
            if end >= SUPPORTED_MAX:
                raise
            span *= 2


def is_working_day(d: dt.date) -> bool:
    """Whether ``d`` is a working day (DESIGN §5 order of sources). Two queries."""
    return WorkCalendar.load(d, d).is_working_day(d)


def add_working_days(d: dt.date, n: int) -> dt.date:
    """The ``n``-th working day strictly after ``d``; ``n == 0`` returns ``d`` (DESIGN §6)."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if n == 0:
        return d
    return run_with_calendar(d, max(DEFAULT_SPAN_DAYS, 5 * n), lambda cal: cal.add_working_days(d, n))


def calendar_source(year: int) -> Source:
    """Where the calendar of ``year`` comes from: "override" if an administrator entered the year's
    official schedule (a CalendarYear row), or corrected a year the package covers (any
    HolidayOverride row); "official" if the package covers it; else "provisional" — a few single-day
    overrides do not make a year's schedule official, so the November warning stays until it is."""
    from .models import CalendarYear, HolidayOverride

    _check_year(year)
    if CalendarYear.objects.filter(year=year).exists():
        return "override"
    if package_covers(year):
        corrected = HolidayOverride.objects.filter(date__range=(dt.date(year, 1, 1), dt.date(year, 12, 31))).exists()
        return "override" if corrected else "official"
    if package_covers(year):
        return "official"
    return "provisional"
