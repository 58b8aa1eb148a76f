"""Interference records (the 登记表), their evidence and amendments, the behaviour catalogue, and the
holiday overrides of the working-day calendar."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from .querysets import RecordQuerySet


class HolidayOverride(models.Model):
    """One day whose working/non-working status an administrator has fixed, usually from a State
    Council notice (国务院办公厅关于某年部分节假日安排的通知). It wins over the package and the
    provisional calendar (DESIGN §5)."""

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)
    source = models.CharField(_("依据文号"), max_length=100, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.PROTECT
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = _("工作日") if self.is_working_day else _("休息日")
        return f"{self.date:%Y-%m-%d} {kind}"


class CalendarYear(models.Model):
    """Marks a year whose official schedule an administrator has entered in full as HolidayOverride
    rows. For such a year, a day without an override is an ordinary weekday/weekend day: neither the
    package nor the provisional statutory holidays apply any more."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    source = models.CharField(_("依据文号"), max_length=100, help_text=_("如：国办发明电〔2026〕X号"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.PROTECT
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度放假安排")
        verbose_name_plural = _("年度放假安排")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}（{self.source}）"


class CalendarRecompute(models.Model):
    """A pending recomputation of open deadlines after the calendar of `year` changed. The database
    row is the source of truth; the Celery task that processes it is only a doorbell, so a broker
    outage delays the work but never loses it."""

    year = models.PositiveSmallIntegerField(_("年度"))
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    changed = models.PositiveIntegerField(_("调整记录数"), default=0)

    class Meta:
        verbose_name = _("期限重算")
        verbose_name_plural = _("期限重算")
        ordering = ["requested_at"]
        indexes = [models.Index(fields=["requested_at"], name="recompute_pending_idx", condition=models.Q(done_at__isnull=True))]

    def __str__(self) -> str:
        return f"{self.year}"


