"""Issue 18: each app owns its vocabulary. Audit event types and notice kinds are declared by the
subpackage that uses them and registered in cases.vocabulary; the lower apps' fields take a callable,
so a new member needs no migration in cases or records, and no stored value was lost on the move."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from cases.audit import audit
from cases.models import AuditEvent
from cases.vocabulary import (
    AccountEvent,
    Vocabulary,
    audit_event_type_choices,
    audit_event_types,
    notification_kind_choices,
    notification_kinds,
)
from records.notifications.models import Notification
from records.notifications.services import notification_send
from records.record.vocabulary import RecordEvent

# The values and labels of AuditEvent.Type and Notification.Kind before the move, copied by hand: the
# values are in the audit hash chain and in the notices' uniqueness key, so none may change or vanish.
OLD_AUDIT_EVENT_TYPES = {
    "record.created": "创建记录",
    "record.updated": "修改草稿",
    "record.submitted": "报送记录",
    "record.amended": "补充说明",
    "record.viewed": "查看记录",
    "evidence.uploaded": "上传证据",
    "evidence.downloaded": "下载证据",
    "calendar.changed": "修改节假日安排",
    "demo.seeded": "生成演示数据",
    "notice.sent": "发送提醒",
    "record.deadline_recomputed": "重算报送期限",
    "record.routed": "分送记录",
    "record.received": "签收记录",
    "instruction.given": "领导批示",
    "review.verified": "核实结论",
    "review.special_reported": "报告特别事项",
    "handling.decided": "处理决定",
    "notice_letter.issued": "制发通报函",
    "notice_letter.updated": "更新通报函办理情况",
    "sanction.recorded": "登记处理处分",
    "ledger.viewed": "查看台账",
    "dashboard.viewed": "查看统计",
    "integrity_file.viewed": "查看廉政档案",
    "report.requested": "申请生成报告",
    "report.downloaded": "下载报告",
    "ledger.exported": "导出台账",
    "dashboard.exported": "导出统计表",
    "tolerance.evidence_downloaded": "下载容错申请证明材料",
    "recording_failure.registered": "登记不记录或不如实记录",
    "recording_failure.decided": "不记录或不如实记录处理决定",
    "personnel_action.entered": "登记人事处理",
    "retaliation_alert.reviewed": "审查打击报复预警",
    "retaliation_complaint.filed": "提出打击报复控告",
    "retaliation_complaint.concluded": "办结打击报复控告",
    "zero_report.declared": "零报告申报",
    "fault_case.opened": "登记行政执法过错",
    "fault_case.share_confirmed": "认定过错责任",
    "fault_case.decided": "过错责任处理决定",
    "fault_case.served": "书面通知处理决定",
    "fault_case.received": "登记接到决定通知",
    "fault_case.review_requested": "提出复核申请",
    "fault_case.review_decided": "复核决定",
    "fault_case.appeal_recorded": "登记申诉",
    "fault_case.appeal_decided": "申诉处理结果",
    "fault_case.decision_downloaded": "下载处理决定书",
    "tolerance.applied": "申请容错免责",
    "tolerance.decided": "容错免责认定",
    "tolerance.notified": "告知容错免责决定",
    "correction.created": "启动纠错",
    "correction.extension_requested": "申请延长整改期限",
    "correction.extension_decided": "审批延期申请",
    "correction.completed": "完成纠错整改",
    "correction.followed_up": "纠错跟踪",
    "petition.registered": "登记信访举报",
    "petition.found": "信访举报查处结论",
    "petition.answered": "信访举报反馈或说明",
    "petition.name_cleared": "澄清正名",
    "campaign.created": "创建自查自纠专项行动",
    "campaign.answered": "填报自查情况",
    "campaign.selfcheck_submitted": "报送自查情况",
    "campaign.reopened": "重新开放自查",
    "campaign.finding_added": "登记排查问题",
    "campaign.mechanisms_updated": "登记长效机制建立情况",
    "campaign.checklist_changed": "修改自查清单",
    "rectification.created": "登记整改事项",
    "rectification.completed": "完成整改",
    "rectification.verified": "验收整改",
    "rectification.evidence_downloaded": "下载整改佐证材料",
    "figures.checked": "核对统计数据",
    "account.role_granted": "授予角色",
    "account.role_revoked": "撤销角色",
    "account.superuser_changed": "变更超级用户标志",
    "account.grant_refused": "拒绝授权",
    "tolerance.evidence_uploaded": "上传容错申请证明材料",
    "unit.saved": "保存单位",
    "unit.deleted": "删除单位",
    "person.saved": "保存人员",
    "person.deleted": "删除人员",
    "case.saved": "保存执法案件",
    "case.deleted": "删除执法案件",
    "account.saved": "保存账户",
    "account.deleted": "删除账户",
    "account.password_set": "设置账户密码",
    "account.unlocked": "解除登录锁定",
    "totp_device.created": "创建动态验证码设备",
    "totp_device.confirmed": "确认动态验证码设备",
    "totp_device.deleted": "删除动态验证码设备",
    "catalogue.changed": "修改干预行为类别",
}

OLD_NOTIFICATION_KINDS = {
    "due_tomorrow": "报送期限提醒（前一工作日）",
    "due_today": "报送期限提醒（到期日）",
    "overdue_section_head": "逾期未报送（科室负责人）",
    "overdue_discipline": "逾期未报送（纪检监察）",
    "overdue_digest": "逾期未报送每日汇总",
    "submitted": "收到报送记录",
    "deadline_moved": "报送期限调整",
    "calendar_missing": "下一年度放假安排未录入",
    "retaliation_alert": "受保护记录人人事处理预警",
    "retaliation_complaint": "收到打击报复控告",
    "complaint_concluded": "打击报复控告办理结果",
    "zero_report_due": "月度零报告提醒",
    "fault_deadline": "过错追究与容错纠错期限提醒",
    "fault_overdue": "过错追究与容错纠错期限已逾期",
    "recurring_errors": "同类执法错误频繁出现",
    "campaign_deadline": "专项行动整改时限提醒",
    "campaign_overdue": "专项行动整改逾期督办",
    "role_changed": "账户角色变更",
}

# Of those, the ones only discipline writes: they must be declared in discipline, not in cases or records.
DISCIPLINE_AUDIT_EVENT_TYPES = {
    "campaign.answered", "campaign.checklist_changed", "campaign.created", "campaign.finding_added",
    "campaign.mechanisms_updated", "campaign.reopened", "campaign.selfcheck_submitted", "correction.completed",
    "correction.created", "correction.extension_decided", "correction.extension_requested", "correction.followed_up",
    "dashboard.exported", "dashboard.viewed", "demo.seeded", "fault_case.appeal_decided", "fault_case.appeal_recorded",
    "fault_case.decided", "fault_case.decision_downloaded", "fault_case.opened", "fault_case.received",
    "fault_case.review_decided", "fault_case.review_requested", "fault_case.served", "fault_case.share_confirmed",
    "figures.checked", "handling.decided", "instruction.given", "integrity_file.viewed", "ledger.exported", "ledger.viewed",
    "notice_letter.issued", "notice_letter.updated", "personnel_action.entered", "petition.answered", "petition.found",
    "petition.name_cleared", "petition.registered", "record.received", "record.routed", "recording_failure.decided",
    "recording_failure.registered", "rectification.completed", "rectification.created", "rectification.evidence_downloaded",
    "rectification.verified", "report.downloaded", "report.requested", "retaliation_alert.reviewed",
    "retaliation_complaint.concluded", "retaliation_complaint.filed", "review.special_reported", "review.verified",
    "sanction.recorded", "tolerance.applied", "tolerance.decided", "tolerance.evidence_downloaded", "tolerance.evidence_uploaded",
    "tolerance.notified",
}
DISCIPLINE_NOTIFICATION_KINDS = {
    "campaign_deadline", "campaign_overdue", "complaint_concluded", "fault_deadline", "fault_overdue", "recurring_errors",
    "retaliation_alert", "retaliation_complaint",
}


class Colour(models.TextChoices):
    RED = "colour.red", "red"


class Paint(models.TextChoices):
    CRIMSON = "colour.red", "crimson"


def test_a_value_can_be_declared_by_one_enum_only():
    vocabulary = Vocabulary("test")
    vocabulary.register(Colour)
    with pytest.raises(ValueError, match="colour.red"):
        vocabulary.register(Paint)
    assert vocabulary.choices() == [("colour.red", "red")]


def test_registering_the_same_enum_again_changes_nothing():
    vocabulary = Vocabulary("test")
    vocabulary.register(Colour)
    vocabulary.register(Colour)
    assert vocabulary.choices() == [("colour.red", "red")]
    assert vocabulary.owner("colour.red") == f"{__name__}.Colour"


def test_the_installed_registry_refuses_a_second_owner_of_a_stored_value():
    class Stolen(models.TextChoices):
        CREATED = "record.created", "stolen"

    with pytest.raises(ValueError, match="records.record.vocabulary.RecordEvent"):
        audit_event_types.register(Stolen)
    assert audit_event_types.label("record.created") == str(RecordEvent.RECORD_CREATED.label)


@pytest.mark.parametrize(
    ("vocabulary", "old"), [(audit_event_types, OLD_AUDIT_EVENT_TYPES), (notification_kinds, OLD_NOTIFICATION_KINDS)]
)
def test_no_value_was_lost_and_every_label_is_kept(vocabulary, old):
    assert len(old) > 0
    assert {value: vocabulary.label(value) for value in old} == old


@pytest.mark.parametrize(
    ("vocabulary", "field"),
    [(audit_event_types, AuditEvent._meta.get_field("type")), (notification_kinds, Notification._meta.get_field("kind"))],
)
def test_every_registered_value_fits_its_field_and_has_a_label(vocabulary, field):
    values = list(vocabulary)
    assert len(values) >= 18
    too_long = [value for value in values if len(value) > field.max_length]
    unlabelled = [value for value in values if vocabulary.label(value) in ("", value)]
    assert (too_long, unlabelled) == ([], [])
    assert dict(field.flatchoices) == dict(vocabulary.choices())


def test_the_models_keep_no_enum_of_their_own_and_store_the_callable():
    assert not hasattr(AuditEvent, "Type")
    assert not hasattr(Notification, "Kind")
    assert AuditEvent._meta.get_field("type").deconstruct()[3]["choices"] is audit_event_type_choices
    assert Notification._meta.get_field("kind").deconstruct()[3]["choices"] is notification_kind_choices


def test_display_methods_read_the_registry():
    assert AuditEvent(type=AccountEvent.ROLE_GRANTED).get_type_display() == "授予角色"
    assert AuditEvent(type="fault_case.opened").get_type_display() == "登记行政执法过错"
    assert Notification(kind="campaign_overdue").get_kind_display() == "专项行动整改逾期督办"
    # A value nobody declares any more still shows, as itself.
    assert AuditEvent(type="gone.away").get_type_display() == "gone.away"


@pytest.mark.django_db
def test_a_new_member_needs_no_migration():
    class Novel(models.TextChoices):
        HAPPENED = "novel.happened", "新事件"

    class NovelNotice(models.TextChoices):
        TOLD = "novel_told", "新提醒"

    audit_event_types.register(Novel)
    notification_kinds.register(NovelNotice)
    try:
        assert AuditEvent(type=Novel.HAPPENED).get_type_display() == "新事件"
        assert Notification(kind=NovelNotice.TOLD).get_kind_display() == "新提醒"
        # --check exits non-zero (SystemExit) when any app would need a migration.
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    finally:
        audit_event_types.unregister(Novel)
        notification_kinds.unregister(NovelNotice)
    assert "novel.happened" not in audit_event_types


@pytest.mark.parametrize(
    ("vocabulary", "discipline_values"),
    [(audit_event_types, DISCIPLINE_AUDIT_EVENT_TYPES), (notification_kinds, DISCIPLINE_NOTIFICATION_KINDS)],
)
def test_discipline_declares_its_own_vocabulary(vocabulary, discipline_values):
    owners = {value: vocabulary.owner(value) or "" for value in discipline_values}
    assert len(owners) > 0
    assert [value for value, owner in owners.items() if not owner.startswith("discipline.")] == []


def test_no_discipline_value_is_spelled_in_cases_or_records():
    quoted = re.compile(r"""["']([a-z_]+(?:\.[a-z_]+)?)["']""")
    discipline_values = DISCIPLINE_AUDIT_EVENT_TYPES | DISCIPLINE_NOTIFICATION_KINDS
    found = []
    scanned = 0
    for app in ("cases", "records"):
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if {"tests", "migrations"} & set(path.parts):
                continue
            scanned += 1
            found += [f"{path.name}: {value}" for value in quoted.findall(path.read_text()) if value in discipline_values]
    assert scanned > 20
    assert found == []


@pytest.mark.django_db
def test_the_audit_log_admin_shows_every_apps_labels(client):
    root = get_user_model().objects.create_superuser("vocab-root", "root@example.gov.cn", "Root-2026-registry")
    AuditEvent.objects.create(type=RecordEvent.RECORD_SUBMITTED, actor=root)
    AuditEvent.objects.create(type="petition.registered", actor=root)
    client.force_login(root)
    page = client.get(reverse("admin:cases_auditevent_changelist")).content.decode()
    # In the rows and in the type filter alike.
    assert page.count("报送记录") >= 2
    assert page.count("登记信访举报") >= 2
    # Filtered by a discipline type, the record's row goes; its label stays in the filter only.
    filtered = client.get(reverse("admin:cases_auditevent_changelist"), {"type__exact": "petition.registered"}).content.decode()
    assert (filtered.count("登记信访举报"), filtered.count("报送记录")) == (page.count("登记信访举报"), page.count("报送记录") - 1)


@pytest.mark.django_db
def test_an_undeclared_type_or_kind_is_refused_before_anything_is_written(officer):
    before = AuditEvent.objects.count()
    with pytest.raises(ValueError, match="not declared"):
        audit(type="nobody.declared", actor=officer)
    with pytest.raises(ValueError, match="not declared"):
        notification_send(recipient=officer, kind="nobody_declared", key="k", title="t")
    assert (AuditEvent.objects.count(), Notification.objects.count()) == (before, 0)
