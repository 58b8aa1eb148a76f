"""Forms of the holder's own password change and the security administrator's second-factor reset.
They check what was typed; the password rules themselves run in the service (cases.password_policy)."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("当前密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password1 = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=lazy(password_validation.password_validators_help_text_html, str)(),
    )
    new_password2 = forms.CharField(
        label=_("再次输入新密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_old_password(self):
        old = self.cleaned_data["old_password"]
        if not self.user.check_password(old):
            raise forms.ValidationError(_("当前密码不正确。"), code="password_incorrect")
        return old

    def clean(self):
        data = super().clean()
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("两次输入的密码不一致。"))
        elif first and data.get("old_password") and first == data["old_password"]:
            self.add_error("new_password1", _("新密码不能与当前密码相同。"))
        return data


class AccountSearchForm(forms.Form):
    q = forms.CharField(label=_("账号或姓名"), required=False, max_length=150)


class SecondFactorResetForm(forms.Form):
    user = forms.IntegerField(widget=forms.HiddenInput)
