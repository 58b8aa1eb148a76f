"""Accountability over the database and through the pages: recording failures with the suggestion
and the decision (R-FAIL), personnel actions and alerts, retaliation complaints (R-PROTECT), the
monthly zero report and the recording board."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import AuditEvent, Person
from conftest import local
from discipline.accountability import services as acc
from discipline.accountability.vocabulary import AccountabilityEvent, AccountabilityNotice
from discipline.models import RecordingFailure, RetaliationAlert, RetaliationComplaint, Sanction
from records.models import Notification, ZeroReport
from records.notifications.sweep import reminder_sweep
from records.zero_report.vocabulary import ZeroReportNotice
from tests.factories import CaseFactory, PersonFactory, make_officer

from .conftest import make_discipline_user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


def now():
    return timezone.now()


def register(jj, org, officer_person, **kw):
    data = {
        "officer": officer_person, "body": org["discipline"], "kind": "not_recorded", "source": "case_review",
        "source_detail": "案卷评查发现。", "facts": "未记录副局长打招呼。", "confirmed_on": timezone.localdate(),
        "interferer_kind": "insider", "matter": "某事项", "actor": jj, "now": now(),
    }  # fmt: skip
    data.update(kw)
    return acc.recording_failure_register(**data)


# --- R-FAIL ----------------------------------------------------------------------------------------


def test_register_counts_per_officer_and_suggests_with_article(jj, org, officer, other_officer):
    a, b = officer.person, other_officer.person
    f1 = register(jj, org, a)
    g1 = register(jj, org, b)
    f2 = register(jj, org, a, kind="untruthful")
    # Staff may choose another regime than the unit's (here 001's leaders' system).
    f3 = register(jj, org, a, interferer_kind="leader", regime="guangyuan_leader")
    assert [f1.ordinal, f2.ordinal, f3.ordinal, g1.ordinal] == [1, 2, 3, 1]
    assert f1.suggested_outcome == "通报批评" and f1.suggestion_basis.startswith("赤峰002第十条")
    assert f1.suggested_kinds == ["org_circulated_criticism"]
    assert f2.suggested_outcome == f3.suggested_outcome == "纪律处分"
    assert f3.regime == RecordingFailure.Regime.GUANGYUAN_LEADER
    assert g1.suggested_outcome == "通报批评"
    assert AuditEvent.objects.filter(type=AccountabilityEvent.FAILURE_REGISTERED).count() == 4


def test_a_leaders_interference_in_a_chifeng_unit_is_under_its_insiders_rules(jj, org, officer):
    # 002 第二条: "市应急管理局领导干部、行政执法人员" are 内部人员; 第十条: first failure → 通报批评.
    f = register(jj, org, officer.person, interferer_kind="leader")
    assert f.regime == RecordingFailure.Regime.CHIFENG_INSIDER and f.suggested_outcome == "通报批评"


def test_without_a_governing_document_staff_must_choose_the_regime(jj, org, officer, client):
    org["bureau"].governing_document = ""
    org["bureau"].save()
    with pytest.raises(ValidationError) as err:
        register(jj, org, officer.person, interferer_kind="leader")
    assert "regime" in err.value.error_dict
    assert register(jj, org, officer.person, interferer_kind="leader", regime="shiyan_leader").suggested_outcome == "警告、通报批评"


def test_leader_regime_suggests_discipline_from_the_first(jj, org, officer):
    org["bureau"].governing_document = "001"
    org["bureau"].save()
    f = register(jj, org, officer.person, interferer_kind="leader")
    assert f.ordinal == 1 and f.suggested_outcome == "纪律处分" and "广元001领导干部制度第十条" in f.suggestion_basis


def test_instigating_supervisor_named_and_decided_through_the_register(jj, org, officer, leader):
    with pytest.raises(ValidationError) as err:
        register(jj, org, officer.person, instigated=True)
    assert "主管领导" in err.value.messages[0]
    f = register(jj, org, officer.person, instigated=True, supervisor=leader)
    assert "从重追究主管领导责任" in f.supervisor_suggestion
    s1 = acc.recording_failure_decide(failure=f, subject="officer", kind="org_circulated_criticism", decided_on=timezone.localdate(), actor=jj, now=now())
    assert not RecordingFailure.objects.get(pk=f.pk).decided
    with pytest.raises(ValidationError) as err:
        acc.recording_failure_decide(failure=f, subject="supervisor", kind="org_talk", decided_on=timezone.localdate(), actor=jj, now=now())
    assert "理由" in err.value.messages[0]
    s2 = acc.recording_failure_decide(
        failure=f, subject="supervisor", kind="org_talk", decided_on=timezone.localdate(), deviation_reason="情节轻微。", actor=jj, now=now()
    )
    f.refresh_from_db()
    assert f.decided and f.officer_sanction == s1 and f.supervisor_sanction == s2
    assert s2.person == leader and s1.person == officer.person and s1.legal_basis.startswith("赤峰002第十条")
    # The suggestion is kept beside the decision.
    assert f.suggested_outcome == "通报批评" and "情节轻微" in f.deviation_reason
    assert Sanction.objects.count() == 2
    with pytest.raises(ValidationError):
        acc.recording_failure_decide(failure=f, subject="officer", kind="gov_warning", decided_on=timezone.localdate(), actor=jj, now=now())


def test_other_body_cannot_register_for_this_body(jj_other, org, officer):
    with pytest.raises(ValidationError):
        register(jj_other, org, officer.person, actor=jj_other)


def test_failure_pages_and_integrity_file(client, jj, org, officer, leader):
    client.force_login(jj)
    response = client.post(reverse("discipline:failure_create"), {})
    assert response.status_code == 200 and "请填写此项" in response.content.decode()
    response = client.post(
        reverse("discipline:failure_create"),
        {"officer": officer.person.pk, "kind": "not_recorded", "interferer_kind": "insider", "source": "petition", "source_detail": "举报。",
         "matter": "某事项", "facts": "未记录。", "confirmed_on": "2026-01-05", "instigated": "on"},
    )  # fmt: skip
    assert "请选择授意的主管领导" in response.content.decode()
    response = client.post(
        reverse("discipline:failure_create"),
        {"officer": officer.person.pk, "kind": "not_recorded", "interferer_kind": "insider", "source": "petition", "source_detail": "举报。",
         "matter": "某事项", "facts": "未记录。", "confirmed_on": "2026-01-05", "instigated": "on", "supervisor": leader.pk},
    )  # fmt: skip
    failure = RecordingFailure.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("discipline:failure", args=[failure.pk])
    page = client.get(response["Location"]).content.decode()
    assert "通报批评" in page and "赤峰002第十条" in page and "从重" in page
    response = client.post(reverse("discipline:failure", args=[failure.pk]), {"subject": "officer", "kind": "zzz", "decided_on": "x"})
    assert response.status_code == 200 and "请选择有效的选项" in response.content.decode()
    response = client.post(reverse("discipline:failure", args=[failure.pk]), {"subject": "officer", "kind": "org_circulated_criticism", "decided_on": "2026-01-06"})
    assert response.status_code == 302
    file = client.get(reverse("discipline:person", args=[officer.person.pk])).content.decode()
    assert 'data-figure="failures">1次' in file and "通报批评" in file
    assert "授意他人不记录" in client.get(reverse("discipline:person", args=[leader.pk])).content.decode()


# --- R-PROTECT: personnel actions and alerts ---------------------------------------------------------


def enter(admin_user, person, kind="transfer", **kw):
    data = {"person": person, "kind": kind, "effective_on": timezone.localdate(), "legal_ground": "工作需要，依《公务员法》第六十九条。",
            "procedure": "经局党组会议研究决定。", "actor": admin_user, "now": now()}  # fmt: skip
    data.update(kw)
    return acc.personnel_action_enter(**data)


def test_action_against_a_recorder_raises_exactly_one_alert(django_capture_on_commit_callbacks, submit, admin_user, officer, jj, jj_other):
    submit()
    with django_capture_on_commit_callbacks(execute=True):
        action = enter(admin_user, officer.person)
    assert action.protected_recorder
    assert RetaliationAlert.objects.filter(action=action).count() == 1 == RetaliationAlert.objects.count()
    alert = action.alert
    assert alert.body.code == "B1-JJ" and alert.is_open
    assert Notification.objects.filter(kind=AccountabilityNotice.RETALIATION_ALERT).count() == 1
    assert Notification.objects.get(kind=AccountabilityNotice.RETALIATION_ALERT).recipient == jj


def test_action_against_a_non_recorder_raises_none(django_capture_on_commit_callbacks, admin_user, other_officer, leader):
    with django_capture_on_commit_callbacks(execute=True):
        enter(admin_user, other_officer.person, kind="expulsion")
        enter(admin_user, leader, kind="removal")
    assert RetaliationAlert.objects.count() == 0
    assert not Notification.objects.filter(kind=AccountabilityNotice.RETALIATION_ALERT).exists()


def test_action_needs_ground_and_procedure_and_an_admin(submit, admin_user, officer, jj):
    submit()
    with pytest.raises(ValidationError) as err:
        enter(admin_user, officer.person, legal_ground=" ", procedure="")
    assert len(err.value.messages) == 2 and "法定事由" in err.value.messages[0]
    with pytest.raises(ValidationError):
        enter(jj, officer.person, actor=jj)
    assert RetaliationAlert.objects.count() == 0


def test_alert_clears_only_with_a_conclusion(client, submit, admin_user, officer, jj):
    submit()
    alert = enter(admin_user, officer.person).alert
    client.force_login(jj)
    assert "打击报复预警待审查1件" in client.get(reverse("discipline:inbox")).content.decode()
    assert "打击报复预警待审查1件" in client.get(reverse("discipline:dashboard")).content.decode()
    response = client.post(reverse("discipline:alert", args=[alert.pk]), {"conclusion": "", "findings": ""})
    assert response.status_code == 200 and "请选择此项" in response.content.decode()
    with pytest.raises(ValidationError):
        acc.retaliation_alert_review(alert=alert, conclusion="lawful", findings="  ", actor=jj, now=now())
    alert.refresh_from_db()
    assert alert.is_open
    response = client.post(reverse("discipline:alert", args=[alert.pk]), {"conclusion": "lawful", "findings": "经查，调离有法定事由并经党组研究。"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert not alert.is_open and alert.conclusion == "lawful"
    assert "打击报复预警待审查" not in client.get(reverse("discipline:inbox")).content.decode()
    with pytest.raises(ValidationError):
        acc.retaliation_alert_review(alert=alert, conclusion="suspected", findings="再审。", actor=jj, now=now())


def test_admin_page_does_not_reveal_protection(client, submit, admin_user, officer):
    submit()
    client.force_login(admin_user)
    response = client.post(reverse("discipline:personnel"), {"person": officer.person.pk, "kind": "transfer", "effective_on": "2026-13-01"})
    assert response.status_code == 200 and "请输入有效的日期" in response.content.decode()
    response = client.post(
        reverse("discipline:personnel"),
        {"person": officer.person.pk, "kind": "transfer", "effective_on": "2026-01-05", "legal_ground": "依规。", "procedure": "党组研究。"},
    )
    assert response.status_code == 302
    page = client.get(reverse("discipline:personnel")).content.decode()
    assert "预警" not in page.split("已登记")[1] and "受保护" not in page
    assert RetaliationAlert.objects.count() == 1



def test_an_other_adverse_action_is_protected_against_too(client, submit, admin_user, officer, jj, django_capture_on_commit_callbacks):
    """000 第七条 lists 免职、调离、辞退、降级、撤职、开除 "等处分": the list is open. An other adverse action
    needs its description (error next to the field, nothing saved) and then raises the alert; the
    body's staff are told and see what the action was."""
    submit()
    client.force_login(admin_user)
    data = {"person": officer.person.pk, "kind": "other", "effective_on": "2026-01-05", "legal_ground": "依规。", "procedure": "党组研究。"}
    response = client.post(reverse("discipline:personnel"), data)
    assert response.status_code == 200 and "请写明具体处理内容" in str(response.context["form"].errors["description"])
    assert not RetaliationAlert.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("discipline:personnel"), {**data, "description": "停止执行执法职务"})
    assert response.status_code == 302
    alert = RetaliationAlert.objects.get()
    assert alert.action.kind == "other" and alert.action.description == "停止执行执法职务"
    assert Notification.objects.get(kind=AccountabilityNotice.RETALIATION_ALERT).recipient == jj
    client.force_login(jj)
    assert "其他不利处理：停止执行执法职务" in client.get(reverse("discipline:alert", args=[alert.pk])).content.decode()


