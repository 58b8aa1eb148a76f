"""Review and handling's audit event types. Stored values never change (audit hash chain, notice keys); see cases.vocabulary."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.vocabulary import audit_event_types, notification_kinds


@audit_event_types.register
class ReviewEvent(models.TextChoices):
    """Routing, receipt, verification, special matters, handling, notice letters and sanctions (R-ROUTE, R-VERIFY, R-SPECIAL, R-SANCTION, R-FILE)."""

    RECORD_ROUTED = "record.routed", _("分送记录")
    RECORD_RECEIVED = "record.received", _("签收记录")
    INSTRUCTION_GIVEN = "instruction.given", _("领导批示")
    REVIEW_VERIFIED = "review.verified", _("核实结论")
    SPECIAL_REPORTED = "review.special_reported", _("报告特别事项")
    SPECIAL_DECIDED = "review.special_decided", _("登记党委对特别事项的决定")
    HANDLING_DECIDED = "handling.decided", _("处理决定")
    NOTICE_LETTER_ISSUED = "notice_letter.issued", _("制发通报函")
    NOTICE_LETTER_UPDATED = "notice_letter.updated", _("更新通报函办理情况")
    SANCTION_RECORDED = "sanction.recorded", _("登记处理处分")
    INTEGRITY_FILE_VIEWED = "integrity_file.viewed", _("查看廉政档案")


@notification_kinds.register
class ReviewNotice(models.TextChoices):
    """What waits for whom along the review chain (issue 19; R-ROUTE "every recipient is told"): the
    principal of a record routed for 批示, the recorder of each step their record takes."""

    INSTRUCTION_REQUESTED = "instruction_requested", _("呈报批示")
    RECORD_RECEIVED = "record_received", _("报送记录已签收")
    RECORD_VERIFIED = "record_verified", _("报送记录已核实")
    RECORD_HANDLED = "record_handled", _("报送记录已作出处理决定")
    INSTRUCTION_GIVEN = "instruction_given", _("主要领导已批示")
