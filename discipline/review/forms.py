"""Forms of the discipline pages: input validation only, in Chinese; state changes are in services."""


from django import forms
from django.utils.translation import gettext_lazy as _

from cases.fields import PersonRoleChoiceField
from cases.models import Person
from discipline.common.forms import date_field
from discipline.review import rules
from discipline.review.models import Handling, Review, Sanction, SpecialReport
from records.models import InterferenceRecord


class InstructionForm(forms.Form):
    text = forms.CharField(label=_("批示内容"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)


class ReviewForm(forms.Form):
    conclusion = forms.ChoiceField(label=_("核实结论"), choices=Review.Conclusion.choices, widget=forms.RadioSelect)
    findings = forms.CharField(label=_("核实情况"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    seriousness = forms.ChoiceField(label=_("情节"), choices=Review.Seriousness.choices, widget=forms.RadioSelect)
    affects_case = forms.BooleanField(label=_("可能影响案件办理"), required=False)
    special = forms.BooleanField(
        label=_("作为特别事项立即报告党委（党组）"),
        required=False,
        help_text=_("核实属实或部分属实、情节严重且可能影响案件办理的，作为特别事项及时报告（广元001第七条）。"),
    )

    def clean(self):
        data = super().clean()
        if data.get("special") and not rules.special_matter_eligible(
            conclusion=data.get("conclusion", ""), serious=data.get("seriousness") == Review.Seriousness.SERIOUS, affects_case=bool(data.get("affects_case"))
        ):
            self.add_error("special", _("只有核实属实或部分属实、情节严重且可能影响案件办理的，才能作为特别事项报告。"))
        return data


class HandlingForm(forms.Form):
    kind = forms.ChoiceField(label=_("处理方式"), choices=Handling.Kind.choices, widget=forms.RadioSelect)
    person = PersonRoleChoiceField(label=_("被处理人（人员库）"), queryset=Person.objects.none(), required=False)
    decision = forms.CharField(label=_("处理决定"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    internal_notice = forms.CharField(label=_("通报内容（本单位人员）"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)
    internal_notice_on = date_field(_("通报日期"))
    notice_decided_by = forms.CharField(label=_("通报决定机关"), required=False, max_length=100, help_text=_("例如：局党委。"))
    notice_approved_by = forms.CharField(label=_("通报批准机关"), required=False, max_length=100, help_text=_("报经批准后予以通报的批准机关。"))
    notice_approved_on = date_field(_("通报批准日期"))
    public_disclosure = forms.BooleanField(label=_("向社会公开"), required=False)
    disclosure_reason = forms.CharField(label=_("公开与否的理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
    addressee = forms.CharField(label=_("主送：被通报人所在党委（党组织）"), required=False, max_length=100)
    cc = forms.CharField(label=_("抄送：同级纪委监委（全称）"), required=False, max_length=100)
    letter_text = forms.CharField(label=_("通报函正文"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=5000)
    issued_on = date_field(_("成文日期"))

    OWN_FIELDS = (
        "internal_notice", "internal_notice_on", "notice_decided_by", "notice_approved_by", "notice_approved_on", "public_disclosure",
        "disclosure_reason",
    )  # fmt: skip
    LETTER_FIELDS = ("addressee", "cc", "letter_text", "issued_on")

    def __init__(self, *args, people=None, recipients=None, kinds: tuple[str, ...] = tuple(Handling.Kind.values), **kwargs):
        """``kinds``: the handling open for the record (``selectors.handling_kinds_for``); only those
        are offered, and only their parts of the form are drawn and read. ``recipients``: what the
        unit tree knows of the letter's addressee and cc (``selectors.letter_recipients``)."""
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people
        labels = dict(Handling.Kind.choices)
        self.fields["kind"].choices = [(k, labels[k]) for k in kinds]
        self.fields["kind"].error_messages["invalid_choice"] = _("该记录不能采用此处理方式，请在所列方式中选择。")
        self.shows_own_unit = Handling.Kind.OWN_UNIT in kinds
        self.shows_letter = Handling.Kind.OTHER_UNIT in kinds
        for name in () if self.shows_own_unit else self.OWN_FIELDS:
            del self.fields[name]
        for name in () if self.shows_letter else self.LETTER_FIELDS:
            del self.fields[name]
        if recipients is not None and self.shows_letter:
            self.fields["cc"].help_text = (
                _("按单位库，%(unit)s的同级纪委监委是“%(body)s”；如有不同请改正。") % {"unit": recipients.unit_name, "body": recipients.cc}
                if recipients.cc
                else _("单位库中没有被通报人所在单位的纪检监察机构，请填写其同级纪委监委的全称，例如“中共某县纪律检查委员会、某县监察委员会”。")
            )

    def clean(self):
        data = super().clean()
        if data.get("kind") == Handling.Kind.OTHER_UNIT:
            for name in ("addressee", "cc", "letter_text", "issued_on"):
                if not data.get(name):
                    self.add_error(name, _("制发通报函时必须填写此项。"))
            if data.get("cc") and rules.cc_is_placeholder(data["cc"]):
                self.add_error("cc", _("请填写抄送机关的全称（如“某县纪委监委”），不能只写“同级纪委监委”。"))
        if data.get("kind") == Handling.Kind.OWN_UNIT:
            for name in ("internal_notice", "internal_notice_on", "disclosure_reason"):
                if not data.get(name):
                    self.add_error(name, _("本单位人员处理时必须填写此项。"))
        return data


class SpecialDecisionForm(forms.Form):
    """The party committee's decision on a special report (001 领导干部制度 第七条)."""

    decision = forms.ChoiceField(label=_("党委讨论决定"), choices=SpecialReport.Decision.choices, widget=forms.RadioSelect)
    decided_by = forms.CharField(label=_("作出决定的党委（党组）"), max_length=100)
    decided_on = date_field(_("讨论决定日期"), required=True)
    meeting = forms.CharField(label=_("会议及纪要"), max_length=200, help_text=_("例如：局党委2026年第12次会议，会议纪要〔2026〕12号。"))
    escalated_to = forms.CharField(label=_("报告对象"), required=False, max_length=100)
    escalated_on = date_field(_("报告日期"))


class LetterTrackingForm(forms.Form):
    sent_on = date_field(_("发出日期"))
    acknowledged_on = date_field(_("对方签收日期"))
    outcome_received_on = date_field(_("收到处理结果日期"))
    outcome = forms.CharField(label=_("处理结果"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000)


class SanctionForm(forms.Form):
    person = PersonRoleChoiceField(label=_("被处理人"), queryset=Person.objects.none())
    ground = forms.ChoiceField(
        label=_("处理事由"),
        choices=[("", "---------"), *Sanction.Ground.choices],
        help_text=_("默认依据随处理事由和发生单位的适用制度确定；只有行政执法过错处理决定计算30日复核申请期限（赤峰002过错追究制度第十二条）。"),
    )
    kind = forms.ChoiceField(label=_("处理处分种类"), choices=())
    legal_basis = forms.CharField(
        label=_("依据"), required=False, max_length=300, help_text=_("留空则按处理事由、处理处分种类和发生单位的适用制度填入默认依据。")
    )
    decided_on = date_field(_("决定日期"), required=True)
    notified_on = date_field(_("送达日期"))
    record = forms.ModelChoiceField(label=_("相关记录"), queryset=InterferenceRecord.objects.none(), required=False)

    def __init__(self, *args, people=None, records=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people
        if records is not None:
            self.fields["record"].queryset = records
        grouped = {}
        for code, (group, label, _basis) in rules.SANCTION_TYPES.items():
            grouped.setdefault(rules.SANCTION_GROUPS[group], []).append((code, label))
        self.fields["kind"].choices = [("", "---------"), *grouped.items()]


class SanctionReviewForm(forms.Form):
    notified_on = date_field(_("送达日期"))
    review_requested_on = date_field(_("申请复核日期"))
    review_note = forms.CharField(label=_("复核情况"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)


