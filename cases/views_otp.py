"""The second-factor page: set up an authenticator app (TOTP) once, then confirm a code per login (or
spend a backup code); the holder's backup codes page; the security administrator's reset page."""

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .decorators import role_required
from .identity_forms import AccountSearchForm, SecondFactorResetForm
from .roles import Role
from .second_factor import (
    BACKUP_CODE_DIGITS,
    SecondFactorResetRefused,
    backup_code_normalise,
    backup_code_use,
    backup_codes_generate,
    backup_codes_left,
    second_factor_reset,
    totp_device_confirm,
    totp_device_for,
)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("动态验证码"),
        help_text=_("手机不在身边时，可输入一个8位备用验证码（每个只能使用一次）。"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    device = totp_device_for(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = backup_code_normalise(form.cleaned_data["token"])
        # A backup code is longer than the authenticator's: spending one never counts as a wrong TOTP code.
        used = backup_code_use(user=request.user, code=token) if len(token) == BACKUP_CODE_DIGITS else None
        if used is None and len(token) != BACKUP_CODE_DIGITS and device.verify_token(token):
            if not device.confirmed:
                totp_device_confirm(device=device, actor=request.user)
            used = device
        if used is not None:
            otp_login(request, used)
            if isinstance(used, StaticDevice):
                messages.warning(request, gettext("您使用了一个备用验证码，还剩 %(left)d 个。") % {"left": backup_codes_left(request.user)})
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


@login_required
def backup_codes(request: HttpRequest) -> HttpResponse:
    """Make ten backup codes, shown once (only after signing in with the second factor)."""
    if not user_has_device(request.user) or not request.user.is_verified():
        return redirect(f"/otp/?{urlencode({'next': request.path})}")
    codes = backup_codes_generate(user=request.user, actor=request.user) if request.method == "POST" else None
    return render(request, "cases/otp_backup_codes.html", {"codes": codes, "left": backup_codes_left(request.user)})


@role_required(Role.SECURITY_ADMIN)
def second_factor_reset_view(request: HttpRequest) -> HttpResponse:
    """The security administrator's reset: find an account with a second factor, remove its devices."""
    User = get_user_model()
    if request.method == "POST":
        form = SecondFactorResetForm(request.POST)
        if form.is_valid():
            account = get_object_or_404(User, pk=form.cleaned_data["user"])
            try:
                reset = second_factor_reset(user=account, actor=request.user)
            except SecondFactorResetRefused as refused:
                messages.error(request, refused.message)
            else:
                done = (
                    gettext("已重置账户 %(username)s 的双重验证，并退出其 %(sessions)d 个已登录的会话；其下次登录时须重新绑定验证器。")
                    if reset.sessions_ended
                    else gettext("已重置账户 %(username)s 的双重验证，其下次登录时须重新绑定验证器。")
                )
                messages.success(request, done % {"username": account.get_username(), "sessions": reset.sessions_ended})
        return redirect("second_factor_reset")
    search = AccountSearchForm(request.GET or None)
    holders = (
        User.objects.filter(Q(pk__in=TOTPDevice.objects.values("user_id")) | Q(pk__in=StaticDevice.objects.values("user_id")))
        .select_related("person")
        .order_by("username")
    )
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    if query:
        holders = holders.filter(Q(username__icontains=query) | Q(first_name__icontains=query) | Q(person__name__icontains=query))
    return render(request, "cases/otp_reset.html", {"search": search, "accounts": holders[:50], "query": query})
