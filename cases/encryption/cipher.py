"""SM4-GCM (GB/T 32907-2016 block cipher in Galois/Counter Mode: confidentiality and integrity in one
construction, provided by OpenSSL through the ``cryptography`` package).

Values: ``enc:sm4gcm:<key id>:<base64(nonce 12 | ciphertext | tag 16)>``. The associated data is
the column's label (``records.interferencerecord.content``), so ciphertext copied into another
column does not open. The empty string stays empty: that a note was left blank is not content, and
the forms' "blank" checks keep working.

Files: a header ``IRENC1 | len(key id) | key id | nonce prefix (8)`` and then chunks of at most
64 KiB of plaintext, each sealed on its own (nonce = prefix | chunk number; the associated data is
the header and whether the chunk is the last), so a file is decrypted as it streams, seeks cost one
chunk, and a truncated or reordered file fails its tag.
"""

from __future__ import annotations

import base64
import binascii
import io
import os
import struct
from collections.abc import Iterable, Iterator

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.utils.translation import gettext as _

from . import keys
from .keys import EncryptionError

PREFIX = "enc:sm4gcm:"
NONCE = 12
TAG = 16


def _seal(key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    return encryptor.update(data) + encryptor.finalize() + encryptor.tag


def _open(key: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
    if len(sealed) < TAG:
        raise InvalidTag
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, sealed[-TAG:])).decryptor()
    decryptor.authenticate_additional_data(aad)
    return decryptor.update(sealed[:-TAG]) + decryptor.finalize()


# --- values -----------------------------------------------------------------------------------------


def is_encrypted(value: str) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def key_id_of(value: str) -> str | None:
    """The key id a stored value was encrypted under; None for plaintext (a row from before encryption)."""
    if not is_encrypted(value):
        return None
    return value[len(PREFIX) :].split(":", 1)[0]


def encrypt_text(value: str, *, aad: str, key_id: str | None = None) -> str:
    if value == "":
        return value
    if key_id is None:
        key_id, key = keys.current_key()
    else:
        key = keys.key(key_id)
    nonce = os.urandom(NONCE)
    sealed = _seal(key, nonce, value.encode("utf-8"), aad.encode())
    return f"{PREFIX}{key_id}:{base64.b64encode(nonce + sealed).decode('ascii')}"


def decrypt_text(value: str, *, aad: str) -> str:
    """The plaintext of a stored value. A value without the prefix is returned as it is: rows written
    before encryption, until the migration or the re-encryption sweep has sealed them."""
    if not is_encrypted(value):
        return value
    key_id, _sep, body = value[len(PREFIX) :].partition(":")
    key = keys.key(key_id)
    try:
        raw = base64.b64decode(body, validate=True)
        return _open(key, raw[:NONCE], raw[NONCE:], aad.encode()).decode("utf-8")
    except (InvalidTag, binascii.Error, ValueError) as error:
        raise EncryptionError(
            _("加密数据校验失败（%(column)s）：数据被改动，或密钥“%(id)s”不是加密时使用的密钥。") % {"column": aad, "id": key_id}
        ) from error


# --- files ------------------------------------------------------------------------------------------

MAGIC = b"IRENC1"
CHUNK = 64 * 1024


def _header(key_id: str, prefix: bytes) -> bytes:
    encoded = key_id.encode("ascii")
    return MAGIC + bytes([len(encoded)]) + encoded + prefix


def _chunk_nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def encrypt_chunks(chunks: Iterable[bytes], *, key_id: str | None = None) -> Iterator[bytes]:
    """The encrypted file, piece by piece, from the plaintext's chunks (of any size)."""
    if key_id is None:
        key_id, key = keys.current_key()
    else:
        key = keys.key(key_id)
    prefix = os.urandom(8)
    header = _header(key_id, prefix)
    yield header
    buffer = bytearray()
    index = 0
    for chunk in chunks:
        buffer += chunk
        # Keep at least one byte back: the last chunk is sealed as last, so it must be known as such.
        while len(buffer) > CHUNK:
            yield _seal(key, _chunk_nonce(prefix, index), bytes(buffer[:CHUNK]), header + b"\x00")
            del buffer[:CHUNK]
            index += 1
    yield _seal(key, _chunk_nonce(prefix, index), bytes(buffer), header + b"\x01")


