"""Forms of self-inspection campaigns (R-CAMPAIGN). The services validate again; these give the
user clear Chinese errors and keep their input."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cases.fields import IdsChoiceField
from cases.models import Unit
from discipline.campaigns import rules
from discipline.campaigns.models import CampaignArea, CampaignUnit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ROTATE, NONE = "rotate", "none"


def _date(label, required=True):
    return forms.DateField(
        label=label, required=required, widget=DATE, error_messages={"required": format_lazy(_("请填写{}。"), label), "invalid": _("日期格式无效。")}
    )


def _text(label, required=True, rows=3):
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), error_messages={"required": format_lazy(_("请填写{}。"), label)}
    )


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("专项行动名称"), max_length=200, error_messages={"required": _("请填写专项行动名称。")})
    year = forms.IntegerField(
        label=_("年度"), min_value=2000, max_value=2100,
        error_messages={"required": _("请填写年度。"), "invalid": _("年度应为数字。"), "min_value": _("年度应在2000至2100之间。"),
                        "max_value": _("年度应在2000至2100之间。")},
    )  # fmt: skip
    body = forms.ModelChoiceField(label=_("牵头单位"), queryset=None, error_messages={"required": _("请选择牵头单位。")})
    leads = IdsChoiceField(
        label=_("领导小组成员"), queryset=None, widget=forms.SelectMultiple(attrs={"size": 6}),
        error_messages={"required": _("请选择领导小组成员。")},
    )  # fmt: skip
    units = IdsChoiceField(
        label=_("参加单位"), queryset=None, widget=forms.CheckboxSelectMultiple, error_messages={"required": _("请选择参加单位。")}
    )
    cross = forms.ChoiceField(
        label=_("互查方式"),
        choices=[(ROTATE, _("轮换互查：每个单位由列表中的下一个单位检查")), (NONE, _("不安排互查单位，由领导小组督查"))],
        initial=ROTATE,
    )
    selfcheck_start = _date(_("自查自纠开始"))
    selfcheck_end = _date(_("自查自纠截止"))
    crosscheck_start = _date(_("互查督查开始"))
    crosscheck_end = _date(_("互查督查截止"))
    summary_start = _date(_("总结开始"))
    summary_end = _date(_("总结截止"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.exclude(kind=Unit.Kind.DISCIPLINE).order_by("code")
        self.fields["body"].queryset = units
        self.fields["units"].queryset = units
        self.fields["leads"].queryset = (
            get_user_model().objects.filter(is_active=True, person__isnull=False).select_related("person").order_by("person__name")
        )
        self.fields["leads"].label_from_instance = lambda u: f"{u.person.name}（{u.person.position or u.get_username()}）"

    def timetable(self) -> rules.Timetable:
        d = self.cleaned_data
        return rules.Timetable(
            (d["selfcheck_start"], d["selfcheck_end"]), (d["crosscheck_start"], d["crosscheck_end"]), (d["summary_start"], d["summary_end"])
        )

    def clean(self):
        data = super().clean()
        if not self.errors:
            for message in rules.timetable_errors(self.timetable()):
                self.add_error(None, message)
        return data

    def unit_pairs(self) -> list[tuple[Unit, Unit | None]]:
        units = list(self.cleaned_data["units"])
        if self.cleaned_data["cross"] == ROTATE and len(units) > 1:
            return [(u, units[(i + 1) % len(units)]) for i, u in enumerate(units)]
        return [(u, None) for u in units]


class ReopenForm(forms.Form):
    part = forms.ModelChoiceField(label=_("参加单位"), queryset=None, required=False, empty_label=_("全部参加单位"))
    until = _date(_("重新开放至"))
    reason = _text(_("重新开放理由"), rows=2)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].queryset = CampaignUnit.objects.filter(campaign=campaign).select_related("unit")
        self.fields["part"].label_from_instance = lambda p: p.unit.name


class MechanismsForm(forms.Form):
    def __init__(self, *args, mechanisms, **kwargs):
        super().__init__(*args, **kwargs)
        for m in mechanisms:
            self.fields[f"{m.key}_on"] = forms.BooleanField(label=rules.MECHANISMS[m.key], required=False, initial=m.established)
            self.fields[f"{m.key}_note"] = forms.CharField(label=_("建立情况"), required=False, initial=m.note, max_length=2000)
        self.keys = [m.key for m in mechanisms]

    def states(self) -> dict[str, tuple[bool, str]]:
        return {k: (self.cleaned_data[f"{k}_on"], self.cleaned_data[f"{k}_note"]) for k in self.keys}


class FindingForm(forms.Form):
    area = forms.ModelChoiceField(label=_("排查领域"), queryset=CampaignArea.objects.order_by("number"), error_messages={"required": _("请选择排查领域。")})
    description = _text(_("问题描述"))


class RectificationForm(forms.Form):
    measure = _text(_("整改措施"))
    responsible = forms.ModelChoiceField(label=_("整改责任人"), queryset=None, error_messages={"required": _("请选择整改责任人。")})
    deadline = _date(_("整改时限"))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = people


class CompleteForm(forms.Form):
    completed_on = _date(_("完成日期"))
    note = _text(_("整改完成情况"))
    evidence = forms.FileField(label=_("整改佐证材料"), required=False)


class VerifyForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("验收结果"), choices=[("1", _("验收通过")), ("0", _("验收未通过"))], coerce=lambda v: v == "1", widget=forms.RadioSelect,
        error_messages={"required": _("请选择验收结果。")},
    )  # fmt: skip
    note = _text(_("验收意见"), required=False, rows=2)
