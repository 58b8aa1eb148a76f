"""Pure rules about a record (no ORM, no clock): its content, and the schedule of its reminders."""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from records.calendar.dates import BEIJING, local_date
from records.calendar.workdays import WorkCalendar

# R-CONTENT (赤峰 002 第五条): "通过口头、电话过问的，应如实记录文字材料，有条件录音的，应当电话录音；
# 通过电子信息过问的，应当提供电子信息；通过纸质文字过问的，应当提供纸质材料。"
# The written account (文字材料) is the record's own `content`, required for every channel. Beyond it,
# each channel expects one of these evidence kinds; an organisation's letter (广元 001 第五条 "如实记录
# 并留存相关材料") is paper or electronic. Oral and meeting channels need nothing beyond the account.
EXPECTED_EVIDENCE: dict[str, frozenset[str]] = {
    "oral": frozenset(),
    "meeting": frozenset(),
    "phone": frozenset({"recording"}),
    "electronic": frozenset({"electronic"}),
    "paper": frozenset({"paper_scan"}),
    "org_letter": frozenset({"paper_scan", "electronic"}),
}

_EXPECTED_LABEL = {
    "phone": "电话录音",
    "electronic": "电子信息（截图或导出文件）",
    "paper": "纸质材料扫描件",
    "org_letter": "来文来函（扫描件或电子文件）",
}


def missing_evidence(channel: str, evidence_kinds: Iterable[str], reason: str) -> str | None:
    """Return an error message when the channel's expected evidence is absent and no reason is given
    (R-CONTENT, 002 第五条), else None."""
    expected = EXPECTED_EVIDENCE.get(channel, frozenset())
    if not expected or expected & set(evidence_kinds) or reason.strip():
        return None
    return _("以“%(channel)s”方式过问的，应当留存%(what)s；无法提供的，请在“未留存材料说明”中写明原因。") % {
        "channel": {"phone": "电话", "electronic": "电子信息", "paper": "纸质书面", "org_letter": "组织发文发函"}[
            channel
        ],
        "what": _EXPECTED_LABEL[channel],
    }


def incomplete_fields(values: Mapping[str, Any]) -> dict[str, str]:
    """What the 登记表 still lacks before it can be submitted, as {field name: message}; empty when
    complete. A quick-capture draft (快速登记) holds only who, when, how and what was asked; the rest is
    completed later (R-CONTENT, 002 第五条: name, position, time, place, content and channel, and the
    officer's response). R-PROXY (广元 001 第五条; 十堰 000 第八条(三)): through an aide or relative the
    leader behind is recorded too; an organisation's letter needs the organisation and its number.
    `values` maps field names to plain values (ids for foreign keys, "" or None when empty)."""

    def blank(name: str) -> bool:
        value = values.get(name)
        return value is None or (isinstance(value, str) and not value.strip())

    errors: dict[str, str] = {}
    if blank("case") and blank("matter"):
        errors["matter"] = _("请选择涉及案件，或填写涉及事项。")
    for name, message in (
        ("interferer_name", _("请填写过问人姓名。")),
        ("interferer_position", _("请填写过问人职务。")),
        ("interferer_kind", _("请选择过问人类别。")),
        ("content", _("请如实填写过问内容。")),
        ("nature", _("请选择初步定性。")),
        ("response", _("请选择处置情况。")),
    ):
        if blank(name):
            errors[name] = message
    kind, channel = values.get("interferer_kind"), values.get("channel")
    if kind == "proxy":
        if blank("proxy_relation"):
            errors["proxy_relation"] = _("请选择与领导干部的关系（身边工作人员或亲属）。")
        if blank("behind_person") and blank("behind_name"):
            errors["behind_name"] = _("请填写其背后的领导干部，或在人员库中选择。")
    if channel == "org_letter" or kind == "organisation":
        if blank("letter_organization"):
            errors["letter_organization"] = _("请填写发文发函的组织。")
        if blank("letter_number"):
            errors["letter_number"] = _("请填写来文文号；没有文号的请填写“无文号”。")
    return errors


def norm_name(name: str) -> str:
    """A written name without any white space (ASCII or ideographic): "王 刚" and "王　刚" are 王刚."""
    return "".join(name.split())


