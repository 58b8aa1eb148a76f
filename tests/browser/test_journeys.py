"""Every user's journey through the product in a real browser (issue 11), with axe-core on each page
visited and screenshots along the way."""

import re
import time

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, Journey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 24
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_officer_quick_capture_on_a_phone_then_complete_and_submit(browser, browser_context_args, live_server, demo):
    from records.models import InterferenceRecord

    context = browser.new_context(**{**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True, "device_scale_factor": 2})
    me = Journey(context.new_page(), live_server.url)
    me.login("zhangwei")
    me.check()
    me.shot("officer-list-phone")

    # Quick capture: the button is in the bar of every page, visible without opening the menu.
    started = time.monotonic()
    me.page.get_by_role("link", name="快速登记").click()
    me.check()
    expect(me.page.locator("#id_occurred_at")).not_to_have_value("")  # defaults to now
    expect(me.page.locator("#id_audio")).to_have_attribute("capture", "user")
    expect(me.page.locator("#id_photo")).to_have_attribute("capture", "environment")
    # Saving too early: the error summary takes the focus; with the keyboard alone, Tab reaches its
    # first link and Enter lands in the field that needs input.
    me.page.get_by_role("button", name="保存草稿").click()
    me.page.wait_for_load_state()
    me.check()
    expect(me.page.locator("#form-errors")).to_be_focused()
    expect(me.page.locator("#id_interferer_name")).to_have_attribute("aria-invalid", "true")
    me.page.keyboard.press("Tab")
    me.page.keyboard.press("Enter")
    expect(me.page.locator("#id_interferer_name")).to_be_focused()
    me.page.keyboard.type("周某")

    me.page.locator("#id_interferer_position").fill("某区副区长")
    me.page.locator("#id_channel").select_option("phone")
    me.page.locator("#id_content").fill("来电要求对某企业从轻处罚。")
    me.page.locator("#id_audio").set_input_files(files=[{"name": "通话录音.wav", "mimeType": "audio/wav", "buffer": WAV}])
    me.shot("quick-capture-phone")
    me.page.get_by_role("button", name="保存草稿").click()
    me.page.wait_for_url(re.compile(r"/records/\d+/(#.*)?$"))
    assert time.monotonic() - started < 30
    me.check()
    expect(me.page.get_by_text("这是快速登记的草稿")).to_be_visible()
    expect(me.page.get_by_text(re.compile(r"还剩 \d 个工作日|今日到期")).first).to_be_visible()
    me.shot("quick-draft-phone")
    record = InterferenceRecord.objects.get(interferer_name="周某")
    assert record.status == "draft" and record.evidence.count() == 1

    # Complete the full 登记表 on the phone, attach a photo, submit after the confirmation page.
    me.page.get_by_role("link", name="补全登记表").click()
    me.check()
    me.page.locator("#id_matter").fill("某企业重大事故隐患处罚")
    me.page.locator("#id_interferer_kind").select_option("leader")
    me.page.locator("#id_nature").select_option("interference")
    me.page.locator("#id_response").select_option("refused")
    me.page.locator("#id_file_1").set_input_files(files=[{"name": "现场照片.png", "mimeType": "image/png", "buffer": PNG}])
    me.page.get_by_role("button", name="保存并报送…").click()
    me.page.wait_for_url(re.compile(r"/submit/$"))
    me.check()
    expect(me.page.get_by_text("不能再修改或删除")).to_be_visible()
    # What is sent, and to whom, by name, before the officer confirms (issue 19).
    recipients = me.page.get_by_role("region", name="报送给")
    expect(recipients).to_contain_text("市纪委监委驻市应急管理局纪检监察组")
    expect(recipients).to_contain_text("局长 陈军")
    expect(me.page.get_by_role("region", name="报送内容")).to_contain_text("来电要求对某企业从轻处罚。")
    me.shot("submit-confirm-phone")
    me.page.get_by_role("button", name="确认报送").click()
    me.page.wait_for_url(re.compile(r"/records/\d+/$"))
    me.check()
    expect(me.page.get_by_text("已按时报送").first).to_be_visible()
    expect(me.page.get_by_text(re.compile(r"报送期限 \d{4}年\d{1,2}月\d{1,2}日"))).to_be_visible()
    me.shot("record-detail-phone")
    record.refresh_from_db()
    assert record.status == "submitted" and record.evidence.count() == 2

    # The officer's help page, through the collapsed menu of the phone.
    me.page.get_by_role("button", name="菜单").click()
    me.page.get_by_role("link", name="使用说明").click()
    me.check()
    me.page.get_by_role("link", name="执法人员").first.click()
    me.check()
    expect(me.page.get_by_role("heading", name="三个工作日内报送")).to_be_visible()
    me.shot("help-officer-phone")
    context.close()


