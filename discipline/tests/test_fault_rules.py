"""R-FAULT (002 第五至十三条) and R-TOL (004) pure rules. Dates checked by hand against the 2026
schedule: National Day Oct 1–7 off, Sat Oct 10 a make-up working day."""

import datetime as dt

import pytest

from discipline.faults import rules as fr
from records.calendar.deadlines import period_end
from records.calendar.workdays import WorkCalendar

CAL = WorkCalendar()


def test_catalogues_have_every_item_of_the_documents():
    assert (len(fr.FAULT_TYPES), len(fr.NO_LIABILITY), len(fr.LIGHTER), len(fr.HEAVIER)) == (11, 4, 3, 4)  # 002 第五至八条
    assert (len(fr.DUTY_FULFILLED), len(fr.TOLERANCE_GROUNDS), len(fr.MITIGATION), len(fr.LIGHT_MEASURES)) == (9, 11, 5, 6)  # 004


@pytest.mark.parametrize(
    ("facts", "shares", "clause"),
    [
        (fr.FaultFacts(misreported=True), {"handler": "main", "section_head": "partial"}, "第九条第1项"),
        (fr.FaultFacts(approval_required=True), {"handler": "full"}, "第九条第2项"),
        (fr.FaultFacts(approval_required=True, head_consented=True), {"section_head": "full"}, "第九条第2项"),
        (fr.FaultFacts(approval_required=True, approved=True), {"approver": "main", "section_head": "main"}, "第九条第3项"),
        (fr.FaultFacts(approved=True), {"approver": "main", "section_head": "main"}, "第九条第3项"),
        (fr.FaultFacts(approved=True, changed_by_superior=True), {"superior": "full"}, "第九条第4项"),
        # Misreporting misled every later decision: it decides even when the act was approved or changed.
        (fr.FaultFacts(misreported=True, approved=True, changed_by_superior=True), {"handler": "main", "section_head": "partial"}, "第九条第1项"),
    ],
)
def test_article_9_allocation(facts, shares, clause):
    allocation = fr.allocate_responsibility(facts)
    assert allocation.determined
    assert allocation.shares == {**dict.fromkeys(fr.ROLES, "none"), **shares}
    assert allocation.basis.startswith(clause)


def test_an_article_6_ground_removes_liability():
    allocation = fr.allocate_responsibility(fr.FaultFacts(misreported=True, no_liability=("collective",)))
    assert set(allocation.shares.values()) == {"none"} and allocation.basis.startswith("第六条")


def test_a_case_article_9_does_not_cover_is_left_to_staff():
    allocation = fr.allocate_responsibility(fr.FaultFacts())
    assert not allocation.determined and "第十条" in allocation.basis


def test_lighter_and_heavier():
    assert fr.adjustment(lighter=["minor"], heavier=[]) == "lighter"
    assert fr.adjustment(lighter=[], heavier=["repeated"]) == "heavier"
    assert fr.adjustment(lighter=["minor"], heavier=["serious"]) == "both"
    assert fr.adjustment(lighter=[], heavier=[]) == "none"


@pytest.mark.parametrize("ground", sorted(fr.TOLERANCE_GROUNDS) + sorted(fr.DUTY_FULFILLED))
def test_article_19_exclusion_beats_every_ground(ground):
    assert fr.assess_tolerance(grounds=[ground], mitigations=[], abused_or_failed_duty_causing_harm=False, minor_and_low_harm=False).eligible
    refused = fr.assess_tolerance(grounds=[ground], mitigations=["17-1"], abused_or_failed_duty_causing_harm=True, minor_and_low_harm=True)
    assert not refused.eligible and refused.reason.startswith("第十九条")


def test_tolerance_needs_a_ground_and_light_measures_need_mitigation():
    assert not fr.assess_tolerance(grounds=[], mitigations=[], abused_or_failed_duty_causing_harm=False, minor_and_low_harm=True).eligible
    minor = fr.assess_tolerance(grounds=["16-4"], mitigations=["17-1"], abused_or_failed_duty_causing_harm=False, minor_and_low_harm=True)
    assert minor.eligible and minor.light_measures_applicable and "第十六条" in minor.reason
    assert not fr.assess_tolerance(grounds=["16-4"], mitigations=[], abused_or_failed_duty_causing_harm=False, minor_and_low_harm=True).light_measures_applicable
    with pytest.raises(ValueError):
        fr.assess_tolerance(grounds=["99-1"], mitigations=[], abused_or_failed_duty_causing_harm=False, minor_and_low_harm=False)


@pytest.mark.parametrize(
    ("start", "days", "end"),
    [
        (dt.date(2026, 9, 25), fr.DECISION_NOTICE_DAYS, dt.date(2026, 10, 8)),  # +10 = Oct 5, a holiday
        (dt.date(2026, 9, 30), fr.DECISION_NOTICE_DAYS, dt.date(2026, 10, 10)),  # +10 = Oct 10, make-up Saturday: a working day
        (dt.date(2026, 9, 3), fr.REVIEW_REQUEST_DAYS, dt.date(2026, 10, 8)),  # +30 = Oct 3, a holiday
        (dt.date(2026, 10, 2), fr.REVIEW_REQUEST_DAYS, dt.date(2026, 11, 2)),  # +30 = Sun Nov 1
        (dt.date(2026, 9, 30), fr.TOLERANCE_NOTICE_DAYS, dt.date(2026, 10, 8)),  # +7 = Oct 7, last day of the holiday
        (dt.date(2026, 11, 17), fr.TOLERANCE_NOTICE_DAYS, dt.date(2026, 11, 24)),  # +7 = Tue Nov 24, a working day
    ],
)
def test_deadlines_by_period_end(start, days, end):
    assert period_end(start, days, calendar=CAL) == end


def test_recurring_errors_flag_at_the_threshold_and_not_before():
    today = dt.date(2026, 11, 24)
    two = [(dt.date(2026, 3, 1), "procedure", "危化品"), (dt.date(2026, 6, 1), "procedure", "粉尘")]
    assert fr.recurring_errors(two, today=today) == {}
    three = [*two, (dt.date(2026, 11, 1), "procedure", "危化品")]
    assert fr.recurring_errors(three, today=today) == {("kind", "procedure"): 3}
    # An error more than 12 months old does not count.
    old = [*two, (dt.date(2025, 11, 24), "procedure", "危化品")]
    assert fr.recurring_errors(old, today=today) == {}
    # The same field across kinds is flagged too.
    area = [(dt.date(2026, 5, 1), k, "粉尘") for k in ("procedure", "unfair", "inaction")]
    assert fr.recurring_errors(area, today=today) == {("field", "粉尘"): 3}
