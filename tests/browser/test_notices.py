"""Everyone learns what waits for them (issue 19), in a real browser on the demo data: the principal is
told of a record routed for 批示, sees its count in the bar and lands on 待批示; the officer is told when
their record is received, verified and handled, and lands on their list, overdue drafts first, which on
a phone shows the records before the (folded) filters."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import Journey
from .test_journeys import _submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE_390 = {"width": 390, "height": 844}


def _sweep() -> None:
    """What the worker does when the submission rings the doorbell."""
    from django.utils import timezone

    from records.notifications.sweep import reminder_sweep

    reminder_sweep(now=timezone.now())


def _notices(username: str, kind: str, record=None) -> list:
    from records.models import Notification

    notices = Notification.objects.filter(recipient__username=username, kind=kind).order_by("pk")
    return list(notices if record is None else notices.filter(record=record))


def test_principal_is_notified_and_lands_on_pending_instructions(journey, demo):
    from cases.models import Person
    from discipline.review.models import Routing
    from discipline.review.selectors import principal_inbox
    from records.models import Notification

    routed = _submitted()
    about_him = _submitted(interferer=Person.objects.get(user__username="chenjun"), interferer_name="陈军", interferer_position="局长", interferer_unit="")
    _sweep()
    _sweep()  # a second sweep sends nothing again

    # Told once of each record routed to him (the demo's and this one), never of the one about him.
    told = [n.record_id for n in _notices("chenjun", "instruction_requested")]
    routed_to_him = Routing.objects.filter(role="principal", user__username="chenjun").values_list("record_id", flat=True)
    assert routed.pk in told and about_him.pk not in told
    assert sorted(told) == sorted(routed_to_him)
    assert not Notification.objects.filter(record=about_him, recipient__username="chenjun").exists()
    # Nobody else is asked to instruct.
    assert set(Notification.objects.filter(kind="instruction_requested").values_list("recipient__username", flat=True)) == {"chenjun"}

    journey.login("chenjun")
    # He lands on 待批示, not on an empty 我的记录.
    assert journey.page.url.endswith("/discipline/principal/"), journey.page.url
    journey.check()
    chenjun = Person.objects.get(user__username="chenjun").user
    pending = principal_inbox(chenjun).count()
    assert pending >= 1
    badge = journey.page.get_by_test_id("pending-instructions")
    expect(badge).to_have_text(str(pending))
    expect(journey.page.get_by_role("row", name=re.compile(routed.serial))).to_be_visible()
    journey.shot("principal-landing")

    # The notice leads to the 阅批 page, which shows what he needs to decide.
    journey.go("/notifications/")
    notice = journey.page.locator(".card", has_text=f"请阅批：记录 {routed.serial}")
    expect(notice).to_have_count(1)
    notice.get_by_role("button", name="查看").click()
    journey.page.wait_for_url(re.compile(rf"/discipline/principal/{routed.pk}/$"))
    journey.check()
    for label in ("初步定性", "行为类别", "证据材料", "补充说明"):
        expect(journey.page.get_by_text(label, exact=True).first).to_be_visible()
    journey.page.locator("#id_text").fill("请纪检监察组依规核实处理。")
    journey.page.get_by_role("button", name="提交批示").click()
    journey.page.wait_for_url(re.compile(r"/discipline/principal/$"))
    journey.check()
    if pending == 1:
        expect(journey.page.get_by_test_id("pending-instructions")).to_have_count(0)
    else:
        expect(journey.page.get_by_test_id("pending-instructions")).to_have_text(str(pending - 1))

    # The officer learns that a 批示 was given, not what it says.
    given = _notices("zhangwei", "instruction_given", routed)
    assert len(given) == 1
    assert "依规核实" not in given[0].title + given[0].body


def test_officer_is_notified_on_receipt_and_handling(browser, browser_context_args, live_server, demo):
    from records.models import Notification

    record = _submitted()
    _sweep()
    staff = Journey(browser.new_page(**browser_context_args), live_server.url)
    staff.login("zhaolei")
    # Discipline staff land on their inbox.
    assert staff.page.url.endswith("/discipline/inbox/"), staff.page.url
    staff.check()
    staff.page.get_by_role("row", name=re.compile(record.serial)).get_by_role("link", name="办理").click()
    staff.check()
    staff.page.get_by_role("button", name="签收").click()
    staff.page.wait_for_load_state()
    assert len(_notices("zhangwei", "record_received", record)) == 1
    staff.page.get_by_role("link", name="填写核实结论").click()
    staff.page.get_by_label("属实", exact=True).check()
    staff.page.locator("#id_findings").fill("经向当事企业核实，孙某来电要求从轻处罚属实，另查明其收受好处。")
    staff.page.get_by_label("情节一般", exact=True).check()
    staff.page.get_by_role("button", name="保存核实结论").click()
    staff.page.wait_for_load_state()
    staff.page.get_by_role("link", name="作出处理决定").click()
    staff.page.get_by_label(re.compile("非本单位人员：向其所在党组织通报")).check()
    staff.page.locator("#id_decision").fill("向其所在党组织通报，建议给予诫勉。")
    staff.page.locator("#id_addressee").fill("中共某县委员会")
    staff.page.locator("#id_cc").fill("某县纪委监委")
    staff.page.locator("#id_letter_text").fill("孙某于近日来电干预我局执法案件，经核实属实，现予通报。")
    staff.page.get_by_role("button", name="保存处理决定").click()
    staff.page.wait_for_load_state()
    staff.check()
    staff.page.close()

    # Each step told once, and only to the recorder: the interferer (孙某, not a user) and the
    # principal are not told of the steps.
    steps = ("record_received", "record_verified", "record_handled")
    told = Notification.objects.filter(record=record, kind__in=steps)
    assert sorted(told.values_list("recipient__username", "kind")) == sorted(("zhangwei", kind) for kind in steps)
    verified = _notices("zhangwei", "record_verified", record)[0]
    assert "属实" in verified.body and "收受好处" not in verified.body  # the conclusion, not the findings
    handled = _notices("zhangwei", "record_handled", record)[0]
    assert "诫勉" not in handled.title + handled.body  # how it was handled, not the decision

    # The officer lands on their list and finds the notices behind the bell.
    context = browser.new_context(**browser_context_args)
    me = Journey(context.new_page(), live_server.url)
    me.login("zhangwei")
    assert me.page.url.endswith("/records/"), me.page.url
    me.check()
    unread = Notification.objects.filter(recipient__username="zhangwei", read_at__isnull=True).count()
    expect(me.page.get_by_role("link", name=re.compile(f"通知，{unread}条未读"))).to_be_visible()
    me.go("/notifications/")
    for title in ("已签收", "已核实", "已作出处理决定"):
        expect(me.page.get_by_text(re.compile(f"您报送的记录 {record.serial} {title}"))).to_be_visible()
    me.shot("officer-notifications")
    context.close()


def test_officer_list_on_a_phone_puts_overdue_drafts_and_records_first(browser, browser_context_args, live_server, demo):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from records.models import InterferenceRecord

    officer = get_user_model().objects.get(username="zhangwei")
    overdue = InterferenceRecord.objects.filter(recorder=officer, status="draft", due_at__lt=timezone.now())
    assert overdue.exists()  # the demo's aide record, ten days old
    context = browser.new_context(**{**browser_context_args, "viewport": PHONE_390, "is_mobile": True, "has_touch": True, "device_scale_factor": 2})
    me = Journey(context.new_page(), live_server.url)
    me.login("zhangwei")
    assert me.page.url.endswith("/records/"), me.page.url
    me.check()
    me.shot("officer-list-phone-390")
    rows = me.page.locator("table.table-records tbody tr")
    # Overdue drafts lead, their state in words.
    expect(rows.first).to_contain_text(overdue.order_by("due_at").first().serial)
    expect(rows.first).to_contain_text("已逾期")
    # The filters are folded behind one button; the first record is above the fold.
    expect(me.page.locator("#id_q")).to_be_hidden()
    first_row = rows.first.bounding_box()
    assert first_row is not None and first_row["y"] + first_row["height"] < PHONE_390["height"]
    # Nothing wider than the screen: no sideways scrolling to read the status.
    assert me.page.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]
    me.page.get_by_role("button", name="筛选条件").click()
    expect(me.page.locator("#id_q")).to_be_visible()
    expect(me.page.get_by_role("button", name="筛选条件")).to_have_attribute("aria-expanded", "true")
    me.page.mouse.click(5, PHONE_390["height"] - 5)  # the tap's hover colour is a transition, not the button's
    me.page.wait_for_timeout(500)
    me.check()
    context.close()
