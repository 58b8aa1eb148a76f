"""The second-factor page: set up an authenticator app (TOTP) once, then confirm a code per login."""

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login

from .second_factor import totp_device_confirm, totp_device_for


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("动态验证码"), max_length=8, widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"})
    )


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    device = totp_device_for(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            if not device.confirmed:
                totp_device_confirm(device=device, actor=request.user)
            otp_login(request, device)
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
                target = "/"
            return redirect(target)
        form.add_error("token", _("验证码不正确或已过期，请输入验证器上当前显示的6位数字。"))
    context = {"form": form, "setup": not device.confirmed}
    if not device.confirmed:
        context["qr"] = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
        context["secret"] = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "cases/otp_verify.html", context)
