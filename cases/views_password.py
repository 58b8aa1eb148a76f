"""The holder's own password page: where a password set by an administrator, or expired, is changed
before anything else (cases.password_policy.PasswordChangeMiddleware sends them here)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .identity_forms import PasswordChangeForm
from .password_policy import SESSION_KEY, password_change
from .passwords import PasswordChangeReason


@login_required
def password_change_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_usable_password():
        # Directory accounts: the password is the directory's, changed there.
        return render(request, "cases/password_change.html", {"directory": True})
    form = PasswordChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            password_change(user=request.user, password=form.cleaned_data["new_password1"], actor=request.user)
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            update_session_auth_hash(request, request.user)  # this session stays signed in
            request.session[SESSION_KEY] = ""
            messages.success(request, _("密码已修改。"))
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
                target = "/"
            return redirect(target)
    due = request.session.get(SESSION_KEY) or ""
    reason = str(PasswordChangeReason(due).label) if due in PasswordChangeReason.values else ""
    context = {
        "form": form,
        "reason": reason,
        "max_age_days": settings.PASSWORD_MAX_AGE_DAYS,
        "history_count": settings.PASSWORD_HISTORY_COUNT,
    }
    return render(request, "cases/password_change.html", context)
