"""Pure rules of self-inspection campaigns (R-CAMPAIGN, 003 《安全生產行政執法實施意見》 §三, §四).

Functions of plain values only (dates, counts, a ``WorkCalendar`` whose methods are pure): no
database, no clock; callers pass ``today`` / ``now``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

BEIJING = ZoneInfo("Asia/Shanghai")

# Answers to a checklist question.
OK, PROBLEM, NA = "ok", "problem", "na"

SELFCHECK, CROSSCHECK, SUMMARY = "selfcheck", "crosscheck", "summary"
PHASE_LABELS = {SELFCHECK: gettext_lazy("自查自纠"), CROSSCHECK: gettext_lazy("互查督查"), SUMMARY: gettext_lazy("总结")}

# 003 §四 加强制度建设，建全长效机制: the six mechanisms (一是…六是).
MECHANISMS = {
    "m1": gettext_lazy("进一步梳理执法依据（分解新法规、标准、政策，关键条款与日常执法监察对应分类）"),
    "m2": gettext_lazy("进一步规范自由裁量权使用（细化裁量标准，推广电子化应用，实行行政执法案例指导制度）"),
    "m3": gettext_lazy("推行阳光执法（网上公开透明运行系统，网上执法公示和告知制度）"),
    "m4": gettext_lazy("健全执法监察制度（年度执法计划批准备案，分级属地监管，联合执法和区域协作，后续监察，案件移送）"),
    "m5": gettext_lazy("严格收支两条线管理（严禁下达或变相下达罚没指标，处罚额度不与经费、福利挂钩）"),
    "m6": gettext_lazy("拓宽执法监督渠道（执法监督举报制度，尽职免责制度，严格查处违法执法行为）"),
}

# Rectification reminders: from this many working days before the deadline, at this local time.
REMIND_WORKING_DAYS = 2
NOTICE_TIME = dt.time(9, 0)


@dataclass(frozen=True)
class Timetable:
    """The three phases of 003 §三, each an inclusive (start, end) pair of dates."""

    selfcheck: tuple[dt.date, dt.date]
    crosscheck: tuple[dt.date, dt.date]
    summary: tuple[dt.date, dt.date]

    def period(self, phase: str) -> tuple[dt.date, dt.date]:
        return {SELFCHECK: self.selfcheck, CROSSCHECK: self.crosscheck, SUMMARY: self.summary}[phase]


def default_timetable(year: int, start: dt.date) -> Timetable:
    """The document's own timetable (003 §三): "8月底之前完成自查自纠；9-11月组织开展互查督查；11-12月
    总结专项行动开展情况". The self-check starts on `start` (the document gives no start); the
    cross-check and the summary overlap in November, as written."""
    return Timetable(
        selfcheck=(start, dt.date(year, 8, 31)),
        crosscheck=(dt.date(year, 9, 1), dt.date(year, 11, 30)),
        summary=(dt.date(year, 11, 1), dt.date(year, 12, 31)),
    )


def timetable_errors(t: Timetable) -> list[str]:
    """What is wrong with a timetable: a phase ending before it starts, a cross-check starting
    before the self-check ends (互查 checks what was self-checked), a summary starting before the
    cross-check does or ending before it ends."""
    errors = []
    for phase in (SELFCHECK, CROSSCHECK, SUMMARY):
        start, end = t.period(phase)
        if end < start:
            errors.append(_("%(phase)s的截止日期不能早于开始日期。") % {"phase": PHASE_LABELS[phase]})
    if t.crosscheck[0] <= t.selfcheck[1]:
        errors.append(_("互查督查应在自查自纠截止之后开始。"))
    if t.summary[0] < t.crosscheck[0] or t.summary[1] < t.crosscheck[1]:
        errors.append(_("总结阶段不能早于互查督查开始，也不能早于互查督查结束而结束。"))
    return errors


def is_open(period: tuple[dt.date, dt.date], today: dt.date) -> bool:
    """A phase is open on every day from its start to its end, both included."""
    return period[0] <= today <= period[1]


def open_phases(t: Timetable, today: dt.date) -> list[str]:
    return [p for p in (SELFCHECK, CROSSCHECK, SUMMARY) if is_open(t.period(p), today)]


def answer_allowed(t: Timetable, today: dt.date, reopened_until: dt.date | None) -> bool:
    """A self-check answer may be entered while the self-check phase is open (003 §三 "8月底之前完成
    自查自纠"), and after it closed only while an explicit reopening by the lead lasts. Never before
    the phase starts."""
    if today < t.selfcheck[0]:
        return False
    if is_open(t.selfcheck, today):
        return True
    return reopened_until is not None and today <= reopened_until


def verification_allowed(t: Timetable, today: dt.date) -> bool:
    """The checking unit verifies rectification in the cross-check phase (003 §三 "9-11月组织开展
    互查督查")."""
    return is_open(t.crosscheck, today)


def reminder_at(deadline: dt.date, cal) -> dt.datetime:
    """When the responsible person is reminded: 09:00 Beijing time of the first day from which at
    most REMIND_WORKING_DAYS working days remain up to and including the deadline day (the same
    window as the fault reminders), i.e. the third-last working day on or before the deadline.
    `cal` is a WorkCalendar covering the weeks before the deadline."""
    d, found = deadline, 0
    while True:
        if cal.is_working_day(d):
            found += 1
            if found > REMIND_WORKING_DAYS:
                return dt.datetime.combine(d, NOTICE_TIME, tzinfo=BEIJING)
        d -= dt.timedelta(days=1)


def escalation_at(deadline: dt.date) -> dt.datetime:
    """When an open item becomes overdue and is escalated: the start of the day after the deadline
    (the deadline day is the last day to complete it), Beijing time."""
    return dt.datetime.combine(deadline + dt.timedelta(days=1), dt.time(0, 0), tzinfo=BEIJING)


def notice_step(*, deadline: dt.date, completed: bool, now: dt.datetime, cal) -> str | None:
    """The notice an item owes at `now`: "overdue" once past escalation_at, "soon" once past
    reminder_at, else None; nothing for a completed item."""
    if completed:
        return None
    if now >= escalation_at(deadline):
        return "overdue"
    if now >= reminder_at(deadline, cal):
        return "soon"
    return None


def is_overdue(deadline: dt.date, completed_on: dt.date | None, today: dt.date) -> bool:
    """Open and past its deadline (整改时限)."""
    return completed_on is None and today > deadline


def completed_late(deadline: dt.date, completed_on: dt.date | None) -> bool:
    return completed_on is not None and completed_on > deadline


def rate(part: int, total: int) -> float | None:
    """A percentage with one decimal (half up), or None when there is nothing to count."""
    if total <= 0:
        return None
    return int(part * 1000 / total + 0.5) / 10


def format_rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"
