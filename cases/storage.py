"""Private file storage: outside any public URL, below settings.PRIVATE_STORAGE_ROOT/<folder>."""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


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
