"""The 批量导入 form: one file per table, any of the three."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.onboarding.resources import LABELS, RESOURCES


class ImportForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in RESOURCES:
            self.fields[kind] = forms.FileField(
                label=_("%(table)s文件") % {"table": LABELS[kind]}, required=False, widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"})
            )

    def clean(self):
        data = super().clean()
        if not any(data.get(kind) for kind in RESOURCES):
            raise forms.ValidationError(_("请至少选择一个文件（单位、账号、人员或案件）。"))
        return data
