"""Evidence files: hashing and content sniffing. The type is decided from the bytes, never from the
name the browser sent, so a renamed executable is not stored as a "recording"."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# (magic prefix, offset, mime type). Enough for what officers attach: recordings, screenshots, scans.
_SIGNATURES: list[tuple[bytes, int, str]] = [
    (b"%PDF-", 0, "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"II*\x00", 0, "image/tiff"),
    (b"MM\x00*", 0, "image/tiff"),
    (b"ID3", 0, "audio/mpeg"),
    (b"\xff\xfb", 0, "audio/mpeg"),
    (b"\xff\xf3", 0, "audio/mpeg"),
    (b"\xff\xf1", 0, "audio/aac"),
    (b"#!AMR", 0, "audio/amr"),
    (b"OggS", 0, "audio/ogg"),
    (b"fLaC", 0, "audio/flac"),
    (b"\x1aE\xdf\xa3", 0, "video/webm"),
    (b"PK\x03\x04", 0, "application/zip"),  # also .docx/.xlsx
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "application/msword"),  # OLE2: .doc/.xls
]

# What evidence may be: recordings, photos and screenshots, videos, scans, text and office documents.
# Anything else (executables, unknown binaries) is refused, whatever its name says.
ALLOWED_PREFIXES = ("audio/", "video/", "image/")
ALLOWED_TYPES = frozenset({"application/pdf", "text/plain", "application/zip", "application/msword"})


def is_allowed(content_type: str) -> bool:
    return content_type.startswith(ALLOWED_PREFIXES) or content_type in ALLOWED_TYPES


def sniff_content_type(head: bytes) -> str:
    """The MIME type the first bytes of a file show; `application/octet-stream` when unknown."""
    for magic, offset, mime in _SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return "audio/mp4" if brand in (b"M4A ", b"M4B ") else "video/mp4"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain" if b"\x00" not in head else "application/octet-stream"


def digest(upload: File) -> tuple[str, int, str]:
    """(sha256 hex, size in bytes, sniffed content type) of an uploaded (or stored, opened) file,
    read in chunks."""
    sha = hashlib.sha256()
    size = 0
    head = b""
    upload.seek(0)
    for chunk in upload.chunks():
        if len(head) < 64:
            head += chunk[: 64 - len(head)]
        sha.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return sha.hexdigest(), size, sniff_content_type(head)


def check_upload(upload: File, *, max_bytes: int | None = None) -> tuple[str, int, str]:
    """The digest (sha256, size, content type) of an upload that may be kept as evidence: at most
    `max_bytes` (default settings.EVIDENCE_MAX_BYTES) and of an allowed type as sniffed from its
    bytes. Raises ValidationError with a message for the user otherwise. Every evidence upload of the
    product (record evidence, tolerance applications' proof) goes through here."""
    limit = settings.EVIDENCE_MAX_BYTES if max_bytes is None else max_bytes
    name = (upload.name or "").rsplit("/", 1)[-1]
    # The declared size refuses a huge file before it is read; the counted one catches a wrong declaration.
    if upload.size is not None and upload.size > limit:
        raise ValidationError(_too_large(name, upload.size, limit), code="too_large")
    sha256, size, content_type = digest(upload)
    if size > limit:
        raise ValidationError(_too_large(name, size, limit), code="too_large")
    if not is_allowed(content_type):
        raise ValidationError(
            _("文件“%(name)s”的类型不支持。证据材料限录音、图片、视频、PDF、文本和Office文档（按文件内容识别，与扩展名无关）。")
            % {"name": name},
            code="type",
        )
    return sha256, size, content_type


def _too_large(name: str, size: int, limit: int) -> str:
    return _("文件“%(name)s”大小为%(size)s，超过上限%(limit)s。") % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)}


# Which evidence kind a file most likely is, from its sniffed type, when the officer left it on "auto".
_KIND_BY_TYPE_PREFIX = (("audio/", "recording"), ("video/", "recording"), ("image/", "electronic"), ("application/pdf", "paper_scan"))


def guess_kind(content_type: str) -> str:
    for prefix, kind in _KIND_BY_TYPE_PREFIX:
        if content_type.startswith(prefix):
            return kind
    return "other"
