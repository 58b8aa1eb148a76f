"""The discipline side (R-ROUTE, R-VERIFY, R-SPECIAL, R-SANCTION): where a submitted record was
routed, the principal leader's instruction (批示), the discipline body's review, special reports,
handling decisions, notice letters (通报函) and the sanctions register.

State changes are made only by ``discipline.services``; these models hold no logic."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import rules


class Routing(models.Model):
    """One addressee of a submitted record (R-ROUTE): a discipline body (its staff group holds the
    view grant) or a principal leader (a user grant). Inboxes are plain queries over these rows."""

    class Role(models.TextChoices):
        DISCIPLINE = "discipline", _("受理纪检监察机构")
        PRINCIPAL = "principal", _("主要领导批示")
        HIGHER = "higher", _("上一级纪检监察机构")

    record = models.ForeignKey(
        "records.InterferenceRecord", verbose_name=_("记录"), on_delete=models.PROTECT, related_name="routings"
    )
    role = models.CharField(_("分送类型"), max_length=16, choices=Role.choices)
    body = models.ForeignKey(
        "cases.Unit", verbose_name=_("纪检监察机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="routings"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("批示领导"), null=True, blank=True, on_delete=models.PROTECT, related_name="routings"
    )
    created_at = models.DateTimeField(_("分送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("记录分送")
        verbose_name_plural = _("记录分送")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(body__isnull=False, user__isnull=True) | models.Q(body__isnull=True, user__isnull=False)),
                name="routing_body_xor_user",
            ),
            models.UniqueConstraint(fields=["record", "role", "body"], condition=models.Q(body__isnull=False), name="routing_unique_body"),
            models.UniqueConstraint(fields=["record", "role", "user"], condition=models.Q(user__isnull=False), name="routing_unique_user"),
        ]
        indexes = [
            models.Index(fields=["body", "role"], name="routing_body_idx"),
            models.Index(fields=["user", "role"], name="routing_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} → {self.body_id or self.user_id} ({self.role})"


class Instruction(models.Model):
    """The principal leader's instruction (批示) on a record routed to them (002 第五条)."""

    record = models.ForeignKey(
        "records.InterferenceRecord", verbose_name=_("记录"), on_delete=models.PROTECT, related_name="instructions"
    )
    principal = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("批示领导"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("批示内容"))
    given_at = models.DateTimeField(_("批示时间"))

    class Meta:
        verbose_name = _("领导批示")
        verbose_name_plural = _("领导批示")
        ordering = ["given_at", "id"]
        constraints = [models.UniqueConstraint(fields=["record", "principal"], name="instruction_once_per_principal")]

    def __str__(self) -> str:
        return f"{self.record_id} · {self.principal_id}"


