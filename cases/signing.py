"""SM2 signatures (GB/T 32918.2-2016, GM/T 0003.2-2012) on the documents the system issues and on any
bytes another part wants vouched for (the exported audit chain head).

The signing key is the system's, kept OUTSIDE the database (密评, GB/T 39786-2021: keys apart from
the data they protect): ``DOCUMENT_SIGNING_KEY_FILE`` names a key file (``manage.py
document_signing_key --create PATH`` makes one, mode 0600). Development and tests, where
``DOCUMENT_SIGNING_KEY_GENERATE`` is on, make one on first use under the private storage; production
requires the file (system check ``registry.E023``, run by ``check --deploy``).

The arithmetic is GmSSL's (the reference implementation of the SM algorithms, through the registry's
``gmssl-pyx``): SM2 with SM3 and the standard user ID "1234567812345678", so Z = SM3(ENTL ‖ ID ‖ a ‖
b ‖ xG ‖ yG ‖ xA ‖ yA) is hashed in front of the message (GB/T 32918.2 5.5); its nonces come from
GmSSL's own random source. ``cases/tests/test_signing.py`` checks it against the published example of
GB/T 32918.5-2016 / GM/T 0003.5-2012 Annex A.

A signature travels as one line of ASCII, a *token*::

    SM2SIG/1 fp=<key fingerprint> at=<signed at, ISO 8601> pub=<04‖x‖y hex> sig=<DER (r, s), base64>

What is signed is ``data ‖ the token up to and including "sig="``, so the signer's fingerprint and
the time are covered by the signature as well as the data. The public key rides along so that a copy
can be checked without this system; the system itself trusts a token only when its fingerprint is
its own key's (``Verification.ours``), or that of a key it has retired, for what that key signed up
to its last day (``DOCUMENT_SIGNING_RETIRED_KEYS``): a bureau that changes its key still vouches
for the documents it issued before.

A PDF carries its token after ``%%EOF`` as one PDF comment line (``sign_document``). Why not a PDF
signature dictionary (/ByteRange, PAdES)? That needs a CMS SignedData around an SM2 certificate
(GM/T 0010, GM/T 0031) issued by the agency's CA, which is the deployer's infrastructure, not this
product's; and an incremental update would rewrite the trailer. A comment after the end-of-file
marker is ignored by every reader (ISO 32000-1 7.2.3: comments; readers look for the last %%EOF
near the end, and the line is far shorter than the 1024 bytes they search), so the signed file
stays the same valid PDF, while the signature covers every byte before it: change any byte, add any
byte after it, and verification fails.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.utils import timezone

from .secret_files import secret_file_create

SIGNER_ID = b"1234567812345678"  # GM/T 0009-2012 10: the default user ID
TOKEN_PREFIX = "SM2SIG/1 "  # noqa: S105 - a format marker, not a secret
PDF_MARK = b"%" + TOKEN_PREFIX.encode()
_TOKEN = re.compile(r"SM2SIG/1 fp=(?P<fp>[0-9a-f]{64}) at=(?P<at>\S+) pub=(?P<pub>04[0-9a-f]{128}) sig=(?P<sig>[A-Za-z0-9+/=]{8,200})")
_KEY_LINE = re.compile(r"^(private|public):\s*([0-9a-fA-F]+)\s*$")


class SigningKeyError(RuntimeError):
    """The key file is missing, unreadable or not an SM2 key pair."""


@dataclass(frozen=True)
class SigningKey:
    private: bytes  # 32 bytes
    public: bytes  # 64 bytes, x ‖ y

    @property
    def fingerprint(self) -> str:
        """SM3 of the uncompressed public key (04 ‖ x ‖ y), hex: what a document names as its signer."""
        return public_key_fingerprint(b"\x04" + self.public)


def public_key_fingerprint(public_key: bytes) -> str:
    return hashlib.new("sm3", public_key).hexdigest()


def format_fingerprint(fingerprint: str) -> str:
    """Groups of four hex digits, as people read a fingerprint aloud or compare it on paper."""
    return " ".join(fingerprint[i : i + 4] for i in range(0, len(fingerprint), 4)).upper()


@dataclass(frozen=True)
class Verification:
    """What a token says about some data. ``ok``: the signature is valid for the data under the
    public key it carries; ``ours``: and that key is this system's."""

    ok: bool
    ours: bool = False
    fingerprint: str = ""
    signed_at: dt.datetime | None = None
    signed: bool = True  # False: no signature at all
    retired_on: dt.date | None = None  # ours through a retired key: the last day it signed

    @property
    def authentic(self) -> bool:
        return self.ok and self.ours


# --- keys ---------------------------------------------------------------------------------------


