"""Issue 20: every document the product issues is a 公文 after GB/T 9704-2012, measured on the PDF with
poppler's ``pdftotext -bbox`` (positions in pt, 1 mm = 2.835 pt), not eyeballed.

Figures from the standard: A4 (595.3 × 841.9 pt); 版心 156 × 225 mm from 28 mm (订口) and 37 mm (天头);
正文 3号 (16 pt), 22 lines of 28 characters; 标题 2号 (22 pt); 页码 "— N —" in 4号 (14 pt), its top 7 mm
below the 版心 (262 mm), odd pages one character (14 pt) in from the right edge of the 版心, even pages
one character in from the left; 信函格式: the 发文机关标志 30 mm from the top edge, no page number on
page 1; the 版记 at the foot of the last page."""


import re
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone

from discipline.common.official import Gongwen
from discipline.common.pdf import render_pdf
from discipline.tests.test_documents import pdf_lines

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()  # the documents are dated the day the tests run

MM = 72 / 25.4
A4 = (595.28, 841.89)
# The free faces' boxes as poppler reports them: FandolFang's is its em; Noto CJK's is 1.437 em (its
# ascent 1.16 + descent 0.288, from the font's own table), so a Noto run of h pt is h / 1.437 pt large.
NOTO_BOX = 1.437
DOCUMENTS = {
    "notice_letter", "circular", "special_report", "fault_decision", "tolerance_decision", "annual_report", "quarterly_bulletin",
    "campaign_summary",
}  # fmt: skip


@dataclass
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def words(path) -> tuple[list[tuple[float, float]], list[Word]]:
    """Page sizes and every word of the PDF at ``path``."""
    out = pdf_lines(path.read_bytes(), "-bbox")
    pages, found = [], []
    for block in out.split("<page ")[1:]:
        width, height = (float(v) for v in re.search(r'width="([\d.]+)" height="([\d.]+)"', block).groups())
        pages.append((width, height))
        for x0, y0, x1, y1, text in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', block):
            found.append(Word(len(pages), float(x0), float(y0), float(x1), float(y1), text))
    return pages, found


def pdf_fonts(pdf: bytes) -> list[str]:
    """The names of the fonts embedded in ``pdf`` (poppler's pdffonts)."""
    import shutil
    import subprocess

    listing = subprocess.run([shutil.which("pdffonts") or "/usr/bin/pdffonts", "-"], input=pdf, capture_output=True, check=True)  # noqa: S603
    return [line.split()[0] for line in listing.stdout.decode().splitlines()[2:] if line.strip()]


def page_number_words(found: list[Word], page: int) -> list[Word]:
    return [w for w in found if w.page == page and w.y0 > 262 * MM]


@pytest.fixture(scope="module")
def samples(tmp_path_factory, django_db_setup, django_db_blocker):
    """The eight sample documents from the demo data, made once for the module."""
    folder = tmp_path_factory.mktemp("samples")
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            call_command("seed_demo", stdout=SimpleNamespace(write=lambda *_: None))
            call_command("sample_documents", output=str(folder), stdout=SimpleNamespace(write=lambda *_: None))
            transaction.set_rollback(True)
    return folder


