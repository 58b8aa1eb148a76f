"""Services over the TOTP second factor (django-otp): the device decides who may pass the second
sign-in step, so creating, confirming and deleting one is audited like any grant.

Backup codes (issue 23): ten one-time codes (django-otp's static device) the holder makes once
signed in with the second factor, shown once, each good for one sign-in when the phone is lost;
their use is audited. Only a keyed digest of each code is stored (HMAC under SECRET_KEY), so a
database dump does not hold usable codes; rotating SECRET_KEY voids them (the holder makes new ones).
The security administrator's reset (``second_factor_reset``) removes every device of an account and
ends the account's open sessions: a reset is asked for when a phone is lost or taken, and a session
opened with it must not outlive it. Its holder signs in again and sets up a new device."""

import secrets
from dataclasses import dataclass

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import audit
from .hooks import Hook
from .roles import Role, roles_of
from .vocabulary import AccountEvent, IdentityEvent

BACKUP_CODE_COUNT = 10
BACKUP_CODE_DIGITS = 8  # longer than a TOTP code (6), so the sign-in page tells them apart
BACKUP_DEVICE_NAME = "backup"


def totp_device_for(*, user) -> TOTPDevice:
    """The user's device: their confirmed one, else the one being set up, else a new unconfirmed one
    (audited when created)."""
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "pk").first()
    if device is not None:
        return device
    with transaction.atomic():
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
        audit(type=AccountEvent.TOTP_DEVICE_CREATED, actor=user, obj=device, data={"user": user.pk})
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, actor) -> TOTPDevice:
    """Mark the device confirmed after the first correct code (its owner set it up)."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit(type=AccountEvent.TOTP_DEVICE_CONFIRMED, actor=actor, obj=device, data={"user": device.user_id})
    return device


@transaction.atomic
def totp_device_delete(*, device: TOTPDevice, actor) -> None:
    """An administrator's reset of a lost device: the owner sets up a new one at the next sign-in."""
    audit(type=AccountEvent.TOTP_DEVICE_DELETED, actor=actor, obj=device, data={"user": device.user_id})
    device.delete()


def _backup_digest(code: str) -> str:
    # StaticToken.token holds 16 characters: 64 bits of the HMAC are plenty to find one of ten codes.
    return salted_hmac("cases.second_factor.backup_code", code, algorithm="sha256").hexdigest()[:16]


def backup_code_normalise(text: str) -> str:
    """What the holder typed, without the spaces and hyphens the codes are shown with."""
    return "".join(ch for ch in text if ch not in " -\u3000")


@transaction.atomic
def backup_codes_generate(*, user, actor) -> list[str]:
    """Make BACKUP_CODE_COUNT new backup codes for `user` (by themselves only), voiding any left, and
    return them: the only time they are seen. Audited with their number, never their values."""
    if actor.pk != user.pk:
        raise PermissionError("backup codes are made by their holder only")
    device, _created = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes: set[str] = set()
    while len(codes) < BACKUP_CODE_COUNT:
        codes.add(f"{secrets.randbelow(10**BACKUP_CODE_DIGITS):0{BACKUP_CODE_DIGITS}d}")
    StaticToken.objects.bulk_create([StaticToken(device=device, token=_backup_digest(code)) for code in codes])
    audit(type=IdentityEvent.BACKUP_CODES_GENERATED, actor=actor, obj=device, data={"user": user.pk, "count": len(codes)})
    return sorted(codes)


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def backup_code_use(*, user, code: str) -> StaticDevice | None:
    """Spend one of `user`'s backup codes: the device it belongs to (the code is gone), or None when
    it is not one of theirs. django-otp throttles failures per device. Audited when used."""
    code = backup_code_normalise(code)
    if len(code) != BACKUP_CODE_DIGITS or not code.isdigit():
        return None
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(_backup_digest(code)):
            audit(type=IdentityEvent.BACKUP_CODE_USED, actor=user, obj=device, data={"user": user.pk, "left": device.token_set.count()})
            return device
    return None


class SecondFactorResetRefused(Exception):
    """A reset the rules refuse; `message` is for the user (translated)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SecondFactorReset:
    """A reset, as told to the listeners after commit."""

    user_id: int
    actor_id: int
    event_id: int
    sessions_ended: int


# Callables taking a SecondFactorReset, run after commit (records: a notice to the account holder).
second_factor_reset_listeners = Hook("second_factor_reset_listeners")


def second_factor_reset_refusal(*, actor_id: int, user_id: int, actor_is_security_admin: bool) -> str | None:
    """Why a reset of `user_id`'s second factor by `actor_id` is refused, or None. Resetting is the
    security administrator's (安全保密管理员, 三员分立: GB/T 22239-2019 8.1.4.2 d), and never of
    their own second factor: one person alone would then pass both factors of their own account."""
    if not actor_is_security_admin:
        return _("只有安全保密管理员可以重置双重验证。")
    if actor_id == user_id:
        return _("不能重置本人的双重验证，请由另一位安全保密管理员办理。")
    return None


def _sessions_of(user) -> list[str]:
    """The keys of the unexpired database sessions signed in as `user`. Sessions are not indexed by
    user, so each is decoded: a reset is rare and a bureau holds a few thousand sessions at most."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).only("session_key", "session_data")
    return [session.session_key for session in live.iterator() if session.get_decoded().get(SESSION_KEY) == str(user.pk)]


def second_factor_reset(*, user, actor) -> SecondFactorReset:
    """Remove every second-factor device of `user` (authenticator and backup codes) and end their
    open sessions: at the next sign-in they set up a new authenticator. One audit event naming the
    devices and the number of sessions ended; the holder is told after commit. Raises
    SecondFactorResetRefused (after auditing the attempt) when refused."""
    reason = second_factor_reset_refusal(
        actor_id=actor.pk, user_id=user.pk, actor_is_security_admin=Role.SECURITY_ADMIN.value in roles_of(actor)
    )
    if reason:
        # Its own transaction: the trace of the attempt stays although nothing changes.
        with transaction.atomic():
            audit(type=IdentityEvent.SECOND_FACTOR_RESET_REFUSED, actor=actor, obj=user, data={"user": user.pk, "reason": str(reason)})
        raise SecondFactorResetRefused(reason)
    with transaction.atomic():
        devices = list(devices_for_user(user, confirmed=None))
        sessions = _sessions_of(user)
        event = audit(
            type=IdentityEvent.SECOND_FACTOR_RESET,
            actor=actor,
            obj=user,
            data={"user": user.pk, "devices": [device.persistent_id for device in devices], "sessions_ended": len(sessions)},
        )
        for device in devices:
            device.delete()
        Session.objects.filter(session_key__in=sessions).delete()
        reset = SecondFactorReset(user_id=user.pk, actor_id=actor.pk, event_id=event.pk, sessions_ended=len(sessions))
        for listener in second_factor_reset_listeners:
            # robust: a notice that fails is logged, never turned into a failed sign-in or reset.
            transaction.on_commit(lambda listener=listener: listener(reset), robust=True)
    return reset
