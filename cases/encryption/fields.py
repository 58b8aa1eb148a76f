"""The encrypted text field: SM4-GCM ciphertext in the database, plaintext in Python.

What this costs: the database cannot compare plaintext, so a filter, search or ordering on such a
column means nothing. The pattern and range lookups (contains, icontains, startswith, gt...) are
refused with FieldError, so a search written later fails loudly instead of silently finding nothing;
``exact`` and ``in`` work for the empty string only (a blank note), ``isnull`` as usual. Search,
filter and order on the columns kept in clear (names, dates, kinds, statuses), or in Python on a small
set already read.

A value that cannot be decrypted (its key is not configured, or the row was tampered with) reads as
an ``UnreadableText``: a Chinese notice in place of the text, so pages show the problem instead of a
500, which keeps its ciphertext and writes that back unchanged if the row is saved.
"""

from __future__ import annotations

import logging

from django.core.exceptions import FieldError
from django.db import models
from django.db.models import lookups
from django.utils.translation import gettext as _

from .cipher import decrypt_text, encrypt_text, is_encrypted
from .keys import EncryptionError

log = logging.getLogger(__name__)


class UnreadableText(str):
    """Stands for a stored value that could not be decrypted; renders as a notice."""

    ciphertext: str
    error: str

    def __new__(cls, ciphertext: str, error: str):
        text = super().__new__(cls, _("【无法解密：%(error)s 请联系安全保密管理员。】") % {"error": error})
        text.ciphertext = ciphertext
        text.error = error
        return text


class _BlankOnly:
    """`exact`/`in` against the empty string only: any other value would be compared with ciphertext."""

    def get_prep_lookup(self):
        values = self.rhs if isinstance(self.rhs, list | tuple | set) else [self.rhs]
        if any(value not in ("", None) for value in values):
            raise FieldError(f"{self.lhs.target.name} is encrypted: it can only be compared with the empty string")
        return super().get_prep_lookup()


class _BlankExact(_BlankOnly, lookups.Exact):
    pass


class _BlankIn(_BlankOnly, lookups.In):
    pass


class EncryptedTextField(models.TextField):
    """A TextField stored encrypted under the current SM4 key (cases.encryption)."""

    def aad(self) -> str:
        return f"{self.model._meta.label_lower}.{self.column}"

    def from_db_value(self, value, expression, connection):
        if value is None or not is_encrypted(value):
            return value
        try:
            return decrypt_text(value, aad=self.aad())
        except EncryptionError as error:
            log.error("cannot decrypt %s: %s", self.aad(), error)
            return UnreadableText(value, str(error))

    def get_prep_value(self, value):
        if isinstance(value, UnreadableText):
            return value.ciphertext
        value = super().get_prep_value(value)
        # Always sealed, even text that looks like ciphertext: what a user types is never trusted as such.
        return None if value is None else encrypt_text(value, aad=self.aad())

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return _BlankExact
        if lookup_name == "in":
            return _BlankIn
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None

    def get_transform(self, lookup_name):
        return None
