"""cases.widgets.FastSelect draws the same select as Django's template-based widget."""

import pytest
from django import forms
from django.test import SimpleTestCase

from cases.models import Unit
from cases.widgets import FastSelect


class _Form(forms.Form):
    fast = forms.ChoiceField(choices=[("", "全部"), ("1", "甲<b>&"), ("2", '乙"')], widget=FastSelect, required=False)
    slow = forms.ChoiceField(choices=[("", "全部"), ("1", "甲<b>&"), ("2", '乙"')], required=False)
    fast_groups = forms.ChoiceField(choices=[("", "—"), ("省", [("1", "甲")]), ("市", [("2", "乙")])], widget=FastSelect, required=False)
    slow_groups = forms.ChoiceField(choices=[("", "—"), ("省", [("1", "甲")]), ("市", [("2", "乙")])], required=False)


def _same(html_a: str, html_b: str, name_a: str, name_b: str) -> None:
    SimpleTestCase().assertHTMLEqual(html_a.replace(name_a, "x"), html_b.replace(name_b, "x"))


@pytest.mark.parametrize("value", ["", "1", "2", "9"])
def test_plain_choices_render_as_django_does(value):
    form = _Form({"fast": value, "slow": value, "fast_groups": value, "slow_groups": value})
    for field in ("fast", "slow", "fast_groups", "slow_groups"):
        form.fields[field].widget.attrs.update({"class": "form-select form-select-sm", "aria-describedby": "help"})
    _same(str(form["fast"]), str(form["slow"]), "fast", "slow")
    _same(str(form["fast_groups"]), str(form["slow_groups"]), "fast_groups", "slow_groups")


@pytest.mark.django_db
def test_model_choices_render_as_django_does():
    a = Unit.objects.create(code="A", name="甲局<", kind="bureau")
    Unit.objects.create(code="B", name="乙局", kind="bureau")

    class F(forms.Form):
        fast = forms.ModelChoiceField(queryset=Unit.objects.order_by("code"), widget=FastSelect, required=False)
        slow = forms.ModelChoiceField(queryset=Unit.objects.order_by("code"), required=False)

    form = F({"fast": a.pk, "slow": a.pk})
    _same(str(form["fast"]), str(form["slow"]), "fast", "slow")
    assert "selected" in str(form["fast"]) and "甲局&lt;" in str(form["fast"])
