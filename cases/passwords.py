"""Password validators whose messages are in the user's language.

Django 5.2 changed the minimum-length message's msgid to a "%d" form that its zh_Hans catalogue does
not translate yet, so the admin's account form showed it in English; this one carries its own."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext("密码太短，至少需要 %(min_length)d 个字符。", "密码太短，至少需要 %(min_length)d 个字符。", self.min_length) % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return ngettext("密码至少需要 %(min_length)d 个字符。", "密码至少需要 %(min_length)d 个字符。", self.min_length) % {"min_length": self.min_length}

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short", params={"min_length": self.min_length})
