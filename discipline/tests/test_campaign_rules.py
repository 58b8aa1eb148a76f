"""Pure rules of self-inspection campaigns (R-CAMPAIGN, 003 §三): the document's timetable, phases
open on their first and last day, answers refused after the self-check closes unless reopened,
verification in the cross-check, reminder and escalation instants on the working-day calendar
(2026 National Day: 10月1日至7日放假，9月20日（周日）、10月10日（周六）上班), completion rates."""

import datetime as dt

import pytest

from discipline.campaigns import rules as cr
from records.calendar.workdays import WorkCalendar

D = dt.date
T = cr.default_timetable(2026, D(2026, 6, 1))


def test_default_timetable_is_the_documents():
    # "8月底之前完成自查自纠；9-11月组织开展互查督查；11-12月总结".
    assert T.selfcheck == (D(2026, 6, 1), D(2026, 8, 31))
    assert T.crosscheck == (D(2026, 9, 1), D(2026, 11, 30))
    assert T.summary == (D(2026, 11, 1), D(2026, 12, 31))
    assert cr.timetable_errors(T) == []


@pytest.mark.parametrize(
    "t, message",
    [
        (cr.Timetable((D(2026, 6, 2), D(2026, 6, 1)), T.crosscheck, T.summary), "自查自纠的截止日期不能早于开始日期。"),
        (cr.Timetable(T.selfcheck, (D(2026, 8, 31), D(2026, 11, 30)), T.summary), "互查督查应在自查自纠截止之后开始。"),
        (cr.Timetable(T.selfcheck, T.crosscheck, (D(2026, 8, 1), D(2026, 12, 31))), "总结阶段不能早于互查督查开始，也不能早于互查督查结束而结束。"),
        (cr.Timetable(T.selfcheck, T.crosscheck, (D(2026, 11, 1), D(2026, 11, 29))), "总结阶段不能早于互查督查开始，也不能早于互查督查结束而结束。"),
    ],
)
def test_timetable_errors(t, message):
    assert message in cr.timetable_errors(t)


@pytest.mark.parametrize(
    "today, phases",
    [
        (D(2026, 5, 31), []),
        (D(2026, 6, 1), ["selfcheck"]),
        (D(2026, 8, 31), ["selfcheck"]),
        (D(2026, 9, 1), ["crosscheck"]),
        (D(2026, 11, 1), ["crosscheck", "summary"]),  # the document's phases overlap in November
        (D(2026, 11, 30), ["crosscheck", "summary"]),
        (D(2026, 12, 1), ["summary"]),
        (D(2027, 1, 1), []),
    ],
)
def test_open_phases(today, phases):
    assert cr.open_phases(T, today) == phases


@pytest.mark.parametrize(
    "today, reopened, allowed",
    [
        (D(2026, 5, 31), None, False),  # before the phase
        (D(2026, 5, 31), D(2026, 9, 10), False),  # a reopening never opens the self-check early
        (D(2026, 6, 1), None, True),
        (D(2026, 8, 31), None, True),  # last day
        (D(2026, 9, 1), None, False),  # closed
        (D(2026, 9, 1), D(2026, 9, 10), True),  # reopened by the lead
        (D(2026, 9, 10), D(2026, 9, 10), True),
        (D(2026, 9, 11), D(2026, 9, 10), False),  # the reopening lapsed
    ],
)
def test_answer_allowed(today, reopened, allowed):
    assert cr.answer_allowed(T, today, reopened) is allowed


@pytest.mark.parametrize("today, allowed", [(D(2026, 8, 31), False), (D(2026, 9, 1), True), (D(2026, 11, 30), True), (D(2026, 12, 1), False)])
def test_verification_in_the_crosscheck(today, allowed):
    assert cr.verification_allowed(T, today) is allowed


CAL = WorkCalendar()


@pytest.mark.parametrize(
    "deadline, remind_on",
    [
        (D(2026, 11, 27), D(2026, 11, 25)),  # Fri: Wed, Thu, Fri are the last three working days
        (D(2026, 11, 29), D(2026, 11, 25)),  # Sun: the weekend adds nothing
        (D(2026, 10, 9), D(2026, 9, 30)),  # Fri after National Day: 10-8, 10-9 work, 10-1..10-7 off → Wed 9-30
        (D(2026, 10, 12), D(2026, 10, 9)),  # Mon: 10-10 (Sat) is a make-up working day
    ],
)
def test_reminder_at(deadline, remind_on):
    assert cr.reminder_at(deadline, CAL) == dt.datetime(remind_on.year, remind_on.month, remind_on.day, 9, tzinfo=cr.BEIJING)


def test_escalation_at_is_the_start_of_the_next_day():
    assert cr.escalation_at(D(2026, 11, 27)) == dt.datetime(2026, 11, 28, 0, 0, tzinfo=cr.BEIJING)


@pytest.mark.parametrize(
    "now, step",
    [
        (dt.datetime(2026, 11, 25, 8, 59), None),
        (dt.datetime(2026, 11, 25, 9, 0), "soon"),
        (dt.datetime(2026, 11, 27, 23, 59), "soon"),
        (dt.datetime(2026, 11, 28, 0, 0), "overdue"),
    ],
)
def test_notice_step(now, step):
    now = now.replace(tzinfo=cr.BEIJING)
    assert cr.notice_step(deadline=D(2026, 11, 27), completed=False, now=now, cal=CAL) == step
    assert cr.notice_step(deadline=D(2026, 11, 27), completed=True, now=now, cal=CAL) is None


def test_overdue_and_late():
    assert cr.is_overdue(D(2026, 11, 27), None, D(2026, 11, 28))
    assert not cr.is_overdue(D(2026, 11, 27), None, D(2026, 11, 27))
    assert not cr.is_overdue(D(2026, 11, 27), D(2026, 11, 30), D(2026, 12, 1))
    assert cr.completed_late(D(2026, 11, 27), D(2026, 11, 30))
    assert not cr.completed_late(D(2026, 11, 27), D(2026, 11, 27))


@pytest.mark.parametrize("part, total, shown", [(0, 0, "—"), (0, 3, "0.0%"), (1, 3, "33.3%"), (2, 3, "66.7%"), (1, 8, "12.5%"), (3, 3, "100.0%")])
def test_rate(part, total, shown):
    assert cr.format_rate(cr.rate(part, total)) == shown
