"""Self-inspection campaigns on enforcement conduct (R-CAMPAIGN, 003 《安全生產行政執法實施意見》):
a campaign with its phases and dates (§三: 自查自纠, 互查督查, 总结), the units taking part and the
lead group (§二 领导小组); the checklist of the six inspection areas of §三 with their questions
(seeded by a data migration, editable in the admin); each unit's answers in the self-check phase;
findings; rectification items with the person responsible and the deadline (§三 "落实整改责任和整改
时限"), evidence of completion and the checking unit's verification; the long-term mechanisms of §四
established per campaign; reopenings of the self-check by the lead.

State changes are made only by ``discipline.campaigns.services``; the rules are in ``discipline.campaigns.rules``.
These models hold no logic beyond display helpers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from discipline.campaigns import rules
from records.models import evidence_storage

__all__ = [
    "CampaignArea",
    "CampaignQuestion",
    "Campaign",
    "CampaignUnit",
    "CampaignAnswer",
    "CampaignFinding",
    "Rectification",
    "CampaignMechanism",
    "CampaignReopening",
]


class CampaignArea(models.Model):
    """One of the six inspection areas of 003 §三 (一是…六是)."""

    number = models.PositiveSmallIntegerField(_("序号"), unique=True)
    title = models.CharField(_("排查领域"), max_length=100)

    class Meta:
        verbose_name = _("自查领域")
        verbose_name_plural = _("自查领域")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class CampaignQuestion(models.Model):
    """A question of the checklist (003 §三: "是否…"). A question that has answers is never deleted;
    it is deactivated instead and stays on the campaigns that used it."""

    area = models.ForeignKey(CampaignArea, verbose_name=_("排查领域"), on_delete=models.PROTECT, related_name="questions")
    number = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("排查事项"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("自查事项")
        verbose_name_plural = _("自查事项")
        ordering = ["area__number", "number", "id"]
        constraints = [models.UniqueConstraint(fields=["area", "number"], name="campaignquestion_unique_number")]

    def __str__(self) -> str:
        return f"{self.area.number}.{self.number} {self.text[:30]}"


class Campaign(models.Model):
    """A self-inspection campaign (专项行动) with the dates of its three phases (003 §三 timetable:
    8月底之前完成自查自纠；9-11月组织开展互查督查；11-12月总结). Phases may overlap, as the
    document's own cross-check and summary do in November."""

    title = models.CharField(_("专项行动名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    body = models.ForeignKey(
        "cases.Unit", verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="campaigns",
        help_text=_("组织开展专项行动的单位（如局法规科所在的局机关）。"),
    )  # fmt: skip
    leads = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("领导小组成员"), related_name="led_campaigns")
    selfcheck_start = models.DateField(_("自查自纠开始"))
    selfcheck_end = models.DateField(_("自查自纠截止"))
    crosscheck_start = models.DateField(_("互查督查开始"))
    crosscheck_end = models.DateField(_("互查督查截止"))
    summary_start = models.DateField(_("总结开始"))
    summary_end = models.DateField(_("总结截止"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("自查自纠专项行动")
        verbose_name_plural = _("自查自纠专项行动")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title

    def timetable(self) -> rules.Timetable:
        return rules.Timetable(
            selfcheck=(self.selfcheck_start, self.selfcheck_end),
            crosscheck=(self.crosscheck_start, self.crosscheck_end),
            summary=(self.summary_start, self.summary_end),
        )


class CampaignUnit(models.Model):
    """A unit taking part, with the unit that checks it in the cross-check phase (互查)."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("专项行动"), on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey("cases.Unit", verbose_name=_("参加单位"), on_delete=models.PROTECT, related_name="campaign_parts")
    checker = models.ForeignKey(
        "cases.Unit", verbose_name=_("互查单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="campaign_checks"
    )
    selfcheck_submitted_at = models.DateTimeField(_("自查报送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("参加单位")
        verbose_name_plural = _("参加单位")
        ordering = ["campaign", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="campaignunit_unique")]

    def __str__(self) -> str:
        return f"{self.campaign_id} · {self.unit_id}"


class CampaignAnswer(models.Model):
    """A unit's answer to one checklist question in the self-check phase."""

    class Result(models.TextChoices):
        OK = rules.OK, _("无问题")
        PROBLEM = rules.PROBLEM, _("存在问题")
        NA = rules.NA, _("不适用")

    part = models.ForeignKey(CampaignUnit, verbose_name=_("参加单位"), on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(CampaignQuestion, verbose_name=_("排查事项"), on_delete=models.PROTECT, related_name="answers")
    result = models.CharField(_("自查结果"), max_length=8, choices=Result.choices)
    note = models.TextField(_("情况说明"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("填报时间"))

    class Meta:
        verbose_name = _("自查情况")
        verbose_name_plural = _("自查情况")
        ordering = ["part", "question__area__number", "question__number"]
        constraints = [models.UniqueConstraint(fields=["part", "question"], name="campaignanswer_unique")]

    def __str__(self) -> str:
        return f"{self.part_id} · {self.question_id}: {self.result}"


class CampaignFinding(models.Model):
    """A problem found (排查出的问题): by the unit's self-check (from an answer) or by the checking unit
    in the cross-check (互查督查)."""

    class Source(models.TextChoices):
        SELF = "self", _("自查发现")
        CROSS = "cross", _("互查督查发现")

    part = models.ForeignKey(CampaignUnit, verbose_name=_("参加单位"), on_delete=models.CASCADE, related_name="findings")
    area = models.ForeignKey(CampaignArea, verbose_name=_("排查领域"), on_delete=models.PROTECT, related_name="findings")
    answer = models.OneToOneField(
        CampaignAnswer, verbose_name=_("自查情况"), null=True, blank=True, on_delete=models.SET_NULL, related_name="finding"
    )
    source = models.CharField(_("发现方式"), max_length=8, choices=Source.choices, default=Source.SELF)
    description = models.TextField(_("问题描述"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("排查问题")
        verbose_name_plural = _("排查问题")
        ordering = ["part", "area__number", "id"]
        indexes = [models.Index(fields=["part", "area"], name="campaignfinding_part_area_idx")]

    def __str__(self) -> str:
        return f"问题 {self.pk}"


class Rectification(models.Model):
    """A rectification item (整改措施) of a finding: the measure, the person responsible and the
    deadline (003 §三 "逐项采取整改措施，落实整改责任和整改时限"), the completion with its evidence
    (private storage, served by an access-checked view), and the checking unit's verification in the
    cross-check phase. ``notice_step`` records the last reminder step sent so the sweep reads only
    open items whose deadline is near (partial index)."""

    class Verification(models.TextChoices):
        PENDING = "", _("待验收")
        PASSED = "passed", _("验收通过")
        FAILED = "failed", _("验收未通过")

    finding = models.ForeignKey(CampaignFinding, verbose_name=_("排查问题"), on_delete=models.CASCADE, related_name="rectifications")
    measure = models.TextField(_("整改措施"))
    responsible = models.ForeignKey("cases.Person", verbose_name=_("整改责任人"), on_delete=models.PROTECT, related_name="rectifications")
    deadline = models.DateField(_("整改时限"))
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    completion_note = models.TextField(_("整改完成情况"), blank=True)
    evidence = models.FileField(_("整改佐证材料"), upload_to="campaign/%Y/%m/", storage=evidence_storage, blank=True, max_length=200)
    evidence_name = models.CharField(_("材料文件名"), max_length=200, blank=True)
    evidence_sha256 = models.CharField(_("材料SHA-256"), max_length=64, blank=True)
    verification = models.CharField(_("验收结果"), max_length=8, choices=Verification.choices, blank=True, default="")
    verification_note = models.TextField(_("验收意见"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("验收人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    # The last reminder step sent ("", "soon", "overdue"): the sweep reads only open items that may
    # still owe one, through the partial index below.
    notice_step = models.CharField(_("已发提醒"), max_length=8, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["deadline", "id"]
        indexes = [
            # The sweep and the dashboard read open items by deadline.
            models.Index(fields=["deadline"], name="rectification_open_idx", condition=models.Q(completed_on__isnull=True)),
            models.Index(
                fields=["deadline"], name="rectification_notice_idx", condition=models.Q(completed_on__isnull=True) & ~models.Q(notice_step="overdue")
            ),
        ]

    def __str__(self) -> str:
        return f"整改 {self.pk}"


class CampaignMechanism(models.Model):
    """One long-term mechanism of 003 §四 (一是…六是) and whether the campaign established it."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("专项行动"), on_delete=models.CASCADE, related_name="mechanisms")
    key = models.CharField(_("长效机制"), max_length=16, choices=[(k, v) for k, v in rules.MECHANISMS.items()])
    established = models.BooleanField(_("已建立"), default=False)
    note = models.TextField(_("建立情况"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("登记时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("长效机制")
        verbose_name_plural = _("长效机制")
        ordering = ["campaign", "key"]
        constraints = [models.UniqueConstraint(fields=["campaign", "key"], name="campaignmechanism_unique")]

    def __str__(self) -> str:
        return f"{self.campaign_id} · {self.key}"


class CampaignReopening(models.Model):
    """The lead's explicit reopening of the self-check after it closed, for one unit or for all,
    until a date, with the reason."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("专项行动"), on_delete=models.CASCADE, related_name="reopenings")
    part = models.ForeignKey(
        CampaignUnit, verbose_name=_("参加单位"), null=True, blank=True, on_delete=models.CASCADE, related_name="reopenings",
        help_text=_("不选则对全部参加单位重新开放。"),
    )  # fmt: skip
    until = models.DateField(_("重新开放至"))
    reason = models.TextField(_("重新开放理由"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("决定人"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("决定时间"))

    class Meta:
        verbose_name = _("重新开放自查")
        verbose_name_plural = _("重新开放自查")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.campaign_id} · {self.until}"