def is_party_to(
    *, person_id: int | None, person_name: str, interferer_id: int | None, interferer_name: str, behind_id: int | None, behind_name: str
) -> bool:
    """Whether a person is the interferer of a record or the leader behind it. Such a person never
    learns of the record, not even of its being overdue (000 第七条, 001 第六条: recorders are
    protected; "领导干部不得对报告人员打击报复"). Matched by registry link, or by the written name when
    the record has no link (a false match only withholds a notice, never shows one)."""
    if person_id is not None and person_id in (interferer_id, behind_id):
        return True
    name = norm_name(person_name)
    return bool(name) and name in (norm_name(interferer_name), norm_name(behind_name))


# --- reminder schedule ---------------------------------------------------------------------------
# Pure rules of the reminder schedule (R-REMIND). No ORM, no clock: `now` and a loaded
# `WorkCalendar` are passed in.
#
# R-REMIND (design card; 十堰 000 第九条 "应在三个工作日内向本单位纪委报告"):
# - the recorder is reminded at 09:00 of the working day before the due day, and at 09:00 of the due day;
# - once the deadline has passed, the recorder's section head (metadata only) and the discipline body of
#   the recorder's unit are told, once;
# - then the discipline body gets one digest a working day, at 09:00, of all its overdue records, until
#   they are submitted.
#
# A reminder whose window has passed is not sent late: a due-tomorrow reminder that a stopped sweep
# missed is replaced by the due-today one, which says more. Escalation, once owed, stays owed until sent.

REMINDER_HOUR = 9


@dataclass(frozen=True)
class Schedule:
    """The instants at which an open record's notices become owed."""

    due_tomorrow_at: dt.datetime  # 09:00 of the working day before the due day
    due_today_at: dt.datetime  # 09:00 of the due day
    overdue_at: dt.datetime  # the first instant after the deadline


def at_nine(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time(REMINDER_HOUR), tzinfo=BEIJING)


def previous_working_day(d: dt.date, calendar: WorkCalendar) -> dt.date:
    """The last working day strictly before `d`."""
    d -= dt.timedelta(days=1)
    while not calendar.is_working_day(d):
        d -= dt.timedelta(days=1)
    return d


def schedule_for(due_at: dt.datetime, calendar: WorkCalendar) -> Schedule:
    """When the reminders of a record due at `due_at` (23:59:59 of its due day) fall."""
    due_day = local_date(due_at)
    return Schedule(
        due_tomorrow_at=at_nine(previous_working_day(due_day, calendar)),
        due_today_at=at_nine(due_day),
        overdue_at=due_at + dt.timedelta(seconds=1),
    )


def owed_reminder(*, due_at: dt.datetime, now: dt.datetime, calendar: WorkCalendar) -> str | None:
    """Which notice an unsubmitted record owes at `now`: "due_tomorrow", "due_today", "overdue", or
    None before the first reminder time."""
    s = schedule_for(due_at, calendar)
    if now >= s.overdue_at:
        return "overdue"
    if now >= s.due_today_at:
        return "due_today"
    if now >= s.due_tomorrow_at:
        return "due_tomorrow"
    return None


def next_check(*, due_at: dt.datetime, now: dt.datetime, calendar: WorkCalendar) -> dt.datetime | None:
    """The next instant after `now` at which an unsubmitted record owes something new; None once its
    escalation is due (the daily digest is per discipline body, not per record)."""
    s = schedule_for(due_at, calendar)
    for instant in (s.due_tomorrow_at, s.due_today_at, s.overdue_at):
        if now < instant:
            return instant
    return None


def digest_owed(*, now: dt.datetime, calendar: WorkCalendar) -> bool:
    """Whether today's overdue digest is owed at `now`: from 09:00 on a working day."""
    today = local_date(now)
    return calendar.is_working_day(today) and now >= at_nine(today)


def working_days_overdue(*, due_at: dt.datetime, now: dt.datetime, calendar: WorkCalendar) -> int:
    """How many working days a record is overdue: at least 1 once the deadline has passed."""
    if now <= due_at:
        return 0
    return max(1, calendar.working_days_between(local_date(due_at), local_date(now)))
