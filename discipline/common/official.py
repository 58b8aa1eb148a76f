"""The official-document (公文) layout of every document the product issues, after GB/T 9704-2012
《党政机关公文格式》: what each document says of itself (版头, 署名, 版记) as one value, the font of each
role, and the fonts the agency put in ``DOCUMENT_FONTS_DIR``. The layout itself is one template and
its print CSS (``templates/discipline/pdf/gongwen.html``), which every document extends.

Geometry (measured by ``discipline/tests/test_official_documents.py``): A4, 版心 156 × 225 mm with
天头 37 mm and 订口 28 mm; 正文 3号 (16 pt) on 22 lines of 28 characters; 标题 2号 (22 pt); 页码
"— N —" in 4号 (14 pt) 7 mm below the 版心, odd pages right and even pages left, one character in.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from cases.checks import chinese_font_families

# The grid of the 版心: 225 mm high holds 22 lines; 156 mm wide holds 28 characters of 16 pt.
BODY_PT = 16.0
LINES = 22
CHARS = 28
TYPE_AREA_MM = (156.0, 225.0)
PT_PER_MM = 72 / 25.4
# 28.9 pt a line: 22 lines fill 635.8 of the 637.8 pt (a 23rd would need 664.7).
LINE_PT = 28.9
# Each character narrowed by 0.22 pt so that 28 fill the 442.2 pt line (28 × 15.78 = 441.8).
LETTER_SPACING_PT = -0.22

# The 发文机关标志: as large as fits the 版心 on one line, at most 2号 × 1.5, at least 2号 (then it wraps).
MARK_MAX_PT = 33.0
MARK_MIN_PT = 22.0
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")


@dataclass(frozen=True)
class Gongwen:
    """What a document says of itself, by the elements of GB/T 9704-2012 (§7: 版头, 主体, 版记).

    ``letter``: the 信函格式 (§10.1) of a 函, else the general format. ``signer``: the 签发人 of a
    上行文 (a report to the party committee), which also moves the 发文字号 to the left. ``secrecy``
    is 内部 or a 密级 (秘密, 机密) with its 保密期限 in ``secrecy_term``; ``printer`` and ``printed_on``
    are the 印发机关 and 印发日期 of the 版记 (not in a 函)."""

    issuer: str
    title: str
    date: dt.date
    number: str = ""
    signer: str = ""
    addressee: str = ""
    signature: str = ""
    letter: bool = False
    copy_number: str = ""
    secrecy: str = ""
    secrecy_term: str = ""
    urgency: str = ""
    attachments: tuple[str, ...] = ()
    cc: str = ""
    printer: str = ""
    printed_on: dt.date | None = None
    sealed: bool = field(default_factory=lambda: settings.DOCUMENTS_SEALED)

    @property
    def signed_by(self) -> str:
        return self.signature or self.issuer

    # The 标志's ink, not its font box, stands where the standard says (30 mm from the top edge in a 函,
    # 35 mm below the 版心's top otherwise): in the default 小标宋 stand-in, Noto Serif CJK Bold, the
    # ideographs' ink runs from 0.88 em above the baseline to 0.12 below, in a box of 1.151 + 0.286 em;
    # a line 0.895 em high puts the ink's top on the line's top and its foot 0.105 em below the line.
    MARK_LINE_HEIGHT = 0.895
    MARK_INK_BELOW = 0.105

    @property
    def mark_lines(self) -> list[tuple[str, float]]:
        return mark_lines(self.issuer)

    @property
    def mark_to_rule_mm(self) -> float:
        """The space from the 标志's line to the 信函格式's double line: 4 mm from the ink's foot (§10.1)."""
        return round(4 - self.MARK_INK_BELOW * self.mark_lines[-1][1] / PT_PER_MM, 2) if self.issuer.strip() else 4.0

    @property
    def secrecy_line(self) -> str:
        """密级 and 保密期限 as §7.2.2 writes them, e.g. "秘密★1年"; 内部 alone."""
        return f"{self.secrecy}★{self.secrecy_term}" if self.secrecy and self.secrecy_term else self.secrecy

    @property
    def has_record_foot(self) -> bool:
        """Whether there is a 版记 (抄送, or 印发机关 and 印发日期 outside a 函)."""
        return bool(self.cc or (not self.letter and self.printer))


def document_number(code: str, year: int, sequence: int) -> str:
    """A 发文字号 as the standard writes it: 机关代字, the year in 六角括号, the sequence and 号 (no leading
    zeros, no 第)."""
    if sequence < 1:
        raise ValueError("sequence must be >= 1")
    return f"{code}〔{year}〕{sequence}号"