def _submitted(username: str = "zhangwei", **overrides):
    """A record submitted by an officer of the demo data (routed as the services route it)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from conftest import record_data
    from records.record import services

    officer = get_user_model().objects.get(username=username)
    fields = {"matter": "某化工企业重大隐患处罚", "interferer_name": "孙某", "interferer_position": "副县长", "interferer_unit": "某县人民政府"}
    record = services.record_create(data=record_data(**{**fields, **overrides}), actor=officer)
    return services.record_submit(record=record, actor=officer, now=timezone.now())


def test_principal_instructs_and_principal_as_interferer_sees_nothing(journey, demo):
    from cases.models import Person

    routed = _submitted()
    about_him = _submitted(interferer=Person.objects.get(user__username="chenjun"), interferer_name="陈军", interferer_position="局长", interferer_unit="")

    journey.login("chenjun")
    journey.go("/discipline/principal/")
    expect(journey.page.get_by_text(routed.serial)).to_be_visible()
    # R-ROUTE: a record about the principal is never routed to them, nor shown anywhere.
    expect(journey.page.get_by_text(about_him.serial)).to_have_count(0)
    journey.shot("principal-inbox")
    journey.page.get_by_role("row", name=re.compile(routed.serial)).get_by_role("link", name="阅批").click()
    journey.check()
    journey.page.locator("#id_text").fill("请纪检监察组依规核实处理，并将结果报我。")
    journey.page.get_by_role("button", name="提交批示").click()
    journey.page.wait_for_load_state()
    journey.check()
    assert routed.instructions.filter(principal__username="chenjun").count() == 1

    for path in (f"/records/{about_him.pk}/", f"/discipline/principal/{about_him.pk}/", f"/discipline/records/{about_him.pk}/"):
        response = journey.page.goto(journey.base_url + path)
        assert response.status == 404, path
    journey.go("/discipline/principal/?show=all")
    expect(journey.page.get_by_text(about_him.serial)).to_have_count(0)
    journey.go("/records/")
    expect(journey.page.get_by_text(about_him.serial)).to_have_count(0)


def test_discipline_receives_verifies_handles_sends_a_letter_and_reports(journey, demo):
    from discipline.reports.models import ReportJob
    from discipline.reports.tasks import generate_report

    record = _submitted()
    me = journey
    # The officer's desktop pages, for the README.
    me.login("zhangwei")
    me.go("/records/")
    me.shot("officer-list")
    me.go("/records/new/")
    me.shot("officer-form")
    me.login("zhaolei")
    me.go("/discipline/inbox/")
    me.shot("discipline-inbox")
    me.page.get_by_role("row", name=re.compile(record.serial)).get_by_role("link", name="办理").click()
    me.check()
    me.page.get_by_role("button", name="签收").click()
    me.page.wait_for_load_state()
    me.check()
    me.page.get_by_role("link", name="填写核实结论").click()
    me.check()
    me.page.get_by_label("属实", exact=True).check()
    me.page.locator("#id_findings").fill("经向当事企业和执法人员核实，孙某来电要求从轻处罚属实。")
    me.page.get_by_label("情节一般", exact=True).check()
    me.page.get_by_role("button", name="保存核实结论").click()
    me.page.wait_for_load_state()
    me.check()
    me.page.get_by_role("link", name="作出处理决定").click()
    me.check()
    me.page.get_by_label(re.compile("非本单位人员：向其所在党组织通报")).check()
    me.page.locator("#id_decision").fill("向其所在党组织通报。")
    me.page.locator("#id_addressee").fill("中共某县委员会")
    me.page.locator("#id_cc").fill("某县纪委监委")
    me.page.locator("#id_letter_text").fill("孙某于近日来电干预我局执法案件，经核实属实，现予通报。")
    me.page.get_by_role("button", name="保存处理决定").click()
    me.page.wait_for_load_state()
    me.check()
    expect(me.page.get_by_role("heading", name=re.compile("通报函"))).to_be_visible()
    me.page.locator("#id_sent_on").fill(__import__("datetime").date.today().isoformat())
    me.page.get_by_role("button", name="更新办理情况").click()
    me.page.wait_for_load_state()
    me.check()
    me.shot("discipline-case")
    # The letter opens inline in the browser's PDF viewer: fetch it with the page's session.
    letter = me.page.request.get(me.base_url + me.page.get_by_role("link", name="PDF", exact=True).get_attribute("href"))
    assert letter.ok and letter.headers["content-type"] == "application/pdf" and letter.body()[:5] == b"%PDF-"
    record.refresh_from_db()
    assert record.status == "handled" and record.handling.letter.sent_on is not None

    # The dashboard's charts are links to the filtered ledger.
    me.go("/discipline/dashboard/")
    me.shot("discipline-dashboard")
    bar = me.page.locator("figure.chart svg a").first
    expected = int(bar.locator("text.chart-count").text_content())
    bar.click()
    me.page.wait_for_url(re.compile(r"/discipline/ledger/\?"))
    me.check()
    assert expected >= 1
    expect(me.page.locator("table tbody tr")).to_have_count(expected)
    me.shot("discipline-ledger-filtered")

    # The annual report: requested on the page, rendered by the worker, downloaded.
    me.go("/discipline/reports/")
    me.page.get_by_role("button", name="生成报告").click()
    me.page.wait_for_load_state()
    job = ReportJob.objects.latest("pk")
    generate_report(job.pk)  # what the Celery worker does
    with me.page.expect_download(timeout=30_000) as report:
        me.page.get_by_role("link", name="下载 PDF").first.click()
    assert open(report.value.path(), "rb").read(5) == b"%PDF-"
    me.check()
    me.shot("discipline-reports")


def test_admin_enters_next_years_holidays_and_an_open_deadline_moves(journey, demo):
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from conftest import local, record_data
    from records.calendar.dates import local_date
    from records.calendar.workdays import WorkCalendar
    from records.record import services

    next_year = timezone.localdate().year + 1
    officer = get_user_model().objects.get(username="zhangwei")
    # A draft of 31 December: its deadline falls in next year, on the provisional calendar.
    draft = services.record_create(data=record_data(occurred_at=local(next_year - 1, 12, 31, 10, 0)), actor=officer)
    old_due = local_date(draft.due_at)
    assert draft.calendar_provisional and old_due.year == next_year

    journey.login("admin")
    journey.go("/calendar/")
    expect(journey.page.get_by_text(f"{next_year}年的放假安排尚未录入")).to_be_visible()
    journey.page.locator("#id_year").fill(str(next_year))
    journey.page.locator("#id_source").fill(f"国办发明电〔{next_year - 1}〕7号")
    # A test notice: New Year's Day, and the day the draft was due becomes a holiday too.
    journey.page.locator("#id_notice").fill(f"一、元旦：1月1日放假。\n二、调整：{old_due.month}月{old_due.day}日放假。")
    journey.page.get_by_role("button", name="预览").click()
    journey.page.wait_for_load_state()
    journey.check()
    expect(journey.page.locator("#preview-days")).to_contain_text(f"{old_due.month}月{old_due.day}日")
    journey.page.get_by_role("button", name="确认保存").click()
    journey.page.wait_for_load_state()
    journey.check()
    call_command("send_reminders", stdout=open(__import__("os").devnull, "w"))  # the beat sweep recomputes  # noqa: SIM115
    journey.go("/calendar/")
    expect(journey.page.get_by_text("调整 1 条")).to_be_visible()

    draft.refresh_from_db()
    # The day it was due is now a holiday: the deadline moves to the next working day, no longer provisional.
    calendar = WorkCalendar.covering([old_due, old_due + dt.timedelta(days=10)])
    new_due = local_date(draft.due_at)
    assert new_due == calendar.add_working_days(old_due, 1) and new_due > old_due
    assert not draft.calendar_provisional
    journey.login("zhangwei")
    journey.go(f"/records/{draft.pk}/")
    expect(journey.page.get_by_text(f"{new_due.year}年{new_due.month}月{new_due.day}日 23:59")).to_be_visible()
    journey.go("/notifications/")
    expect(journey.page.get_by_text(re.compile("报送期限已调整")).first).to_be_visible()
    journey.shot("notifications")


def test_zero_report_card_and_discipline_page_agree(journey, demo):
    """Issue 19: the officer's card and the discipline page show the same month, the same due date and
    the same counts. Any day of the year: the discipline page's default month is always one the
    officer can declare for."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from conftest import record_data
    from records.calendar.dates import BEIJING
    from records.record import services

    users = get_user_model().objects
    # Both demo officers have had their accounts for a year, so both owe every recent month.
    users.filter(username__in=["zhangwei", "liuyang"]).update(date_joined=timezone.now() - dt.timedelta(days=400))

    journey.login("zhaolei")
    journey.go("/discipline/zero-reports/missing/")
    figures = journey.page.locator(".zero-figures")
    key = figures.get_attribute("data-month")
    month_label = journey.page.locator('[data-figure="month_label"]').inner_text()
    discipline_due = figures.locator('[data-figure="due"]').inner_text()
    expect(figures.locator('[data-figure="declared"]')).to_have_text("0")
    expect(figures.locator('[data-figure="officers"]')).to_have_text("2")
    expect(journey.page.locator(".missing-list li", has_text="张伟")).to_have_count(1)

    # 张伟 made a record about that month (a draft counts), then declares it on his card.
    year, month = (int(x) for x in key.split("-"))
    services.record_create(
        data=record_data(occurred_at=dt.datetime(year, month, 15, 10, 0, tzinfo=BEIJING)), actor=users.get(username="zhangwei")
    )
    journey.login("zhangwei")
    journey.go("/records/zero-report/")
    card = journey.page.locator(f'.zero-month[data-month="{key}"]')
    expect(card.locator('[data-figure="month_label"]')).to_contain_text(month_label)
    expect(card).to_contain_text(f"您{month_label}已登记")
    expect(card.locator('[data-figure="due"]')).to_have_text(discipline_due)
    count = card.locator('[data-figure="month_count"]').inner_text()
    assert int(count) >= 1
    journey.shot("zero-report-card")
    card.get_by_role("button", name=re.compile("已全部如实记录")).click()
    journey.page.wait_for_load_state()
    journey.check()
    expect(journey.page.locator(f'.zero-month[data-month="{key}"]')).to_contain_text("已申报")

    journey.login("zhaolei")
    journey.go("/discipline/zero-reports/missing/")
    figures = journey.page.locator(".zero-figures")
    assert figures.get_attribute("data-month") == key
    expect(figures.locator('[data-figure="due"]')).to_have_text(discipline_due)
    expect(figures.locator('[data-figure="declared"]')).to_have_text("1")
    expect(figures.locator('[data-figure="officers"]')).to_have_text("2")
    declared = journey.page.locator(".declared-list li", has_text="张伟")
    expect(declared.locator('[data-figure="declared_count"]')).to_have_text(count)
    expect(journey.page.locator(".missing-list li", has_text="张伟")).to_have_count(0)
    expect(journey.page.locator(".missing-list li", has_text="刘洋")).to_have_count(1)
    journey.shot("zero-report-discipline")

    # 记录情况分析 counts 张伟's declaration and no month he did not owe.
    journey.go("/discipline/recording/")
    expect(journey.page.locator(".recording-officers tr", has_text="张伟")).to_contain_text("未申报")
