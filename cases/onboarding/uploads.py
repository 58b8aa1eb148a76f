"""The uploaded files of a 批量导入 between its dry run and its import: kept in the private "imports"
storage under a one-time token bound to the uploader, so the import confirmed is the file previewed.
The import job (``cases.onboarding.jobs``) reads them from here and writes its progress beside them;
the web process and the worker must therefore share PRIVATE_STORAGE_ROOT (as they do for evidence)."""

from __future__ import annotations

import hashlib
import json
import secrets
from pathlib import PurePath

from django.core.files.base import ContentFile

from cases.storage import PrivateStorage

TOKEN_BYTES = 16


class UploadGone(Exception):
    """No files are kept under this token for this user: forged, another user's, or used up."""


def imports_storage() -> PrivateStorage:
    return PrivateStorage("imports")


def upload_keep(files: dict[str, tuple[str, bytes]], user) -> str:
    """Store the uploaded files for confirmation; returns their token."""
    token = secrets.token_hex(TOKEN_BYTES)
    storage = imports_storage()
    manifest = {"user": user.pk, "files": {}}
    for kind, (name, content) in files.items():
        stored = f"{token}/{kind}{PurePath(name).suffix.lower()}"
        storage.save(stored, ContentFile(content))
        manifest["files"][kind] = {"name": name, "path": stored, "sha256": hashlib.sha256(content).hexdigest()}
    storage.save(f"{token}/manifest.json", ContentFile(json.dumps(manifest).encode()))
    return token


def is_token(token: str) -> bool:
    return len(token) == TOKEN_BYTES * 2 and all(c in "0123456789abcdef" for c in token)


def upload_manifest(token: str, user) -> dict:
    """What is kept under ``token`` for ``user`` (user, and per kind: name, path, sha256); UploadGone
    for another user's, a used or a forged token."""
    if not is_token(token):
        raise UploadGone
    try:
        with imports_storage().open(f"{token}/manifest.json") as handle:
            manifest = json.load(handle)
    except (FileNotFoundError, OSError, ValueError):
        raise UploadGone from None
    if manifest["user"] != user.pk:
        raise UploadGone
    return manifest


def upload_files(token: str, user) -> dict[str, tuple[str, bytes]]:
    """The files kept under ``token`` for ``user`` (kind → (name, content)); UploadGone as upload_manifest."""
    storage = imports_storage()
    files = {}
    for kind, entry in upload_manifest(token, user)["files"].items():
        with storage.open(entry["path"]) as handle:
            files[kind] = (entry["name"], handle.read())
    return files


def upload_forget(token: str) -> None:
    """Delete what is kept under ``token`` (the files, the manifest, the progress)."""
    storage = imports_storage()
    try:
        _folders, names = storage.listdir(token)
    except FileNotFoundError:
        return
    for name in names:
        storage.delete(f"{token}/{name}")