# --- R-PROTECT: retaliation complaints --------------------------------------------------------------


@pytest.fixture
def bad_staff(org):
    """A staff member of the body who is the person complained about."""
    user = make_discipline_user(org["discipline"], "jj_bad")
    Person.objects.filter(user=user).update(name="王科长", position="纪检干部")
    user.person.refresh_from_db()
    return user


def test_complaint_is_invisible_to_the_person_complained_about(django_capture_on_commit_callbacks, client, submit, officer, jj, bad_staff):
    record = submit()
    client.force_login(officer)
    assert reverse("discipline:complaint_create", args=[record.pk]) in client.get(reverse("records:detail", args=[record.pk])).content.decode()
    response = client.post(reverse("discipline:complaint_create", args=[record.pk]), {"occurred_on": "2026-01-05"})
    assert response.status_code == 200 and "请选择或填写被控告人" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("discipline:complaint_create", args=[record.pk]),
            {"respondent": bad_staff.person.pk, "occurred_on": "2026-01-05", "description": "报送后被调整岗位、取消评优。"},
        )
    assert response.status_code == 302
    complaint = RetaliationComplaint.objects.get()
    assert complaint.record == record and complaint.respondent == bad_staff.person and complaint.body.code == "B1-JJ"
    # The body's other staff see it, in the list, the count and a notice.
    client.force_login(jj)
    assert "打击报复控告待办结1件" in client.get(reverse("discipline:inbox")).content.decode()
    assert client.get(reverse("discipline:complaint", args=[complaint.pk])).status_code == 200
    assert Notification.objects.filter(kind=AccountabilityNotice.RETALIATION_COMPLAINT, recipient=jj).count() == 1
    # The person complained about: no list entry, no count, no notice, no page.
    client.force_login(bad_staff)
    for name in ("inbox", "dashboard", "complaints", "alerts"):
        html = client.get(reverse(f"discipline:{name}")).content.decode()
        assert "控告待办结" not in html and "报送后被调整岗位" not in html, name
    assert "暂无控告" in client.get(reverse("discipline:complaints")).content.decode()
    assert client.get(reverse("discipline:complaint", args=[complaint.pk])).status_code == 404
    assert not Notification.objects.filter(recipient=bad_staff).exists()
    with pytest.raises(ValidationError):
        acc.retaliation_complaint_conclude(complaint=complaint, conclusion="unfounded", findings="x", actor=bad_staff, now=now())


