"""Forms of the discipline pages: input validation only, in Chinese; state changes are in services."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.fields import EARLIEST, LATEST, BoundedDateField
from cases.models import Person
from cases.widgets import FastSelect
from records.models import InterferenceRecord

from . import rules
from .models import Handling, Review


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label, required=False):
    return BoundedDateField(
        label=label,
        required=required,
        widget=DateInput(),
        error_messages={"invalid": _("请输入有效的日期，例如 2026-11-24。")},
    )


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
    person = forms.ModelChoiceField(label=_("被处理人（人员库）"), queryset=Person.objects.none(), required=False)
    decision = forms.CharField(label=_("处理决定"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    internal_notice = forms.CharField(label=_("通报内容（本单位人员）"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)
    internal_notice_on = date_field(_("通报日期"))
    public_disclosure = forms.BooleanField(label=_("向社会公开"), required=False)
    disclosure_reason = forms.CharField(label=_("公开与否的理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
    addressee = forms.CharField(label=_("主送：被通报人所在党委（党组织）"), required=False, max_length=100)
    cc = forms.CharField(label=_("抄送：同级纪委监委"), required=False, max_length=100)
    letter_text = forms.CharField(label=_("通报函正文"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=5000)
    issued_on = date_field(_("成文日期"))

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people

    def clean(self):
        data = super().clean()
        if data.get("kind") == Handling.Kind.OTHER_UNIT:
            for name in ("addressee", "cc", "letter_text", "issued_on"):
                if not data.get(name):
                    self.add_error(name, _("制发通报函时必须填写此项。"))
        if data.get("kind") == Handling.Kind.OWN_UNIT:
            for name in ("internal_notice", "internal_notice_on", "disclosure_reason"):
                if not data.get(name):
                    self.add_error(name, _("本单位人员处理时必须填写此项。"))
        return data


class LetterTrackingForm(forms.Form):
    sent_on = date_field(_("发出日期"))
    acknowledged_on = date_field(_("对方签收日期"))
    outcome_received_on = date_field(_("收到处理结果日期"))
    outcome = forms.CharField(label=_("处理结果"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000)


class SanctionForm(forms.Form):
    person = forms.ModelChoiceField(label=_("被处理人"), queryset=Person.objects.none())
    kind = forms.ChoiceField(label=_("处理处分种类"), choices=())
    legal_basis = forms.CharField(label=_("依据"), required=False, max_length=300, help_text=_("留空则按种类填入默认依据。"))
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


def bootstrap(form: forms.Form) -> None:
    """Bootstrap 5 classes on hand-rendered filter forms."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select form-select-sm"
        else:
            css = "form-control form-control-sm"
        widget.attrs["class"] = css


MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


class MonthField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = MONTH_RE.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12 or not EARLIEST.year <= int(match.group(1)) <= LATEST.year:
            raise forms.ValidationError(_("月份格式应为 2026-05。"))
        return (int(match.group(1)), int(match.group(2)))


class LedgerFilterForm(forms.Form):
    """Filters of the ledger and the dashboard. Invalid values are reported and ignored."""

    date_from = date_field(_("过问日期自"))
    date_to = date_field(_("至"))
    unit = forms.ModelChoiceField(label=_("单位（含下级）"), queryset=None, required=False, widget=FastSelect)
    recorder_unit = forms.ModelChoiceField(label=_("记录单位"), queryset=None, required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *InterferenceRecord.Status.choices], required=False)
    channel = forms.ChoiceField(label=_("过问方式"), choices=[("", _("全部")), *InterferenceRecord.Channel.choices], required=False)
    kind = forms.ChoiceField(label=_("过问人类别"), choices=[("", _("全部")), *InterferenceRecord.InterfererKind.choices], required=False)
    nature = forms.ChoiceField(label=_("初步定性"), choices=[("", _("全部")), *InterferenceRecord.Nature.choices], required=False)
    category = forms.ModelChoiceField(label=_("行为类别"), queryset=None, required=False)
    level = forms.ChoiceField(label=_("职级"), choices=[("", _("全部")), *Person.Level.choices, ("none", _("未关联人员库"))], required=False)
    conclusion = forms.ChoiceField(
        label=_("核实结论"), choices=[("", _("全部")), *Review.Conclusion.choices, ("pending", _("尚未核实"))], required=False
    )
    timeliness = forms.ChoiceField(label=_("报送时效"), choices=[("", _("全部")), ("on_time", _("按时报送")), ("late", _("逾期报送"))], required=False)
    state = forms.ChoiceField(label=_("期限"), choices=[("", _("全部")), ("overdue", _("逾期未报送")), ("due_week", _("本周到期"))], required=False)
    month = MonthField(label=_("月份"), required=False, widget=forms.HiddenInput)
    person = forms.ModelChoiceField(label=_("人员"), queryset=None, required=False, widget=forms.HiddenInput)
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)

    def __init__(self, *args, units, categories, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["recorder_unit"].queryset = units
        self.fields["category"].queryset = categories
        self.fields["person"].queryset = people
        for field in self.fields.values():
            field.error_messages = {**field.error_messages, "invalid_choice": _("所选项无效，已忽略该条件。")}
        bootstrap(self)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return data

    def filters(self) -> dict:
        """The valid filters (invalid ones are dropped, with their errors shown)."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", [])}


class DashboardFilterForm(forms.Form):
    date_from = date_field(_("过问日期自"))
    date_to = date_field(_("至"))
    unit = forms.ModelChoiceField(label=_("单位（含下级）"), queryset=None, required=False, widget=FastSelect)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].error_messages["invalid_choice"] = _("所选单位无效，已忽略该条件。")
        bootstrap(self)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return data
