"""Organisation (units, people), enforcement cases, and the audit log.

The audit log lives here because every app writes to it and this is the app every other app already
depends on (records and discipline point at units and people).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import documents


class Unit(models.Model):
    """An organisational unit: a bureau, one of its sections, a detachment or a county branch.

    Units form a tree. `discipline_body` names the unit whose discipline staff receive the reports of
    this unit (000 第九条: "向本单位纪委报告"); it is usually the bureau's own discipline office or the
    resident discipline group (驻局纪检组).
    """

    class Kind(models.TextChoices):
        BUREAU = "bureau", _("局机关")
        SECTION = "section", _("科室")
        DETACHMENT = "detachment", _("执法支队/大队")
        BRANCH = "branch", _("县区分局")
        DISCIPLINE = "discipline", _("纪检监察机构")

    name = models.CharField(_("单位名称"), max_length=100)
    code = models.CharField(_("单位代码"), max_length=32, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(_("单位类型"), max_length=16, choices=Kind.choices, default=Kind.SECTION)
    discipline_body = models.ForeignKey(
        "self",
        verbose_name=_("受理纪检监察机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_units",
        help_text=_("本单位人员报告干预过问情况的纪检监察机构（本单位纪委或派驻纪检组）。"),
    )
    party_organization = models.CharField(_("所在党组织"), max_length=100, blank=True)
    # Which rules apply is a property of the unit (issue 19): the interference system, the failure-to-
    # record suggestion, the default legal bases and the titles cited follow it. "" inherits the
    # parent's (cases.selectors.governing_documents).
    governing_document = models.CharField(
        _("适用制度"),
        max_length=8,
        blank=True,
        choices=[(code, label) for code, label in documents.DOCUMENT_LABELS.items()],
        help_text=_("本单位执行的干预过问记录和责任追究制度。留空则沿用上级单位的设置。"),
    )

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list["Unit"]:
        """This unit's chain of parents, nearest first (a few queries: trees here are shallow)."""
        chain: list[Unit] = []
        node = self.parent
        while node is not None and node not in chain:
            chain.append(node)
            node = node.parent
        return chain

    def effective_discipline_body(self) -> "Unit | None":
        """The discipline body of this unit, inherited from the nearest ancestor that names one."""
        if self.discipline_body_id:
            return self.discipline_body
        for node in self.ancestors():
            if node.discipline_body_id:
                return node.discipline_body
        return None


