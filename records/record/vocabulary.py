"""The record's audit event types and notice kinds. Stored values never change (audit hash chain, notice keys); see cases.vocabulary."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.vocabulary import audit_event_types, notification_kinds


@audit_event_types.register
class RecordEvent(models.TextChoices):
    """Records, their evidence and amendments, the behaviour catalogue and the deadlines (records.record)."""

    RECORD_CREATED = "record.created", _("创建记录")
    RECORD_UPDATED = "record.updated", _("修改草稿")
    RECORD_SUBMITTED = "record.submitted", _("报送记录")
    RECORD_AMENDED = "record.amended", _("补充说明")
    RECORD_VIEWED = "record.viewed", _("查看记录")
    EVIDENCE_UPLOADED = "evidence.uploaded", _("上传证据")
    EVIDENCE_DOWNLOADED = "evidence.downloaded", _("下载证据")
    DEADLINE_RECOMPUTED = "record.deadline_recomputed", _("重算报送期限")
    CATALOGUE_CHANGED = "catalogue.changed", _("修改干预行为类别")


@notification_kinds.register
class RecordNotice(models.TextChoices):
    """Reporting deadlines, overdue records and submitted records (R-REMIND)."""

    DUE_TOMORROW = "due_tomorrow", _("报送期限提醒（前一工作日）")
    DUE_TODAY = "due_today", _("报送期限提醒（到期日）")
    OVERDUE_SECTION_HEAD = "overdue_section_head", _("逾期未报送（科室负责人）")
    OVERDUE_DISCIPLINE = "overdue_discipline", _("逾期未报送（纪检监察）")
    OVERDUE_DIGEST = "overdue_digest", _("逾期未报送每日汇总")
    SUBMITTED = "submitted", _("收到报送记录")
    DEADLINE_MOVED = "deadline_moved", _("报送期限调整")
    # Issue 19: the recorder is reminded of their own overdue draft too.
    OVERDUE_RECORDER = "overdue_recorder", _("记录逾期未报送（记录人）")
    # Issue 21: a case-handling system made a draft on the recorder's behalf; they complete and submit it.
    DRAFT_FROM_SYSTEM = "draft_from_system", _("办案系统代登记的草稿")
