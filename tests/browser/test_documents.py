"""Documents and exports as discipline staff meet them (issue 19): the 通报函 names its real cc body
and prints no placeholder, its tracking form fits its card; the Excel export buttons of 台账 and
统计分析 give files that open with the columns the ledger is for."""

import re
from io import BytesIO

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, Journey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _county_leader():
    """A county government in the unit tree, with its party committee and its own 纪委监委, and one of
    its leaders: the interferer of another unit that a notice letter is about."""
    from cases.models import Person, Unit

    county = Unit.objects.create(code="XIAN", name="某县人民政府", kind=Unit.Kind.BUREAU, party_organization="中共某县委员会")
    body = Unit.objects.create(code="XIAN-JW", name="中共某县纪律检查委员会、某县监察委员会", kind=Unit.Kind.DISCIPLINE, parent=county)
    county.discipline_body = body
    county.save()
    leader = Person.objects.create(name="孙某", position="副县长", unit=county, is_leading_cadre=True, level=Person.Level.DIVISION)
    return leader, body


def _verified_record(**overrides):
    """A record of the demo officer, submitted, received and verified by the demo discipline staff."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from conftest import record_data
    from discipline.review import services as review_services
    from records.record import services

    users = get_user_model().objects
    officer, staff = users.get(username="zhangwei"), users.get(username="zhaolei")
    fields = {"matter": "某化工企业重大隐患处罚", "interferer_position": "副县长", "interferer_unit": "某县人民政府", **overrides}
    record = services.record_create(data=record_data(**fields), actor=officer)
    record = services.record_submit(record=record, actor=officer, now=timezone.now())
    review_services.record_receive(record=record, actor=staff, now=timezone.now())
    review_services.review_verify(
        record=record, conclusion="founded", findings="经向执法人员和企业核实，孙某来电要求从轻处罚属实。", seriousness="general", actor=staff, now=timezone.now()
    )
    return record


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def _workbook(download):
    """The downloaded file, opened as Excel would: an .xlsx by its name and its content."""
    from openpyxl import load_workbook

    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    with open(download.path(), "rb") as handle:
        return load_workbook(BytesIO(handle.read()))


def _inside(inner: dict, outer: dict) -> bool:
    return (
        inner["x"] >= outer["x"] - 0.5
        and inner["y"] >= outer["y"] - 0.5
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 0.5
    )


def test_notice_letter_names_the_real_cc_and_prints_no_placeholder(journey, browser, browser_context_args, live_server, demo):
    leader, county_body = _county_leader()
    record = _verified_record(interferer=leader, interferer_name="孙某", content="来电要求对该企业从轻处罚。")
    me = journey
    me.login("zhaolei")
    me.go(f"/discipline/records/{record.pk}/handle/")
    # The form shows, before anything is issued, the body the unit tree names and where it comes from.
    expect(me.page.locator("#id_cc")).to_have_value(county_body.name)
    expect(me.page.locator("#id_addressee")).to_have_value("中共某县委员会")
    expect(me.page.get_by_text(re.compile("按单位库，某县人民政府的同级纪委监委"))).to_be_visible()
    expect(me.page.get_by_label(re.compile("非本单位人员：向其所在党组织通报"))).to_be_checked()
    me.page.locator("#id_decision").fill("向其所在党组织通报。")
    me.page.locator("#id_letter_text").fill("孙某于近日来电干预我局执法案件，经核实属实，现予通报。")

    # The old placeholder is refused next to the field, the input kept.
    me.page.locator("#id_cc").fill("同级纪委监委")
    me.page.get_by_role("button", name="保存处理决定").click()
    me.page.wait_for_load_state()
    me.check()
    expect(me.page.locator("#id_cc")).to_have_attribute("aria-invalid", "true")
    expect(me.page.locator("#error_1_id_cc")).to_contain_text("不能只写“同级纪委监委”")  # crispy's error under the field
    expect(me.page.locator("#id_decision")).to_have_value("向其所在党组织通报。")
    me.page.locator("#id_cc").fill(county_body.name)
    me.page.get_by_role("button", name="保存处理决定").click()
    me.page.wait_for_url(re.compile(rf"/discipline/records/{record.pk}/$"))
    me.check()

    # The tracking form is a form like the others (labelled fields, Bootstrap controls) inside its card.
    card = me.page.locator(".card", has=me.page.locator("form.letter-tracking"))
    for field in ("#id_sent_on", "#id_acknowledged_on", "#id_outcome_received_on", "#id_outcome"):
        expect(me.page.locator(field)).to_have_class(re.compile("form-control"))
        assert _inside(me.page.locator(field).bounding_box(), card.bounding_box()), field
    card.scroll_into_view_if_needed()
    me.shot("discipline-letter-tracking")

    letter_url = me.base_url + me.page.get_by_role("link", name="PDF", exact=True).get_attribute("href")
    pdf = me.page.request.get(letter_url)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = _pdf_text(pdf.body())
    assert county_body.name in text.replace("\n", "") and "抄送" in text
    assert "同级纪委监委" not in text and "同级" not in text

    # On a phone the card still holds its form.
    context = browser.new_context(**{**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True})
    phone = Journey(context.new_page(), live_server.url)
    phone.login("zhaolei")
    phone.go(f"/discipline/records/{record.pk}/")
    card = phone.page.locator(".card", has=phone.page.locator("form.letter-tracking"))
    for field in ("#id_sent_on", "#id_outcome"):
        assert _inside(phone.page.locator(field).bounding_box(), card.bounding_box()), field
    assert phone.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    card.scroll_into_view_if_needed()
    phone.shot("discipline-letter-tracking-phone")
    context.close()


def test_export_buttons_give_workbooks_with_the_ledger_columns(journey, demo):
    leader, county_body = _county_leader()
    record = _verified_record(
        interferer=leader, interferer_name="孙某", content="来电要求“罚款降到最低档”。", response="refused", response_note="当即告知将依法依程序办理。"
    )
    me = journey
    me.login("zhaolei")
    me.go("/discipline/ledger/")
    button = me.page.get_by_role("link", name=re.compile("导出 Excel"))
    expect(button).to_be_visible()
    with me.page.expect_download() as download:
        button.click()
    sheet = _workbook(download.value)["台账"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[3]
    assert {"过问内容", "处置情况", "核实情况", "处理情况"} <= set(header)
    row = dict(zip(header, next(r for r in rows[4:] if r[0] == record.serial), strict=True))
    assert row["过问内容"] == "来电要求“罚款降到最低档”。"
    assert row["处置情况"] == "予以拒绝：当即告知将依法依程序办理。"
    assert row["核实情况"] == "经向执法人员和企业核实，孙某来电要求从轻处罚属实。"
    assert row["处理情况"] is None  # not yet decided

    # The export follows the page's filter.
    me.go("/discipline/ledger/?nature=procedural")
    with me.page.expect_download() as download:
        me.page.get_by_role("link", name=re.compile("导出 Excel")).click()
    filtered = list(_workbook(download.value)["台账"].iter_rows(values_only=True))
    assert "筛选条件：初步定性" in filtered[1][0] and record.serial not in {r[0] for r in filtered[4:]}

    me.go("/discipline/dashboard/")
    with me.page.expect_download() as download:
        me.page.get_by_role("link", name="导出统计表 Excel").click()
    tables = _workbook(download.value)
    assert {"按状态", "按过问方式", "核实结论"} <= set(tables.sheetnames)
    status_rows = list(tables["按状态"].iter_rows(values_only=True))
    assert status_rows[3] == ("状态", "条数") and sum(n for _label, n in status_rows[4:]) >= 1
    me.shot("discipline-dashboard-export")

    # The officer may not export: no button anywhere they go, 404 from the URL.
    me.login("zhangwei")
    me.go("/records/")
    expect(me.page.get_by_role("link", name=re.compile("导出"))).to_have_count(0)
    for path in ("/discipline/ledger/export.xlsx", "/discipline/dashboard/export.xlsx"):
        assert me.page.request.get(me.base_url + path).status == 404