def ems(text: str) -> float:
    """The width of ``text`` in em: a CJK character is one, anything else half."""
    return sum(1.0 if ord(ch) > 0x2E7F else 0.5 for ch in text)


def mark_lines(issuer: str, *, width_mm: float = TYPE_AREA_MM[0]) -> list[tuple[str, float]]:
    """Each line of the 发文机关标志 (one per line of ``issuer``) with the size that keeps it on one line
    of ``width_mm``, between MARK_MIN_PT and MARK_MAX_PT; a name too long even at the minimum wraps
    there (between its words, never below 2号)."""
    width_pt = width_mm * PT_PER_MM * 0.98
    return [
        (name, round(max(MARK_MIN_PT, min(MARK_MAX_PT, width_pt / ems(name))), 1))
        for name in filter(None, (line.strip() for line in issuer.splitlines()))
    ]


def font_stack(role: str) -> str:
    """The CSS font-family list of a role (settings.DOCUMENT_FONTS), quoted."""
    return ", ".join(f'"{family}"' for family in settings.DOCUMENT_FONTS[role])


def font_stacks() -> dict[str, str]:
    return {role: font_stack(role) for role in settings.DOCUMENT_FONTS}


def _family_names(path: Path) -> set[str]:
    """The family names a font file answers to (name IDs 1 and 16, every language)."""
    from fontTools.ttLib import TTCollection, TTFont  # WeasyPrint's own dependency

    fonts = TTCollection(path, lazy=True).fonts[:1] if path.suffix.lower() == ".ttc" else [TTFont(path, lazy=True)]
    names = set()
    for font in fonts:
        for record in font["name"].names:
            if record.nameID in (1, 16):
                try:
                    names.add(record.toUnicode().strip())
                except UnicodeDecodeError:
                    continue
    return names - {""}


@functools.cache
def _font_faces(folder: str, signature: tuple) -> str:
    faces = []
    root = Path(folder)
    for path, _stamp in signature:
        relative = Path(path).relative_to(root).as_posix()
        for family in sorted(_family_names(Path(path))):
            faces.append(f'@font-face {{ font-family: "{family}"; src: url("file:///document-fonts/{relative}"); }}')
    return "\n".join(faces)


def font_faces() -> str:
    """@font-face rules for every font file in DOCUMENT_FONTS_DIR, under each family name it carries;
    read again when a file is added, removed or changed."""
    root = Path(settings.DOCUMENT_FONTS_DIR)
    if not root.is_dir():
        return ""
    files = sorted(p for p in root.rglob("*") if p.suffix.lower() in FONT_SUFFIXES and p.is_file())
    return _font_faces(str(root), tuple((str(p), p.stat().st_mtime_ns) for p in files))


def font_file(url_path: str) -> Path | None:
    """The font file under DOCUMENT_FONTS_DIR that ``/document-fonts/<path>`` names, or None (another
    type, or a path leaving the folder)."""
    prefix = "/document-fonts/"
    if not url_path.startswith(prefix) or Path(url_path).suffix.lower() not in FONT_SUFFIXES:
        return None
    root = Path(settings.DOCUMENT_FONTS_DIR).resolve()
    candidate = (root / url_path[len(prefix) :]).resolve()
    return candidate if candidate.is_relative_to(root) and candidate.is_file() else None


def layout_context() -> dict:
    """What the layout template needs besides the document: font faces and the role stacks."""
    return {"font_faces": font_faces(), "fonts": font_stacks(), "grid": {"line": LINE_PT, "spacing": LETTER_SPACING_PT}}


def available_families() -> set[str]:
    """The font families a document can use: those in DOCUMENT_FONTS_DIR and those fontconfig knows."""
    return set(re.findall(r'font-family: "([^"]+)"', font_faces())) | set(chinese_font_families() or [])


# The free face each role falls back to when the agency has put no licensed one in fonts/ (README
# "Documents"): FandolFang and FandolKai from scripts/document-fonts.sh, Noto CJK from fonts-noto-cjk.
FREE_DEFAULTS = {
    "mark": "Noto Serif CJK SC", "body": "FandolFang", "heading1": "Noto Sans CJK SC", "heading2": "FandolKai",
    "page_number": "Noto Serif CJK SC",
}  # fmt: skip


def missing_roles() -> list[tuple[str, str]]:
    """Each role whose standard face and free default are both missing, with the family the documents
    use instead ("" when none of its list is installed)."""
    families = available_families()
    missing = []
    for role, stack in settings.DOCUMENT_FONTS.items():
        chosen = next((family for family in stack if family in families), "")
        default = FREE_DEFAULTS.get(role)
        if not chosen or (default in stack and stack.index(chosen) > stack.index(default)):
            missing.append((role, chosen))
    return missing
