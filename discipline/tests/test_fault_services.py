"""Fault accountability, error tolerance and correction, and petitions through the services
(R-FAULT 002 第五至十二条, R-TOL 004 第十五至二十四条, R-PETITION 004 第二十五条)."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import AuditEvent
from conftest import local
from discipline.faults import rules as fr
from discipline.faults import selectors as fault_selectors
from discipline.faults import services as fault
from discipline.faults.vocabulary import FaultEvent
from discipline.models import FaultCase, FaultParticipant, Petition, ToleranceApplication
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def now():
    return timezone.now()


@pytest.fixture
def cast(org):
    """The four roles of 002 第九条 in the section."""
    s = org["section"]
    return {
        "handler": PersonFactory(name="张承办", unit=s),
        "section_head": PersonFactory(name="李科长", unit=s),
        "approver": PersonFactory(name="王审批", unit=org["bureau"]),
        "superior": PersonFactory(name="赵局长", unit=org["bureau"]),
    }


def open_case(jj, org, cast, **kw):
    data = {
        "body": org["discipline"], "unit": org["section"], "act": "对某企业作出罚款决定", "occurred_on": dt.date(2026, 9, 1),
        "fault_types": ["facts_unclear"], "participants": [(p, r) for r, p in cast.items()], "actor": jj, "now": now(),
    }  # fmt: skip
    data.update(kw)
    return fault.fault_case_open(**data)


def shares(fc):
    return {p.role: p.suggested_share for p in fc.participants.all()}


# --- 002 第九条 through the service -----------------------------------------------------------------


def test_misreporting_handler_main_head_partial(jj, org, cast):
    fc = open_case(jj, org, cast, misreported=True, approval_required=True, approved=True)
    assert shares(fc) == {"handler": fr.MAIN, "section_head": fr.PARTIAL, "approver": fr.NONE, "superior": fr.NONE}
    assert fc.suggestion_basis.startswith("第九条第1项")
    assert AuditEvent.objects.filter(type=FaultEvent.FAULT_CASE_OPENED, object_id=str(fc.pk)).count() == 1


def test_without_approval_and_without_consent_handler_full(jj, org, cast):
    fc = open_case(jj, org, cast, approval_required=True)
    assert shares(fc) == {"handler": fr.FULL, "section_head": fr.NONE, "approver": fr.NONE, "superior": fr.NONE}
    assert "未经负责人同意" in fc.suggestion_basis


def test_without_approval_with_head_consent_head_full(jj, org, cast):
    fc = open_case(jj, org, cast, approval_required=True, head_consented=True)
    assert shares(fc) == {"handler": fr.NONE, "section_head": fr.FULL, "approver": fr.NONE, "superior": fr.NONE}
    assert fc.suggestion_basis.startswith("第九条第2项")


def test_approved_act_approver_and_head_main(jj, org, cast):
    fc = open_case(jj, org, cast, approval_required=True, approved=True)
    assert shares(fc) == {"handler": fr.NONE, "section_head": fr.MAIN, "approver": fr.MAIN, "superior": fr.NONE}
    assert fc.suggestion_basis.startswith("第九条第3项")


def test_changed_by_superior_superior_answers(jj, org, cast):
    fc = open_case(jj, org, cast, approval_required=True, approved=True, changed_by_superior=True)
    assert shares(fc) == {"handler": fr.NONE, "section_head": fr.NONE, "approver": fr.NONE, "superior": fr.FULL}
    assert fc.suggestion_basis.startswith("第九条第4项")


def test_article_6_exemption_removes_liability(jj, org, cast):
    fc = open_case(jj, org, cast, misreported=True, no_liability=["collective"])
    assert set(shares(fc).values()) == {fr.NONE}
    assert fc.suggestion_basis.startswith("第六条")
    assert fc.no_liability_labels() == [fr.NO_LIABILITY["collective"]]


def test_lighter_and_heavier_are_kept(jj, org, cast):
    fc = open_case(jj, org, cast, lighter=["minor"], heavier=["repeated"])
    assert fc.adjustment == "both" and fc.lighter == ["minor"] and fc.heavier == ["repeated"]


def test_override_needs_a_reason_and_keeps_both(jj, org, cast):
    fc = open_case(jj, org, cast, misreported=True)
    handler = fc.participants.get(role="handler")
    with pytest.raises(ValidationError) as e:
        fault.fault_share_confirm(participant=handler, share=fr.FULL, reason="", actor=jj, now=now())
    assert "请填写理由" in str(e.value)
    p = fault.fault_share_confirm(participant=handler, share=fr.FULL, reason="负责人不知情", actor=jj, now=now())
    p.refresh_from_db()
    assert (p.suggested_share, p.confirmed_share, p.override_reason, p.overridden) == (fr.MAIN, fr.FULL, "负责人不知情", True)
    same = fault.fault_share_confirm(
        participant=fc.participants.get(role="section_head"), share=fr.PARTIAL, reason="x", actor=jj, now=now()
    )
    assert same.override_reason == "" and not same.overridden


def test_bad_input_is_refused_in_chinese(jj, org, cast, jj_other):
    with pytest.raises(ValidationError) as e:
        open_case(jj, org, cast, fault_types=["nope"], act=" ", participants=[])
    text = " ".join(e.value.messages)
    assert "过错情形中有无效的选项" in text and "请填写过错行政执法行为" in text and "请至少填写一名相关人员" in text
    with pytest.raises(ValidationError) as e:
        open_case(jj_other, org, cast)
    assert "不是该纪检监察机构的工作人员" in str(e.value)


# --- 002 第十一条 / 第十二条 deadlines --------------------------------------------------------------


def confirm_all(fc, jj):
    for p in fc.participants.all():
        fault.fault_share_confirm(participant=p, share=p.suggested_share, actor=jj, now=now())


@time_machine.travel(local(2026, 11, 20, 10), tick=False)
def test_decision_notice_and_review_window_across_national_day(jj, org, cast):
    fc = open_case(jj, org, cast, misreported=True)
    with pytest.raises(ValidationError) as e:
        fault.fault_case_decide(fault_case=fc, decision="通报批评", decided_on=dt.date(2026, 9, 25), actor=jj, now=now())
    assert "请先认定每名相关人员的责任" in str(e.value)
    confirm_all(fc, jj)
    # 9-25 + 10 = 10-05, inside the National Day holiday (10-01..10-07) → 10-08.
    fc = fault.fault_case_decide(fault_case=fc, decision="通报批评", decided_on=dt.date(2026, 9, 25), actor=jj, now=now())
    assert fc.notice_due == dt.date(2026, 10, 8) and fc.status == FaultCase.Status.DECIDED
    fc = fault.fault_case_serve(fault_case=fc, served_on=dt.date(2026, 9, 30), actor=jj, now=now())
    # 9-30 + 30 = 10-30, a Friday.
    fc = fault.fault_case_receive(fault_case=fc, received_on=dt.date(2026, 9, 30), actor=jj, now=now())
    assert fc.review_due == dt.date(2026, 10, 30)
    with pytest.raises(ValidationError) as e:
        fault.fault_review_request(fault_case=fc, requested_on=dt.date(2026, 11, 2), reason="不服", actor=jj, now=now())
    assert "复核申请已超过期限" in str(e.value) and "2026年10月30日" in str(e.value)
    fc = fault.fault_review_request(fault_case=fc, requested_on=dt.date(2026, 10, 30), reason="不服", actor=jj, now=now())
    assert fc.status == FaultCase.Status.REVIEW
    fc = fault.fault_review_decide(fault_case=fc, outcome="upheld", text="维持", decided_on=dt.date(2026, 11, 10), actor=jj, now=now())
    fc = fault.fault_appeal_record(fault_case=fc, filed_on=dt.date(2026, 11, 12), appeal_to="市人社局", text="申诉", actor=jj, now=now())
    fc = fault.fault_appeal_decide(
        fault_case=fc, outcome="changed", text="改为谈话提醒", decided_on=dt.date(2026, 11, 19), actor=jj, now=now()
    )
    assert (fc.review_outcome, fc.appeal_outcome, fc.status) == ("upheld", "changed", FaultCase.Status.CLOSED)


@time_machine.travel(local(2026, 11, 20, 10), tick=False)
def test_review_window_ending_in_the_holiday_rolls_forward(jj, org, cast):
    fc = open_case(jj, org, cast, misreported=True)
    confirm_all(fc, jj)
    fault.fault_case_decide(fault_case=fc, decision="批评教育", decided_on=dt.date(2026, 9, 2), actor=jj, now=now())
    fault.fault_case_serve(fault_case=fc, served_on=dt.date(2026, 9, 5), actor=jj, now=now())
    # 9-05 + 30 = 10-05 (holiday) → 10-08; a request on 10-08 is in time.
    fc = fault.fault_case_receive(fault_case=fc, received_on=dt.date(2026, 9, 5), actor=jj, now=now())
    assert fc.review_due == dt.date(2026, 10, 8)
    assert fault.fault_review_request(
        fault_case=fc, requested_on=dt.date(2026, 10, 8), reason="异议", actor=jj, now=now()
    ).review_requested_on


# --- 004: tolerance -------------------------------------------------------------------------------


def apply(officer, **kw):
    data = {
        "person": officer.person, "applied_by": "self", "error": "检查中漏查一处隐患", "occurred_on": dt.date(2026, 9, 1),
        "error_kind": "facts_unclear", "error_field": "危化品", "grounds": ["16-5"], "evidence_text": "检查方案及记录",
        "actor": officer, "now": now(),
    }  # fmt: skip
    data.update(kw)
    return fault.tolerance_apply(**data)


@pytest.mark.parametrize("ground", [*fr.TOLERANCE_GROUNDS, "15-1"])
def test_article_19_exclusion_beats_every_ground_at_the_decision(jj, officer, ground):
    app = apply(officer, grounds=[ground], abused_or_failed_duty_causing_harm=True)
    assert not app.assessed_eligible and app.assessment_reason.startswith("第十九条")
    with pytest.raises(ValidationError) as e:
        fault.tolerance_decide(application=app, grant=True, decision="予以容错", decided_on=timezone.localdate(), actor=jj, now=now())
    assert "不能予以容错：第十九条" in str(e.value)
    app = fault.tolerance_decide(application=app, grant=False, decision="不予容错", decided_on=timezone.localdate(), actor=jj, now=now())
    assert app.status == ToleranceApplication.Status.REFUSED


def test_only_the_officer_applies_for_themself_and_unit_by_head_or_staff(jj, officer, other_officer, org):
    with pytest.raises(ValidationError) as e:
        apply(officer, actor=other_officer)
    assert "本人申请只能由执法人员本人提出" in str(e.value)
    with pytest.raises(ValidationError):
        apply(officer, applied_by="unit", actor=other_officer)
    assert apply(officer, applied_by="unit", actor=jj).applied_by == "unit"
    with pytest.raises(ValidationError) as e:
        apply(officer, grounds=[], evidence_text="")
    assert "请至少选择一项第十五条或第十六条" in str(e.value) and "证明材料" in str(e.value)


def test_tolerance_notice_within_7_days_across_holiday_and_make_up_day(jj, officer):
    with time_machine.travel(local(2026, 9, 20, 10), tick=False):
        app = apply(officer, minor_and_low_harm=True, mitigations=["17-1"])
        app2 = apply(officer)
    assert app.light_measures_applicable and not app2.light_measures_applicable
    with time_machine.travel(local(2026, 11, 20, 10), tick=False):
        app = fault.tolerance_decide(
            application=app, grant=True, decision="予以容错", decided_on=dt.date(2026, 9, 28), measures=["talk"], actor=jj, now=now()
        )
        assert app.notice_due == dt.date(2026, 10, 8)  # 9-28 + 7 = 10-05 (holiday) → 10-08
        with pytest.raises(ValidationError) as e:
            fault.tolerance_decide(
                application=app2, grant=True, decision="予以容错", decided_on=dt.date(2026, 10, 3), measures=["talk"], actor=jj, now=now()
            )
        assert "第十八条" in str(e.value)
        app2 = fault.tolerance_decide(
            application=app2, grant=True, decision="予以容错", decided_on=dt.date(2026, 10, 3), actor=jj, now=now()
        )
        assert app2.notice_due == dt.date(2026, 10, 10)  # 10-03 + 7 = Saturday 10-10, a make-up working day
        app = fault.tolerance_notify(application=app, notified_on=dt.date(2026, 10, 8), publicity_scope="局机关全体", actor=jj, now=now())
        assert app.publicity_scope == "局机关全体"


def test_tolerated_error_disappears_from_error_counts(jj, org, officer):
    person = officer.person
    fc = open_case(jj, org, {"handler": person}, approval_required=True)
    assert fault_selectors.error_count_of(person) == 1 and fault_selectors.enforcement_errors().count() == 1
    app = apply(officer, fault_case=fc)
    assert fault_selectors.error_count_of(person) == 1  # pending: still counted
    fault.tolerance_decide(application=app, grant=True, decision="予以容错", decided_on=timezone.localdate(), actor=jj, now=now())
    assert fault_selectors.error_count_of(person) == 0 and fault_selectors.enforcement_errors().count() == 0
    assert fault_selectors.recurring_for_body(org["discipline"], today=timezone.localdate()) == {}


def test_recurring_flag_fires_at_three_not_two(jj, org, cast):
    today = dt.date(2026, 11, 20)
    for day in (dt.date(2026, 3, 1), dt.date(2026, 6, 1)):
        open_case(jj, org, cast, occurred_on=day, fault_types=["procedure"], error_field="危化品")
    open_case(jj, org, cast, occurred_on=dt.date(2025, 11, 1), fault_types=["procedure"])  # outside 12 months
    assert fault_selectors.recurring_for_body(org["discipline"], today=today) == {}
    third = open_case(jj, org, cast, occurred_on=dt.date(2026, 10, 1), fault_types=["procedure"], error_field="危化品")
    flags = fault_selectors.recurring_for_body(org["discipline"], today=today)
    assert set(flags) == {("kind", "procedure"), ("field", "危化品")}
    assert flags[("kind", "procedure")]["count"] == 3 and third in flags[("kind", "procedure")]["cases"]


def test_correction_with_extension_and_follow_up(jj, officer):
    app = apply(officer)
    with pytest.raises(ValidationError):
        fault.correction_create(
            application=app, reason="r", requirement="q", deadline=timezone.localdate(), responsible=officer.person, actor=jj, now=now()
        )
    fault.tolerance_decide(application=app, grant=True, decision="予以容错", decided_on=timezone.localdate(), actor=jj, now=now())
    due = timezone.localdate() + dt.timedelta(days=10)
    task = fault.correction_create(
        application=app, reason="漏查", requirement="完善检查清单", deadline=due, responsible=officer.person, actor=jj, now=now()
    )
    with pytest.raises(ValidationError) as e:
        fault.correction_extension_request(task=task, reason="", until=due, actor=officer, now=now())
    assert "请填写延期理由" in str(e.value) and "应晚于现整改期限" in str(e.value)
    task = fault.correction_extension_request(task=task, reason="需上级审批", until=due + dt.timedelta(days=5), actor=officer, now=now())
    task = fault.correction_extension_decide(task=task, approve=True, decision="同意", actor=jj, now=now())
    assert task.deadline == due + dt.timedelta(days=5) and task.extension_status == "approved"
    fault.correction_follow_up(task=task, on=timezone.localdate(), note="已修订清单初稿", actor=jj, now=now())
    task = fault.correction_complete(task=task, completed_on=timezone.localdate(), note="已完成", actor=jj, now=now())
    assert task.follow_ups.count() == 1 and task.completed_on


# --- 004 第二十五条: petitions ----------------------------------------------------------------------


def register(jj, org, person, **kw):
    data = {"body": org["discipline"], "subject": person, "real_name": True, "petitioner_name": "王某", "received_on": timezone.localdate(),
            "allegation": "收受好处", "actor": jj, "now": now()}  # fmt: skip
    data.update(kw)
    return fault.petition_register(**data)


def test_real_name_petition_gets_feedback_and_name_cleared(jj, org, officer):
    p = register(jj, org, officer.person)
    with pytest.raises(ValidationError):
        fault.petition_find(petition=p, finding="founded", text="x", found_on=timezone.localdate(), malicious=True, actor=jj, now=now())
    p = fault.petition_find(
        petition=p, finding="unfounded", text="经查不属实", found_on=timezone.localdate(), malicious=True, actor=jj, now=now()
    )
    p = fault.petition_answer(petition=p, on=timezone.localdate(), content="已当面反馈", actor=jj, now=now())
    assert p.feedback == "已当面反馈" and not p.explanation
    p = fault.petition_clear_name(petition=p, cleared_on=timezone.localdate(), how="党组会通报", where="局机关", actor=jj, now=now())
    assert p.cleared_how == "党组会通报"


def test_anonymous_petition_needs_explanation_scope(jj, org, officer):
    p = register(jj, org, officer.person, real_name=False, petitioner_name="")
    p = fault.petition_find(petition=p, finding="no_evidence", text="查无实据", found_on=timezone.localdate(), actor=jj, now=now())
    with pytest.raises(ValidationError) as e:
        fault.petition_answer(petition=p, on=timezone.localdate(), content="说明", scope="", actor=jj, now=now())
    assert "说明情况的范围" in str(e.value)
    p = fault.petition_answer(petition=p, on=timezone.localdate(), content="说明", scope="执法一大队", actor=jj, now=now())
    assert p.explanation_scope == "执法一大队" and p.feedback_on is None
    with pytest.raises(ValidationError) as e:
        fault.petition_clear_name(petition=p, cleared_on=timezone.localdate(), how="x", where="y", actor=jj, now=now())
    assert "恶意中伤" in str(e.value)
    assert Petition.objects.count() == 1 and FaultParticipant.objects.count() == 0


def test_recurring_threshold_is_a_setting(jj, org, cast, settings):
    """004 第二十四条 gives no number: RECURRING_ERROR_THRESHOLD (default 3) decides."""
    settings.RECURRING_ERROR_THRESHOLD = 2
    for day in (dt.date(2026, 3, 1), dt.date(2026, 6, 1)):
        open_case(jj, org, cast, occurred_on=day, fault_types=["procedure"], error_field="")
    assert set(fault_selectors.recurring_for_body(org["discipline"], today=dt.date(2026, 11, 20))) == {("kind", "procedure")}