def key_path() -> Path:
    configured = settings.DOCUMENT_SIGNING_KEY_FILE
    if configured:
        return Path(configured)
    # Development and tests only (production refuses an empty setting): beside the evidence, in a
    # folder nothing serves. A backup of the private storage then holds it too, which a development
    # key may.
    return Path(settings.PRIVATE_STORAGE_ROOT) / "keys" / "document-signing-sm2.key"


def generate_key_file(path: Path) -> SigningKey:
    """Write a fresh key pair to `path` (mode 0600), refusing to overwrite a key."""
    from gmssl_pyx import sm2_key_generate

    public, private = sm2_key_generate()
    text = (
        "# SM2 document signing key of the Interference Registry (GB/T 32918). Keep it secret and outside the database.\n"
        f"private: {private.hex()}\npublic: 04{public.hex()}\n"
    )
    if not secret_file_create(path, text.encode("ascii")):
        raise FileExistsError(path)
    return SigningKey(private=private, public=public)


def read_key_file(path: Path) -> SigningKey:
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as error:
        raise SigningKeyError(f"cannot read the SM2 signing key {path}: {error}") from error
    values = {}
    for line in text.splitlines():
        match = _KEY_LINE.match(line.strip())
        if match:
            values[match.group(1)] = bytes.fromhex(match.group(2))
    private, public = values.get("private", b""), values.get("public", b"")
    if public[:1] == b"\x04":
        public = public[1:]
    if len(private) != 32 or len(public) != 64:
        raise SigningKeyError(f"{path} is not an SM2 key file (private: 64 hex digits, public: 04 and 128 hex digits)")
    key = SigningKey(private=private, public=public)
    # The two halves must belong together: a key whose own signature does not verify would sign
    # every document unverifiably.
    probe = b"registry signing key self-test"
    from gmssl_pyx import GmsslInnerError, sm2_sign, sm2_verify

    try:
        good = sm2_verify(key.public, probe, sm2_sign(key.private, key.public, probe, SIGNER_ID), SIGNER_ID)
    except GmsslInnerError:
        good = False
    if not good:
        raise SigningKeyError(f"{path}: the private and public keys do not form an SM2 key pair")
    return key


@functools.cache
def _load(path: str, mtime_ns: int) -> SigningKey:
    return read_key_file(Path(path))


def signing_key() -> SigningKey:
    """The system's key, read once per file version. Generated on first use where allowed."""
    path = key_path()
    if not path.exists() and settings.DOCUMENT_SIGNING_KEY_GENERATE:
        try:
            generate_key_file(path)
        except FileExistsError:  # another process made it first
            pass
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as error:
        raise SigningKeyError(f"the SM2 signing key {path} is missing (DOCUMENT_SIGNING_KEY_FILE)") from error
    return _load(str(path), mtime)


@register(Tags.security, deploy=True)
def signing_key_check(app_configs=None, **kwargs):
    """Production signs every issued document with a key kept outside the database: it must be
    configured and readable (a development key made on the fly would change on every machine)."""
    if settings.DOCUMENT_SIGNING_KEY_GENERATE:
        return []
    if not settings.DOCUMENT_SIGNING_KEY_FILE:
        return [Error("未配置公文SM2签名密钥文件（DOCUMENT_SIGNING_KEY_FILE）。", hint="python manage.py document_signing_key --create /etc/registry/sm2-signing.key", id="registry.E023")]
    try:
        read_key_file(Path(settings.DOCUMENT_SIGNING_KEY_FILE))
    except SigningKeyError as error:
        return [Error(f"公文SM2签名密钥不可用：{error}", id="registry.E023")]
    return []


_RETIRED_ENTRY = re.compile(r"(?P<fp>[0-9a-f]{64})@(?P<day>\d{4}-\d{2}-\d{2})")


def retired_keys_parse(entries: list[str]) -> dict[str, dt.date]:
    """The retired keys of DOCUMENT_SIGNING_RETIRED_KEYS, each ``<fingerprint>@<last day>`` (the
    fingerprint as `document_signing_key` shows it, spaces and case aside; the day in ISO form).
    Raises ValueError naming the first entry that is neither."""
    retired = {}
    for entry in entries:
        match = _RETIRED_ENTRY.fullmatch(entry.replace(" ", "").lower())
        try:
            day = dt.date.fromisoformat(match.group("day")) if match else None
        except ValueError:
            day = None
        if day is None:
            raise ValueError(entry)
        retired[match.group("fp")] = day
    return retired


def retired_key_vouches(*, fingerprint: str, signed_at: dt.datetime | None, retired: dict[str, dt.date], zone) -> dt.date | None:
    """The last day of the retired key that made a signature at `signed_at`, when the system still
    vouches for it: the key is one of its retired keys and signed on or before that day (the day in
    the bureau's calendar, `zone`). None otherwise, and for a signature of unknown time."""
    last_day = retired.get(fingerprint)
    if last_day is None or signed_at is None:
        return None
    return last_day if signed_at.astimezone(zone).date() <= last_day else None


