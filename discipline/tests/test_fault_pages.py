"""Pages and reminders of fault accountability, tolerance and petitions (issue 8): flows through the
forms, Chinese errors never a 500, constant query counts on the lists, the integrity file, and the
reminder sweep."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import AuditEvent
from conftest import local
from discipline.faults import selectors as fault_selectors
from discipline.faults import services as fault
from discipline.faults.vocabulary import FaultEvent, FaultNotice
from discipline.models import FaultCase, Petition, ToleranceApplication
from records.models import Notification
from records.notifications.sweep import reminder_sweep
from tests.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db


def now():
    return timezone.now()


def open_case(jj, org, person, **kw):
    data = {
        "body": org["discipline"], "unit": org["section"], "act": "罚款决定", "occurred_on": timezone.localdate(),
        "fault_types": ["procedure"], "participants": [(person, "handler")], "approval_required": True, "actor": jj, "now": now(),
    }  # fmt: skip
    data.update(kw)
    return fault.fault_case_open(**data)


def decided_case(jj, org, person, decided_on):
    fc = open_case(jj, org, person, occurred_on=decided_on)
    for p in fc.participants.all():
        fault.fault_share_confirm(participant=p, share=p.suggested_share, actor=jj, now=now())
    return fault.fault_case_decide(fault_case=fc, decision="批评教育", decided_on=decided_on, actor=jj, now=now())


def test_create_confirm_decide_and_pdf_through_the_pages(client, jj, org, officer):
    client.force_login(jj)
    handler = officer.person
    head = PersonFactory(name="李科长", unit=org["section"])
    today = timezone.localdate()
    response = client.post(
        reverse("discipline:fault_case_create"),
        {"unit": org["section"].pk, "act": "未经审批作出罚款", "occurred_on": today.isoformat(), "fault_types": ["procedure", "beyond_authority"],
         "handler": handler.pk, "section_head": head.pk, "approval_required": "on", "head_consented": "on", "heavier": ["serious"]},
    )  # fmt: skip
    fc = FaultCase.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("discipline:fault_case", args=[fc.pk])
    page = client.get(response["Location"]).content.decode()
    assert "第九条第2项：经科室或单位负责人同意的，由该负责人承担全部责任" in page and "第八条第3项" in page
    head_row = fc.participants.get(role="section_head")
    handler_row = fc.participants.get(role="handler")
    url = reverse("discipline:fault_case", args=[fc.pk])
    # Override without a reason: refused in Chinese, page shown again.
    response = client.post(url, {"action": "share", "participant": handler_row.pk, "share": "partial", "reason": ""})
    assert response.status_code == 200 and "请填写理由" in response.content.decode()
    client.post(url, {"action": "share", "participant": handler_row.pk, "share": "partial", "reason": "承办人明知应审批"})
    client.post(url, {"action": "share", "participant": head_row.pk, "share": "full", "reason": ""})
    handler_row.refresh_from_db()
    assert (handler_row.suggested_share, handler_row.confirmed_share, handler_row.override_reason) == (
        "none",
        "partial",
        "承办人明知应审批",
    )
    response = client.post(url, {"action": "decide", "decision": "给予通报批评", "decided_on": today.isoformat()})
    assert response.status_code == 302
    fc.refresh_from_db()
    assert fc.notice_due and fc.status == FaultCase.Status.DECIDED
    pdf = client.get(reverse("discipline:fault_decision_pdf", args=[fc.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(type=FaultEvent.FAULT_DECISION_DOWNLOADED).count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"unit": "x", "occurred_on": "2026-13-45", "fault_types": ["nope"]},
        {"unit": "999999", "act": "a", "occurred_on": "2099-01-01", "fault_types": ["procedure"]},
    ],
)
def test_bad_fault_input_gives_chinese_errors_not_500(client, jj, org, data):
    client.force_login(jj)
    response = client.post(reverse("discipline:fault_case_create"), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert any(word in text for word in ("这个字段是必填项", "必填", "有效", "请")), text[:200]
    assert FaultCase.objects.count() == 0


def test_bad_steps_never_500(client, jj, org, officer):
    client.force_login(jj)
    fc = open_case(jj, org, officer.person)
    url = reverse("discipline:fault_case", args=[fc.pk])
    assert client.post(url, {"action": "bogus"}).status_code == 200
    assert client.post(url, {"action": "share", "participant": "abc", "share": "zzz"}).status_code == 200
    response = client.post(url, {"action": "serve", "served_on": timezone.localdate().isoformat()})
    assert response.status_code == 200 and "尚未作出处理决定" in response.content.decode()
    assert client.get(reverse("discipline:fault_case", args=["999999"])).status_code == 404


def test_officer_applies_and_article_19_shows_on_form_and_decision(client, jj, officer):
    client.force_login(officer)
    page = client.get(reverse("discipline:tolerance_apply")).content.decode()
    assert "第十九条" in page and "第十六条第11项" in page and "第十七条第5项" in page and "第十五条第9项" in page
    response = client.post(
        reverse("discipline:tolerance_apply"),
        {"error": "漏查隐患", "occurred_on": timezone.localdate().isoformat(), "error_kind": "procedure", "grounds": ["16-1", "16-4"],
         "abused_or_failed_duty_causing_harm": "on", "evidence_text": "检查记录"},
    )  # fmt: skip
    assert response.status_code == 302
    app = ToleranceApplication.objects.get()
    assert app.applied_by == "self" and not app.assessed_eligible
    client.force_login(jj)
    url = reverse("discipline:tolerance", args=[app.pk])
    assert "不能予以容错" in client.get(url).content.decode()
    response = client.post(url, {"action": "decide", "grant": "1", "decision": "予以容错", "decided_on": timezone.localdate().isoformat()})
    assert response.status_code == 200 and "不能予以容错：第十九条" in response.content.decode()
    app.refresh_from_db()
    assert app.status == ToleranceApplication.Status.PENDING


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _populate(jj, org, officer, n):
    for i in range(n):
        person = PersonFactory(name=f"人员{i}", unit=org["section"])
        fc = decided_case(jj, org, person, timezone.localdate())
        app = fault.tolerance_apply(
            person=person, applied_by="unit", error="错", occurred_on=timezone.localdate(), error_kind="procedure", grounds=["16-4"],
            evidence_text="材料", fault_case=fc, actor=jj, now=now(),
        )  # fmt: skip
        fault.tolerance_decide(application=app, grant=True, decision="容错", decided_on=timezone.localdate(), actor=jj, now=now())
        fault.correction_create(
            application=app,
            reason="r",
            requirement="q",
            deadline=timezone.localdate() + dt.timedelta(days=5),
            responsible=person,
            actor=jj,
            now=now(),
        )
        fault.petition_register(
            body=org["discipline"], subject=person, real_name=False, received_on=timezone.localdate(), allegation="a", actor=jj, now=now()
        )


@pytest.mark.parametrize("name", ["discipline:fault_cases", "discipline:tolerances", "discipline:petitions"])
def test_list_pages_have_constant_query_counts(client, jj, org, officer, name):
    client.force_login(jj)
    _populate(jj, org, officer, 1)
    one = _count(client, reverse(name))
    _populate(jj, org, officer, 4)
    assert _count(client, reverse(name)) == one


def test_integrity_file_shows_tolerated_error_and_cleared_name_not_as_errors(client, jj, org, officer):
    person = officer.person
    counted = decided_case(jj, org, person, timezone.localdate())
    tolerated = decided_case(jj, org, person, timezone.localdate())
    app = fault.tolerance_apply(
        person=person, applied_by="self", error="漏查一处隐患", occurred_on=timezone.localdate(), error_kind="procedure", grounds=["16-5"],
        evidence_text="方案", fault_case=tolerated, actor=officer, now=now(),
    )  # fmt: skip
    fault.tolerance_decide(application=app, grant=True, decision="予以容错", decided_on=timezone.localdate(), actor=jj, now=now())
    p = fault.petition_register(
        body=org["discipline"],
        subject=person,
        real_name=True,
        petitioner_name="某",
        received_on=timezone.localdate(),
        allegation="诬告",
        actor=jj,
        now=now(),
    )
    fault.petition_find(
        petition=p, finding=Petition.Finding.UNFOUNDED, text="不属实", found_on=timezone.localdate(), malicious=True, actor=jj, now=now()
    )
    fault.petition_clear_name(petition=p, cleared_on=timezone.localdate(), how="全局干部大会上说明", where="局机关", actor=jj, now=now())
    client.force_login(jj)
    page = client.get(reverse("discipline:person", args=[person.pk])).content.decode()
    assert "计入执法错误1起" in page
    assert reverse("discipline:fault_case", args=[counted.pk]) in page and reverse("discipline:fault_case", args=[tolerated.pk]) not in page
    assert "予以容错，不作为执法错误认定" in page and "全局干部大会上说明" in page
    assert fault_selectors.error_count_of(person) == 1


def test_sweep_reminds_before_and_escalates_after_the_10_day_notice(jj, org, officer):
    with time_machine.travel(local(2026, 11, 2, 9), tick=False):
        fc = decided_case(jj, org, officer.person, dt.date(2026, 11, 2))
    assert fc.notice_due == dt.date(2026, 11, 12)
    assert reminder_sweep(now=local(2026, 11, 5, 9))["fault_reminders"] == 0
    assert reminder_sweep(now=local(2026, 11, 10, 9))["fault_reminders"] == 1  # two working days before
    assert reminder_sweep(now=local(2026, 11, 11, 9))["fault_reminders"] == 0  # once
    assert Notification.objects.filter(recipient=jj, kind=FaultNotice.FAULT_DEADLINE).count() == 1
    assert reminder_sweep(now=local(2026, 11, 13, 9))["fault_reminders"] == 1
    assert Notification.objects.filter(recipient=jj, kind=FaultNotice.FAULT_OVERDUE).count() == 1


def test_sweep_flags_recurring_errors_once_per_new_occurrence(jj, org, officer):
    with time_machine.travel(local(2026, 11, 20, 9), tick=False):
        for day in (1, 2):
            open_case(jj, org, officer.person, occurred_on=dt.date(2026, 10, day))
        assert reminder_sweep(now=now())["fault_reminders"] == 0
        open_case(jj, org, officer.person, occurred_on=dt.date(2026, 10, 3))
        reminder_sweep(now=now())
        assert Notification.objects.filter(recipient=jj, kind=FaultNotice.RECURRING_ERRORS).count() == 1
        reminder_sweep(now=now())
        assert Notification.objects.filter(recipient=jj, kind=FaultNotice.RECURRING_ERRORS).count() == 1


def test_sweep_escalates_missed_correction_deadline(jj, org, officer):
    with time_machine.travel(local(2026, 11, 2, 9), tick=False):
        app = fault.tolerance_apply(
            person=officer.person, applied_by="self", error="错", occurred_on=dt.date(2026, 11, 2), error_kind="procedure", grounds=["16-4"],
            evidence_text="材料", actor=officer, now=now(),
        )  # fmt: skip
        fault.tolerance_decide(application=app, grant=True, decision="容错", decided_on=dt.date(2026, 11, 2), actor=jj, now=now())
        fault.tolerance_notify(application=app, notified_on=dt.date(2026, 11, 2), publicity_scope="本科室", actor=jj, now=now())
        fault.correction_create(
            application=app,
            reason="r",
            requirement="完善清单",
            deadline=dt.date(2026, 11, 6),
            responsible=officer.person,
            actor=jj,
            now=now(),
        )
    reminder_sweep(now=local(2026, 11, 5, 9))
    assert Notification.objects.filter(recipient=officer, kind=FaultNotice.FAULT_DEADLINE).count() == 1
    reminder_sweep(now=local(2026, 11, 9, 9))
    assert Notification.objects.filter(recipient=jj, kind=FaultNotice.FAULT_OVERDUE).count() == 1


def test_sweep_reminds_of_review_window_and_tolerance_notice(jj, org, officer):
    with time_machine.travel(local(2026, 11, 2, 9), tick=False):
        fc = decided_case(jj, org, officer.person, dt.date(2026, 11, 2))
        fault.fault_case_serve(fault_case=fc, served_on=dt.date(2026, 11, 2), actor=jj, now=now())
        fc = fault.fault_case_receive(fault_case=fc, received_on=dt.date(2026, 11, 2), actor=jj, now=now())
        app = fault.tolerance_apply(
            person=officer.person, applied_by="self", error="错", occurred_on=dt.date(2026, 11, 2), error_kind="procedure", grounds=["16-4"],
            evidence_text="材料", actor=officer, now=now(),
        )  # fmt: skip
        app = fault.tolerance_decide(application=app, grant=True, decision="容错", decided_on=dt.date(2026, 11, 2), actor=jj, now=now())
    assert fc.review_due == dt.date(2026, 12, 2) and app.notice_due == dt.date(2026, 11, 9)
    reminder_sweep(now=local(2026, 11, 5, 9))  # 11-09 is two working days after 11-05
    assert Notification.objects.filter(recipient=jj, kind=FaultNotice.FAULT_DEADLINE, title__contains="告知相关单位").count() == 1
    reminder_sweep(now=local(2026, 11, 10, 9))
    assert Notification.objects.filter(recipient=jj, kind=FaultNotice.FAULT_OVERDUE, title__contains="逾期未告知").count() == 1
    reminder_sweep(now=local(2026, 11, 30, 9))
    assert Notification.objects.filter(recipient=officer, title__contains="复核申请").count() == 1
    reminder_sweep(now=local(2026, 12, 3, 9))
    assert Notification.objects.filter(recipient=jj, title__contains="复核申请期限已于2026年12月2日届满").count() == 1


def test_officer_requests_an_extension_and_downloads_own_evidence(client, org, officer, other_officer, jj):
    """004 第二十三条: the person responsible for a correction asks for more time; the applicant and
    the body's staff (only) download the application's proof."""
    from django.core.files.base import ContentFile

    from discipline.models import CorrectionTask

    today = timezone.localdate()
    app = fault.tolerance_apply(
        person=officer.person, applied_by="self", error="漏查隐患", occurred_on=today, error_kind="facts_unclear", grounds=["16-5"],
        evidence_text="检查方案", actor=officer, now=timezone.now(),
    )  # fmt: skip
    app.evidence.save("proof.pdf", ContentFile(b"%PDF-1.4 proof"), save=True)
    fault.tolerance_decide(application=app, grant=True, decision="予以容错", decided_on=today, actor=jj, now=timezone.now())
    task = fault.correction_create(application=app, reason="漏查", requirement="完善清单", deadline=today, responsible=officer.person, actor=jj, now=timezone.now())
    client.force_login(officer)
    page = client.get(reverse("discipline:tolerance_apply")).content.decode()
    assert "完善清单" in page and "申请延期" in page
    bad = client.post(reverse("discipline:correction_extend", args=[task.pk]), {"reason": "", "until": "2026-13-01"})
    assert bad.status_code == 302
    task.refresh_from_db()
    assert task.extension_status == ""
    until = (today + dt.timedelta(days=30)).isoformat()
    client.post(reverse("discipline:correction_extend", args=[task.pk]), {"reason": "设备待采购", "until": until})
    task.refresh_from_db()
    assert task.extension_status == CorrectionTask.Extension.PENDING and task.extension_reason == "设备待采购"
    response = client.get(reverse("discipline:tolerance_evidence", args=[app.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 proof"
    client.force_login(other_officer)
    assert client.get(reverse("discipline:tolerance_evidence", args=[app.pk])).status_code == 404
    assert client.post(reverse("discipline:correction_extend", args=[task.pk]), {"reason": "x", "until": until}).status_code == 404


def test_a_case_of_another_unit_is_refused_next_to_the_case_picker(client, jj, org, officer):
    """The picker offers the cases of every unit the body supervises; one of another unit than the one
    chosen is refused on the case field, and nothing is registered."""
    client.force_login(jj)
    other_case = CaseFactory(unit=org["other_section"])
    page = client.get(reverse("discipline:fault_case_create"))
    assert {org["case"].pk, other_case.pk} <= {case.pk for case in page.context["form"].fields["case"].queryset}
    response = client.post(
        reverse("discipline:fault_case_create"),
        {"unit": org["section"].pk, "case": other_case.pk, "act": "未经审批作出罚款", "occurred_on": timezone.localdate().isoformat(),
         "fault_types": ["procedure"], "handler": officer.person.pk},
    )  # fmt: skip
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["case"] == ["所选执法案件不属于该执法单位。"] and not form.non_field_errors()
    assert FaultCase.objects.count() == 0
