"""Traceable views (防泄密): the faint mark of who saw what, and when, on every page that shows record
content and on every PDF and Excel file the system hands out, so a photographed screen or a leaked
copy names its source.

- Pages: ``{% view_watermark %}`` (cases.templatetags.watermark) draws an inline SVG pattern over the
  page: no script, no request of its own, nothing the CSP (script-src 'self') has to allow.
- PDFs: ``stamp_pdf`` lays a WeasyPrint-rendered overlay (diagonal tiles and one line at the foot)
  on every page with pypdf, before the copy is signed (cases.signing), so the served copy verifies.
- Excel: ``stamp_xlsx`` writes the mark into every sheet's header and footer (printed) and into the
  workbook's properties.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from dataclasses import dataclass
from html import escape

from django.utils import timezone

# The overlay's font: the documents' own 黑体 fallback (fonts-noto-cjk), found through fontconfig.
OVERLAY_FONT = "'Noto Sans CJK SC', 'WenQuanYi Zen Hei', sans-serif"


class PdfUnreadable(ValueError):
    """The bytes to stamp are not a PDF pypdf can read."""


@dataclass(frozen=True)
class Watermark:
    viewer: str
    username: str
    unit: str
    at: dt.datetime

    @classmethod
    def for_user(cls, user, now: dt.datetime | None = None) -> Watermark:
        person = getattr(user, "person", None) if getattr(user, "pk", None) else None
        unit = person.unit.name if person is not None and person.unit_id else ""
        name = (person.name if person is not None else "") or user.get_full_name() or user.get_username()
        return cls(viewer=name, username=user.get_username(), unit=unit, at=now or timezone.now())

    @property
    def time_text(self) -> str:
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M}"

    @property
    def who(self) -> str:
        """Name (account), or the account alone when it has no other name."""
        return self.viewer if self.viewer == self.username else f"{self.viewer}（{self.username}）"

    @property
    def lines(self) -> list[str]:
        """Who, unit, time: the page's tiles stack them, so a long unit name never pushes the time
        out of its tile."""
        return [part for part in (self.who, self.unit, self.time_text) if part]

    @property
    def text(self) -> str:
        """One line: name (account) · unit · time, local."""
        return " · ".join(self.lines)


# --- PDF ----------------------------------------------------------------------------------------


# Pixels per point of the tiled layer: 2 (144 dpi) keeps 9 pt characters legible when printed.
TILE_SCALE = 2


@functools.lru_cache(maxsize=1)
def _overlay_font_file() -> str | None:
    """The file of the overlay's font (fontconfig), for drawing the tiles as an image."""
    import shutil
    import subprocess

    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    try:
        found = subprocess.run([fc_match, "-f", "%{file}", "Noto Sans CJK SC:lang=zh-cn"], capture_output=True, text=True, timeout=10, check=False)  # noqa: S603
    except (OSError, subprocess.SubprocessError):
        return None
    return found.stdout.strip() or None


def _tiles_png(text: str, width_mm: float, height_mm: float) -> bytes:
    """The diagonal tiles as one transparent image. An image, not text: tiles drawn as text would be
    read by text extraction (copying, search, screen readers) in among the document's own lines."""
    from PIL import Image, ImageDraw, ImageFont

    px_per_mm = TILE_SCALE * 72 / 25.4
    font_file = _overlay_font_file()
    font = ImageFont.truetype(font_file, size=9 * TILE_SCALE) if font_file else ImageFont.load_default()
    left, top, right, bottom = font.getbbox(text)
    tile = Image.new("LA", (right - left + 4, bottom - top + 4), (0, 0))
    ImageDraw.Draw(tile).text((2 - left, 2 - top), text, font=font, fill=(110, 56))
    tile = tile.rotate(30, expand=True, resample=Image.Resampling.BICUBIC)
    canvas = Image.new("LA", (round(width_mm * px_per_mm), round(height_mm * px_per_mm)), (0, 0))
    for y in range(-20, int(height_mm) + 20, 55):
        for x in range(-40 if (y // 55) % 2 else 0, int(width_mm), 110):
            canvas.paste(tile, (round(x * px_per_mm), round(y * px_per_mm) - tile.height // 2), tile)
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _overlay_html(mark: Watermark, width_mm: float, height_mm: float) -> str:
    import base64

    text = escape(mark.text)
    tiles = base64.b64encode(_tiles_png(mark.text, width_mm, height_mm)).decode("ascii")
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>
@page {{ size: {width_mm}mm {height_mm}mm; margin: 0 }}
body {{ margin: 0; font-family: {OVERLAY_FONT}; }}
.tiles {{ position: absolute; left: 0; top: 0; width: {width_mm}mm; height: {height_mm}mm; }}
.foot {{ position: absolute; left: 10mm; right: 10mm; bottom: 4mm; font-size: 7pt; color: rgba(90, 90, 90, 0.55); text-align: center; }}
</style></head><body><img class="tiles" alt="" src="data:image/png;base64,{tiles}"><div class="foot">下载留痕：{text}</div></body></html>"""


@functools.lru_cache(maxsize=8)
def _refusing_fetcher():
    from weasyprint.urls import URLFetcher

    class RefuseAll(URLFetcher):
        """The overlay loads nothing but its own tiles (a data: URL): its text is the viewer's, the
        fonts come from fontconfig."""

        def fetch(self, url, headers=None):
            if url.startswith("data:image/png;base64,"):
                return super().fetch(url, headers)
            raise ValueError("the watermark overlay loads no resources")

    return RefuseAll()


def _overlay_page(mark: Watermark, width_pt: float, height_pt: float):
    from pypdf import PdfReader
    from weasyprint import HTML

    mm = 72 / 25.4
    pdf = HTML(string=_overlay_html(mark, round(width_pt / mm, 2), round(height_pt / mm, 2)), url_fetcher=_refusing_fetcher()).write_pdf()
    return PdfReader(io.BytesIO(pdf)).pages[0]


def stamp_pdf(pdf: bytes, mark: Watermark) -> bytes:
    """`pdf` with the mark over every page (one overlay rendered per page size)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(pdf))
        writer = PdfWriter(clone_from=reader)
    except (PyPdfError, ValueError, KeyError) as error:
        raise PdfUnreadable(str(error)) from error
    overlays: dict[tuple[float, float], object] = {}
    for page in writer.pages:
        size = (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1))
        if size not in overlays:
            overlays[size] = _overlay_page(mark, *size)
        page.merge_page(overlays[size], over=True)
    writer.add_metadata({"/Watermark": mark.text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- Excel --------------------------------------------------------------------------------------


def stamp_xlsx(content: bytes, mark: Watermark) -> bytes:
    """`content` (an .xlsx) with the mark in every sheet's header and footer and the workbook's
    properties. Excel shows headers and footers in the page layout and prints them; a cell-level mark
    would change what the figures' readers sort and sum."""
    from openpyxl import load_workbook
    from openpyxl.packaging.custom import StringProperty

    workbook = load_workbook(io.BytesIO(content))
    line = f"下载留痕：{mark.text}"
    for sheet in workbook.worksheets:
        for header_footer in (sheet.oddHeader, sheet.evenHeader, sheet.firstHeader):
            header_footer.right.text = line
            header_footer.right.size = 8
        for header_footer in (sheet.oddFooter, sheet.evenFooter, sheet.firstFooter):
            header_footer.left.text = line
            header_footer.left.size = 8
    workbook.properties.description = line
    workbook.properties.keywords = "下载留痕"
    workbook.custom_doc_props.append(StringProperty(name="下载留痕", value=mark.text))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