def test_complaint_by_written_name_only_is_hidden_too(submit, officer, jj, bad_staff):
    from discipline.accountability.access import complaints_visible_to

    record = submit()
    acc.retaliation_complaint_file(
        record=record, respondent=None, respondent_name="王科长", occurred_on=timezone.localdate(), description="打压。", actor=officer, now=now()
    )
    assert complaints_visible_to(jj).count() == 1
    assert complaints_visible_to(bad_staff).count() == 0


def test_only_the_recorder_may_complain(client, submit, officer, other_officer, jj):
    record = submit()
    client.force_login(jj)
    assert client.get(reverse("discipline:complaint_create", args=[record.pk])).status_code == 404
    with pytest.raises(ValidationError):
        acc.retaliation_complaint_file(record=record, respondent=None, respondent_name="某", occurred_on=timezone.localdate(), description="x", actor=jj, now=now())


def test_conclude_complaint(client, submit, officer, jj):
    record = submit()
    c = acc.retaliation_complaint_file(record=record, respondent=None, respondent_name="某人", occurred_on=timezone.localdate(), description="x", actor=officer, now=now())
    client.force_login(jj)
    assert client.post(reverse("discipline:complaint", args=[c.pk]), {"conclusion": "", "findings": ""}).status_code == 200
    assert client.post(reverse("discipline:complaint", args=[c.pk]), {"conclusion": "unfounded", "findings": "经核查不属实。"}).status_code == 302
    c.refresh_from_db()
    assert not c.is_open