def test_sample_documents_writes_one_pdf_of_each_type(samples):
    assert {path.stem for path in samples.glob("*.pdf")} == DOCUMENTS


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_each_document_is_measured_against_the_standard(samples, name):
    pages, found = words(samples / f"{name}.pdf")
    portrait = [n for n, size in enumerate(pages, 1) if size[0] < size[1]]
    assert pages[0] == pytest.approx(A4, abs=0.5)
    body = [w for w in found if w.page in portrait and w.y0 < 262 * MM]
    # 版心 left edge: 28 ± 1 mm, nothing further left.
    assert min(w.x0 for w in body) == pytest.approx(28 * MM, abs=1 * MM)
    # 正文 in 3号 (16 pt): every paragraph's first run, two characters in (2 × 15.78 pt), is 16 pt high
    # (FandolFang's box is its em; the 黑体 headings' Noto Sans CJK box is 1.45 em: 23.2 pt).
    openings = [w for w in body if abs(w.x0 - (28 * MM + 2 * 15.78)) < 1]
    assert openings and {round(w.height, 1) for w in openings} <= {16.0, 23.2}, name
    assert any(round(w.height, 1) == 16.0 for w in openings)
    # The title in 2号 (22 pt).
    assert any(abs(w.height / NOTO_BOX - 22) < 0.3 for w in found if w.page == 1), name
    # Page numbers "— N —" in 4号, 7 mm below the 版心, odd right and even left, one character in;
    # the 信函格式 shows none on page 1.
    for page in portrait:
        marks = page_number_words(found, page)
        if name == "notice_letter" and page == 1:
            assert marks == []
            continue
        assert [w.text for w in marks] == ["—", str(page), "—"], (name, page)
        assert marks[0].y0 == pytest.approx(269 * MM, abs=1 * MM)
        assert marks[0].height / NOTO_BOX == pytest.approx(14, abs=0.3)
        if page % 2:
            assert marks[-1].x1 == pytest.approx(184 * MM - 14, abs=1 * MM)
        else:
            assert marks[0].x0 == pytest.approx(28 * MM + 14, abs=1 * MM)
    text = "".join(w.text for w in found)
    assert "{{" not in text and "None" not in text and "抄送：同级纪委监委" not in text


@pytest.mark.parametrize("name", ["circular", "fault_decision", "tolerance_decision", "annual_report", "notice_letter", "campaign_summary"])
def test_the_record_foot_stands_at_the_foot_of_the_last_page(samples, name):
    pages, found = words(samples / f"{name}.pdf")
    last = len(pages)
    width, height = pages[-1]
    # The 版心's foot: 35 mm above the bottom edge; on a landscape page (the annual report's 附件, its
    # 版心 turned) 26 mm.
    bottom = height - (35 if width < height else 26) * MM
    foot = [w for w in found if w.page == last and w.y0 < bottom]
    assert any(w.text.startswith("抄送：") or w.text.endswith("印发") for w in foot)
    # The 版记's last line ends at the 版心's foot, within one line.
    assert max(w.y1 for w in foot) == pytest.approx(bottom, abs=10 * MM)


def ink_top(word: Word) -> float:
    """Where a Noto Serif CJK Bold run's ideographs begin: its box (1.437 em) starts 1.151 em above the
    baseline, the ink 0.88 em above it."""
    size = word.height / NOTO_BOX
    return word.y0 + (1.151 - 0.88) * size


@pytest.mark.parametrize(
    ("name", "top_mm"), [("notice_letter", 30), ("circular", 37 + 35), ("special_report", 37 + 35)], ids=["letter", "general", "upward"]
)
def test_the_issuers_mark_stands_where_the_format_puts_it(samples, name, top_mm):
    """信函格式: 30 mm from the top edge (§10.1); general format: 35 mm below the 版心's top (§7.2.3)."""
    _pages, found = words(samples / f"{name}.pdf")
    [mark] = [w for w in found if w.page == 1 and w.height / NOTO_BOX > 22.5]
    assert ink_top(mark) == pytest.approx(top_mm * MM, abs=0.5 * MM)


def test_a_full_page_holds_22_lines_of_28_characters_from_37_mm(tmp_path):
    paragraph = "经驻局纪检监察组核实，该同志多次以电话方式过问案件办理情况并要求从轻处理，情况属实。" * 6
    doc = Gongwen(issuer="驻局纪检监察组", title="关于某某同志违规干预执法办案情况的通报", number=f"纪通〔{TODAY.year}〕1号", date=TODAY)
    path = tmp_path / "long.pdf"
    path.write_bytes(render_pdf("discipline/pdf/notice_letter.html", {"doc": doc, "letter": SimpleNamespace(text="\n".join([paragraph] * 8))}))
    _pages, found = words(path)
    second = sorted((w for w in found if w.page == 2 and w.y0 < 262 * MM), key=lambda w: w.y0)
    tops = sorted({round(w.y0, 1) for w in second})
    assert len(tops) == 22
    pitch = (tops[-1] - tops[0]) / 21
    assert (tops[0] - (pitch - 16) / 2) == pytest.approx(37 * MM, abs=1 * MM)
    lengths = [len("".join(w.text for w in second if round(w.y0, 1) == top)) for top in tops]
    assert max(lengths) == pytest.approx(28, abs=1)


