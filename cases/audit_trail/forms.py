"""The auditor's search form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.vocabulary import audit_event_types

from .selectors import TrailFilter


def _type_choices():
    return [("", _("全部类型")), *sorted(audit_event_types.choices(), key=lambda choice: str(choice[1]))]


class TrailFilterForm(forms.Form):
    start = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}))
    end = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}))
    type = forms.ChoiceField(label=_("事件类型"), required=False, choices=_type_choices, widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    actor = forms.CharField(label=_("操作人账号"), required=False, max_length=150, widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
    object_type = forms.CharField(label=_("对象类型"), required=False, max_length=60, help_text=_("如 records.interferencerecord"), widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
    object_id = forms.CharField(label=_("对象编号"), required=False, max_length=40, widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return cleaned

    def trail_filter(self) -> TrailFilter:
        """The filter of a valid form (strip what people paste)."""
        data = self.cleaned_data
        return TrailFilter(
            start=data.get("start"), end=data.get("end"), type=data.get("type") or "",
            actor=(data.get("actor") or "").strip(), object_type=(data.get("object_type") or "").strip(), object_id=(data.get("object_id") or "").strip(),
        )  # fmt: skip
