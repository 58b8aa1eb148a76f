"""The forms an administrator uses on the calendar page: a year's schedule pasted from the State
Council notice in its own words, and one day added, changed or removed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .notice import parse_notice

YEARS = {"min_value": 2004, "max_value": 2099}


class CalendarNoticeForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), **YEARS)
    source = forms.CharField(
        label=_("通知文号"), max_length=100, required=False, help_text=_("如：国办发明电〔2025〕7号；粘贴的原文中有文号时可不填。")
    )
    notice = forms.CharField(
        label=_("通知原文"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10, "placeholder": "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。"}),
        help_text=_("粘贴国务院办公厅关于部分节假日安排的通知全文，或其中各节日的行。保存前会先列出读到的每一天。"),
    )
    replace = forms.BooleanField(label=_("我已核对差异，确认替换该年度原有的安排"), required=False)
    fingerprint = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        year, text = data.get("year"), data.get("notice")
        if year is None or not text:
            return data
        notice = parse_notice(text, year)
        if notice.errors:
            self.add_error("notice", list(notice.errors))
            return data
        data["parsed"] = notice
        data["source"] = (data.get("source") or "").strip() or notice.source
        if not data["source"]:
            self.add_error("source", _("原文中没有找到文号，请填写通知文号。"))
        return data


class HolidayDayForm(forms.Form):
    """One day: made a holiday or a working day (saved over whatever the day was), or removed."""

    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    is_working_day = forms.TypedChoiceField(
        label=_("这一天"), choices=[("0", _("放假")), ("1", _("上班"))], coerce=lambda value: value == "1", initial="0", required=False
    )
    note = forms.CharField(label=_("说明"), max_length=100, required=False, help_text=_("如：春节、调休上班"))
    source = forms.CharField(label=_("依据文号"), max_length=100, required=False)

    def clean_date(self):
        date = self.cleaned_data["date"]
        if not YEARS["min_value"] <= date.year <= YEARS["max_value"]:
            raise forms.ValidationError(_("日期超出可录入的范围（2004—2099年）。"))
        return date
