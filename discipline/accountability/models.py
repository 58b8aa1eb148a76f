"""Accountability (R-FAIL, R-PROTECT): recording failures, personnel actions against protected officers,
retaliation alerts and complaints. State changes are made only by ``discipline.accountability.services``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.encryption.fields import EncryptedTextField


class RecordingFailure(models.Model):
    """A confirmed failure of an officer to record interference, or to record it truthfully (不记录 /
    不如实记录, R-FAIL: 000 第十一条; 001 内部人员制度 第十条, 领导干部制度 第十条; 002 第十条).

    The suggestion of the pure rule (``rules.failure_suggestion``) is stored as it was
    made, beside the decision that staff took through the sanctions register, so both stay visible."""

    class Kind(models.TextChoices):
        NOT_RECORDED = "not_recorded", _("不记录")
        UNTRUTHFUL = "untruthful", _("不如实记录")

    class Source(models.TextChoices):
        CASE_REVIEW = "case_review", _("案卷评查")
        PETITION = "petition", _("信访举报")
        INSPECTION = "inspection", _("巡察、审计或专项检查")
        SELF_INSPECTION = "self_inspection", _("自查自纠")
        VERIFICATION = "verification", _("核实其他记录时发现")
        OTHER = "other", _("其他")

    class Regime(models.TextChoices):
        SHIYAN_LEADER = "shiyan_leader", _("十堰000：领导干部非法干预（第十一条）")
        GUANGYUAN_INSIDER = "guangyuan_insider", _("广元001：局机关内部人员干预（内部人员制度第十条）")
        GUANGYUAN_LEADER = "guangyuan_leader", _("广元001：领导干部干预（领导干部制度第十条）")
        CHIFENG_INSIDER = "chifeng_insider", _("赤峰002：内部人员干预（第十条）")

    officer = models.ForeignKey("cases.Person", verbose_name=_("执法人员"), on_delete=models.PROTECT, related_name="recording_failures")
    body = models.ForeignKey("cases.Unit", verbose_name=_("登记机构"), on_delete=models.PROTECT, related_name="recording_failures")
    kind = models.CharField(_("情形"), max_length=16, choices=Kind.choices)
    regime = models.CharField(_("适用制度"), max_length=24, choices=Regime.choices)
    interferer_kind = models.CharField(_("被隐瞒的过问人类别"), max_length=16, blank=True)
    source = models.CharField(_("发现途径"), max_length=16, choices=Source.choices)
    source_detail = EncryptedTextField(_("发现经过"))
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("涉及案件"), null=True, blank=True, on_delete=models.PROTECT, related_name="recording_failures"
    )
    matter = models.CharField(_("涉及事项"), max_length=200, blank=True)
    record = models.ForeignKey(
        "records.InterferenceRecord",
        verbose_name=_("不如实的记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recording_failures",
    )
    facts = EncryptedTextField(_("认定事实"))
    confirmed_on = models.DateField(_("认定日期"))
    instigated = models.BooleanField(_("系主管领导授意"), default=False)
    supervisor = models.ForeignKey(
        "cases.Person",
        verbose_name=_("授意的主管领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instigated_failures",
    )
    # The suggestion as made at registration (R-FAIL); never recomputed.
    ordinal = models.PositiveSmallIntegerField(_("第几次"))
    suggested_outcome = models.CharField(_("建议处理"), max_length=100)
    suggested_kinds = models.JSONField(_("建议的处理处分种类"), default=list)
    suggestion_basis = models.TextField(_("建议依据"))
    supervisor_suggestion = models.TextField(_("对主管领导的建议"), blank=True)
    # The decisions, taken through the sanctions register.
    officer_sanction = models.OneToOneField(
        "Sanction", verbose_name=_("对执法人员的处理"), null=True, blank=True, on_delete=models.PROTECT, related_name="failure_as_officer"
    )
    supervisor_sanction = models.OneToOneField(
        "Sanction", verbose_name=_("对主管领导的处理"), null=True, blank=True, on_delete=models.PROTECT, related_name="failure_as_supervisor"
    )
    deviation_reason = models.TextField(_("未采纳建议的理由"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("不记录或不如实记录")
        verbose_name_plural = _("不记录或不如实记录")
        ordering = ["-confirmed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "ordinal"], name="failure_ordinal_per_officer"),
            models.CheckConstraint(condition=models.Q(instigated=False) | models.Q(supervisor__isnull=False), name="failure_instigator_named"),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} #{self.ordinal} {self.get_kind_display()}"

    @property
    def decided(self) -> bool:
        return self.officer_sanction_id is not None and (not self.instigated or self.supervisor_sanction_id is not None)



class PersonnelAction(models.Model):
    """A personnel action (免职、调离、辞退、降级、撤职、开除) entered by an administrator. Against a
    protected recorder — anyone who has made a record — it needs its legal ground and procedure
    ("非因法定事由，非经法定程序，不得…", 000 第七条; 001 内部人员制度 第七条, 领导干部制度 第六条) and
    raises one RetaliationAlert to the discipline body of the person's unit."""

    class Kind(models.TextChoices):
        REMOVAL = "removal", _("免职")
        TRANSFER = "transfer", _("调离")
        DISMISSAL = "dismissal", _("辞退")
        DEMOTION = "demotion", _("降级")
        DISMISSAL_FROM_POST = "dismissal_post", _("撤职")
        EXPULSION = "expulsion", _("开除")
        # The articles' list ends in 等处分: it is open, so any other adverse action counts too.
        OTHER = "other", _("其他不利处理")

    person = models.ForeignKey("cases.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="personnel_actions")
    kind = models.CharField(_("人事处理"), max_length=16, choices=Kind.choices)
    description = models.CharField(_("处理内容"), max_length=200, blank=True, help_text=_("“其他不利处理”写明具体处理。"))
    effective_on = models.DateField(_("决定日期"))
    legal_ground = models.TextField(_("法定事由及依据"))
    procedure = models.TextField(_("履行的法定程序"))
    document_number = models.CharField(_("决定文号"), max_length=100, blank=True)
    protected_recorder = models.BooleanField(_("系受保护的记录人"), default=False, editable=False)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("录入时间"))

    class Meta:
        verbose_name = _("人事处理")
        verbose_name_plural = _("人事处理")
        ordering = ["-entered_at", "-id"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind_label}"

    @property
    def kind_label(self) -> str:
        """The action as shown: its kind, or what an "other adverse action" was."""
        if self.kind == self.Kind.OTHER and self.description:
            return f"{self.get_kind_display()}：{self.description}"
        return str(self.get_kind_display())