def read_header(handle) -> tuple[str, bytes, int] | None:
    """(key id, nonce prefix, header length) of an encrypted file, or None for a plaintext one. Leaves
    the handle at the start of the data of an encrypted file, at 0 otherwise."""
    handle.seek(0)
    head = handle.read(len(MAGIC) + 1)
    if head[: len(MAGIC)] != MAGIC or len(head) < len(MAGIC) + 1:
        handle.seek(0)
        return None
    length = head[-1]
    rest = handle.read(length + 8)
    if len(rest) != length + 8:
        raise EncryptionError(_("加密文件头不完整：文件被截断或损坏。"))
    return rest[:length].decode("ascii", "replace"), rest[length:], len(MAGIC) + 1 + length + 8


def plaintext_size(total: int, header_length: int) -> int:
    body = total - header_length
    chunks = max(1, -(-body // (CHUNK + TAG)))
    return body - chunks * TAG


class DecryptingReader(io.RawIOBase):
    """A read-only, seekable view of the plaintext of an encrypted file (the handle is owned)."""

    def __init__(self, handle, key_id: str, prefix: bytes, header_length: int, *, name: str = ""):
        super().__init__()
        self._handle = handle
        self.key_id = key_id
        self._key = keys.key(key_id)
        self._prefix = prefix
        self._header = _header(key_id, prefix)
        self._start = header_length
        handle.seek(0, io.SEEK_END)
        total = handle.tell()
        self.size = plaintext_size(total, header_length)
        self._chunks = max(1, -(-(total - header_length) // (CHUNK + TAG)))
        self._position = 0
        self._cached: tuple[int, bytes] | None = None
        self.name = name
        # The first chunk opens now: a wrong key or an altered header is an error at open (a page
        # saying so), not a download broken off after its headers were sent.
        self._chunk(0)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self.size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def _chunk(self, index: int) -> bytes:
        if self._cached is not None and self._cached[0] == index:
            return self._cached[1]
        self._handle.seek(self._start + index * (CHUNK + TAG))
        sealed = self._handle.read(CHUNK + TAG)
        last = b"\x01" if index == self._chunks - 1 else b"\x00"
        try:
            plain = _open(self._key, _chunk_nonce(self._prefix, index), sealed, self._header + last)
        except InvalidTag as error:
            raise EncryptionError(
                _("加密文件校验失败：文件被改动或截断，或密钥“%(id)s”不是加密时使用的密钥。") % {"id": self.key_id}
            ) from error
        self._cached = (index, plain)
        return plain

    def readinto(self, buffer) -> int:
        if self._position >= self.size:
            return 0
        index, offset = divmod(self._position, CHUNK)
        data = self._chunk(index)[offset : offset + len(buffer)]
        buffer[: len(data)] = data
        self._position += len(data)
        return len(data)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = max(0, self.size - self._position)
        parts = []
        while size > 0:
            piece = bytearray(min(size, CHUNK))
            count = self.readinto(piece)
            if not count:
                break
            parts.append(bytes(piece[:count]))
            size -= count
        return b"".join(parts)

    def close(self) -> None:
        if not self.closed:
            self._handle.close()
        super().close()


def open_plaintext(handle, *, name: str = ""):
    """A reader of the plaintext of `handle` (an open binary file): decrypting for an encrypted file,
    the handle itself for a plaintext one (stored before encryption)."""
    header = read_header(handle)
    if header is None:
        return handle
    key_id, prefix, length = header
    try:
        return DecryptingReader(handle, key_id, prefix, length, name=name)
    except Exception:
        handle.close()
        raise


def rewrite_file(path: str, *, key_id: str | None = None, decrypt: bool = False) -> bool:
    """Encrypt the file at `path` in place under `key_id` (default: the current key), or with
    `decrypt` write its plaintext back; through a temporary file renamed over it, so a reader sees the
    old file or the new one. Returns False when it already is as asked (idempotent)."""
    with open(path, "rb") as handle:
        header = read_header(handle)
    if decrypt and header is None:
        return False
    if not decrypt:
        target = key_id or keys.provider().current_key_id()
        if header is not None and header[0] == target:
            return False
    directory, name = os.path.split(path)
    temporary = os.path.join(directory, f".{name}.rewrite-{os.urandom(4).hex()}")
    try:
        with open(path, "rb") as source, open(temporary, "wb") as out:
            reader = open_plaintext(source)
            pieces = iter(lambda: reader.read(CHUNK), b"")
            for piece in pieces if decrypt else encrypt_chunks(pieces, key_id=target):
                out.write(piece)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, os.stat(path).st_mode & 0o777)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return True
