"""Password history and age (等保 2.0 level 3, GB/T 22239-2019 8.1.4.1 a, issue 23): the services that
set a password record its hash here, the holder's own change is a service of its own, and a sign-in
learns whether the password must be changed first (``PasswordChangeMiddleware`` below; here
rather than in cases.middleware, which the audit log imports).

The rules are in cases.passwords (``password_change_reason``, ``PasswordHistoryValidator``)."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, password_validation
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import urlencode

from .audit import audit
from .models import PasswordHistory
from .passwords import password_change_reason
from .vocabulary import IdentityEvent

# The session remembers, from sign-in, whether the password must be changed ("" when not), so a page
# costs no query for it; the change itself clears it.
SESSION_KEY = "_password_change"
# Directory accounts have no local password: the directory's own policy governs theirs.
DIRECTORY_BACKEND = "cases.directory.DirectoryBackend"


def password_history_record(*, user, temporary: bool, now: dt.datetime | None = None) -> None:
    """Keep the hash `user` now has (called inside the service that set it, in its transaction):
    `temporary` when someone other than the holder chose it. Rows beyond what the history check and
    the age need are dropped, so no more than PASSWORD_HISTORY_COUNT hashes are kept."""
    if not user.has_usable_password():
        return
    PasswordHistory.objects.create(user=user, password=user.password, set_at=now or timezone.now(), temporary=temporary)
    keep = max(settings.PASSWORD_HISTORY_COUNT, 1)
    stale = list(PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[keep:])
    if stale:
        PasswordHistory.objects.filter(pk__in=stale).delete()


@transaction.atomic
def password_change(*, user, password: str, actor):
    """The holder's own change of their password (the old one was checked by the form): validated
    against every AUTH_PASSWORD_VALIDATORS, history included (raises ValidationError, in the user's
    language), recorded in the history, audited without the value."""
    if actor.pk != user.pk:
        raise PermissionError("a password is changed here by its holder only; administrators use account_password_set")
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    password_history_record(user=user, temporary=False)
    audit(type=IdentityEvent.PASSWORD_CHANGED, actor=actor, obj=user, data={"user": user.pk})
    return user


def password_change_due(user, *, now: dt.datetime) -> str | None:
    """Why `user` must change their password now ("initial", "expired"), or None. Accounts without a
    usable password (directory sign-in, API systems) are never asked."""
    if not user.has_usable_password():
        return None
    latest = PasswordHistory.objects.filter(user_id=user.pk).values("set_at", "temporary").first()
    if latest is None:
        return None
    return password_change_reason(
        set_at=latest["set_at"], temporary=latest["temporary"], now=now, max_age_days=settings.PASSWORD_MAX_AGE_DAYS
    )


def password_state_remember(request, user) -> str:
    """Work out at sign-in whether the password must change and keep the answer in the session."""
    session = getattr(request, "session", None)
    if session is not None and session.get(BACKEND_SESSION_KEY) == DIRECTORY_BACKEND:
        due = ""
    else:
        due = password_change_due(user, now=timezone.now()) or ""
    if session is not None:
        session[SESSION_KEY] = due
    return due


def remember_at_sign_in(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver (cases.apps)."""
    password_state_remember(request, user)


class PasswordChangeMiddleware:
    """A signed-in holder whose password must change (set by an administrator, or older than
    PASSWORD_MAX_AGE_DAYS) sees only the password page until it has: every
    other page but logout, static files, the language switch, health and the second-factor page sends
    them there. Whether it must change is worked out at sign-in and kept in the session, so a page
    costs no query; a session from before this check is worked out once, at its next request."""

    EXEMPT_PREFIXES = ("/password/", "/otp/", "/logout/", "/login/", "/static/", "/i18n/", "/health/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(self.EXEMPT_PREFIXES):
            due = request.session.get(SESSION_KEY)
            if due is None:
                due = password_state_remember(request, user)
            if due:
                return redirect(f"/password/?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
