"""Where the SM4 keys come from. Keys never live in the database: a dump holds only ciphertext and
the key ids.

Providers (chosen by settings, first that applies):

1. ``FIELD_ENCRYPTION_KEY_PROVIDER``: the dotted path of a callable returning a ``KeyProvider``, the
   hook for a hardware key manager (密码机 / KMS). The provider is asked for a key by id; a KMS
   provider typically keeps data keys wrapped by the device and unwraps them on first use.
2. ``FIELD_ENCRYPTION_KEYS``: ``id:base64,id:base64`` (an environment variable); the current key is
   ``FIELD_ENCRYPTION_CURRENT_KEY`` or else the first listed.
3. ``FIELD_ENCRYPTION_KEY_FILE``: a JSON file ``{"current": id, "keys": {id: base64}}``, mode 0600,
   outside PRIVATE_STORAGE_ROOT in production (so backups of the files do not carry their key).
   Empty: with ``FIELD_ENCRYPTION_DEV_KEY`` (development and tests only) a key file is generated
   at ``PRIVATE_STORAGE_ROOT/keys/field-encryption.json``.

A key is 16 bytes (SM4 has a 128-bit key). A key id is 1-32 lower-case letters, digits or ``-``.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import re
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from cases.secret_files import secret_file_create

log = logging.getLogger(__name__)

KEY_BYTES = 16
# Lower-case letters, digits and "-": a key id appears in LIKE patterns (where "_" is a wildcard) and
# SQLite's LIKE ignores case.
KEY_ID = re.compile(r"^[a-z0-9-]{1,32}$")


class EncryptionError(Exception):
    """Data cannot be decrypted or encrypted: a clear message for operators and users (Chinese)."""


class EncryptionKeyError(EncryptionError):
    """No usable key: none configured, a malformed key source, or a key id that is not available."""


class KeyProvider(Protocol):
    """What the application asks of a key source. Implement this for a hardware key manager and name
    a factory returning it in ``FIELD_ENCRYPTION_KEY_PROVIDER``."""

    def current_key_id(self) -> str:
        """The id of the key new ciphertext is made with."""

    def key(self, key_id: str) -> bytes:
        """The 16-byte SM4 key of `key_id`; raises EncryptionKeyError when it is not available."""

    def key_ids(self) -> list[str]:
        """Every key id this source can provide (for status and checks)."""


class WritableKeyProvider(KeyProvider, Protocol):
    def add_key(self, key_id: str, key: bytes, *, make_current: bool) -> None:
        """Keep a new key (the rotation command generates one when the source can store it)."""


def decode_key(key_id: str, text: str, *, source: str) -> bytes:
    if not KEY_ID.match(key_id or ""):
        raise EncryptionKeyError(
            _("%(source)s 中的密钥标识“%(id)s”无效：只能是1至32个小写字母、数字或“-”。") % {"source": source, "id": key_id}
        )
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise EncryptionKeyError(
            _("%(source)s 中密钥“%(id)s”无效：应为16字节（128位）SM4密钥的Base64编码。") % {"source": source, "id": key_id}
        )
    return key


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def new_key_id() -> str:
    return "k" + secrets.token_hex(4)


@dataclass
class StaticKeyProvider:
    """Keys given in full (the environment variable, tests)."""

    keys: dict[str, bytes]
    current: str

    def current_key_id(self) -> str:
        return self.current

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise EncryptionKeyError(_("密钥“%(id)s”不可用，无法解密。请检查加密密钥配置。") % {"id": key_id}) from None

    def key_ids(self) -> list[str]:
        return list(self.keys)


def env_provider(spec: str, current: str = "") -> StaticKeyProvider:
    source = "FIELD_ENCRYPTION_KEYS"
    keys: dict[str, bytes] = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        key_id, sep, text = item.partition(":")
        if not sep:
            raise EncryptionKeyError(_("FIELD_ENCRYPTION_KEYS 的格式应为“标识:Base64密钥,标识:Base64密钥”。"))
        keys[key_id.strip()] = decode_key(key_id.strip(), text, source=source)
    if not keys:
        raise EncryptionKeyError(_("FIELD_ENCRYPTION_KEYS 中没有密钥。"))
    current = current or next(iter(keys))
    if current not in keys:
        raise EncryptionKeyError(_("当前密钥“%(id)s”（FIELD_ENCRYPTION_CURRENT_KEY）不在 FIELD_ENCRYPTION_KEYS 中。") % {"id": current})
    return StaticKeyProvider(keys, current)


class FileKeyProvider:
    """Keys in a JSON file; re-read when the file changes, so a rotation made by the command reaches
    every web and worker process without a restart."""

    def __init__(self, path: Path, *, create: bool = False):
        self.path = path
        self.create = create
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._static: StaticKeyProvider | None = None

    def _load(self) -> StaticKeyProvider:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            if not self.create:
                raise EncryptionKeyError(_("加密密钥文件 %(path)s 不存在。") % {"path": self.path}) from None
            self._generate()
            stat = self.path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if self._static is None or stamp != self._stamp:
                self._static = self._parse()
                self._stamp = stamp
            return self._static

    def _parse(self) -> StaticKeyProvider:
        source = str(self.path)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            keys = {str(k): decode_key(str(k), str(v), source=source) for k, v in data["keys"].items()}
            current = str(data["current"])
        except EncryptionKeyError:
            raise
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise EncryptionKeyError(
                _("无法读取加密密钥文件 %(path)s：%(error)s") % {"path": self.path, "error": type(error).__name__}
            ) from error
        if current not in keys:
            raise EncryptionKeyError(_("加密密钥文件 %(path)s 的当前密钥“%(id)s”不在其中。") % {"path": self.path, "id": current})
        return StaticKeyProvider(keys, current)

    def _generate(self) -> None:
        """A development key file, made once (cases.secret_files: two processes starting together
        keep one key, and neither reads it half written)."""
        key_id = new_key_id()
        body = json.dumps({"current": key_id, "keys": {key_id: base64.b64encode(new_key()).decode()}}, indent=2)
        if secret_file_create(self.path, body.encode("utf-8")):
            log.warning("generated a development encryption key file at %s (never in production)", self.path)

    def initialise(self) -> str:
        """Write a new key file with one key (refused when the file exists); returns its key id."""
        if self.path.exists():
            raise EncryptionKeyError(_("加密密钥文件 %(path)s 已存在。") % {"path": self.path})
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._generate()
        return self._load().current_key_id()

    def current_key_id(self) -> str:
        return self._load().current_key_id()

    def key(self, key_id: str) -> bytes:
        return self._load().key(key_id)

    def key_ids(self) -> list[str]:
        return self._load().key_ids()

    def add_key(self, key_id: str, key: bytes, *, make_current: bool) -> None:
        """Write the file anew (a temporary file renamed over it: readers see the old or the new file,
        never half of one). Old keys stay: ciphertext under them must still open until re-encrypted."""
        static = self._load()
        if key_id in static.keys:
            raise EncryptionKeyError(_("密钥标识“%(id)s”已存在。") % {"id": key_id})
        keys = {**static.keys, key_id: key}
        current = key_id if make_current else static.current
        body = json.dumps({"current": current, "keys": {k: base64.b64encode(v).decode() for k, v in keys.items()}}, indent=2)
        temporary = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}")
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(body)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, self.path)


def default_key_file() -> Path:
    return Path(settings.PRIVATE_STORAGE_ROOT) / "keys" / "field-encryption.json"


_providers: dict[tuple, KeyProvider] = {}


def _config() -> tuple:
    return (
        getattr(settings, "FIELD_ENCRYPTION_KEY_PROVIDER", ""),
        getattr(settings, "FIELD_ENCRYPTION_KEYS", ""),
        getattr(settings, "FIELD_ENCRYPTION_CURRENT_KEY", ""),
        str(getattr(settings, "FIELD_ENCRYPTION_KEY_FILE", "") or ""),
        bool(getattr(settings, "FIELD_ENCRYPTION_DEV_KEY", False)),
        str(settings.PRIVATE_STORAGE_ROOT),
    )


def is_configured() -> bool:
    """Whether a key source outside the application is named (what production requires)."""
    provider, keys, _current, key_file, _dev, _root = _config()
    return bool(provider or keys or key_file)


def provider() -> KeyProvider:
    """The configured key source (one per configuration, kept for the process)."""
    config = _config()
    found = _providers.get(config)
    if found is None:
        hook, keys, current, key_file, dev, _root = config
        if hook:
            found = import_string(hook)()
        elif keys:
            found = env_provider(keys, current)
        elif key_file:
            found = FileKeyProvider(Path(key_file))
        elif dev:
            found = FileKeyProvider(default_key_file(), create=True)
        else:
            raise EncryptionKeyError(
                _("未配置加密密钥：请设置 FIELD_ENCRYPTION_KEY_FILE、FIELD_ENCRYPTION_KEYS 或 FIELD_ENCRYPTION_KEY_PROVIDER。")
            )
        _providers[config] = found
    return found


def current_key() -> tuple[str, bytes]:
    source = provider()
    key_id = source.current_key_id()
    return key_id, source.key(key_id)


def key(key_id: str) -> bytes:
    return provider().key(key_id)


def _forget(**kwargs) -> None:
    if kwargs.get("setting", "").startswith(("FIELD_ENCRYPTION_", "PRIVATE_STORAGE_ROOT")):
        _providers.clear()


setting_changed.connect(_forget, dispatch_uid="field-encryption-keys")
