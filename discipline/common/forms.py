"""Form pieces shared by the discipline pages: the date input, month field and Bootstrap classes."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.fields import EARLIEST, LATEST, BoundedDateField


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
