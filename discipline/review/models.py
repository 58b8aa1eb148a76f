"""The discipline side (R-ROUTE, R-VERIFY, R-SPECIAL, R-SANCTION): where a submitted record was
routed, the principal leader's instruction (批示), the discipline body's review, special reports,
handling decisions, notice letters (通报函) and the sanctions register.

State changes are made only by ``discipline.review.services``; these models hold no logic."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.encryption.fields import EncryptedTextField
from discipline.review import rules


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
    text = EncryptedTextField(_("批示内容"))
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
    findings = EncryptedTextField(_("核实情况"), blank=True)
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
    committee (特别事项, R-SPECIAL). 001 领导干部制度 第七条: "局党委经讨论认为…情节严重，可能影响案件办理
    的，作为特别事项及时报告市委市政府" — the committee decides after discussion and reports on; so the
    report also keeps who decided, on what day, at which meeting, and to whom and when it went on."""

    class Decision(models.TextChoices):
        ESCALATE = "escalate", _("经讨论认为情节严重、可能影响案件办理，作为特别事项报告")
        NOT_ESCALATE = "not_escalate", _("经讨论认为不作为特别事项报告")

    review = models.OneToOneField(Review, verbose_name=_("核实"), on_delete=models.PROTECT, related_name="special")
    addressee = models.CharField(_("报送对象"), max_length=100)
    summary = EncryptedTextField(_("报告内容"))
    reported_at = models.DateTimeField(_("报告时间"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报告人"), on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("党委讨论决定"), max_length=16, choices=Decision.choices, blank=True)
    decided_by = models.CharField(_("作出决定的党委（党组）"), max_length=100, blank=True)
    decided_on = models.DateField(_("讨论决定日期"), null=True, blank=True)
    meeting = models.CharField(_("会议及纪要"), max_length=200, blank=True)
    escalated_to = models.CharField(_("报告对象"), max_length=100, blank=True)
    escalated_on = models.DateField(_("报告日期"), null=True, blank=True)
    decision_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("决定登记人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_recorded_at = models.DateTimeField(_("决定登记时间"), null=True, blank=True)
    # 发文字号, numbered per reporting body and year (discipline.common.numbering).
    number_year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    number_seq = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    number = models.CharField(_("文号"), max_length=40, blank=True)

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
    decision = EncryptedTextField(_("处理决定"))
    internal_notice = EncryptedTextField(_("通报内容"), blank=True)
    internal_notice_on = models.DateField(_("通报日期"), null=True, blank=True)
    # 001 第八条: the notice is made "由局党委按程序报经批准后" / "按人事管理权限并报经批准后": who decided it,
    # who approved it and when, not only that it was made.
    notice_decided_by = models.CharField(_("通报决定机关"), max_length=100, blank=True)
    notice_approved_by = models.CharField(_("通报批准机关"), max_length=100, blank=True)
    notice_approved_on = models.DateField(_("通报批准日期"), null=True, blank=True)
    # The notice's 发文字号, numbered per issuing bureau and year (rules.circular_number).
    notice_issuer = models.ForeignKey(
        "cases.Unit", verbose_name=_("通报发文单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="circulars"
    )
    notice_year = models.PositiveSmallIntegerField(_("通报年度"), null=True, blank=True)
    notice_seq = models.PositiveIntegerField(_("通报序号"), null=True, blank=True)
    notice_number = models.CharField(_("通报文号"), max_length=40, blank=True)
    public_disclosure = models.BooleanField(_("向社会公开"), default=False)
    disclosure_reason = models.TextField(_("公开与否的理由"), blank=True)
    decided_at = models.DateTimeField(_("决定时间"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("决定人"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("处理决定")
        verbose_name_plural = _("处理决定")
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["notice_issuer", "notice_year", "notice_seq"], name="handling_notice_number_unique"),
        ]

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
    text = EncryptedTextField(_("正文"))
    issued_on = models.DateField(_("成文日期"))
    sent_on = models.DateField(_("发出日期"), null=True, blank=True)
    acknowledged_on = models.DateField(_("对方签收日期"), null=True, blank=True)
    outcome_received_on = models.DateField(_("收到处理结果日期"), null=True, blank=True)
    outcome = EncryptedTextField(_("处理结果"), blank=True)
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
    why it was imposed, its legal basis, dates, and — for an enforcement-fault decision only — the
    review-request window (30 日, 002 过错追究制度 第十二条, ``period_end``)."""

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

    class Ground(models.TextChoices):
        INTERFERENCE = rules.GROUND_INTERFERENCE, rules.SANCTION_GROUNDS[rules.GROUND_INTERFERENCE]
        FAILURE = rules.GROUND_FAILURE, rules.SANCTION_GROUNDS[rules.GROUND_FAILURE]
        RETALIATION = rules.GROUND_RETALIATION, rules.SANCTION_GROUNDS[rules.GROUND_RETALIATION]
        FAULT = rules.GROUND_FAULT, rules.SANCTION_GROUNDS[rules.GROUND_FAULT]
        TOLERANCE = rules.GROUND_TOLERANCE, rules.SANCTION_GROUNDS[rules.GROUND_TOLERANCE]
        OTHER = rules.GROUND_OTHER, rules.SANCTION_GROUNDS[rules.GROUND_OTHER]

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
    # Why: the default legal basis and whether a review window is counted follow it (issue 19).
    # Blank on entries made before it was asked.
    ground = models.CharField(_("处理事由"), max_length=16, choices=Ground.choices, blank=True)
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
