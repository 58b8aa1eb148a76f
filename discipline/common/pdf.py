"""PDF rendering with WeasyPrint (official-document layout for notice letters and special reports).

Fonts: the layout's roles (discipline.common.official) name families; those in DOCUMENT_FONTS_DIR
are loaded through @font-face, the rest (Noto CJK, Debian fonts-noto-cjk) through fontconfig.
Debian's libharfbuzz-subset0 embeds only the glyphs used.

Every URL WeasyPrint meets (images, stylesheets, @font-face, attachments) goes through
`StaticOnlyFetcher`: only the product's own static fonts and images are read, from the static
folders, and the document fonts from DOCUMENT_FONTS_DIR; http(s), data: and any other file are refused. The templates escape what users typed, so
no such URL gets into a document today; the fetcher keeps it so if that ever fails (defence in
depth: a fetched URL would reach the intranet from the server, a `file:` attachment would embed a
server file in the PDF)."""

from __future__ import annotations

import functools
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from discipline.common import official

# Relative references in a template (`{% static %}` gives /static/...) resolve against this base to
# file:///static/..., which the fetcher maps into the static folders.
BASE_URL = "file:///"
# What a document may load from the static folders: fonts and images, nothing else.
ASSET_SUFFIXES = frozenset({".woff", ".woff2", ".ttf", ".otf", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"})


def _static_roots() -> list[Path]:
    dirs = [entry[1] if isinstance(entry, (list, tuple)) else entry for entry in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        dirs.append(settings.STATIC_ROOT)
    return [Path(d).resolve() for d in dirs]


def static_asset_path(url: str) -> Path | None:
    """The file under the static folders that `url` (file:///static/<path>) names, if it is a font
    or an image; None for anything else (other schemes, hosts, paths, types, or a path that leaves
    the static folders through `..` or a symbolic link)."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    prefix = "/" + urlsplit(settings.STATIC_URL).path.strip("/") + "/"
    path = unquote(parts.path)
    if not path.startswith(prefix):
        return None
    relative = path[len(prefix) :]
    if Path(relative).suffix.lower() not in ASSET_SUFFIXES:
        return None
    for root in _static_roots():
        candidate = (root / relative).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    return None


def document_font_path(url: str) -> Path | None:
    """A font the agency put in DOCUMENT_FONTS_DIR (file:///document-fonts/<path>), else None."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    return official.font_file(unquote(parts.path))


@functools.cache
def _fetcher_class():
    # WeasyPrint is imported lazily (it loads native libraries), so the class is built on first use.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """WeasyPrint's fetcher, reduced to the product's own static fonts and images."""

        def fetch(self, url, headers=None):
            path = static_asset_path(url) or document_font_path(url)
            if path is None:
                # WeasyPrint catches this, logs a warning and leaves the resource out.
                raise ValueError(f"PDF documents load only the product's static fonts and images, not {url[:200]}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})

    return StaticOnlyFetcher


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported lazily: it loads native libraries

    return HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher_class()()).write_pdf()


def render_pdf(template: str, context: dict) -> bytes:
    # Official documents are Chinese whatever language the requester reads the site in.
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, {**official.layout_context(), **context})
    return html_to_pdf(html)
