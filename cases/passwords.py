"""Password validators whose messages are in the user's language.

Django 5.2 changed the minimum-length message's msgid to a "%d" form that its zh_Hans catalogue does
not translate yet, so the admin's account form showed it in English; this one carries its own.

GB/T 22239-2019 (等保 2.0) level 3, 8.1.4.1 身份鉴别 a) asks for passwords of "复杂度要求": at least
three kinds of characters (issue 23), checked by ``CharacterKindsValidator`` with the pure rule
``character_kinds``. The same clause asks that it be changed periodically: a new password may not
repeat the last PASSWORD_HISTORY_COUNT (``PasswordHistoryValidator``), and ``password_change_reason``
says when the holder must change theirs (set by an administrator, or older than
PASSWORD_MAX_AGE_DAYS)."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .models import PasswordHistory


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext("密码太短，至少需要 %(min_length)d 个字符。", "密码太短，至少需要 %(min_length)d 个字符。", self.min_length) % {
            "min_length": self.min_length
        }

    def get_help_text(self) -> str:
        return ngettext("密码至少需要 %(min_length)d 个字符。", "密码至少需要 %(min_length)d 个字符。", self.min_length) % {
            "min_length": self.min_length
        }

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short", params={"min_length": self.min_length})


def character_kinds(password: str) -> int:
    """How many of the four kinds a password mixes: upper-case letters, lower-case letters, digits, and
    everything else (punctuation, spaces, Chinese characters). Letters are told apart by case, so a
    script without case (汉字) counts as "other"."""
    kinds = (
        any(c.isupper() for c in password),
        any(c.islower() for c in password),
        any(c.isdigit() for c in password),
        any(not (c.isupper() or c.islower() or c.isdigit()) for c in password),
    )
    return sum(kinds)


class CharacterKindsValidator:
    """A password mixes at least ``min_kinds`` of the four kinds of ``character_kinds``."""

    def __init__(self, min_kinds: int = 3):
        if not 1 <= min_kinds <= 4:
            raise ValueError(f"min_kinds must be 1-4, got {min_kinds}")
        self.min_kinds = min_kinds

    def validate(self, password, user=None):
        if character_kinds(password) < self.min_kinds:
            raise ValidationError(self.get_help_text(), code="password_too_simple", params={"min_kinds": self.min_kinds})

    def get_help_text(self) -> str:
        return gettext("密码须包含大写字母、小写字母、数字和其他符号中的至少 %(min_kinds)d 类。") % {"min_kinds": self.min_kinds}


class PasswordHistoryValidator:
    """A new password may not be any of the account's last PASSWORD_HISTORY_COUNT (its current one
    included); 0 turns the check off. Compared against the stored hashes (cases.PasswordHistory), so
    each costs one hash of the new password: a handful per change."""

    def validate(self, password, user=None):
        count = settings.PASSWORD_HISTORY_COUNT
        if user is None or user.pk is None or count <= 0:
            return
        hashes = list(PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)[:count])
        # An account whose password predates the history: its current one still counts.
        if user.has_usable_password() and user.password not in hashes:
            hashes = [user.password, *hashes][:count]
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(self.get_error_message(count), code="password_reused", params={"count": count})

    def get_error_message(self, count: int) -> str:
        return gettext("新密码不能与最近 %(count)d 次使用过的密码相同。") % {"count": count}

    def get_help_text(self) -> str:
        return gettext("不能与最近 %(count)d 次使用过的密码相同。") % {"count": settings.PASSWORD_HISTORY_COUNT}


class PasswordChangeReason(models.TextChoices):
    """Why a signed-in holder must change their password before anything else."""

    INITIAL = "initial", _("您的密码是管理员设置的初始密码，首次登录须修改为只有您本人知道的密码。")
    EXPIRED = "expired", _("您的密码已超过规定的使用期限，须修改后才能继续使用本系统。")


def password_change_reason(*, set_at: dt.datetime | None, temporary: bool, now: dt.datetime, max_age_days: int) -> str | None:
    """Whether the holder of a password set at `set_at` (by someone else when `temporary`) must
    change it at `now`: "initial", "expired" or None. GB/T 22239-2019 8.1.4.1 a) (身份鉴别信息具有
    复杂度要求并定期更换): a password an administrator chose is known to two people, so it is changed
    at first sign-in; any other is changed once `max_age_days` have passed since it was set (the day
    it was set plus `max_age_days` days; 0 never). An unknown `set_at` is not counted as expired."""
    if temporary:
        return PasswordChangeReason.INITIAL.value
    if max_age_days > 0 and set_at is not None and now >= set_at + dt.timedelta(days=max_age_days):
        return PasswordChangeReason.EXPIRED.value
    return None