def retired_keys() -> dict[str, dt.date]:
    """The configured retired keys; none when the setting is malformed, which retired_keys_check
    refuses at start-up (and before every management command)."""
    try:
        return retired_keys_parse(settings.DOCUMENT_SIGNING_RETIRED_KEYS)
    except ValueError:
        return {}


@register(Tags.security)
def retired_keys_check(app_configs=None, **kwargs):
    try:
        retired_keys_parse(settings.DOCUMENT_SIGNING_RETIRED_KEYS)
    except ValueError as error:
        return [
            Error(
                f"DOCUMENT_SIGNING_RETIRED_KEYS 中的“{error}”格式不正确。",
                hint="每项为“密钥指纹@最后使用日”，如 3f2a…（64位十六进制）@2027-01-31，多项以逗号分隔。",
                id="registry.E024",
            )
        ]
    return []


# --- bytes --------------------------------------------------------------------------------------


def _der_signature_ok(signature: bytes) -> bool:
    return 8 <= len(signature) <= 72 and signature[:1] == b"\x30"


def sign_bytes(data: bytes, *, now: dt.datetime | None = None) -> str:
    """A token (one ASCII line, no newline) signing `data` with the system's key at `now`."""
    from gmssl_pyx import sm2_sign

    key = signing_key()
    at = (now or timezone.now()).astimezone(dt.UTC).isoformat(timespec="seconds")
    head = f"{TOKEN_PREFIX}fp={key.fingerprint} at={at} pub=04{key.public.hex()} sig="
    signature = sm2_sign(key.private, key.public, data + head.encode("ascii"), SIGNER_ID)
    return head + base64.b64encode(signature).decode("ascii")


def verify_bytes(data: bytes, token: str) -> Verification:
    """Whether `token` signs `data`; never raises on a malformed token (it is simply not valid)."""
    from gmssl_pyx import GmsslInnerError, sm2_verify

    match = _TOKEN.fullmatch(token.strip())
    if match is None:
        return Verification(ok=False, signed=False)
    fingerprint, public_hex = match.group("fp"), match.group("pub")
    public = bytes.fromhex(public_hex)
    try:
        signature = base64.b64decode(match.group("sig"), validate=True)
        signed_at = dt.datetime.fromisoformat(match.group("at"))
    except (binascii.Error, ValueError):
        return Verification(ok=False, fingerprint=fingerprint)
    if base64.b64encode(signature).decode("ascii") != match.group("sig") or token != token.strip():
        # Base64's spare bits: another spelling of the same signature is still an altered copy.
        return Verification(ok=False, fingerprint=fingerprint)
    head = token.strip()[: match.start("sig")]
    ok = public_key_fingerprint(public) == fingerprint and _der_signature_ok(signature)
    if ok:
        try:
            ok = bool(sm2_verify(public[1:], data + head.encode("ascii"), signature, SIGNER_ID))
        except GmsslInnerError:
            ok = False
    try:
        ours = fingerprint == signing_key().fingerprint
    except SigningKeyError:
        ours = False
    signed_at = signed_at if signed_at.tzinfo else None
    retired_on = None
    if not ours:
        retired_on = retired_key_vouches(fingerprint=fingerprint, signed_at=signed_at, retired=retired_keys(), zone=timezone.get_default_timezone())
        ours = retired_on is not None
    return Verification(ok=ok, ours=ours, fingerprint=fingerprint, signed_at=signed_at, retired_on=retired_on)


# --- documents ----------------------------------------------------------------------------------


def sign_document(pdf: bytes, *, now: dt.datetime | None = None) -> bytes:
    """`pdf` with its signature appended after %%EOF as one comment line (see the module's note)."""
    body = pdf if pdf.endswith(b"\n") else pdf + b"\n"
    return body + b"%" + sign_bytes(body, now=now).encode("ascii") + b"\n"


def split_signed(content: bytes) -> tuple[bytes, str] | None:
    """The signed part and the token of a signed document, or None when it carries no signature line
    at its very end."""
    if not content.endswith(b"\n"):
        return None
    at = content.rfind(b"\n" + PDF_MARK, 0, len(content) - 1)
    if at < 0:
        return None
    line = content[at + 2 : -1]
    if b"\n" in line or b"\r" in line:
        return None  # bytes were added after the signature line
    try:
        return content[: at + 1], line.decode("ascii")
    except UnicodeDecodeError:
        return None


def verify_document(content: bytes) -> Verification:
    """Whether `content` is a document signed by a key, byte for byte as signed. An altered copy
    (any byte changed, added or removed) is not ``ok``; one without a signature line is not
    ``signed``."""
    parts = split_signed(content)
    if parts is None:
        return Verification(ok=False, signed=PDF_MARK in content[-2048:])
    return verify_bytes(*parts)