def test_the_complainant_is_told_the_result(django_capture_on_commit_callbacks, client, submit, officer, jj):
    """The complainant sees their complaint on their record, 办理中 and then the conclusion with its
    date, and gets one notice when it is concluded; the check's notes stay with the body."""
    record = submit()
    c = acc.retaliation_complaint_file(
        record=record, respondent=None, respondent_name="赵某", occurred_on=timezone.localdate(), description="报送后被停止执法资格。",
        actor=officer, now=now(),
    )  # fmt: skip
    client.force_login(officer)
    page = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert "我提出的打击报复控告" in page and "赵某" in page and "办理中" in page
    from django.utils import translation

    # Staff reading the site in English conclude it: the stored notice is still in the default language.
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        acc.retaliation_complaint_conclude(
            complaint=c, conclusion="partly", findings="调查笔录见卷宗第3页。", actor=jj, now=local(2026, 11, 20, 15, 0)
        )
    notice = Notification.objects.get(kind=AccountabilityNotice.COMPLAINT_CONCLUDED)
    assert notice.recipient == officer and "部分属实" in notice.body and notice.link == reverse("records:detail", args=[record.pk])
    page = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert "2026年11月20日办结：部分属实" in page and "办理中" not in page and "调查笔录" not in page
    # Others who may read the record (the body's staff) do not get the complainant's list.
    client.force_login(jj)
    response = client.get(reverse("records:detail", args=[record.pk]))
    assert response.status_code == 200 and "我提出的打击报复控告" not in response.content.decode()


