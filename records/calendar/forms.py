"""The form an administrator uses to enter a year's official holiday schedule."""

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

_RANGE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})(?:\s*(?:至|到|~|～|—|-{1,2}>?)\s*(\d{4}-\d{1,2}-\d{1,2}))?\s*(.*)$")


def _parse_date(text: str, line_no: int) -> dt.date:
    try:
        return dt.date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
    except ValueError:
        raise forms.ValidationError(_("第%(n)s行的日期“%(text)s”无效。") % {"n": line_no, "text": text}) from None


def parse_schedule_lines(text: str, *, allow_ranges: bool) -> list[tuple[dt.date, str]]:
    """Parse lines like "2027-02-05 至 2027-02-13 春节" or "2027-02-14" into (date, name) pairs."""
    result: list[tuple[dt.date, str]] = []
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _RANGE.match(line)
        if not match:
            raise forms.ValidationError(_("第%(n)s行“%(line)s”格式不对，应为“2027-02-05 至 2027-02-13 春节”或“2027-02-14”。") % {"n": line_no, "line": line[:40]})
        start = _parse_date(match.group(1), line_no)
        end = _parse_date(match.group(2), line_no) if match.group(2) else start
        if end != start and not allow_ranges:
            raise forms.ValidationError(_("第%(n)s行：调休上班日请逐日填写。") % {"n": line_no})
        if end < start or (end - start).days > 31:
            raise forms.ValidationError(_("第%(n)s行的日期区间无效。") % {"n": line_no})
        if not (2004 <= start.year <= 2099 and 2004 <= end.year <= 2099):
            raise forms.ValidationError(_("第%(n)s行的日期超出可录入的范围（2004—2099年）。") % {"n": line_no})
        name = match.group(3).strip()[:50]
        result.extend((start + dt.timedelta(days=i), name) for i in range((end - start).days + 1))
    return result


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2004, max_value=2099)
    source = forms.CharField(label=_("通知文号"), max_length=100, help_text=_("如：国办发明电〔2026〕X号"))
    holidays = forms.CharField(
        label=_("放假日期"),
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "2027-01-01 元旦\n2027-02-05 至 2027-02-13 春节"}),
        help_text=_("每行一天或一个区间，可在后面写节日名称。"),
    )
    workdays = forms.CharField(
        label=_("调休上班日期"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "2027-02-14\n2027-02-20"}),
        help_text=_("每行一天；没有调休的留空。"),
    )

    def clean_holidays(self):
        return parse_schedule_lines(self.cleaned_data["holidays"], allow_ranges=True)

    def clean_workdays(self):
        return [d for d, _name in parse_schedule_lines(self.cleaned_data.get("workdays") or "", allow_ranges=False)]

    def clean(self):
        data = super().clean()
        year = data.get("year")
        days = [d for d, _name in data.get("holidays") or []] + list(data.get("workdays") or [])
        if year and any(d.year != year for d in days):
            raise forms.ValidationError(_("所有日期都必须在%(year)s年内。") % {"year": year})
        if len(set(days)) != len(days):
            raise forms.ValidationError(_("同一天不能既是假日又是调休上班日，也不能重复填写。"))
        return data