class Review(models.Model):
    """The discipline body's receipt and verification (核实) of one record (R-VERIFY, 000 第九条)."""

    class Conclusion(models.TextChoices):
        FOUNDED = rules.FOUNDED, _("属实")
        PARTLY = rules.PARTLY_FOUNDED, _("部分属实")
        UNFOUNDED = rules.UNFOUNDED, _("不属实")
        NORMAL_DUTY = rules.NORMAL_DUTY, _("属正常履职")

    class Seriousness(models.TextChoices):
        MINOR = "minor", _("情节轻微")
        GENERAL = "general", _("情节一般")
        SERIOUS = "serious", _("情节严重")

    record = models.OneToOneField(
        "records.InterferenceRecord", verbose_name=_("记录"), on_delete=models.PROTECT, related_name="review"
    )
    body = models.ForeignKey("cases.Unit", verbose_name=_("受理机构"), on_delete=models.PROTECT, related_name="reviews")
    received_at = models.DateTimeField(_("签收时间"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签收人"), on_delete=models.PROTECT, related_name="+")
    conclusion = models.CharField(_("核实结论"), max_length=16, choices=Conclusion.choices, blank=True)
    findings = models.TextField(_("核实情况"), blank=True)
    seriousness = models.CharField(_("情节"), max_length=16, choices=Seriousness.choices, blank=True)
    affects_case = models.BooleanField(_("可能影响案件办理"), default=False)
    special_report = models.BooleanField(_("作为特别事项报告"), default=False)
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("核实人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("核实")
        verbose_name_plural = _("核实")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["conclusion"], name="review_conclusion_idx")]

    def __str__(self) -> str:
        return f"{self.record_id} · {self.get_conclusion_display() or '—'}"


class SpecialReport(models.Model):
    """A serious verified case that may affect case handling, reported at once to the unit's party
    committee as a special matter (特别事项, R-SPECIAL, 001 第七条)."""

    review = models.OneToOneField(Review, verbose_name=_("核实"), on_delete=models.PROTECT, related_name="special")
    addressee = models.CharField(_("报送对象"), max_length=100)
    summary = models.TextField(_("报告内容"))
    reported_at = models.DateTimeField(_("报告时间"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报告人"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("特别事项报告")
        verbose_name_plural = _("特别事项报告")
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.review.record_id} · {self.addressee}"


class Handling(models.Model):
    """The handling decision (处理) for a verified record (R-VERIFY, 000 第九条; 001 第八条): for an
    interferer of the own unit, the decision, an internal notice (通报) and a recorded decision on
    public disclosure; for another unit's, a notice letter to that person's party organisation."""

    class Kind(models.TextChoices):
        OWN_UNIT = "own_unit", _("本单位人员：处理并通报")
        OTHER_UNIT = "other_unit", _("非本单位人员：向其所在党组织通报")
        NO_ACTION = "no_action", _("不予处理（不属实或属正常履职）")

    record = models.OneToOneField(
        "records.InterferenceRecord", verbose_name=_("记录"), on_delete=models.PROTECT, related_name="handling"
    )
    kind = models.CharField(_("处理方式"), max_length=16, choices=Kind.choices)
    person = models.ForeignKey(
        "cases.Person", verbose_name=_("被处理人"), null=True, blank=True, on_delete=models.PROTECT, related_name="handlings"
    )
    decision = models.TextField(_("处理决定"))
    internal_notice = models.TextField(_("通报内容"), blank=True)
    internal_notice_on = models.DateField(_("通报日期"), null=True, blank=True)
    public_disclosure = models.BooleanField(_("向社会公开"), default=False)
    disclosure_reason = models.TextField(_("公开与否的理由"), blank=True)
    decided_at = models.DateTimeField(_("决定时间"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("决定人"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("处理决定")
        verbose_name_plural = _("处理决定")
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.record_id} · {self.get_kind_display()}"


class NoticeLetter(models.Model):
    """A numbered notice letter (通报函, 000 第九条) to the party organisation of an interferer of
    another unit, copied to the same-level discipline commission. The PDF is rendered from these
    stored fields, so it is the same every time it is printed."""

    handling = models.OneToOneField(Handling, verbose_name=_("处理决定"), on_delete=models.PROTECT, related_name="letter")
    body = models.ForeignKey("cases.Unit", verbose_name=_("发文机构"), on_delete=models.PROTECT, related_name="notice_letters")
    year = models.PositiveSmallIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("文号"), max_length=40)
    addressee = models.CharField(_("主送"), max_length=100)
    cc = models.CharField(_("抄送"), max_length=100)
    subject_name = models.CharField(_("被通报人"), max_length=50)
    subject_position = models.CharField(_("被通报人职务"), max_length=100)
    text = models.TextField(_("正文"))
    issued_on = models.DateField(_("成文日期"))
    sent_on = models.DateField(_("发出日期"), null=True, blank=True)
    acknowledged_on = models.DateField(_("对方签收日期"), null=True, blank=True)
    outcome_received_on = models.DateField(_("收到处理结果日期"), null=True, blank=True)
    outcome = models.TextField(_("处理结果"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("制发人"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("通报函")
        verbose_name_plural = _("通报函")
        ordering = ["-year", "-seq"]
        constraints = [models.UniqueConstraint(fields=["body", "year", "seq"], name="notice_letter_number_unique")]

    def __str__(self) -> str:
        return self.number


class Sanction(models.Model):
    """One outcome in the sanctions register (R-SANCTION: 000 第十条; 001 第九条; 004 第十八条), with
    its legal basis, dates, and the review-request window (30 日, 002 第十二条, ``period_end``)."""

    class Kind(models.TextChoices):
        # Labels come from the pure rule table so the register and the rules cannot drift apart.
        PARTY_WARNING = "party_warning", rules.SANCTION_TYPES["party_warning"][1]
        PARTY_SERIOUS_WARNING = "party_serious_warning", rules.SANCTION_TYPES["party_serious_warning"][1]
        PARTY_REMOVAL = "party_removal", rules.SANCTION_TYPES["party_removal"][1]
        PARTY_PROBATION = "party_probation", rules.SANCTION_TYPES["party_probation"][1]
        PARTY_EXPULSION = "party_expulsion", rules.SANCTION_TYPES["party_expulsion"][1]
        GOV_WARNING = "gov_warning", rules.SANCTION_TYPES["gov_warning"][1]
        GOV_DEMERIT = "gov_demerit", rules.SANCTION_TYPES["gov_demerit"][1]
        GOV_MAJOR_DEMERIT = "gov_major_demerit", rules.SANCTION_TYPES["gov_major_demerit"][1]
        GOV_DEMOTION = "gov_demotion", rules.SANCTION_TYPES["gov_demotion"][1]
        GOV_DISMISSAL_POST = "gov_dismissal_post", rules.SANCTION_TYPES["gov_dismissal_post"][1]
        GOV_EXPULSION = "gov_expulsion", rules.SANCTION_TYPES["gov_expulsion"][1]
        ORG_TALK = "org_talk", rules.SANCTION_TYPES["org_talk"][1]
        ORG_CRITICISM = "org_criticism", rules.SANCTION_TYPES["org_criticism"][1]
        ORG_SELF_EXAMINATION = "org_self_examination", rules.SANCTION_TYPES["org_self_examination"][1]
        ORG_ADMONITION = "org_admonition", rules.SANCTION_TYPES["org_admonition"][1]
        ORG_CIRCULATED_CRITICISM = "org_circulated_criticism", rules.SANCTION_TYPES["org_circulated_criticism"][1]
        ORG_NO_AWARD = "org_no_award", rules.SANCTION_TYPES["org_no_award"][1]
        ORG_TRANSFER = "org_transfer", rules.SANCTION_TYPES["org_transfer"][1]
        JUDICIAL_REFERRAL = "judicial_referral", rules.SANCTION_TYPES["judicial_referral"][1]

    class Group(models.TextChoices):
        PARTY = rules.PARTY, rules.SANCTION_GROUPS[rules.PARTY]
        GOVERNMENT = rules.GOVERNMENT, rules.SANCTION_GROUPS[rules.GOVERNMENT]
        ORGANISATIONAL = rules.ORGANISATIONAL, rules.SANCTION_GROUPS[rules.ORGANISATIONAL]
        JUDICIAL = rules.JUDICIAL, rules.SANCTION_GROUPS[rules.JUDICIAL]

    person = models.ForeignKey("cases.Person", verbose_name=_("被处理人"), on_delete=models.PROTECT, related_name="sanctions")
    record = models.ForeignKey(
        "records.InterferenceRecord", verbose_name=_("相关记录"), null=True, blank=True, on_delete=models.PROTECT, related_name="sanctions"
    )
    body = models.ForeignKey("cases.Unit", verbose_name=_("登记机构"), on_delete=models.PROTECT, related_name="sanctions")
    group = models.CharField(_("类别"), max_length=16, choices=Group.choices)
    kind = models.CharField(_("处理处分种类"), max_length=32, choices=Kind.choices)
    legal_basis = models.CharField(_("依据"), max_length=300)
    decided_on = models.DateField(_("决定日期"))
    notified_on = models.DateField(_("送达日期"), null=True, blank=True)
    review_deadline = models.DateField(_("复核申请期限"), null=True, blank=True)
    review_requested_on = models.DateField(_("申请复核日期"), null=True, blank=True)
    review_note = models.TextField(_("复核情况"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("处理处分")
        verbose_name_plural = _("处理处分")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.get_kind_display()}"


# --- Accountability (R-FAIL, R-PROTECT) ---------------------------------------------------------


class RecordingFailure(models.Model):
    """A confirmed failure of an officer to record interference, or to record it truthfully (不记录 /
    不如实记录, R-FAIL: 000 第十一条; 001 内部人员制度 第十条, 领导干部制度 第十条; 002 第十条).

    The suggestion of the pure rule (``accountability_rules.failure_suggestion``) is stored as it was
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
    source_detail = models.TextField(_("发现经过"))
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
    facts = models.TextField(_("认定事实"))
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

    person = models.ForeignKey("cases.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="personnel_actions")
    kind = models.CharField(_("人事处理"), max_length=16, choices=Kind.choices)
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
        return f"{self.person_id} {self.get_kind_display()}"


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
    findings = models.TextField(_("审查情况"), blank=True)
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
    description = models.TextField(_("打击报复情况"))
    filed_at = models.DateTimeField(_("控告时间"))
    conclusion = models.CharField(_("办理结论"), max_length=16, choices=Conclusion.choices, blank=True)
    findings = models.TextField(_("核查情况"), blank=True)
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

from .models_campaign import *  # noqa: E402,F403
from .models_fault import *  # noqa: E402,F403
from .models_figures import *  # noqa: E402,F403
from .models_reports import *  # noqa: E402,F403