# --- Zero report --------------------------------------------------------------------------------------


def test_zero_report_in_two_clicks(client, officer, submit):
    with time_machine.travel(local(2026, 11, 26, 10, 0), tick=False):
        client.force_login(officer)
        page = client.get(reverse("records:zero_report")).content.decode()
        assert "2026年11月" in page and "2026年10月" in page
        response = client.post(reverse("records:zero_report"), {"month": "2026-11", "declaration": "none"})
        assert response.status_code == 302
        report = ZeroReport.objects.get()
        assert report.month == dt.date(2026, 11, 1) and report.declared_count == 0 and not report.late
        response = client.post(reverse("records:zero_report"), {"month": "2026-11", "declaration": "none"}, follow=True)
        assert "已申报过2026年11月" in response.content.decode()
        response = client.post(reverse("records:zero_report"), {"month": "2026-09", "declaration": "none"}, follow=True)
        assert "不在申报期内" in response.content.decode()
        response = client.post(reverse("records:zero_report"), {"month": "garbage", "declaration": "none"}, follow=True)
        assert "请选择要申报的月份" in response.content.decode()
    submit(occurred_at=local(2026, 10, 12, 10, 0))
    with time_machine.travel(local(2026, 11, 26, 10, 0), tick=False):
        client.force_login(officer)
        response = client.post(reverse("records:zero_report"), {"month": "2026-10", "declaration": "none"}, follow=True)
        assert "已登记1条" in response.content.decode()
        client.post(reverse("records:zero_report"), {"month": "2026-10", "declaration": "all_recorded"})
    late = ZeroReport.objects.get(month=dt.date(2026, 10, 1))
    assert late.declared_count == 1 and late.late


def test_card_and_discipline_page_agree_on_month_due_date_and_lateness(client, officer, other_officer, jj):
    """Issue 19: on 3 December the November card said "申报截止 2026年12月31日" and "您本月" while the
    declaration was stored as late. 30 November 2026 is a Monday, so November was due that day."""
    joined(officer, other_officer)
    with time_machine.travel(local(2026, 12, 3, 10, 0), tick=False):
        client.force_login(officer)
        card = client.get(reverse("records:zero_report")).content.decode()
        assert 'data-month="2026-11"' in card and "您2026年11月已登记" in card and "您本月" not in card
        assert 'data-figure="due">2026年11月30日<' in card and "2026年12月31日前仍可补报" in card
        client.post(reverse("records:zero_report"), {"month": "2026-11", "declaration": "none"})
        assert ZeroReport.objects.get(officer=officer).late
        client.force_login(jj)
        page = client.get(reverse("discipline:zero_missing")).content.decode()
    # The discipline page defaults to the same month, with the same due date, and counts the two
    # officers who owe it, one of them declared.
    assert "2026年11月" in page and 'data-figure="due">2026年11月30日<' in page
    assert 'data-figure="declared">1<' in page and 'data-figure="officers">2<' in page and "申报截止日已过" in page


