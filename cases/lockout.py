"""Sign-in lockout notices (等保 2.0 level 3, GB/T 22239-2019 8.1.4.1 b, 登录失败处理; issue 23).

django-axes locks a username from an address after AXES_FAILURE_LIMIT failures and says so with its
``user_locked_out`` signal (on the locking attempt and on every refused attempt after it). That
signal only calls ``account_lockout_record``, which audits the lockout once and, after commit, lets
the listeners tell people: records fills ``lockout_listeners`` in its AppConfig.ready() with the
notices to the account holder and to every 安全保密管理员 (cases cannot import records). Unlocking is
``cases.accounts.account_unlock`` (audited), from the lockout list in the admin."""

import datetime as dt
from dataclasses import dataclass

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .audit import audit
from .hooks import Hook
from .models import AuditEvent
from .vocabulary import IdentityEvent


@dataclass(frozen=True)
class Lockout:
    """One lockout, as told to the listeners after commit."""

    username: str
    user_id: int | None  # None when no account has that name (someone guessing)
    ip_address: str
    locked_at: dt.datetime
    attempt_id: int  # the lockout's first attempt row: one lockout, one set of notices
    event_id: int


# Callables taking a Lockout, run after commit (records: notices to the holder and the security administrators).
lockout_listeners = Hook("lockout_listeners")


def account_lockout_record(*, username: str, ip_address: str, now: dt.datetime) -> Lockout | None:
    """Audit that `username` is locked out from `ip_address` and tell the listeners, once per lockout:
    a lockout is the first remaining attempt row of that username and address (unlocking or the
    cool-off deletes them, so the next lockout has a new one). Returns the lockout when it is new,
    None when it had been recorded (a further refused attempt) or axes keeps no row for it."""
    with transaction.atomic():
        # Locked so that two refused attempts at once record the lockout once.
        attempt = AccessAttempt.objects.select_for_update().filter(username=username, ip_address=ip_address).order_by("pk").first()
        if attempt is None:
            return None
        seen = AuditEvent.objects.filter(
            type=IdentityEvent.LOCKED_OUT, object_type=attempt._meta.label_lower, object_id=str(attempt.pk)
        ).exists()
        if seen:
            return None
        user = get_user_model().objects.filter(username=username).first()
        event = audit(
            type=IdentityEvent.LOCKED_OUT,
            actor=None,
            obj=attempt,
            data={"username": username, "user": user.pk if user else None, "ip": ip_address or "", "at": now.isoformat()},
        )
        lockout = Lockout(
            username=username,
            user_id=user.pk if user else None,
            ip_address=ip_address or "",
            locked_at=now,
            attempt_id=attempt.pk,
            event_id=event.pk,
        )
        for listener in lockout_listeners:
            # robust: a notice that fails is logged, never turned into a failed sign-in or reset.
            transaction.on_commit(lambda listener=listener: listener(lockout), robust=True)
    return lockout


def on_user_locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    """axes' user_locked_out receiver (cases.apps): the service does the work."""
    if username:
        account_lockout_record(username=username, ip_address=ip_address or "", now=timezone.now())
