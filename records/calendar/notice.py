"""Reading a State Council holiday notice (国务院办公厅关于某年部分节假日安排的通知) in its own words.

Pure rules: the pasted text and the year in, the days understood (holidays per festival and make-up
working days, 调休上班) and the errors out, each error in Chinese naming the line it could not read.
The wording is that of the notices since 2008, for example (2026, 国办发明电〔2025〕7号):

    一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。

and older ones "5月1日至5日放假调休，共5天。4月28日（星期日）、5月11日（星期六）上班。", "6月10日放假，与周末
连休。", "1月1日（周三）放假1天，不调休。". A sentence is either a holiday ("…放假…", one day or a
range "A至B", where B may leave out its month: "至3日", or cross into the next month: "9月29日至10月6日")
or make-up working days ("A、B上班"). The weekday in brackets is checked against the date, and "共N天"
against the length of the range, so a notice of the wrong year or a typing slip is caught before it
is saved. A date in brackets that is not an annotation ("安排职工在除夕（2月9日）休息") is a mention,
not a day of the schedule; a sentence without dates (the salutation, the closing request) is ignored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_RANGE_DAYS = 31
WEEKDAYS = "一二三四五六日"

# NFKC turns full-width brackets, colons, commas and digits into ASCII; 、 and 。 stay.
_DATE = r"(?:(?P<year>\d{4})\s*年\s*)?(?:(?P<month>\d{1,2})\s*月\s*)?(?P<day>\d{1,2})\s*日"
_TOKEN = re.compile(rf"{_DATE}(?:\s*\((?P<note>[^()]*)\))?|(?P<aside>\([^()]*\))")
_WEEKDAY = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天])")
_HEADER = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}\s*、\s*)?(?P<name>[^:,。;()\d]{1,15}?)\s*:(?P<body>.*)$")
# Items run together when the notice is pasted as one paragraph: "…上班。二、春节：…".
_ITEM_START = re.compile(r"(?=[一二三四五六七八九十]{1,3}、[^、:()\d]{1,12}:)")
_HOLIDAY = re.compile(r"^@(?:至@)?(?:放假|休假)")
_WORKDAY = re.compile(r"^@(?:[、,和及与]@)*(?:调休)?上班$")
_COUNT = re.compile(r"(?:共|放假)(\d{1,2})天")
_TITLE_YEAR = re.compile(r"关于\s*(\d{4})\s*年.{0,6}节假日")
_SOURCE = re.compile(r"国办发明电\s*[〔\[(（【]\s*\d{4}\s*[〕\])）】]\s*\d{1,3}\s*号")


@dataclass(frozen=True)
class NoticeDay:
    date: dt.date
    is_working_day: bool
    festival: str


@dataclass(frozen=True)
class Notice:
    """What was read: the days in date order, the errors (empty when all was understood), and the
    document number when the text carries it."""

    days: tuple[NoticeDay, ...]
    errors: tuple[str, ...]
    source: str = ""

    def holidays(self) -> list[tuple[dt.date, str]]:
        return [(day.date, day.festival) for day in self.days if not day.is_working_day]

    def workdays(self) -> list[dt.date]:
        return [day.date for day in self.days if day.is_working_day]

    def by_festival(self) -> list[tuple[str, list[dt.date], list[dt.date]]]:
        """(festival, its holidays, its make-up working days), festivals in the order of the notice."""
        groups: dict[str, tuple[list[dt.date], list[dt.date]]] = {}
        for day in self.days:
            groups.setdefault(day.festival, ([], []))[1 if day.is_working_day else 0].append(day.date)
        order = sorted(groups, key=lambda name: min(groups[name][0] or groups[name][1]))
        return [(name, *groups[name]) for name in order]


@dataclass
class _Reading:
    year: int
    days: dict[dt.date, NoticeDay] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def fail(self, line_no: int, line: str, reason: str) -> None:
        shown = line.strip()
        shown = shown if len(shown) <= 40 else shown[:39] + "…"
        self.errors.append(_("第%(n)s行“%(line)s”：%(reason)s") % {"n": line_no, "line": shown, "reason": reason})

    def add(self, line_no: int, line: str, day: NoticeDay) -> None:
        known = self.days.get(day.date)
        if known is not None:
            reason = (
                _("%(date)s 重复列出。") if known.is_working_day == day.is_working_day else _("%(date)s 既被列为放假又被列为上班。")
            ) % {"date": _md(day.date)}
            self.fail(line_no, line, reason)
            return
        self.days[day.date] = day


def _md(d: dt.date) -> str:
    return _("%(m)s月%(d)s日") % {"m": d.month, "d": d.day}


def _dates(sentence: str, year: int) -> tuple[list[dt.date], str, bool, str | None]:
    """The dates of one sentence, its skeleton (each date as "@", asides dropped, no spaces), whether
    every date wrote its year, and why it cannot be read (or None). A date without a month takes the
    month of the date before it."""
    dates: list[dt.date] = []
    parts: list[str] = []
    last = 0
    previous: dt.date | None = None
    all_dated = True
    for match in _TOKEN.finditer(sentence):
        parts.append(sentence[last : match.start()])
        last = match.end()
        if match.group("aside"):
            continue
        parts.append("@")
        all_dated = all_dated and bool(match.group("year"))
        month = int(match.group("month")) if match.group("month") else (previous.month if previous else None)
        if month is None:
            return [], "", False, _("“%(text)s”缺少月份。") % {"text": match.group(0)}
        day_year = int(match.group("year")) if match.group("year") else (previous.year if previous else year)
        try:
            date = dt.date(day_year, month, int(match.group("day")))
        except ValueError:
            return [], "", False, _("“%(text)s”不是有效的日期。") % {"text": match.group(0)}
        weekday = _WEEKDAY.search(match.group("note") or "")
        if weekday:
            written = WEEKDAYS.index(weekday.group(1).replace("天", "日"))
            if written != date.weekday():
                return [], "", False, _("%(date)s是星期%(actual)s，通知写的是星期%(written)s，请核对年份和日期。") % {
                    "date": f"{day_year}年{_md(date)}",
                    "actual": WEEKDAYS[date.weekday()],
                    "written": WEEKDAYS[written],
                }
        dates.append(date)
        previous = date
    parts.append(sentence[last:])
    return dates, re.sub(r"\s+", "", "".join(parts)), all_dated, None


def _read_sentence(reading: _Reading, line_no: int, line: str, sentence: str, festival: str) -> None:
    dates, skeleton, all_dated, problem = _dates(sentence, reading.year)
    if problem:
        reading.fail(line_no, line, problem)
        return
    if not dates:
        return
    if not skeleton.startswith("@") or skeleton == "@":
        # Not a schedule sentence, which opens with its first day: a dated reference ("根据2024年11月
        # 10日发布的《决定》") or the date under the signature is skipped; anything else is a slip.
        if all_dated:
            return
        reading.fail(line_no, line, _("无法识别。应写成“1月1日至3日放假调休，共3天”或“1月4日（星期日）上班”。"))
        return
    outside = [d for d in dates if d.year != reading.year]
    if outside:
        reading.fail(line_no, line, _("%(date)s不在%(year)s年内。") % {"date": f"{outside[0].year}年{_md(outside[0])}", "year": reading.year})
        return
    if _WORKDAY.match(skeleton):
        for d in dates:
            reading.add(line_no, line, NoticeDay(d, True, festival))
        return
    holiday = _HOLIDAY.match(skeleton)
    if not holiday:
        reading.fail(line_no, line, _("无法识别。应写成“1月1日至3日放假调休，共3天”或“1月4日（星期日）上班”。"))
        return
    start, end = dates[0], dates[-1]
    length = (end - start).days + 1
    if not 1 <= length <= MAX_RANGE_DAYS:
        reading.fail(line_no, line, _("日期区间%(start)s至%(end)s无效。") % {"start": _md(start), "end": _md(end)})
        return
    count = _COUNT.search(skeleton)
    if count and int(count.group(1)) != length:
        reading.fail(line_no, line, _("%(start)s至%(end)s是%(length)s天，通知写的是共%(count)s天。") % {
            "start": _md(start), "end": _md(end), "length": length, "count": count.group(1)
        })  # fmt: skip
        return
    for offset in range(length):
        reading.add(line_no, line, NoticeDay(start + dt.timedelta(days=offset), False, festival))


def parse_notice(text: str, year: int) -> Notice:
    """Read a holiday notice for `year` (国务院办公厅关于`year`年部分节假日安排的通知; 《全国年节及纪念日放
    假办法》第二条 names the festivals, the notice fixes the days and the 调休). Nothing is guessed: a line
    with dates that matches neither wording is an error naming that line."""
    reading = _Reading(year)
    source = ""
    festival = ""
    for line_no, raw in enumerate(text.splitlines(), start=1):
        if not source and (found := _SOURCE.search(raw)):
            source = re.sub(r"\s+", "", found.group(0))
        line = unicodedata.normalize("NFKC", raw)
        title = _TITLE_YEAR.search(line)
        if title and int(title.group(1)) != year:
            reading.fail(line_no, raw, _("这是%(found)s年的通知，正在录入的是%(year)s年。") % {"found": title.group(1), "year": year})
            continue
        for item in _ITEM_START.split(line):
            header = _HEADER.match(item)
            if header and re.search(r"\d+\s*日", header.group("body")):
                festival, item = header.group("name").strip(), header.group("body")
            for sentence in re.split(r"[。;]", item):
                _read_sentence(reading, line_no, raw, sentence, festival or _("放假"))
    if not reading.errors and not any(not day.is_working_day for day in reading.days.values()):
        reading.errors.append(_("没有读到任何放假日期。请粘贴通知中“一、元旦：1月1日……放假……”这样的各行。"))
    days = tuple(sorted(reading.days.values(), key=lambda day: day.date))
    return Notice(days=days, errors=tuple(reading.errors), source=source)


@dataclass(frozen=True)
class ScheduleChanges:
    """How a year's schedule would change: days that become holidays or working days where they were
    ordinary, days that return to ordinary, and days whose kind flips."""

    added: tuple[tuple[dt.date, bool], ...]
    removed: tuple[tuple[dt.date, bool], ...]
    changed: tuple[tuple[dt.date, bool], ...]  # (date, is_working_day after)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def schedule_changes(before: Mapping[dt.date, bool], after: Mapping[dt.date, bool]) -> ScheduleChanges:
    """Compare two schedules given as {date: is_working_day} of their non-ordinary days."""
    return ScheduleChanges(
        added=tuple(sorted((d, after[d]) for d in after.keys() - before.keys())),
        removed=tuple(sorted((d, before[d]) for d in before.keys() - after.keys())),
        changed=tuple(sorted((d, after[d]) for d in after.keys() & before.keys() if after[d] != before[d])),
    )


def preview_fingerprint(*, year: int, source: str, days: tuple[NoticeDay, ...], before: Mapping[dt.date, bool]) -> str:
    """A digest of what the preview showed: the schedule to save and the one it replaces. Saving
    requires the digest of the page the administrator confirmed, so a text edited after the preview,
    or a year changed by someone else meanwhile, is shown again instead of saved unseen."""
    payload = {
        "year": year,
        "source": source,
        "days": [[day.date.isoformat(), day.is_working_day, day.festival] for day in days],
        "before": sorted([d.isoformat(), working] for d, working in before.items()),
    }
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()[:32]
