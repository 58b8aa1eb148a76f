"""Who decided and who approved (广元 001): the party committee's decision on a special matter (领导干部
制度 第七条 "局党委经讨论认为…情节严重，可能影响案件办理的，作为特别事项及时报告市委市政府") and the
approval an internal notice waits for (两制度 第八条 "由局党委按程序报经批准后予以通报" / "按人事管理
权限并报经批准后予以通报"). 000 第九条 and 002 name no approval: there it is kept when given."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.audit import audit_verify
from cases.models import AuditEvent
from discipline.review import services
from discipline.review.integrity import HANDLING_FIELDS, handling_hash
from discipline.review.models import Handling
from discipline.review.vocabulary import ReviewEvent
from discipline.tests.test_documents import pdf_lines, special_report_through_pages
from records.calendar.dates import local_date
from records.record.integrity import fields_hash

pytestmark = pytest.mark.django_db


@pytest.fixture
def special(client, submit, jj):
    return special_report_through_pages(client, submit, jj)


def _decision(**overrides):
    today = local_date(timezone.now())
    return {
        "decision": "escalate", "decided_by": "中共市应急管理局党委", "decided_on": today.isoformat(),
        "meeting": "局党委2026年第12次会议，会议纪要〔2026〕12号", "escalated_to": "中共某市委、某市人民政府", "escalated_on": today.isoformat(),
    } | overrides  # fmt: skip


def test_staff_record_the_committees_decision_and_the_report_and_pdf_say_it(client, special, jj):
    case_url = reverse("discipline:case", args=[special.review.record_id])
    page = client.get(case_url)
    assert page.context["special_form"].initial["escalated_to"] == "市委市政府"
    assert "登记党委（党组）的讨论决定" in page.content.decode()

    response = client.post(reverse("discipline:special_decide", args=[special.pk]), _decision())
    assert response.status_code == 302 and response["Location"] == case_url
    special.refresh_from_db()
    today = local_date(timezone.now())
    assert (special.decision, special.decided_by, special.decided_on, special.escalated_on) == ("escalate", "中共市应急管理局党委", today, today)
    assert special.decision_recorded_by == jj
    event = AuditEvent.objects.filter(type=ReviewEvent.SPECIAL_DECIDED).get()
    assert event.data["meeting"] == "局党委2026年第12次会议，会议纪要〔2026〕12号" and event.data["escalated_to"] == "中共某市委、某市人民政府"

    page = client.get(case_url).content.decode()
    assert "中共市应急管理局党委于" in page and "已于" in page and "报告中共某市委、某市人民政府" in page
    assert page.count('id="special-decide"') == 0  # entered once: the form is gone
    text = "".join(pdf_lines(client.get(reverse("discipline:special_pdf", args=[special.pk])).content).split())
    assert f"中共市应急管理局党委于{today.year}年{today.month}月{today.day}日经讨论" in text
    assert "作为特别事项报告，已于" in text and "报告中共某市委、某市人民政府" in text


def test_a_recorded_decision_is_not_changed_by_a_second_post(client, special):
    client.post(reverse("discipline:special_decide", args=[special.pk]), _decision())
    response = client.post(reverse("discipline:special_decide", args=[special.pk]), _decision(decision="not_escalate", decided_by="别的党委"))
    assert response.status_code == 200
    assert "党委的决定已登记，不能修改。" in response.content.decode()
    special.refresh_from_db()
    assert (special.decision, special.decided_by) == ("escalate", "中共市应急管理局党委")
    assert AuditEvent.objects.filter(type=ReviewEvent.SPECIAL_DECIDED).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"escalated_to": ""}, "escalated_to", "作为特别事项报告的，请填写报告对象（市委市政府）。"),
        ({"escalated_on": ""}, "escalated_on", "请填写报告日期。"),
        ({"meeting": ""}, "meeting", "这个字段是必填项。"),
        ({"decided_on": -1}, "decided_on", "讨论决定日期不能早于特别事项报告日期。"),
        ({"decided_on": 1}, "decided_on", "讨论决定日期不能晚于今天。"),
        ({"escalated_on": 1}, "escalated_on", "报告日期不能晚于今天。"),
    ],
    ids=["no-addressee", "no-report-date", "no-meeting", "before-the-report", "decided-tomorrow", "reported-tomorrow"],
)
def test_a_bad_decision_is_refused_next_to_its_field_and_nothing_is_written(client, special, overrides, field, message):
    today = local_date(timezone.now())
    days = {name: (today + dt.timedelta(days=value)).isoformat() for name, value in overrides.items() if isinstance(value, int)}
    response = client.post(reverse("discipline:special_decide", args=[special.pk]), _decision(**(overrides | days)))
    assert response.status_code == 200
    assert response.context["special_form"].errors[field] == [message]
    special.refresh_from_db()
    assert special.decision == "" and not AuditEvent.objects.filter(type=ReviewEvent.SPECIAL_DECIDED).exists()


def test_not_escalating_keeps_no_addressee(client, special):
    response = client.post(
        reverse("discipline:special_decide", args=[special.pk]), _decision(decision="not_escalate", escalated_to="中共某市委", escalated_on="")
    )
    assert response.status_code == 302
    special.refresh_from_db()
    assert special.decision == "not_escalate" and special.escalated_to == "" and special.escalated_on is None


def test_staff_of_another_body_cannot_record_the_decision(client, special, jj_other):
    client.force_login(jj_other)
    assert client.post(reverse("discipline:special_decide", args=[special.pk]), _decision()).status_code == 404
    special.refresh_from_db()
    assert special.decision == ""


# --- The notice waits for approval under 001 (第八条) -------------------------------------------


def _verified(org, submit, jj, leader, document, kind):
    org["bureau"].governing_document = document
    org["bureau"].save()
    record = submit(interferer=leader, interferer_name="周副局长", interferer_position="副局长", interferer_kind=kind)
    now = timezone.now()
    services.record_receive(record=record, actor=jj, now=now)
    services.review_verify(record=record, conclusion="founded", findings="属实。", seriousness="general", actor=jj, now=now)
    return record


def _own_unit(record, leader, **approval):
    today = local_date(timezone.now())
    return {
        "record": record, "kind": "own_unit", "person": leader, "decision": "诫勉谈话。", "internal_notice": "在全局通报。",
        "internal_notice_on": today, "disclosure_reason": "情节一般，不公开。",
    } | approval  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "citation"), [("leader", "广元001领导干部制度第八条"), ("insider", "广元001内部人员制度第八条")], ids=["leader", "insider"]
)
def test_under_001_a_notice_without_its_approval_is_refused(org, submit, jj, leader, kind, citation):
    record = _verified(org, submit, jj, leader, "001", kind)
    with pytest.raises(ValidationError) as error:
        services.handling_decide(**_own_unit(record, leader), actor=jj, now=timezone.now())
    assert error.value.messages == [f"通报须按程序报经批准后作出（{citation}）：请填写通报决定机关、批准机关和批准日期。"]
    assert not Handling.objects.filter(record=record).exists()


def test_under_001_the_approval_is_kept_shown_and_vouched_for(client, org, submit, jj, leader):
    record = _verified(org, submit, jj, leader, "001", "leader")
    client.force_login(jj)
    page = client.get(reverse("discipline:handle", args=[record.pk]))
    assert "通报须按程序报经批准后作出（广元001领导干部制度第八条）" in page.content.decode()
    assert page.context["form"].initial["notice_decided_by"] == "市应急管理局党委（党组）"
    today = local_date(timezone.now())
    approved = today - dt.timedelta(days=3)
    response = client.post(
        reverse("discipline:handle", args=[record.pk]),
        {
            "kind": "own_unit", "person": leader.pk, "decision": "诫勉谈话。", "internal_notice": "在全局通报。",
            "internal_notice_on": today.isoformat(), "disclosure_reason": "情节一般，不公开。", "notice_decided_by": "局党委",
            "notice_approved_by": "市纪委监委", "notice_approved_on": approved.isoformat(),
        },
    )  # fmt: skip
    assert response.status_code == 302
    handling = Handling.objects.get(record=record)
    assert (handling.notice_decided_by, handling.notice_approved_by, handling.notice_approved_on) == ("局党委", "市纪委监委", approved)
    assert f"局党委决定，市纪委监委于{approved.year}年{approved.month}月{approved.day}日批准" in client.get(reverse("discipline:case", args=[record.pk])).content.decode()
    assert audit_verify(actor=None).ok
    Handling.objects.filter(pk=handling.pk).update(notice_approved_by="别的机关")
    assert any(f"的处理决定（ID {handling.pk}）与审计链记载不符" in problem for problem in audit_verify(actor=None).problems)


def test_the_notice_cannot_predate_its_approval(org, submit, jj, leader):
    record = _verified(org, submit, jj, leader, "001", "leader")
    today = local_date(timezone.now())
    approval = {"notice_decided_by": "局党委", "notice_approved_by": "市纪委监委", "notice_approved_on": today}
    data = _own_unit(record, leader, **approval) | {"internal_notice_on": today - dt.timedelta(days=1)}
    with pytest.raises(ValidationError) as error:
        services.handling_decide(**data, actor=jj, now=timezone.now())
    assert error.value.messages == ["通报日期不能早于批准日期（报经批准后予以通报）。"]
    tomorrow = {**approval, "notice_approved_on": today + dt.timedelta(days=1)}
    with pytest.raises(ValidationError) as error:
        services.handling_decide(**_own_unit(record, leader, **tomorrow), actor=jj, now=timezone.now())
    assert error.value.messages == ["通报批准日期不能晚于今天。"]


@pytest.mark.parametrize("document", ["000", "002"])
def test_where_the_rules_name_no_approval_none_is_asked_and_the_hash_is_the_old_one(client, org, submit, jj, leader, document):
    record = _verified(org, submit, jj, leader, document, "leader")
    client.force_login(jj)
    assert "报经批准后作出" not in client.get(reverse("discipline:handle", args=[record.pk])).content.decode()
    handling = services.handling_decide(**_own_unit(record, leader), actor=jj, now=timezone.now())
    # Decisions taken before the approval fields existed keep the hash their event vouches for.
    assert handling_hash(handling) == fields_hash(handling, HANDLING_FIELDS)
    assert audit_verify(actor=None).ok