@pytest.mark.parametrize("sealed", [False, True], ids=["unsealed", "sealed"])
def test_signature_and_date_stand_where_the_standard_puts_them(tmp_path, sealed):
    """7.3.5.2 unsealed: the issuer 2 characters in from the right, the date one line below starting 2
    characters right of the issuer's first character; 7.3.5.1 sealed: the date 4 characters in from
    the right, the issuer centred above it."""
    em = 16 - 0.22
    doc = Gongwen(issuer="市纪委监委驻市应急管理局纪检监察组", title="关于某某同志的通报", date=TODAY, sealed=sealed)
    path = tmp_path / "signed.pdf"
    path.write_bytes(render_pdf("discipline/pdf/notice_letter.html", {"doc": doc, "letter": SimpleNamespace(text="正文。")}))
    _pages, found = words(path)
    [name] = [w for w in found if w.text == doc.issuer and w.y0 > 120 * MM]
    [date] = [w for w in found if w.text == f"{TODAY.year}年{TODAY.month}月{TODAY.day}日"]
    right = 184 * MM
    assert date.y0 > name.y0
    if sealed:
        assert date.x1 == pytest.approx(right - 4 * em, abs=1 * MM)
        assert (name.x0 + name.x1) / 2 == pytest.approx((date.x0 + date.x1) / 2, abs=1 * MM)
    else:
        assert name.x1 == pytest.approx(right - 2 * em, abs=1 * MM)
        assert date.x0 == pytest.approx(name.x0 + 2 * em, abs=1 * MM)


def test_an_agency_font_dropped_in_the_fonts_folder_is_embedded_for_its_role(tmp_path, settings):
    """The licensed 仿宋_GB2312 wins over the free FandolFang as soon as its file is in the folder: here
    a copy of FandolFang renamed FangSong_GB2312 (fontTools), so the test needs no licensed file."""
    from fontTools.ttLib import TTFont

    font = TTFont(settings.DOCUMENT_FONTS_DIR / "free" / "FandolFang-Regular.otf")
    for record in font["name"].names:
        if record.nameID in (1, 4, 6, 16):
            record.string = "FangSong_GB2312"
    folder = tmp_path / "fonts"
    folder.mkdir()
    font.save(folder / "licensed.otf")
    settings.DOCUMENT_FONTS_DIR = folder
    doc = Gongwen(issuer="驻局纪检监察组", title="关于某某同志的通报", date=TODAY)
    pdf = render_pdf("discipline/pdf/notice_letter.html", {"doc": doc, "letter": SimpleNamespace(text="正文内容。")})
    embedded = pdf_fonts(pdf)
    assert any(name.endswith("+FangSong_GB2312") for name in embedded), embedded
    assert not any("FandolFang" in name for name in embedded)


def test_the_start_up_check_names_the_roles_that_fall_back(settings, tmp_path):
    from discipline.checks import document_fonts

    assert document_fonts() == []  # FandolFang, FandolKai (scripts/document-fonts.sh) and Noto CJK are here
    settings.DOCUMENT_FONTS_DIR = tmp_path  # an empty folder: no Fandol faces
    assert {re.search(r"：(\w+?)角色", message.msg).group(1) for message in document_fonts()} == {"body", "heading2"}


def test_the_fetcher_reads_only_fonts_inside_the_fonts_folder(settings, tmp_path):
    from discipline.common.official import font_file

    (tmp_path / "a.otf").write_bytes(b"font")
    (tmp_path / "notes.txt").write_text("x")
    settings.DOCUMENT_FONTS_DIR = tmp_path
    assert font_file("/document-fonts/a.otf") == tmp_path / "a.otf"
    assert font_file("/document-fonts/notes.txt") is None
    assert font_file("/document-fonts/../../etc/passwd.otf") is None
