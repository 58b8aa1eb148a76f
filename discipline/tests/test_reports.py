"""The annual report and quarterly bulletin (R-ANNUAL): figures equal counts computed here from the
fixtures, read back from the PDF's text; embedded CJK font; sections; page count; scope."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from cases.audit import seal_chain
from discipline.reports.pdf import APPENDIX_LIMIT, build_report
from discipline.reports.selectors import report_figures
from discipline.tests.test_permissions import build_workflow
from discipline.tests.test_workflow import _pdf_fonts

pytestmark = pytest.mark.django_db

SECTIONS = ["一、总体情况", "二、分类统计", "三、月度趋势", "四、多次干预人员", "五、不记录、不如实记录及处理情况",
            "六、打击报复预警及审查情况", "七、零报告申报情况", "八、审计链校验信息"]  # fmt: skip


def pdf_text(pdf: bytes) -> tuple[str, int]:
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def figure(text: str, label: str) -> int:
    """The number on the table line that starts with `label`."""
    for line in text.splitlines():
        if line.startswith(label + " "):
            return int(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{label} not in the PDF")


@pytest.fixture
def data(org, jj, outsider, submit):
    flow = build_workflow(org, jj, outsider, submit)
    submit(nature="procedural", interferer_name="王科长", interferer_position="科长")
    submit(late=True, occurred_at=timezone.now().replace(microsecond=0) - dt.timedelta(days=10))
    seal_chain()
    return flow


def test_annual_pdf_figures_equal_independent_counts(data, jj):
    from records.models import InterferenceRecord

    year = timezone.localdate().year
    start = dt.datetime(year, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    mine = InterferenceRecord.objects.filter(occurred_at__gte=start).exclude(status="draft")
    expected = {
        "登记记录总数": mine.count(),
        "其中：违规干预": mine.filter(nature="interference").count(),
        "其中：依程序过问": mine.filter(nature="procedural").count(),
        "按时报送（3个工作日内）": sum(1 for r in mine if r.submitted_at <= r.due_at),
        "逾期报送": sum(1 for r in mine if r.submitted_at > r.due_at),
        "制发通报函": 1,
        "报告党委（党组）特别事项": 1,
        "处理处分（人次）": 1,
        "核实结论：属实": 1,
    }
    assert expected["登记记录总数"] == 3 and expected["逾期报送"] == 1
    pdf, figures = build_report(jj, year=year, appendix=True)
    text, pages = pdf_text(pdf)
    for label, count in expected.items():
        assert figure(text, label) == count, label
    for section in SECTIONS:
        assert section in text
    assert f"— {pages} —" in text and 3 <= pages <= 15  # 公文 page numbers (GB/T 9704-2012 7.5)
    assert text.startswith("内部") and "纪年报〔" in text
    # The audit chain head and its date are printed.
    from cases.audit import chain_head

    seq, head_hash = chain_head()
    assert head_hash in text.replace("\n", "") and f"第{seq}号事件" in text
    # Appendix ledger with the records; charts are vector graphics, not images.
    assert "附件：干预过问记录台账" in text and data["record"].serial in text
    assert b"/Subtype /Image" not in pdf
    fonts = _pdf_fonts(pdf)
    assert any("CJK" in name and embedded for name, embedded in fonts), fonts
    assert figures.total == 3


def test_admin_report_has_counts_but_no_names(data, admin_user):
    year = timezone.localdate().year
    pdf, figures = build_report(admin_user, year=year, appendix=True)
    text, _pages = pdf_text(pdf)
    assert figure(text, "登记记录总数") == 3
    assert "李副县长" not in text and "王科长" not in text and data["record"].serial not in text
    assert "附件" not in text and not figures.repeaters


def test_other_body_counts_nothing_of_ours(data, jj_other):
    figures = report_figures(jj_other, year=timezone.localdate().year)
    assert figures.total == 0 and figures.sanctions_total == 0


def test_quarterly_bulletin_counts_by_level_and_filer_rank(data, jj):
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    pdf, figures = build_report(jj, year=today.year, quarter=quarter)
    text, _ = pdf_text(pdf)
    assert f"{today.year}年第" in text and "季度" in text and "按报告人职级" in text and "纪季通〔" in text
    assert sum(f.count for f in figures.by_level) == figures.total == sum(f.count for f in figures.by_filer_level)


def test_appendix_is_bounded(data, jj, monkeypatch):
    monkeypatch.setattr("discipline.reports.pdf.APPENDIX_LIMIT", 2)
    text, _ = pdf_text(build_report(jj, year=timezone.localdate().year, appendix=True)[0])
    assert "台账超过2条" in text and "Excel" in text
    assert APPENDIX_LIMIT == 500


def test_figures_queries_do_not_grow_with_records(data, jj, submit, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    year = timezone.localdate().year
    with CaptureQueriesContext(connection) as first:
        report_figures(jj, year=year)
    for _ in range(3):
        submit()
    with django_assert_max_num_queries(len(first)):
        assert report_figures(jj, year=year).total == 6


def test_command_writes_the_pdf(data, jj, tmp_path, org):
    out = tmp_path / "r.pdf"
    call_command("annual_report", "--year", str(timezone.localdate().year), "--unit", org["bureau"].code, "--output", str(out))
    text, _ = pdf_text(out.read_bytes())
    assert figure(text, "登记记录总数") == 3
    call_command("annual_report", "--year", str(timezone.localdate().year), "--user", jj.username, "--appendix", "--output", str(out))
    assert data["record"].serial in pdf_text(out.read_bytes())[0]
    with pytest.raises(CommandError, match="单位代码不存在"):
        call_command("annual_report", "--year", "2026", "--unit", "NOPE", "--output", str(out))
    with pytest.raises(CommandError, match="年度应在"):
        call_command("annual_report", "--year", "99999", "--output", str(out))


def test_the_report_is_chinese_whatever_language_is_active(data, jj):
    """build_report called while English is active (a command or an eager job after an English
    request) still writes the Chinese labels, including those computed before the template."""
    from django.utils import translation

    with translation.override("en"):
        pdf, _figures = build_report(jj, year=timezone.localdate().year)
        assert translation.get_language() == "en"  # the builder restores the caller's language
    text, _pages = pdf_text(pdf)
    assert figure(text, "核实结论：属实") == 1 and "True" not in text
