"""Private storage for evidence: outside any public URL, below settings.PRIVATE_STORAGE_ROOT."""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class EvidenceStorage(FileSystemStorage):
    """Reads its folder from settings on every use, so tests (and deployments) can move it."""

    def __init__(self, **kwargs):
        kwargs.pop("location", None)
        kwargs.pop("base_url", None)
        super().__init__(**kwargs)

    @property
    def base_location(self):  # type: ignore[override]
        return Path(settings.PRIVATE_STORAGE_ROOT) / "evidence"

    @property
    def location(self):  # type: ignore[override]
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):  # type: ignore[override]
        return None

    def url(self, name):
        # Evidence has no public URL: it is served by records.views.evidence_download only.
        raise ValueError("evidence files have no public URL")
