"""Password validators whose messages are in the user's language.

Django 5.2 changed the minimum-length message's msgid to a "%d" form that its zh_Hans catalogue does
not translate yet, so the admin's account form showed it in English; this one carries its own.

GB/T 22239-2019 (等保 2.0) level 3, 8.1.4.1 身份鉴别 a) asks for passwords of "复杂度要求": at least
three kinds of characters (issue 23), checked by ``CharacterKindsValidator`` with the pure rule
``character_kinds``."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext("密码太短，至少需要 %(min_length)d 个字符。", "密码太短，至少需要 %(min_length)d 个字符。", self.min_length) % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return ngettext("密码至少需要 %(min_length)d 个字符。", "密码至少需要 %(min_length)d 个字符。", self.min_length) % {"min_length": self.min_length}

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
