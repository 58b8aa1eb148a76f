"""The administrator's forms for calling systems."""

from django import forms
from django.core.validators import validate_slug
from django.utils.translation import gettext_lazy as _

from cases.models import Unit


class SystemForm(forms.Form):
    code = forms.CharField(
        label=_("系统代码"), max_length=40, validators=[validate_slug], help_text=_("英文字母、数字、连字符，例如 case-system；创建后不能更改。")
    )
    name = forms.CharField(label=_("系统名称"), max_length=100)
    units = forms.CharField(
        label=_("授权单位代码"), max_length=2000, help_text=_("多个以逗号分隔；系统可访问这些单位及其下级单位的案件和记录。")
    )

    def clean_units(self) -> list[Unit]:
        codes = sorted({code.strip() for code in self.cleaned_data["units"].replace("，", ",").split(",") if code.strip()})
        units = list(Unit.objects.filter(code__in=codes))
        missing = sorted(set(codes) - {unit.code for unit in units})
        if missing:
            raise forms.ValidationError(_("找不到这些单位代码：%(codes)s") % {"codes": "、".join(missing)})
        if not units:
            raise forms.ValidationError(_("请至少填写一个授权单位代码。"))
        return units
