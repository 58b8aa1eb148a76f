"""Evidence files: hashing and content sniffing. The type is decided from the bytes, never from the
name the browser sent, so a renamed executable is not stored as a "recording"."""

import hashlib

from django.core.files.uploadedfile import UploadedFile

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


def digest(upload: UploadedFile) -> tuple[str, int, str]:
    """(sha256 hex, size in bytes, sniffed content type) of an uploaded file, read in chunks."""
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


# Which evidence kind a file most likely is, from its sniffed type, when the officer left it on "auto".
_KIND_BY_TYPE_PREFIX = (("audio/", "recording"), ("video/", "recording"), ("image/", "electronic"), ("application/pdf", "paper_scan"))


def guess_kind(content_type: str) -> str:
    for prefix, kind in _KIND_BY_TYPE_PREFIX:
        if content_type.startswith(prefix):
            return kind
    return "other"