def test_declaring_on_a_rolled_due_date_is_on_time(client, officer):
    # 31 January 2026 is a Saturday: January is due on Monday 2 February, so a declaration then is on time.
    joined(officer, when=local(2025, 12, 1, 9))
    with time_machine.travel(local(2026, 2, 2, 17, 0), tick=False):
        client.force_login(officer)
        assert 'data-figure="due">2026年2月2日<' in client.get(reverse("records:zero_report")).content.decode()
        client.post(reverse("records:zero_report"), {"month": "2026-01", "declaration": "none"})
    assert not ZeroReport.objects.get(officer=officer).late


def test_zero_report_page_says_when_nobody_owes_the_month(client, officer, jj):
    # The officer's account was opened during November: nobody in scope owes November. The page says
    # so instead of "0 / 0 … 全部执法人员均已申报".
    joined(officer, when=local(2026, 11, 10, 9))
    with time_machine.travel(local(2026, 12, 3, 10, 0), tick=False):
        client.force_login(jj)
        page = client.get(reverse("discipline:zero_missing") + "?month=2026-11").content.decode()
        client.force_login(officer)
        card = client.get(reverse("records:zero_report")).content.decode()
    assert "没有该月应申报零报告的执法人员" in page and "均已申报" not in page
    assert "该月无需申报" in card


def joined(*users, when=None):
    for u in users:
        u.date_joined = when or local(2026, 1, 5, 9)
        u.save(update_fields=["date_joined"])


def test_zero_report_reminders_once_per_officer_per_month(officer, other_officer, jj):
    joined(officer, other_officer)
    assert reminder_sweep(now=local(2026, 11, 26, 8, 59))["zero_report_reminders"] == 0
    assert reminder_sweep(now=local(2026, 11, 26, 9, 0))["zero_report_reminders"] == 2
    assert reminder_sweep(now=local(2026, 11, 27, 9, 0))["zero_report_reminders"] == 0
    assert reminder_sweep(now=local(2026, 11, 30, 18, 0))["zero_report_reminders"] == 0
    assert reminder_sweep(now=local(2026, 12, 2, 9, 0))["zero_report_reminders"] == 0
    notes = Notification.objects.filter(kind=ZeroReportNotice.ZERO_REPORT_DUE)
    assert sorted(notes.values_list("recipient__username", flat=True)) == ["officer1", "officer2"]
    assert set(notes.values_list("key", flat=True)) == {"2026-11"}
    assert not Notification.objects.filter(recipient=jj, kind=ZeroReportNotice.ZERO_REPORT_DUE).exists()
    # The next month owes its own reminder; an officer who declared gets none; nor does one who
    # joined during the month.
    ZeroReport.objects.create(officer=officer, unit=officer.person.unit, month=dt.date(2026, 12, 1), declaration="none", declared_count=0, declared_at=local(2026, 12, 25, 8))
    newcomer = make_officer(officer.person.unit, "officer3")
    joined(newcomer, when=local(2026, 12, 3, 9))
    assert reminder_sweep(now=local(2026, 12, 29, 9, 0))["zero_report_reminders"] == 1
    assert notes.filter(key="2026-12").get().recipient == other_officer


def test_missing_declarations_are_listed(client, org, officer, other_officer, jj, jj_other):
    joined(officer, other_officer)
    joined(make_officer(org["section"], "newcomer"), when=local(2026, 10, 15, 9))  # not asked for October
    ZeroReport.objects.create(officer=officer, unit=officer.person.unit, month=dt.date(2026, 10, 1), declaration="none", declared_count=0, declared_at=local(2026, 10, 28, 8))
    client.force_login(jj)
    page = client.get(reverse("discipline:zero_missing") + "?month=2026-10").content.decode()
    missing = page[page.index('class="missing-list"'):page.index('class="declared-list')]
    declared = page[page.index('class="declared-list'):]
    assert "officer2姓名" in missing and "officer1姓名" not in missing and "newcomer姓名" not in page
    assert "officer1姓名" in declared
    assert 'data-figure="declared">1<' in page and 'data-figure="officers">2<' in page
    # October 2026 ends on a Saturday: due Monday 2 November (a working day), as on the officer's card.
    assert 'data-figure="due">2026年11月2日<' in page
    page = client.get(reverse("discipline:zero_missing") + "?month=abc").content.decode()
    assert "月份格式应为" in page
    client.force_login(jj_other)
    assert "officer2姓名" not in client.get(reverse("discipline:zero_missing") + "?month=2026-10").content.decode()