class BehaviourCategory(models.Model):
    """An item of the behaviour catalogue (R-CAT): the union of the documents' lists of reportable
    behaviours, each citing its sources. Retired items are deactivated, never deleted, because old
    records point at them."""

    code = models.CharField(_("编码"), max_length=16, unique=True)
    name = models.CharField(_("行为类别"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    sources = models.CharField(_("依据条款"), max_length=300)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("干预行为类别")
        verbose_name_plural = _("干预行为类别")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class InterferenceRecord(models.Model):
    """The registration form (《内部人员过问案件办理行为登记表》, 002 第五条) for one inquiry or
    interference. A draft can be edited by its recorder; once submitted (报送) it is frozen and only
    amendments are appended (000 第六条 全程留痕)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已报送")
        RECEIVED = "received", _("已受理")
        VERIFIED = "verified", _("已核实")
        HANDLED = "handled", _("已处理")
        CLOSED = "closed", _("已办结")

    class Channel(models.TextChoices):
        ORAL = "oral", _("当面口头")
        PHONE = "phone", _("电话")
        PAPER = "paper", _("纸质书面")
        ELECTRONIC = "electronic", _("电子信息")
        ORG_LETTER = "org_letter", _("以组织名义发文发函")
        MEETING = "meeting", _("约见或私下会见")

    class InterfererKind(models.TextChoices):
        LEADER = "leader", _("领导干部")
        INSIDER = "insider", _("本单位内部人员")
        PROXY = "proxy", _("领导干部身边工作人员或亲属")
        SUPERIOR_STAFF = "superior_staff", _("上级机关工作人员")
        ORGANISATION = "organisation", _("以组织名义")
        OTHER = "other", _("其他")

    class ProxyRelation(models.TextChoices):
        AIDE = "aide", _("身边工作人员")
        RELATIVE = "relative", _("亲属")

    class Nature(models.TextChoices):
        PROCEDURAL = "procedural", _("依程序过问")
        INTERFERENCE = "interference", _("违规干预")

    class Response(models.TextChoices):
        REFUSED = "refused", _("予以拒绝")
        TOLD_PROCEDURE = "told_procedure", _("告知依程序办理")
        OTHER = "other", _("其他")

    serial = models.CharField(_("登记编号"), max_length=32, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("涉及案件"), null=True, blank=True, on_delete=models.PROTECT, related_name="records"
    )
    matter = models.CharField(_("涉及事项"), max_length=200, blank=True, help_text=_("尚未立案时填写所涉事项。"))
    recorder = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="records"
    )
    recorder_unit = models.ForeignKey(
        "cases.Unit", verbose_name=_("记录人单位"), on_delete=models.PROTECT, related_name="records"
    )
    occurred_at = models.DateTimeField(_("过问时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    channel = models.CharField(_("过问方式"), max_length=16, choices=Channel.choices)

    interferer = models.ForeignKey(
        "cases.Person",
        verbose_name=_("过问人（人员库）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interferences",
    )
    interferer_name = models.CharField(_("过问人姓名"), max_length=50)
    interferer_position = models.CharField(_("过问人职务"), max_length=100)
    interferer_unit = models.CharField(_("过问人单位"), max_length=100, blank=True)
    # Blank only on a quick-capture draft (快速登记); submission requires it (records.rules.missing_fields).
    interferer_kind = models.CharField(_("过问人类别"), max_length=16, choices=InterfererKind.choices, blank=True)

    # R-PROXY: interference through an aide, a relative or an organisation's letter is recorded
    # against the leader behind it too (001 第五条; 000 第八条(三)).
    proxy_relation = models.CharField(_("与领导干部关系"), max_length=16, choices=ProxyRelation.choices, blank=True)
    behind_person = models.ForeignKey(
        "cases.Person",
        verbose_name=_("背后领导干部（人员库）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proxied_interferences",
    )
    behind_name = models.CharField(_("背后领导干部姓名"), max_length=50, blank=True)
    behind_position = models.CharField(_("背后领导干部职务"), max_length=100, blank=True)
    # The written names without white space (records.rules.norm_name), set by the services whenever
    # the names are written: the conflict-of-interest rule compares them with a plain equality.
    interferer_norm = models.CharField(_("过问人姓名（去空白）"), max_length=50, blank=True, editable=False)
    behind_norm = models.CharField(_("背后领导干部姓名（去空白）"), max_length=50, blank=True, editable=False)
    letter_organization = models.CharField(_("发文发函组织"), max_length=100, blank=True)
    letter_number = models.CharField(_("来文文号"), max_length=100, blank=True)

    content = models.TextField(_("过问内容"), help_text=_("如实记录对方所说、所要求的内容（文字材料）。"))
    categories = models.ManyToManyField(
        BehaviourCategory, verbose_name=_("行为类别"), blank=True, related_name="records"
    )
    nature = models.CharField(_("初步定性"), max_length=16, choices=Nature.choices, blank=True)
    response = models.CharField(_("处置情况"), max_length=16, choices=Response.choices, blank=True)
    response_note = models.TextField(_("处置说明"), blank=True)
    missing_evidence_reason = models.TextField(
        _("未留存材料说明"), blank=True, help_text=_("按过问方式应留存的材料（如录音、电子信息、纸质材料）未能提供时，说明原因。")
    )

    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    due_at = models.DateTimeField(_("报送期限"))
    calendar_provisional = models.BooleanField(
        _("期限依据暂定日历"), default=False, help_text=_("期限所在年度国务院尚未公布放假安排，按法定节日暂定。")
    )
    also_report_higher = models.BooleanField(
        _("同时报上一级纪检监察机构"), default=False, help_text=_("必要时可同时向上一级纪委监委报告（十堰000第九条）。")
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    late_reason = models.TextField(_("逾期说明"), blank=True)
    # When the reminder sweep must next look at this record (R-REMIND); empty when nothing more is
    # owed. The sweep reads only rows whose time has come, through a partial index.
    next_notice_at = models.DateTimeField(_("下次提醒时间"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("干预过问记录")
        verbose_name_plural = _("干预过问记录")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["recorder", "-occurred_at"], name="record_recorder_idx"),
            # Open records by deadline: what the reminder sweep and overdue lists read.
            models.Index(fields=["due_at"], name="record_open_due_idx", condition=models.Q(status="draft")),
            models.Index(fields=["next_notice_at"], name="record_next_notice_idx", condition=models.Q(next_notice_at__isnull=False)),
            # Period figures (dashboard, reports, ledger): the period drives the plan nationally, the
            # unit subtree and the period within one city or county (issue 10).
            models.Index(fields=["occurred_at"], name="record_occurred_idx"),
            models.Index(fields=["recorder_unit", "occurred_at"], name="record_unit_occurred_idx"),
            # Records about a person by written name only (RecordQuerySet.of_party): the name is
            # compared only where the record has no registry link.
            models.Index(fields=["interferer_norm"], name="record_interferer_norm_idx", condition=models.Q(interferer__isnull=True)),
            models.Index(
                fields=["behind_norm"], name="record_behind_norm_idx", condition=models.Q(behind_person__isnull=True) & ~models.Q(behind_norm="")
            ),
        ]

    def __str__(self) -> str:
        return self.serial

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def submitted_late(self) -> bool:
        return bool(self.submitted_at and self.submitted_at > self.due_at)


class RecordUserObjectPermission(UserObjectPermissionBase):
    """Guardian per-user grants on records, with a direct foreign key (the generic table scans)."""

    content_object = models.ForeignKey(InterferenceRecord, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("记录用户授权")
        verbose_name_plural = _("记录用户授权")


class RecordGroupObjectPermission(GroupObjectPermissionBase):
    """Guardian per-group grants on records (e.g. a discipline body's staff group)."""

    content_object = models.ForeignKey(InterferenceRecord, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("记录用户组授权")
        verbose_name_plural = _("记录用户组授权")


def evidence_path(instance: "Evidence", filename: str) -> str:
    # The stored name is the content hash, never the user's file name: no traversal, no collisions.
    return f"{instance.sha256[:2]}/{instance.sha256}"


def evidence_storage():
    from django.core.files.storage import storages

    return storages["evidence"]


class Evidence(models.Model):
    """A file kept with a record (录音, 截图, 扫描件...). Stored before the record commits, hash-checked,
    and downloadable only through a view that checks permission. `record` is empty while the file is
    staged on a form that has not been saved yet, so a failed form loses no upload."""

    class Kind(models.TextChoices):
        RECORDING = "recording", _("录音")
        ELECTRONIC = "electronic", _("电子信息（截图、导出）")
        PAPER_SCAN = "paper_scan", _("纸质材料扫描件")
        WRITTEN = "written", _("书面记录")
        OTHER = "other", _("其他")

    record = models.ForeignKey(
        InterferenceRecord,
        verbose_name=_("所属记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    kind = models.CharField(_("材料类型"), max_length=16, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to=evidence_path, storage=evidence_storage, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("文件类型"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("证据材料")
        verbose_name_plural = _("证据材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Amendment(models.Model):
    """A correction or addition appended to a submitted record (补充说明). Never edited."""

    record = models.ForeignKey(
        InterferenceRecord, verbose_name=_("所属记录"), on_delete=models.PROTECT, related_name="amendments"
    )
    text = models.TextField(_("补充内容"))
    reason = models.TextField(_("补充原因"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("补充人"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("补充时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("补充说明")
        verbose_name_plural = _("补充说明")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.record} #{self.pk}"


class Notification(models.Model):
    """An in-app notice (and e-mail, when the recipient has an address). The unique constraint on
    (recipient, kind, key) makes a second send of the same notice impossible, whatever happens to
    workers, beat or the broker (R-REMIND: each notice is sent once)."""

    class Kind(models.TextChoices):
        DUE_TOMORROW = "due_tomorrow", _("报送期限提醒（前一工作日）")
        DUE_TODAY = "due_today", _("报送期限提醒（到期日）")
        OVERDUE_SECTION_HEAD = "overdue_section_head", _("逾期未报送（科室负责人）")
        OVERDUE_DISCIPLINE = "overdue_discipline", _("逾期未报送（纪检监察）")
        OVERDUE_DIGEST = "overdue_digest", _("逾期未报送每日汇总")
        SUBMITTED = "submitted", _("收到报送记录")
        DEADLINE_MOVED = "deadline_moved", _("报送期限调整")
        CALENDAR_MISSING = "calendar_missing", _("下一年度放假安排未录入")
        RETALIATION_ALERT = "retaliation_alert", _("受保护记录人人事处理预警")
        RETALIATION_COMPLAINT = "retaliation_complaint", _("收到打击报复控告")
        COMPLAINT_CONCLUDED = "complaint_concluded", _("打击报复控告办理结果")
        ZERO_REPORT_DUE = "zero_report_due", _("月度零报告提醒")
        # Fault accountability and error tolerance (R-FAULT, R-TOL).
        FAULT_DEADLINE = "fault_deadline", _("过错追究与容错纠错期限提醒")
        FAULT_OVERDUE = "fault_overdue", _("过错追究与容错纠错期限已逾期")
        RECURRING_ERRORS = "recurring_errors", _("同类执法错误频繁出现")
        CAMPAIGN_DEADLINE = "campaign_deadline", _("专项行动整改时限提醒")
        CAMPAIGN_OVERDUE = "campaign_overdue", _("专项行动整改逾期督办")
        ROLE_CHANGED = "role_changed", _("账户角色变更")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    # What makes this notice unique for its recipient and kind: the record (and its due date, for
    # reminders that a moved deadline makes owed again), or the day for a daily digest.
    key = models.CharField(_("去重键"), max_length=64)
    record = models.ForeignKey(
        InterferenceRecord, verbose_name=_("相关记录"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    # True while an e-mail is owed (the recipient had an address when the notice was made).
    email_pending = models.BooleanField(_("待发邮件"), default=False)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "kind", "key"], name="notification_once")]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(fields=["recipient"], name="notification_unread_idx", condition=models.Q(read_at__isnull=True)),
            models.Index(fields=["created_at"], name="notification_unmailed_idx", condition=models.Q(email_pending=True)),
        ]

    def __str__(self) -> str:
        return self.title


class ZeroReport(models.Model):
    """An officer's monthly declaration (零报告): either that nothing of the kind happened in the month
    or that everything that happened was recorded, with the number of records the officer had made in
    the month when declaring. One per officer and month; never edited. The documents require complete
    recording (000 第六条; 001 第六条; 002 第五条) but give no way to notice silence; this declaration
    is the system's answer (issue 6)."""

    class Declaration(models.TextChoices):
        NONE = "none", _("本月无领导干部干预、内部人员过问案件情况")
        ALL_RECORDED = "all_recorded", _("本月领导干部干预、内部人员过问案件情况已全部如实记录")

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申报人"), on_delete=models.PROTECT, related_name="zero_reports"
    )
    unit = models.ForeignKey("cases.Unit", verbose_name=_("申报时所在单位"), on_delete=models.PROTECT, related_name="zero_reports")
    month = models.DateField(_("所属月份"), help_text=_("该月第一天。"))
    declaration = models.CharField(_("申报内容"), max_length=16, choices=Declaration.choices)
    declared_count = models.PositiveIntegerField(_("申报时本月记录数"))
    declared_at = models.DateTimeField(_("申报时间"))
    late = models.BooleanField(_("逾期申报"), default=False)

    class Meta:
        verbose_name = _("零报告")
        verbose_name_plural = _("零报告")
        ordering = ["-month", "unit_id", "officer_id"]
        constraints = [models.UniqueConstraint(fields=["officer", "month"], name="zero_report_once_per_month")]
        indexes = [models.Index(fields=["month", "unit"], name="zero_report_month_idx")]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.month:%Y-%m}"
