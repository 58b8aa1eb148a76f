"""Private file storage: outside any public URL, below settings.PRIVATE_STORAGE_ROOT/<folder>."""

import os
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage

from cases.encryption import cipher


class PrivateStorage(FileSystemStorage):
    """Files served only by views that check access (evidence, reports). Reads its folder from
    settings on every use, so tests (and deployments) can move it. Configured in settings.STORAGES
    with ``OPTIONS={"folder": ...}``."""

    def __init__(self, folder: str = "private", **kwargs):
        kwargs.pop("location", None)
        kwargs.pop("base_url", None)
        super().__init__(**kwargs)
        self.folder = folder

    @property
    def base_location(self):  # type: ignore[override]
        return Path(settings.PRIVATE_STORAGE_ROOT) / self.folder

    @property
    def location(self):  # type: ignore[override]
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):  # type: ignore[override]
        return None

    def url(self, name):
        raise ValueError(f"{self.folder} files have no public URL")


class _EncryptingFile(File):
    """Hands FileSystemStorage._save the ciphertext of `content`, chunk by chunk (never the whole file
    in memory, never a plaintext temporary file moved into place)."""

    def __init__(self, content):
        super().__init__(content, getattr(content, "name", None))

    def chunks(self, chunk_size=None):
        return cipher.encrypt_chunks(self.file.chunks())


class EncryptedPrivateStorage(PrivateStorage):
    """Private files encrypted at rest with SM4-GCM (cases.encryption.cipher): written encrypted under
    the current key, read back as plaintext (seekable, so FileResponse and the hash checks work
    unchanged), `size` the plaintext's. A file stored before encryption is read as it is until the
    migration or the re-encryption sweep seals it.

    The web server cannot serve these files (X-Accel-Redirect would send ciphertext), so
    cases.downloads streams them through Django."""

    encrypts = True

    def _save(self, name, content):
        return super()._save(name, _EncryptingFile(content))

    def _open(self, name, mode="rb"):
        if any(flag in mode for flag in "wa+"):
            raise ValueError("encrypted private files are written through save() only")
        handle = open(self.path(name), "rb")  # noqa: SIM115 - owned by the returned reader
        return File(cipher.open_plaintext(handle, name=name), name)

    def size(self, name):
        with open(self.path(name), "rb") as handle:
            header = cipher.read_header(handle)
        total = os.path.getsize(self.path(name))
        return total if header is None else cipher.plaintext_size(total, header[2])