# --- Recording board -----------------------------------------------------------------------------------


def test_recording_board_figures(client, org, officer, other_officer, jj, submit):
    """By hand: officer1 handles 4 cases of 执法一大队 open in 2026 and made 2 records → 50.0 per 100;
    officer2 handles 1 case and made none → 0.0, and 12 months without a record; 执法一大队 has 4 + the
    fixture's case = 5 cases → 40.0."""
    for _i in range(4):
        CaseFactory(unit=org["section"], opened_on=dt.date(2026, 3, 1)).handling_officers.add(officer)
    CaseFactory(unit=org["other_section"], opened_on=dt.date(2025, 3, 1), closed_on=dt.date(2026, 2, 1)).handling_officers.add(other_officer)
    CaseFactory(unit=org["other_section"], opened_on=dt.date(2024, 3, 1), closed_on=dt.date(2025, 2, 1))  # not in 2026
    # officer2 had an account for the whole window (Nov 2025 – Oct 2026): 12 months owed, none declared;
    # a newcomer of 5 January 2026 owes February – October only: 9 months.
    joined(other_officer, when=local(2025, 10, 1, 9))
    joined(make_officer(org["other_section"], "newcomer"), when=local(2026, 1, 5, 9))
    with time_machine.travel(local(2026, 11, 20, 10, 0), tick=True):
        submit(occurred_at=local(2026, 6, 3, 10, 0))
        submit(occurred_at=local(2026, 10, 3, 10, 0))
        client.force_login(jj)
        response = client.get(reverse("discipline:recording") + "?year=2026")
    board = response.context["board"]
    units = {r.label: r for r in board.units}
    people = {r.label: r for r in board.officers}
    assert (units["执法一大队"].records, units["执法一大队"].cases, units["执法一大队"].rate) == (2, 5, 40.0)
    assert (units["执法二大队"].records, units["执法二大队"].cases, units["执法二大队"].rate, units["执法二大队"].zero_run) == (0, 1, 0.0, 12)
    assert units["执法二大队"].flagged and not units["执法一大队"].flagged
    assert (people["officer1姓名"].rate, people["officer1姓名"].zero_run) == (50.0, 0)
    assert (people["officer2姓名"].rate, people["officer2姓名"].zero_run, people["officer2姓名"].undeclared) == (0.0, 12, 12)
    assert people["newcomer姓名"].undeclared == 9
    # Silence first; the bureau itself has no officers: no run, not marked, listed after the units that have.
    assert board.units[0].label == "执法二大队" and board.officers[0].label == "officer2姓名"
    bureau = units["市应急管理局"]
    assert (bureau.officers, bureau.zero_run, bureau.flagged) == (0, None, False)
    assert board.units.index(bureau) > board.units.index(units["执法一大队"])
    assert "无执法人员，不计" in response.content.decode()
    assert "长期无记录" in response.content.decode()


@pytest.mark.parametrize("name", ["failures", "alerts", "complaints", "zero_missing", "recording", "inbox"])
def test_query_counts_do_not_grow(client, org, jj, admin_user, submit, name, django_assert_max_num_queries):
    def add(n):
        for i in range(n):
            officer = make_officer(org["section"], f"extra{name}{i}{RecordingFailure.objects.count()}")
            record = submit(actor=officer)
            f = register(jj, org, officer.person)
            acc.recording_failure_decide(failure=f, subject="officer", kind="org_circulated_criticism", decided_on=timezone.localdate(), actor=jj, now=now())
            enter(admin_user, officer.person)
            acc.retaliation_complaint_file(record=record, respondent=None, respondent_name="某", occurred_on=timezone.localdate(), description="x", actor=officer, now=now())

    add(1)
    client.force_login(jj)
    url = reverse(f"discipline:{name}")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    add(3)
    with django_assert_max_num_queries(len(first)):
        assert client.get(url).status_code == 200


def test_personnel_page_query_count(client, org, admin_user, django_assert_max_num_queries):
    for _i in range(3):
        enter(admin_user, PersonFactory(unit=org["section"]))
    client.force_login(admin_user)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("discipline:personnel")).status_code == 200


def test_cases_of_another_person_do_not_count(org, officer):
    assert Person.objects.filter(user=officer).exists()
