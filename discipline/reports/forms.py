"""Forms of the reports pages: the ledger and dashboard filters and the report request."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from cases.models import Person
from cases.widgets import FastSelect
from discipline.common.forms import MonthField, bootstrap, date_field
from discipline.reports.access import is_discipline, report_units
from discipline.reports.selectors import Period
from discipline.review.models import Review
from records.models import InterferenceRecord


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


class ReportForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("年度"), min_value=2000, max_value=2100,
        error_messages={
            "required": gettext_lazy("请填写年度。"), "invalid": gettext_lazy("年度应为数字。"),
            "min_value": gettext_lazy("年度应在2000至2100之间。"), "max_value": gettext_lazy("年度应在2000至2100之间。"),
        },
    )  # fmt: skip
    quarter = forms.TypedChoiceField(
        label=gettext_lazy("报告类型"),
        choices=[("", gettext_lazy("年度分析报告")), ("1", gettext_lazy("第一季度通报")), ("2", gettext_lazy("第二季度通报")), ("3", gettext_lazy("第三季度通报")), ("4", gettext_lazy("第四季度通报"))],
        required=False, coerce=int, empty_value=None, error_messages={"invalid_choice": gettext_lazy("请选择有效的报告类型。")},
    )  # fmt: skip
    unit = forms.ModelChoiceField(
        label=gettext_lazy("单位（含下级）"), queryset=None, required=False, empty_label=gettext_lazy("全部"), error_messages={"invalid_choice": gettext_lazy("所选单位无效。")}
    )
    appendix = forms.BooleanField(label=gettext_lazy("附台账（最多500条）"), required=False)
    force = forms.BooleanField(label=gettext_lazy("数据未变也重新生成"), required=False)

    def __init__(self, *args, user, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["unit"].queryset = report_units(user)
        if not is_discipline(user):
            del self.fields["appendix"]  # administrators do not read content
        bootstrap(self)

    def clean(self):
        data = super().clean()
        year = data.get("year")
        if self.today is not None and year is not None and not Period(year, data.get("quarter")).has_begun(self.today):
            # A report counts up to the day it is made: a period that has not begun has nothing to count.
            self.add_error("quarter" if data.get("quarter") and year == self.today.year else "year", gettext_lazy("所选期间尚未开始，不能生成报告。"))
        return data