class Person(models.Model):
    """An official who may record or interfere. Interferers are linked here where known, so repeated
    interference by one person is counted reliably even when the written name varies."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省部级")
        BUREAU = "bureau", _("厅局级")
        DIVISION = "division", _("县处级")
        SECTION = "section", _("乡科级")
        OTHER = "other", _("其他")

    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=100, blank=True)
    level = models.CharField(_("职级"), max_length=16, choices=Level.choices, default=Level.OTHER)
    unit = models.ForeignKey(
        Unit, verbose_name=_("所在单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    is_leading_cadre = models.BooleanField(_("领导干部"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("系统账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["unit__code", "name"]
        indexes = [models.Index(fields=["name"], name="person_name_idx")]

    def __str__(self) -> str:
        return f"{self.name}（{self.position}）" if self.position else self.name


class Case(models.Model):
    """An enforcement case that interference may concern."""

    class Stage(models.TextChoices):
        CLUE = "clue", _("线索核查")
        FILED = "filed", _("立案")
        INVESTIGATION = "investigation", _("调查")
        DECISION = "decision", _("审查决定")
        EXECUTION = "execution", _("执行")
        CLOSED = "closed", _("结案")

    number = models.CharField(_("案件编号"), max_length=64, unique=True)
    title = models.CharField(_("案件名称"), max_length=200)
    unit = models.ForeignKey(Unit, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="cases")
    stage = models.CharField(_("办理阶段"), max_length=16, choices=Stage.choices, default=Stage.CLUE)
    handling_officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("承办人员"), blank=True, related_name="handled_cases"
    )
    party = models.CharField(_("当事人"), max_length=200, blank=True)
    opened_on = models.DateField(_("立案日期"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("执法案件")
        verbose_name_plural = _("执法案件")
        ordering = ["-opened_on", "number"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class AuditEvent(models.Model):
    """One audited action (全程留痕). Written by services and access helpers, never by signals, so
    tasks and management commands are audited too. Append-only."""

    class Type(models.TextChoices):
        # Stable values: reports and the hash chain (a later issue) depend on them.
        RECORD_CREATED = "record.created", _("创建记录")
        RECORD_UPDATED = "record.updated", _("修改草稿")
        RECORD_SUBMITTED = "record.submitted", _("报送记录")
        RECORD_AMENDED = "record.amended", _("补充说明")
        RECORD_VIEWED = "record.viewed", _("查看记录")
        EVIDENCE_UPLOADED = "evidence.uploaded", _("上传证据")
        EVIDENCE_DOWNLOADED = "evidence.downloaded", _("下载证据")
        CALENDAR_CHANGED = "calendar.changed", _("修改节假日安排")
        DEMO_SEEDED = "demo.seeded", _("生成演示数据")
        # Reminders and escalation (R-REMIND).
        NOTICE_SENT = "notice.sent", _("发送提醒")
        DEADLINE_RECOMPUTED = "record.deadline_recomputed", _("重算报送期限")
        # The discipline side (R-ROUTE, R-VERIFY, R-SPECIAL, R-SANCTION, R-FILE, R-LEDGER).
        RECORD_ROUTED = "record.routed", _("分送记录")
        RECORD_RECEIVED = "record.received", _("签收记录")
        INSTRUCTION_GIVEN = "instruction.given", _("领导批示")
        REVIEW_VERIFIED = "review.verified", _("核实结论")
        SPECIAL_REPORTED = "review.special_reported", _("报告特别事项")
        HANDLING_DECIDED = "handling.decided", _("处理决定")
        NOTICE_LETTER_ISSUED = "notice_letter.issued", _("制发通报函")
        NOTICE_LETTER_UPDATED = "notice_letter.updated", _("更新通报函办理情况")
        SANCTION_RECORDED = "sanction.recorded", _("登记处理处分")
        LEDGER_VIEWED = "ledger.viewed", _("查看台账")
        DASHBOARD_VIEWED = "dashboard.viewed", _("查看统计")
        INTEGRITY_FILE_VIEWED = "integrity_file.viewed", _("查看廉政档案")
        # Reports (R-ANNUAL) and exports.
        REPORT_REQUESTED = "report.requested", _("申请生成报告")
        REPORT_DOWNLOADED = "report.downloaded", _("下载报告")
        LEDGER_EXPORTED = "ledger.exported", _("导出台账")
        DASHBOARD_EXPORTED = "dashboard.exported", _("导出统计表")
        TOLERANCE_EVIDENCE_DOWNLOADED = "tolerance.evidence_downloaded", _("下载容错申请证明材料")
        # Accountability (R-FAIL, R-PROTECT, zero report).
        FAILURE_REGISTERED = "recording_failure.registered", _("登记不记录或不如实记录")
        FAILURE_DECIDED = "recording_failure.decided", _("不记录或不如实记录处理决定")
        PERSONNEL_ACTION_ENTERED = "personnel_action.entered", _("登记人事处理")
        RETALIATION_ALERT_REVIEWED = "retaliation_alert.reviewed", _("审查打击报复预警")
        COMPLAINT_FILED = "retaliation_complaint.filed", _("提出打击报复控告")
        COMPLAINT_CONCLUDED = "retaliation_complaint.concluded", _("办结打击报复控告")
        ZERO_REPORT_DECLARED = "zero_report.declared", _("零报告申报")
        # Fault accountability, error tolerance and petitions (R-FAULT, R-TOL, R-PETITION).
        FAULT_CASE_OPENED = "fault_case.opened", _("登记行政执法过错")
        FAULT_SHARE_CONFIRMED = "fault_case.share_confirmed", _("认定过错责任")
        FAULT_DECIDED = "fault_case.decided", _("过错责任处理决定")
        FAULT_SERVED = "fault_case.served", _("书面通知处理决定")
        FAULT_RECEIVED = "fault_case.received", _("登记接到决定通知")
        FAULT_REVIEW_REQUESTED = "fault_case.review_requested", _("提出复核申请")
        FAULT_REVIEW_DECIDED = "fault_case.review_decided", _("复核决定")
        FAULT_APPEAL_RECORDED = "fault_case.appeal_recorded", _("登记申诉")
        FAULT_APPEAL_DECIDED = "fault_case.appeal_decided", _("申诉处理结果")
        FAULT_DECISION_DOWNLOADED = "fault_case.decision_downloaded", _("下载处理决定书")
        TOLERANCE_APPLIED = "tolerance.applied", _("申请容错免责")
        TOLERANCE_DECIDED = "tolerance.decided", _("容错免责认定")
        TOLERANCE_NOTIFIED = "tolerance.notified", _("告知容错免责决定")
        CORRECTION_CREATED = "correction.created", _("启动纠错")
        CORRECTION_EXTENSION_REQUESTED = "correction.extension_requested", _("申请延长整改期限")
        CORRECTION_EXTENSION_DECIDED = "correction.extension_decided", _("审批延期申请")
        CORRECTION_COMPLETED = "correction.completed", _("完成纠错整改")
        CORRECTION_FOLLOWED_UP = "correction.followed_up", _("纠错跟踪")
        PETITION_REGISTERED = "petition.registered", _("登记信访举报")
        PETITION_FOUND = "petition.found", _("信访举报查处结论")
        PETITION_ANSWERED = "petition.answered", _("信访举报反馈或说明")
        PETITION_NAME_CLEARED = "petition.name_cleared", _("澄清正名")
        # Self-inspection campaigns (R-CAMPAIGN, 003).
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
        FIGURES_CHECKED = "figures.checked", _("核对统计数据")
        # Accounts: roles, discipline-body memberships and the superuser flag (changed only through
        # cases.accounts, never by the person receiving them).
        ROLE_GRANTED = "account.role_granted", _("授予角色")
        ROLE_REVOKED = "account.role_revoked", _("撤销角色")
        SUPERUSER_CHANGED = "account.superuser_changed", _("变更超级用户标志")
        GRANT_REFUSED = "account.grant_refused", _("拒绝授权")
        TOLERANCE_EVIDENCE_UPLOADED = "tolerance.evidence_uploaded", _("上传容错申请证明材料")
        # The organisation and accounts as edited by administrators: units decide routing (discipline
        # body), people decide conflict of interest, so every edit is in the chain.
        UNIT_SAVED = "unit.saved", _("保存单位")
        UNIT_DELETED = "unit.deleted", _("删除单位")
        PERSON_SAVED = "person.saved", _("保存人员")
        PERSON_DELETED = "person.deleted", _("删除人员")
        CASE_SAVED = "case.saved", _("保存执法案件")
        CASE_DELETED = "case.deleted", _("删除执法案件")
        ACCOUNT_SAVED = "account.saved", _("保存账户")
        ACCOUNT_DELETED = "account.deleted", _("删除账户")
        ACCOUNT_PASSWORD_SET = "account.password_set", _("设置账户密码")
        ACCOUNT_UNLOCKED = "account.unlocked", _("解除登录锁定")
        TOTP_DEVICE_CREATED = "totp_device.created", _("创建动态验证码设备")
        TOTP_DEVICE_CONFIRMED = "totp_device.confirmed", _("确认动态验证码设备")
        TOTP_DEVICE_DELETED = "totp_device.deleted", _("删除动态验证码设备")
        CATALOGUE_CHANGED = "catalogue.changed", _("修改干预行为类别")

    type = models.CharField(_("事件类型"), max_length=40, choices=Type.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT
    )
    occurred_at = models.DateTimeField(_("时间"), default=timezone.now)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    data = models.JSONField(_("内容"), default=dict, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=32, blank=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    # The hash chain (全程留痕，有据可查): events are sealed in commit order by cases.audit.seal_chain,
    # each storing the previous event's hash and its own, so any later edit, insertion or deletion
    # breaks every link after it.
    seq = models.PositiveBigIntegerField(_("链序号"), null=True, blank=True, unique=True)
    prev_hash = models.CharField(_("前一事件哈希"), max_length=64, blank=True)
    hash = models.CharField(_("本事件哈希"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["id"], name="audit_unsealed_idx", condition=models.Q(seq__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.get_type_display()}"


class AuditVerification(models.Model):
    """The result of one verification of the audit chain and of the content it vouches for."""

    ran_at = models.DateTimeField(_("校验时间"))
    ok = models.BooleanField(_("完整"))
    events_checked = models.PositiveBigIntegerField(_("校验事件数"))
    unsealed = models.PositiveBigIntegerField(_("待封存事件数"), default=0)
    head_seq = models.PositiveBigIntegerField(_("链头序号"), null=True, blank=True)
    head_hash = models.CharField(_("链头哈希"), max_length=64, blank=True)
    problems = models.JSONField(_("发现的问题"), default=list, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("审计链校验")
        verbose_name_plural = _("审计链校验")
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M} {'OK' if self.ok else 'BROKEN'}"


class FormSubmission(models.Model):
    """One accepted submission of a form, by the key the form carried (a double-click or a resent
    POST carries the same key): the unique key makes a repeat a no-op that leads to the first
    submission's result."""

    key = models.CharField(_("提交标识"), max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.CASCADE, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    result_url = models.CharField(_("结果页面"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("表单提交")
        verbose_name_plural = _("表单提交")

    def __str__(self) -> str:
        return self.key
