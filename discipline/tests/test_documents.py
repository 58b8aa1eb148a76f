"""Documents that are right (issue 19): the notice letter's cc names the real body, never the form's
placeholder; the annual report's cover names its issuer on one line and prints the period it counts;
the ledger export carries what the ledger is for (过问内容, 核实情况, 处置情况)."""

import datetime as dt
import shutil
import subprocess
from io import BytesIO, StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases.models import Unit
from conftest import local
from discipline.common.official import MARK_MAX_PT, MARK_MIN_PT, mark_lines
from discipline.reports.forms import ReportForm
from discipline.reports.pdf import build_report
from discipline.reports.selectors import Period, data_fingerprint
from discipline.review import rules, services
from discipline.review.models import SpecialReport
from discipline.review.selectors import letter_recipients
from discipline.tests.test_reports import pdf_text
from tests.factories import PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db

# poppler-utils (scripts/system-deps.sh): pdftotext keeps the lines as laid out, which pypdf does not.
PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"


def pdf_lines(pdf: bytes, *args: str) -> str:
    return subprocess.run([PDFTOTEXT, *args, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()  # noqa: S603 - fixed program, test input


def _verified(record, jj):
    now = timezone.now()
    services.record_receive(record=record, actor=jj, now=now)
    services.review_verify(record=record, conclusion="founded", findings="经核实，来电属实。", seriousness="general", affects_case=False, special=False, actor=jj, now=now)
    return record


# --- The notice letter's cc -----------------------------------------------------------------------


def test_cc_is_the_discipline_body_of_the_party_organisation_of_the_subjects_unit(org2, submit):
    """A leader of a section of another bureau: the party organisation is the bureau's (found up the
    tree), the cc is that bureau's discipline body."""
    leader = PersonFactory(name="赵支队长", position="支队长", unit=org2["section"], is_leading_cadre=True)
    record = submit(interferer=leader, interferer_name="赵支队长", interferer_position="支队长", interferer_unit="交通执法支队")
    recipients = letter_recipients(record)
    assert recipients.addressee == org2["bureau"].party_organization
    assert recipients.cc == org2["discipline"].name
    assert recipients.unit_name == org2["bureau"].name


def test_cc_follows_the_leader_behind_an_aide(org2, submit):
    leader = PersonFactory(name="钱局长", position="局长", unit=org2["bureau"], is_leading_cadre=True)
    record = submit(
        interferer_kind="proxy", proxy_relation="aide", interferer_name="孙秘书", interferer_position="秘书", interferer_unit="某县政府",
        behind_person=leader, behind_name="钱局长", behind_position="局长",
    )  # fmt: skip
    assert letter_recipients(record).cc == org2["discipline"].name


def test_a_person_outside_the_tree_leaves_the_cc_to_fill(submit):
    record = submit(interferer_name="李某", interferer_unit="某县人民政府")
    recipients = letter_recipients(record)
    assert recipients.cc == "" and recipients.addressee == "某县人民政府党组（党委）"


def test_a_unit_without_a_named_party_organisation_still_gives_its_body(org, submit):
    county = UnitFactory(code="CTY", name="某县人民政府", kind="bureau")
    county_body = UnitFactory(code="CTY-JW", name="某县纪委监委", kind=Unit.Kind.DISCIPLINE, parent=county)
    county.discipline_body = county_body
    county.save()
    leader = PersonFactory(name="周县长", position="副县长", unit=county, is_leading_cadre=True)
    record = submit(interferer=leader, interferer_name="周县长", interferer_unit="某县人民政府")
    recipients = letter_recipients(record)
    assert recipients.cc == "某县纪委监委" and recipients.addressee == "某县人民政府党组（党委）"


@pytest.mark.parametrize("cc", ["同级纪委监委", " 同级纪委、监察委 ", "", "  "])
def test_placeholders_are_recognised(cc):
    assert rules.cc_is_placeholder(cc)


@pytest.mark.parametrize("cc", ["某县纪委监委", "中共某县纪律检查委员会、某县监察委员会", "市纪委监委驻市交通运输局纪检监察组"])
def test_body_names_are_not_placeholders(cc):
    assert not rules.cc_is_placeholder(cc)


def test_the_handling_form_shows_the_derived_cc_and_refuses_the_placeholder(client, org2, submit, jj, outsider):
    record = _verified(submit(interferer=outsider, interferer_name=outsider.name, interferer_position=outsider.position), jj)
    client.force_login(jj)
    page = client.get(reverse("discipline:handle", args=[record.pk]))
    assert page.context["form"].initial["cc"] == org2["discipline"].name
    html = page.content.decode()
    assert f'value="{org2["discipline"].name}"' in html and 'value="同级纪委监委"' not in html
    assert "按单位库" in html  # where the value comes from, before anything is issued

    response = client.post(
        reverse("discipline:handle", args=[record.pk]),
        {"kind": "other_unit", "decision": "函告。", "addressee": "中共市交通运输局党组", "cc": "同级纪委监委", "letter_text": "正文。",
         "issued_on": timezone.localdate().isoformat()},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["cc"] and not hasattr(record, "handling")


def test_the_handling_form_asks_for_the_cc_when_the_tree_does_not_know(client, submit, jj):
    record = _verified(submit(interferer_name="李某", interferer_unit="某县人民政府"), jj)
    client.force_login(jj)
    page = client.get(reverse("discipline:handle", args=[record.pk]))
    assert page.context["form"].initial["cc"] == ""
    assert "请填写其同级纪委监委的全称" in page.content.decode()
    response = client.post(
        reverse("discipline:handle", args=[record.pk]),
        {"kind": "other_unit", "decision": "函告。", "addressee": "中共某县委员会", "cc": "", "letter_text": "正文。", "issued_on": timezone.localdate().isoformat()},
    )
    assert response.context["form"].errors["cc"]


def test_the_service_refuses_a_placeholder_cc(org, submit, jj, outsider):
    record = _verified(submit(interferer=outsider, interferer_name=outsider.name), jj)
    with pytest.raises(ValidationError):
        services.handling_decide(
            record=record, kind="other_unit", decision="函告。", person=outsider,
            letter={"addressee": "中共某党组", "cc": "同级纪委监委", "text": "正文。", "issued_on": timezone.localdate()}, actor=jj, now=timezone.now(),
        )  # fmt: skip


def _letter_text(client, letter) -> str:
    response = client.get(reverse("discipline:letter_pdf", args=[letter.pk]))
    assert response["Content-Type"] == "application/pdf"
    return pdf_lines(response.content, "-layout")


def test_the_letter_prints_the_named_body_and_no_placeholder(client, org2, submit, jj, outsider):
    record = _verified(submit(interferer=outsider, interferer_name=outsider.name), jj)
    recipients = letter_recipients(record)
    handling = services.handling_decide(
        record=record, kind="other_unit", decision="函告。", person=outsider,
        letter={"addressee": recipients.addressee, "cc": recipients.cc, "text": "正文。", "issued_on": timezone.localdate()}, actor=jj, now=timezone.now(),
    )  # fmt: skip
    client.force_login(jj)
    text = _letter_text(client, handling.letter)
    assert f"抄送：{org2['discipline'].name}" in text.replace(" ", "")
    assert "同级" not in text


def test_a_letter_stored_with_the_old_placeholder_prints_no_cc_line(client, submit, jj, outsider):
    record = _verified(submit(interferer=outsider, interferer_name=outsider.name), jj)
    handling = services.handling_decide(
        record=record, kind="other_unit", decision="函告。", person=outsider,
        letter={"addressee": "中共某党组", "cc": "某县纪委监委", "text": "正文。", "issued_on": timezone.localdate()}, actor=jj, now=timezone.now(),
    )  # fmt: skip
    type(handling.letter).objects.filter(pk=handling.letter.pk).update(cc="同级纪委监委")  # as the old form stored it
    client.force_login(jj)
    text = _letter_text(client, handling.letter)
    assert "同级" not in text and "抄送" not in text


# --- The annual report's cover and period ---------------------------------------------------------


def _first_page_lines(pdf: bytes) -> list[str]:
    out = pdf_lines(pdf, "-l", "1")
    return [line.strip() for line in out.splitlines() if line.strip()]


def test_report_made_inside_the_year_prints_the_period_counted(org, jj, submit):
    with time_machine.travel(local(2026, 12, 3, 10), tick=False):
        submit(occurred_at=local(2026, 12, 2, 9, 0))
        pdf, figures = build_report(jj, year=2026)
    assert figures.counted_end == dt.date(2026, 12, 3) and figures.partial
    cover = _first_page_lines(pdf)
    at = cover.index("统计期间：2026年1月1日至12月3日")
    assert cover[at + 1] == "（截至12月3日，本年度尚未结束）"
    text, _pages = pdf_text(pdf)
    flat = text.replace("\n", "")
    assert "12月31日" not in flat
    assert "2026年度统计期间为2026年1月1日至12月3日（截至12月3日，本年度尚未结束），" in flat


def test_report_made_after_the_year_prints_the_whole_year(org, jj, submit):
    with time_machine.travel(local(2026, 12, 3, 10), tick=False):
        submit(occurred_at=local(2026, 12, 2, 9, 0))
    with time_machine.travel(local(2027, 1, 6, 10), tick=False):
        pdf, figures = build_report(jj, year=2026)
    assert figures.counted_end == dt.date(2026, 12, 31) and not figures.partial
    assert "统计期间：2026年1月1日至12月31日" in _first_page_lines(pdf)
    assert "截至" not in pdf_text(pdf)[0]


def test_quarter_not_over_is_marked_too(org, jj):
    with time_machine.travel(local(2026, 11, 20, 10), tick=False):
        pdf, figures = build_report(jj, year=2026, quarter=4)
    cover = _first_page_lines(pdf)
    at = cover.index("统计期间：2026年10月1日至11月20日")
    assert cover[at + 1] == "（截至11月20日，本季度尚未结束）"
    assert "内部人员过问执法办案记录情况的通报" in cover  # the title breaks after "、", not inside a word


def test_cover_names_the_issuing_body_on_one_line(org, jj):
    org["discipline"].name = "市纪委监委驻市自然资源和规划局纪检监察组"  # 20 characters: broke at 24pt
    org["discipline"].save()
    pdf, figures = build_report(jj, year=timezone.localdate().year)
    cover = _first_page_lines(pdf)
    assert cover[1] == org["discipline"].name  # after 内部 (密级): the 发文机关标志, whole, on one line
    assert not any("监督范围内各单位" in line for line in cover[:3])  # 密级, 发文机关标志, 发文字号
    assert figures.issuer == org["discipline"].name


def test_mark_lines_fit_or_wrap():
    """The 发文机关标志 on one line of the 156 mm 版心 (442 pt, 98 % used): 17 characters fit at 25.5 pt,
    13 at the largest 33 pt; 40 would need 10.8 pt, so they stay at 2号 (22 pt) and wrap."""
    [(name, size)] = mark_lines("市纪委监委驻市应急管理局纪检监察组")
    assert size == 25.5
    [(_n, short)] = mark_lines("某市应急管理局纪检监察组")
    assert short == MARK_MAX_PT
    [(_n, smallest)] = mark_lines("很" * 40)
    assert smallest == MARK_MIN_PT
    assert [line[0] for line in mark_lines("甲纪检组\n乙纪检组\n")] == ["甲纪检组", "乙纪检组"]


def test_the_fingerprint_moves_with_the_day_only_while_the_period_is_open(org, jj):
    open_year = {data_fingerprint(jj, Period(2026), None, today=day) for day in (dt.date(2026, 12, 2), dt.date(2026, 12, 3))}
    closed_year = {data_fingerprint(jj, Period(2025), None, today=day) for day in (dt.date(2026, 12, 2), dt.date(2026, 12, 3))}
    assert len(open_year) == 2 and len(closed_year) == 1


def test_a_period_not_begun_is_refused_next_to_the_field(jj):
    today = dt.date(2026, 11, 20)
    future_year = ReportForm({"year": "2027", "quarter": ""}, user=jj, today=today)
    assert not future_year.is_valid() and "year" in future_year.errors
    future_quarter = ReportForm({"year": "2026", "quarter": "4"}, user=jj, today=dt.date(2026, 9, 1))
    assert not future_quarter.is_valid() and "quarter" in future_quarter.errors
    assert ReportForm({"year": "2026", "quarter": "4"}, user=jj, today=today).is_valid()


def test_the_command_refuses_a_period_not_begun_and_says_what_it_counted(org, jj, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = tmp_path / "r.pdf"
    with time_machine.travel(local(2026, 12, 3, 10), tick=False):
        with pytest.raises(CommandError, match="尚未开始"):
            call_command("annual_report", "--year", "2027", "--output", str(out))
        printed = StringIO()
        call_command("annual_report", "--year", "2026", "--user", jj.username, "--output", str(out), stdout=printed)
    assert "统计至2026-12-03" in printed.getvalue() and out.read_bytes()[:5] == b"%PDF-"


# --- The ledger export ------------------------------------------------------------------------------


def test_ledger_export_carries_content_findings_and_disposal(client, org, org2, submit, jj, outsider):
    record = _verified(
        submit(interferer=outsider, interferer_name=outsider.name, content="来电要求对该企业从轻处罚。", response="refused", response_note="当场告知依法办理。"), jj
    )
    services.handling_decide(
        record=record, kind="other_unit", decision="向其所在党组织通报。", person=outsider,
        letter={"addressee": "中共市交通运输局党组", "cc": org2["discipline"].name, "text": "正文。", "issued_on": timezone.localdate()},
        actor=jj, now=timezone.now(),
    )  # fmt: skip
    submit(interferer_name="王某", content="询问案件进展。")  # not yet verified: empty findings and disposal
    client.force_login(jj)
    response = client.get(reverse("discipline:ledger_xlsx"))
    sheet = load_workbook(BytesIO(response.content))["台账"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[3]
    assert {"过问内容", "处置情况", "核实情况", "处理情况"} <= set(header)
    by_serial = {row[0]: dict(zip(header, row, strict=True)) for row in rows[4:]}
    mine = by_serial[record.serial]
    assert mine["过问内容"] == "来电要求对该企业从轻处罚。"
    assert mine["处置情况"] == f"{record.get_response_display()}：当场告知依法办理。"  # the recorder's response, as the 登记表 says
    assert mine["核实情况"] == "经核实，来电属实。"
    letter = record.handling.letter
    assert mine["处理情况"].startswith("向其所在党组织通报。；通报函" + letter.number) and "尚未发出" in mine["处理情况"]
    pending = next(row for serial, row in by_serial.items() if serial != record.serial)
    assert pending["过问内容"] == "询问案件进展。" and pending["核实情况"] is None and pending["处理情况"] is None


def test_ledger_export_queries_do_not_grow_with_rows(client, submit, jj, django_assert_max_num_queries):
    client.force_login(jj)
    submit()
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("discipline:ledger_xlsx"))
    for _ in range(5):
        _verified(submit(), jj)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("discipline:ledger_xlsx"))


def test_pages_link_their_exports_with_their_filters(client, submit, jj):
    submit()
    client.force_login(jj)
    ledger = client.get(reverse("discipline:ledger"), {"nature": "interference"}).content.decode()
    assert f'href="{reverse("discipline:ledger_xlsx")}?nature=interference"' in ledger
    dashboard = client.get(reverse("discipline:dashboard"), {"date_from": "2026-01-01"}).content.decode()
    assert f'href="{reverse("discipline:dashboard_xlsx")}?date_from=2026-01-01"' in dashboard


def test_the_new_ledger_columns_are_text_never_formulas(client, submit, jj, outsider):
    """Issue 17's protection holds for the long texts too: content, findings and decision as typed."""
    record = submit(interferer=outsider, interferer_name=outsider.name, content="=HYPERLINK(\"http://evil.example\",\"点\")")
    now = timezone.now()
    services.record_receive(record=record, actor=jj, now=now)
    services.review_verify(record=record, conclusion=rules.UNFOUNDED, findings="+1+1", seriousness="general", actor=jj, now=now)
    services.handling_decide(record=record, kind="no_action", decision="@SUM(1+1)", person=None, actor=jj, now=now)
    client.force_login(jj)
    sheet = load_workbook(BytesIO(client.get(reverse("discipline:ledger_xlsx")).content))["台账"]
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value is not None}
    typed = ['=HYPERLINK("http://evil.example","点")', "+1+1"]
    assert all(cells[value].data_type == "s" and cells[value].quotePrefix for value in typed)
    disposal = next(cell for value, cell in cells.items() if isinstance(value, str) and value.startswith("@SUM"))
    assert disposal.data_type == "s" and disposal.quotePrefix


# --- Titles cited from the one table (cases.documents), checked by hand against the seeds ---------

SHIYAN_TITLE = "《十堰市领导干部非法干预安全生产监管执法活动、插手具体案件处理的记录、通报和责任追究办法》"
GUANGYUAN_LEADERS_TITLE = "《领导干部干预行政执法活动、插手具体案件处理的记录、通报和责任追究制度》"


def test_the_letter_cites_the_full_title_of_000_article_9(org, submit, jj):
    org["bureau"].governing_document = "000"
    org["bureau"].save()
    record = _verified(submit(), jj)
    text = services.default_letter_text(record, record.review, org["discipline"])
    assert f"根据{SHIYAN_TITLE}第九条规定" in text


def test_the_letter_of_a_guangyuan_unit_cites_001_article_8(org, submit, jj):
    org["bureau"].governing_document = "001"
    org["bureau"].save()
    record = _verified(submit(interferer_kind="leader"), jj)
    text = services.default_letter_text(record, record.review, org["discipline"])
    assert f"根据{GUANGYUAN_LEADERS_TITLE}第八条规定" in text


def test_a_chifeng_unit_whose_rules_say_nothing_of_letters_cites_000(org, submit, jj):
    record = _verified(submit(), jj)  # the fixture's bureau works under 002, which has no notice-letter article
    assert f"根据{SHIYAN_TITLE}第九条规定" in services.default_letter_text(record, record.review, org["discipline"])


def special_report_through_pages(client, submit, jj) -> SpecialReport:
    """A record received and verified as serious and affecting the case, reported as a special matter, by ``jj`` through the pages."""
    record = submit()
    client.force_login(jj)
    client.post(reverse("discipline:receive", args=[record.pk]))
    client.post(
        reverse("discipline:verify", args=[record.pk]),
        {"conclusion": "founded", "findings": "要求撤销立案，属实。", "seriousness": "serious", "affects_case": "on", "special": "on"},
    )
    return SpecialReport.objects.get(review__record=record)


def test_the_special_report_cites_the_real_title_of_001(client, submit, jj):
    report = special_report_through_pages(client, submit, jj)
    text = "".join(pdf_lines(client.get(reverse("discipline:special_pdf", args=[report.pk])).content).split())
    assert f"根据{GUANGYUAN_LEADERS_TITLE}第七条" in text
    assert "广元市自然资源局领导干部违法干预" not in text
