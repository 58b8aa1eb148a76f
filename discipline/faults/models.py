"""Enforcement-fault accountability (R-FAULT, 赤峰 002 《行政执法过错责任追究制度》), error tolerance
and correction (R-TOL, 004 《容错纠错实施办法》) and petitions about officers (R-PETITION, 004 第二十五条).

State changes are made only by ``discipline.faults.services``; the rules are in ``discipline.faults.rules``.
These models hold no logic beyond display helpers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.encryption.fields import EncryptedTextField
from discipline.faults import rules
from records.models import evidence_storage

__all__ = ["FaultCase", "FaultParticipant", "ToleranceApplication", "CorrectionTask", "CorrectionFollowUp", "Petition"]

SHARE_CHOICES = [
    (rules.MAIN, _("主要责任")),
    (rules.PARTIAL, _("一定责任")),
    (rules.FULL, _("全部责任")),
    (rules.NONE, _("不承担责任")),
]


class FaultCase(models.Model):
    """An enforcement fault (行政执法过错) under 002 第三条 and 第五条: the act, the fault types found,
    the circumstances of 第六条 (no liability), 第七条 (lighter or exempt) and 第八条 (heavier), the
    facts of 第九条 and the allocation suggested from them, the decision (第十条) with its written
    notice within 10 日 (第十一条), the review request within 30 日 of receipt (第十二条) and an appeal.

    A case linked to a granted tolerance application is not an enforcement error (004 第二十一条)."""

    class Status(models.TextChoices):
        OPEN = "open", _("认定中")
        DECIDED = "decided", _("已作出处理决定")
        SERVED = "served", _("已书面通知")
        REVIEW = "review", _("复核中")
        CLOSED = "closed", _("已办结")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("维持原决定")
        CHANGED = "changed", _("变更原决定")
        REVOKED = "revoked", _("撤销原决定")

    body = models.ForeignKey("cases.Unit", verbose_name=_("纪检监察机构"), on_delete=models.PROTECT, related_name="fault_cases")
    unit = models.ForeignKey("cases.Unit", verbose_name=_("执法单位（科室）"), on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("涉及执法案件"), null=True, blank=True, on_delete=models.PROTECT, related_name="fault_cases"
    )
    act = models.TextField(_("过错行政执法行为"))
    occurred_on = models.DateField(_("过错发生日期"))
    fault_types = models.JSONField(_("过错情形（第五条）"), default=list)
    error_field = models.CharField(_("执法领域"), max_length=100, blank=True)
    no_liability = models.JSONField(_("不承担责任情形（第六条）"), default=list, blank=True)
    lighter = models.JSONField(_("从轻或免予追究情形（第七条）"), default=list, blank=True)
    heavier = models.JSONField(_("从重追究情形（第八条）"), default=list, blank=True)
    # 002 第九条 facts.
    misreported = models.BooleanField(_("承办人员汇报事实有误、隐瞒证据或提供虚假证据（第九条第1项）"), default=False)
    approval_required = models.BooleanField(_("应当审批（第九条第2项）"), default=False)
    approved = models.BooleanField(_("经审批、审核作出（第九条第3项）"), default=False)
    head_consented = models.BooleanField(_("未经审批但经科室或单位负责人同意（第九条第2项）"), default=False)
    changed_by_superior = models.BooleanField(_("处理意见被上级领导改变（第九条第4项）"), default=False)
    # The suggestion as made when the case was opened; never recomputed.
    suggestion_basis = models.TextField(_("责任划分依据"))
    suggestion_determined = models.BooleanField(_("第九条已规定该情形"), default=True)
    adjustment = models.CharField(_("从轻从重"), max_length=8, default="none")
    facts = EncryptedTextField(_("认定事实"), blank=True)
    # Decision (第十条, 第十一条).
    decision = EncryptedTextField(_("处理决定"), blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("决定登记人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # 发文字号 of the written decision, per body and year (discipline.common.numbering).
    decision_year = models.PositiveSmallIntegerField(_("决定书年度"), null=True, blank=True)
    decision_seq = models.PositiveIntegerField(_("决定书序号"), null=True, blank=True)
    decision_number = models.CharField(_("决定书文号"), max_length=40, blank=True)
    notice_due = models.DateField(_("书面通知期限"), null=True, blank=True)
    served_on = models.DateField(_("书面通知日期"), null=True, blank=True)
    received_on = models.DateField(_("本人接到通知日期"), null=True, blank=True)
    review_due = models.DateField(_("复核申请期限"), null=True, blank=True)
    # Review (第十二条).
    review_requested_on = models.DateField(_("复核申请日期"), null=True, blank=True)
    review_request = models.TextField(_("复核申请理由"), blank=True)
    review_outcome = models.CharField(_("复核结果"), max_length=8, choices=Outcome.choices, blank=True)
    review_outcome_text = models.TextField(_("复核意见"), blank=True)
    review_decided_on = models.DateField(_("复核决定日期"), null=True, blank=True)
    # Appeal (第十二条 "向有关部门提出申诉").
    appeal_filed_on = models.DateField(_("申诉日期"), null=True, blank=True)
    appeal_to = models.CharField(_("申诉受理部门"), max_length=100, blank=True)
    appeal_text = models.TextField(_("申诉理由"), blank=True)
    appeal_outcome = models.CharField(_("申诉结果"), max_length=8, choices=Outcome.choices, blank=True)
    appeal_outcome_text = models.TextField(_("申诉处理意见"), blank=True)
    appeal_decided_on = models.DateField(_("申诉处理日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("行政执法过错案件")
        verbose_name_plural = _("行政执法过错案件")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["body", "status"], name="faultcase_body_status_idx")]
        constraints = [models.UniqueConstraint(fields=["body", "decision_year", "decision_seq"], name="faultcase_decision_number_unique")]

    def __str__(self) -> str:
        return f"过错案件 {self.pk}"

    def fault_type_labels(self) -> list[str]:
        return [rules.FAULT_TYPES.get(k, k) for k in self.fault_types]

    def no_liability_labels(self) -> list[str]:
        return [rules.NO_LIABILITY.get(k, k) for k in self.no_liability]

    def lighter_labels(self) -> list[str]:
        return [rules.LIGHTER.get(k, k) for k in self.lighter]

    def heavier_labels(self) -> list[str]:
        return [rules.HEAVIER.get(k, k) for k in self.heavier]

    @property
    def error_kind(self) -> str:
        return self.fault_types[0] if self.fault_types else "other"


class FaultParticipant(models.Model):
    """A person involved in a fault case in one role of 002 第九条 (承办人员, 科室或单位负责人,
    审批人/审核人, 上级领导), with the share the rule suggested and the share staff confirmed; when
    they differ the override reason is kept (both shares stay)."""

    class Role(models.TextChoices):
        HANDLER = "handler", _("承办人员")
        SECTION_HEAD = "section_head", _("承办科室或单位负责人")
        APPROVER = "approver", _("审批人/审核人")
        SUPERIOR = "superior", _("上级领导")

    case = models.ForeignKey(FaultCase, verbose_name=_("过错案件"), on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey("cases.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="fault_roles")
    role = models.CharField(_("在执法行为中的角色"), max_length=16, choices=Role.choices)
    suggested_share = models.CharField(_("建议责任"), max_length=8, choices=SHARE_CHOICES)
    confirmed_share = models.CharField(_("认定责任"), max_length=8, choices=SHARE_CHOICES, blank=True)
    override_reason = models.TextField(_("未采纳建议的理由"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("认定人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("认定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("过错责任人")
        verbose_name_plural = _("过错责任人")
        ordering = ["case", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "person", "role"], name="faultparticipant_unique_role")]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.person_id} ({self.role})"

    @property
    def overridden(self) -> bool:
        return bool(self.confirmed_share) and self.confirmed_share != self.suggested_share


class ToleranceApplication(models.Model):
    """An application for error tolerance (容错免责, 004 第二十条) by the officer or their unit: grounds
    of 第十五条 (duty fulfilled) and 第十六条, mitigation of 第十七条, the facts of 第十九条 (which
    excludes tolerance whatever the grounds), the rule's assessment as made, the party group's
    decision with the light measures of 第十八条 where applicable, and the notice to the units and the
    person within 7 日 with its publicity scope. A granted application is not an enforcement error
    (第二十一条)."""

    class AppliedBy(models.TextChoices):
        SELF = "self", _("本人申请")
        UNIT = "unit", _("单位申请")

    class Status(models.TextChoices):
        PENDING = "pending", _("待认定")
        GRANTED = "granted", _("予以容错")
        REFUSED = "refused", _("不予容错")

    person = models.ForeignKey("cases.Person", verbose_name=_("执法人员"), on_delete=models.PROTECT, related_name="tolerance_applications")
    body = models.ForeignKey("cases.Unit", verbose_name=_("纪检监察机构"), on_delete=models.PROTECT, related_name="tolerance_applications")
    applied_by = models.CharField(_("申请方式"), max_length=8, choices=AppliedBy.choices)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    fault_case = models.ForeignKey(
        FaultCase, verbose_name=_("相关过错案件"), null=True, blank=True, on_delete=models.PROTECT, related_name="tolerance_applications"
    )
    error = EncryptedTextField(_("执法错误（过错）情况"))
    occurred_on = models.DateField(_("发生日期"))
    error_kind = models.CharField(_("错误类别"), max_length=32)
    error_field = models.CharField(_("执法领域"), max_length=100, blank=True)
    grounds = models.JSONField(_("容错情形（第十五条、第十六条）"), default=list, blank=True)
    mitigations = models.JSONField(_("从轻减轻情形（第十七条）"), default=list, blank=True)
    abused_or_failed_duty_causing_harm = models.BooleanField(
        _("滥用职权或不履行法定职责，致使合法权益受损并造成不良后果（第十九条）"), default=False
    )
    minor_and_low_harm = models.BooleanField(_("情节轻微、危害较小（第十八条）"), default=False)
    # Private storage, like record evidence: served only by an access-checked view.
    evidence = models.FileField(_("证明材料"), upload_to="tolerance/%Y/%m/", storage=evidence_storage, blank=True)
    # What the upload was when it was checked (type from the bytes, as record evidence); the hash is
    # also in the audit chain (tolerance.evidence_uploaded), so a swapped file is detected.
    evidence_sha256 = models.CharField(_("证明材料SHA-256"), max_length=64, blank=True)
    evidence_size = models.PositiveBigIntegerField(_("证明材料大小（字节）"), null=True, blank=True)
    evidence_content_type = models.CharField(_("证明材料文件类型"), max_length=100, blank=True)
    evidence_text = models.TextField(_("证明材料说明"), blank=True)
    # The assessment as made at application; never recomputed.
    assessed_eligible = models.BooleanField(_("初步评估可以容错"), default=False)
    assessment_reason = models.TextField(_("评估意见"))
    light_measures_applicable = models.BooleanField(_("可适用第十八条处理"), default=False)
    # The party group's decision (第二十条).
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.PENDING)
    decision = EncryptedTextField(_("认定结论"), blank=True)
    decided_on = models.DateField(_("认定日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("认定登记人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # 发文字号 of the decision, per bureau (its party group decides, 第二十条) and year.
    decision_issuer = models.ForeignKey(
        "cases.Unit", verbose_name=_("决定发文单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="tolerance_decisions"
    )
    decision_year = models.PositiveSmallIntegerField(_("决定年度"), null=True, blank=True)
    decision_seq = models.PositiveIntegerField(_("决定序号"), null=True, blank=True)
    decision_number = models.CharField(_("决定文号"), max_length=40, blank=True)
    measures = models.JSONField(_("处理方式（第十八条）"), default=list, blank=True)
    notice_due = models.DateField(_("告知期限"), null=True, blank=True)
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    publicity_scope = models.CharField(_("公开范围"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("申请时间"))

    class Meta:
        verbose_name = _("容错免责申请")
        verbose_name_plural = _("容错免责申请")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["body", "status"], name="tolerance_body_status_idx")]
        constraints = [
            models.UniqueConstraint(fields=["decision_issuer", "decision_year", "decision_seq"], name="tolerance_decision_number_unique")
        ]

    def __str__(self) -> str:
        return f"容错申请 {self.pk}"

    def ground_labels(self) -> list[str]:
        return [
            f"{'第十五条' if g.startswith('15-') else '第十六条'}第{g.split('-')[1]}项：{rules.DUTY_FULFILLED.get(g) or rules.TOLERANCE_GROUNDS.get(g, g)}"
            for g in self.grounds
        ]

    def mitigation_labels(self) -> list[str]:
        return [f"第十七条第{m.split('-')[1]}项：{rules.MITIGATION.get(m, m)}" for m in self.mitigations]

    def measure_labels(self) -> list[str]:
        return [rules.LIGHT_MEASURES.get(m, m) for m in self.measures]


class CorrectionTask(models.Model):
    """Correction started with the tolerance decision (004 第二十二条): the reason and the matter to
    correct, the requirement, the deadline and the person responsible (第二十三条), an extension
    request with its reason and decision (第二十三条 "可以申请适当延长整改期限")."""

    class Extension(models.TextChoices):
        NONE = "", _("未申请")
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("同意延期")
        REFUSED = "refused", _("不同意延期")

    application = models.ForeignKey(
        ToleranceApplication, verbose_name=_("容错免责决定"), on_delete=models.PROTECT, related_name="corrections"
    )
    reason = models.TextField(_("纠错事由"))
    requirement = models.TextField(_("纠错要求"))
    deadline = models.DateField(_("整改期限"))
    responsible = models.ForeignKey("cases.Person", verbose_name=_("纠错责任人"), on_delete=models.PROTECT, related_name="correction_tasks")
    extension_status = models.CharField(_("延期申请"), max_length=8, choices=Extension.choices, blank=True, default="")
    extension_reason = models.TextField(_("延期理由"), blank=True)
    extension_until = models.DateField(_("申请延至"), null=True, blank=True)
    extension_requested_on = models.DateField(_("延期申请日期"), null=True, blank=True)
    extension_decision = models.TextField(_("延期审批意见"), blank=True)
    extension_decided_on = models.DateField(_("延期审批日期"), null=True, blank=True)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    completion_note = models.TextField(_("整改完成情况"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("纠错整改")
        verbose_name_plural = _("纠错整改")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return f"纠错 {self.pk}"


class CorrectionFollowUp(models.Model):
    """A follow-up of a correction (004 第二十四条 "跟踪了解纠错对象的整改情况")."""

    task = models.ForeignKey(CorrectionTask, verbose_name=_("纠错整改"), on_delete=models.CASCADE, related_name="follow_ups")
    on = models.DateField(_("跟踪日期"))
    note = models.TextField(_("整改情况"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("跟踪人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("纠错跟踪")
        verbose_name_plural = _("纠错跟踪")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.task_id} · {self.on}"


class Petition(models.Model):
    """A petition or report (信访举报) about an officer (004 第二十五条): real-name or anonymous, the
    allegation and the finding; for 不属实 / 查无实据 / 容错免责 the feedback to a real-name petitioner
    (date, content) or the explanation within a scope for an anonymous one; for an officer maliciously
    or falsely accused, the clearing of their name (澄清正名: how, where, when), shown in their
    integrity file."""

    class Finding(models.TextChoices):
        PENDING = "", _("待查")
        FOUNDED = "founded", _("属实")
        UNFOUNDED = "unfounded", _("不属实")
        NO_EVIDENCE = "no_evidence", _("查无实据")
        TOLERATED = "tolerated", _("容错免责")

    body = models.ForeignKey("cases.Unit", verbose_name=_("纪检监察机构"), on_delete=models.PROTECT, related_name="petitions")
    subject = models.ForeignKey("cases.Person", verbose_name=_("被反映人"), on_delete=models.PROTECT, related_name="petitions")
    real_name = models.BooleanField(_("实名举报"), default=False)
    petitioner_name = models.CharField(_("举报人姓名"), max_length=50, blank=True)
    petitioner_contact = models.CharField(_("举报人联系方式"), max_length=100, blank=True)
    received_on = models.DateField(_("收到日期"))
    allegation = EncryptedTextField(_("反映问题"))
    finding = models.CharField(_("查处结论"), max_length=12, choices=Finding.choices, blank=True, default="")
    finding_text = EncryptedTextField(_("调查情况"), blank=True)
    found_on = models.DateField(_("结论日期"), null=True, blank=True)
    tolerance = models.ForeignKey(
        ToleranceApplication, verbose_name=_("容错免责决定"), null=True, blank=True, on_delete=models.PROTECT, related_name="petitions"
    )
    malicious = models.BooleanField(_("经查系恶意中伤、诬告陷害或恶意炒作、诽谤"), default=False)
    feedback_on = models.DateField(_("反馈日期"), null=True, blank=True)
    feedback = EncryptedTextField(_("反馈内容"), blank=True)
    explained_on = models.DateField(_("说明情况日期"), null=True, blank=True)
    explanation = EncryptedTextField(_("说明内容"), blank=True)
    explanation_scope = models.CharField(_("说明范围"), max_length=200, blank=True)
    cleared_on = models.DateField(_("澄清正名日期"), null=True, blank=True)
    cleared_how = models.CharField(_("澄清方式"), max_length=200, blank=True)
    cleared_where = models.CharField(_("澄清范围"), max_length=200, blank=True)
    cleared_text = EncryptedTextField(_("澄清内容"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("信访举报")
        verbose_name_plural = _("信访举报")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(real_name=False) | ~models.Q(petitioner_name=""), name="petition_real_name_named"),
        ]

    def __str__(self) -> str:
        return f"信访举报 {self.pk}"
