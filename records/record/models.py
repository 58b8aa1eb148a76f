"""Interference records (the 登记表), their evidence and amendments, and the behaviour catalogue."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.encryption.fields import EncryptedTextField

from .querysets import RecordQuerySet

# Fields an officer fills in on the 登记表; everything else is set by services.
RECORD_FIELDS: tuple[str, ...] = (
    "case", "matter", "occurred_at", "place", "channel",
    "interferer", "interferer_name", "interferer_position", "interferer_unit", "interferer_kind",
    "proxy_relation", "behind_person", "behind_name", "behind_position",
    "letter_organization", "letter_number",
    "content", "nature", "response", "response_note", "missing_evidence_reason",
)  # fmt: skip


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
        # Two state machines share this column: draft → submitted is written by records.record.services
        # alone, the rest by discipline.review.states alone (records may not import discipline).
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
    # Blank only on a quick-capture draft (快速登记); submission requires it (rules.incomplete_fields).
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
    # The written names without white space (rules.norm_name), set by the services whenever
    # the names are written: the conflict-of-interest rule compares them with a plain equality.
    interferer_norm = models.CharField(_("过问人姓名（去空白）"), max_length=50, blank=True, editable=False)
    behind_norm = models.CharField(_("背后领导干部姓名（去空白）"), max_length=50, blank=True, editable=False)
    letter_organization = models.CharField(_("发文发函组织"), max_length=100, blank=True)
    letter_number = models.CharField(_("来文文号"), max_length=100, blank=True)

    # What was said and asked, and the officer's notes, are encrypted at rest (SM4, cases.encryption):
    # never filtered or searched in the database.
    content = EncryptedTextField(_("过问内容"), help_text=_("如实记录对方所说、所要求的内容（文字材料）。"))
    categories = models.ManyToManyField(
        BehaviourCategory, verbose_name=_("行为类别"), blank=True, related_name="records"
    )
    nature = models.CharField(_("初步定性"), max_length=16, choices=Nature.choices, blank=True)
    response = models.CharField(_("处置情况"), max_length=16, choices=Response.choices, blank=True)
    response_note = EncryptedTextField(_("处置说明"), blank=True)
    missing_evidence_reason = EncryptedTextField(
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
    late_reason = EncryptedTextField(_("逾期说明"), blank=True)
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
    text = EncryptedTextField(_("补充内容"))
    reason = EncryptedTextField(_("补充原因"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("补充人"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("补充时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("补充说明")
        verbose_name_plural = _("补充说明")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.record} #{self.pk}"