class RetaliationAlert(models.Model):
    """Raised once per personnel action against a protected recorder (R-PROTECT). It stays open on the
    discipline side until staff of the body review it and record a conclusion."""

    class Conclusion(models.TextChoices):
        LAWFUL = "lawful", _("有法定事由、经法定程序，未发现打击报复")
        SUSPECTED = "suspected", _("存在打击报复嫌疑，立案核查")
        RETALIATION = "retaliation", _("认定为打击报复，依纪依法处理")

    action = models.OneToOneField(PersonnelAction, verbose_name=_("人事处理"), on_delete=models.PROTECT, related_name="alert")
    body = models.ForeignKey("cases.Unit", verbose_name=_("纪检监察机构"), on_delete=models.PROTECT, related_name="retaliation_alerts")
    raised_at = models.DateTimeField(_("预警时间"))
    conclusion = models.CharField(_("审查结论"), max_length=16, choices=Conclusion.choices, blank=True)
    findings = EncryptedTextField(_("审查情况"), blank=True)
    reviewed_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审查人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("打击报复预警")
        verbose_name_plural = _("打击报复预警")
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["body"], name="alert_open_idx", condition=models.Q(reviewed_at__isnull=True))]

    def __str__(self) -> str:
        return f"{self.action_id} · {self.get_conclusion_display() or _('待审查')}"

    @property
    def is_open(self) -> bool:
        return self.reviewed_at is None



class RetaliationComplaint(models.Model):
    """A recorder's complaint of retaliation (打击报复控告, 000 第七条 "领导干部不得对报告人员打击报复";
    001 第七条/第六条; 002 第六条), filed from their record page. A case for the discipline body of the
    recorder's unit, linked to the record and to the person complained about — who never sees it."""

    class Conclusion(models.TextChoices):
        FOUNDED = "founded", _("属实，依纪依法处理")
        PARTLY = "partly", _("部分属实")
        UNFOUNDED = "unfounded", _("不属实")

    record = models.ForeignKey(
        "records.InterferenceRecord", verbose_name=_("相关记录"), on_delete=models.PROTECT, related_name="retaliation_complaints"
    )
    complainant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("控告人"), on_delete=models.PROTECT, related_name="+")
    body = models.ForeignKey("cases.Unit", verbose_name=_("受理机构"), on_delete=models.PROTECT, related_name="retaliation_complaints")
    respondent = models.ForeignKey(
        "cases.Person", verbose_name=_("被控告人（人员库）"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    respondent_name = models.CharField(_("被控告人姓名"), max_length=50)
    respondent_position = models.CharField(_("被控告人职务"), max_length=100, blank=True)
    occurred_on = models.DateField(_("打击报复发生日期"))
    description = EncryptedTextField(_("打击报复情况"))
    filed_at = models.DateTimeField(_("控告时间"))
    conclusion = models.CharField(_("办理结论"), max_length=16, choices=Conclusion.choices, blank=True)
    findings = EncryptedTextField(_("核查情况"), blank=True)
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("办结人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("打击报复控告")
        verbose_name_plural = _("打击报复控告")
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.record_id} · {self.respondent_name}"

    @property
    def is_open(self) -> bool:
        return self.concluded_at is None
