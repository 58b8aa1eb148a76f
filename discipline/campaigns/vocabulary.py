"""Campaigns' audit event types and notice kinds. Stored values never change (audit hash chain, notice keys); see cases.vocabulary."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.vocabulary import audit_event_types, notification_kinds


@audit_event_types.register
class CampaignEvent(models.TextChoices):
    """Self-inspection campaigns and their rectifications (R-CAMPAIGN, 003)."""

    CAMPAIGN_CREATED = "campaign.created", _("创建自查自纠专项行动")
    CAMPAIGN_ANSWERED = "campaign.answered", _("填报自查情况")
    CAMPAIGN_SELFCHECK_SUBMITTED = "campaign.selfcheck_submitted", _("报送自查情况")
    CAMPAIGN_REOPENED = "campaign.reopened", _("重新开放自查")
    CAMPAIGN_FINDING_ADDED = "campaign.finding_added", _("登记排查问题")
    CAMPAIGN_MECHANISMS_UPDATED = "campaign.mechanisms_updated", _("登记长效机制建立情况")
    CAMPAIGN_CHECKLIST_CHANGED = "campaign.checklist_changed", _("修改自查清单")
    RECTIFICATION_CREATED = "rectification.created", _("登记整改事项")
    RECTIFICATION_COMPLETED = "rectification.completed", _("完成整改")
    RECTIFICATION_VERIFIED = "rectification.verified", _("验收整改")
    RECTIFICATION_EVIDENCE_DOWNLOADED = "rectification.evidence_downloaded", _("下载整改佐证材料")


@notification_kinds.register
class CampaignNotice(models.TextChoices):
    """Campaign rectification deadlines (R-CAMPAIGN)."""

    CAMPAIGN_DEADLINE = "campaign_deadline", _("专项行动整改时限提醒")
    CAMPAIGN_OVERDUE = "campaign_overdue", _("专项行动整改逾期督办")
