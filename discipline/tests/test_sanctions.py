"""Sanctions register (R-SANCTION) and the review-request window of an enforcement-fault decision:
"可在接到决定通知之日起 30 日内提出复核申请" (002 过错追究制度 第十二条), counted by
records.deadlines.period_end (民法典 第二百零一条、第二百零三条). Other sanctions have no window here."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import AuditEvent
from discipline.models import Sanction
from discipline.review import rules, services
from discipline.review.vocabulary import ReviewEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("notified", "window_end"),
    [
        # Eve of National Day: 9-30 + 30 = 10-30, a Friday and a working day.
        (dt.date(2026, 9, 30), dt.date(2026, 10, 30)),
        # 9-03 + 30 = 10-03, inside the 10-01..10-07 holiday: ends on 10-08 (Thursday), the first
        # working day after it (国办发明电〔2025〕7号 schedule, via the chinesecalendar package).
        (dt.date(2026, 9, 3), dt.date(2026, 10, 8)),
        # 9-07 + 30 = 10-07, the last holiday day: also 10-08.
        (dt.date(2026, 9, 7), dt.date(2026, 10, 8)),
        # 9-10 + 30 = 10-10, a Saturday but a make-up working day (调休上班): not a rest day, ends there.
        (dt.date(2026, 9, 10), dt.date(2026, 10, 10)),
        # 10-02 + 30 = 11-01, a Sunday: ends Monday 11-02.
        (dt.date(2026, 10, 2), dt.date(2026, 11, 2)),
    ],
)
def test_review_window_by_period_end(jj, leader, notified, window_end):
    sanction = services.sanction_record(
        person=leader, ground="fault", kind="org_admonition", decided_on=notified - dt.timedelta(days=1), notified_on=notified,
        body=jj.person.unit, actor=jj, now=timezone.now(),
    )  # fmt: skip
    assert sanction.review_deadline == window_end


def test_every_outcome_type_is_grouped_with_a_legal_basis():
    groups = {}
    for code, (group, label, basis) in rules.SANCTION_TYPES.items():
        groups.setdefault(group, []).append(label)
        assert basis and code in Sanction.Kind.values
    assert groups[rules.PARTY] == ["警告（党纪）", "严重警告", "撤销党内职务", "留党察看", "开除党籍"]
    assert groups[rules.GOVERNMENT] == ["警告（政务）", "记过", "记大过", "降级", "撤职", "开除"]
    assert groups[rules.ORGANISATIONAL] == ["谈话提醒", "批评教育", "责令检查", "诫勉", "通报批评", "取消当年评优评先资格", "调离执法岗位"]
    assert groups[rules.JUDICIAL] == ["移送司法机关"]


def test_register_page_and_review_request(client, submit, jj, leader):
    record = submit(interferer=leader, interferer_name="周副局长", interferer_position="副局长")
    client.force_login(jj)
    # Issue 19: a party sanction for interference has its own review route — no 002 第十二条 window
    # (this test asserted one before; 第十二条 belongs to the fault system only).
    response = client.post(
        reverse("discipline:sanction_create"),
        {"person": leader.pk, "ground": "interference", "kind": "party_serious_warning", "decided_on": "2026-09-01", "notified_on": "2026-09-03", "record": record.pk},
    )
    assert response.status_code == 302, response.context["form"].errors
    sanction = Sanction.objects.get()
    assert sanction.group == "party" and sanction.legal_basis.startswith("《中国共产党纪律处分条例》")
    assert sanction.legal_basis.endswith("赤峰002第九条")  # the bureau of the fixture works under 002
    assert sanction.review_deadline is None
    page = client.get(reverse("discipline:sanctions")).content.decode()
    assert "严重警告" in page and "党纪处分" in page and "按其本身规定" in page and "2026年10月8日" not in page
    # An enforcement-fault decision has the window; a request after it is recorded and shown as late.
    response = client.post(
        reverse("discipline:sanction_create"),
        {"person": leader.pk, "ground": "fault", "kind": "org_admonition", "decided_on": "2026-09-01", "notified_on": "2026-09-03"},
    )
    fault = Sanction.objects.get(ground="fault")
    assert fault.review_deadline == dt.date(2026, 10, 8) and fault.legal_basis == "赤峰002过错追究制度第十条"
    assert "2026年10月8日" in client.get(reverse("discipline:sanctions")).content.decode()
    client.post(reverse("discipline:sanction_update", args=[fault.pk]), {"notified_on": "2026-09-03", "review_requested_on": "2026-10-09"})
    fault.refresh_from_db()
    assert fault.review_requested_on == dt.date(2026, 10, 9)
    assert "超过期限" in client.get(reverse("discipline:sanctions")).content.decode()
    assert AuditEvent.objects.filter(type=ReviewEvent.SANCTION_RECORDED, object_id=str(fault.pk)).count() == 2


def test_admonition_of_an_interfering_deputy_director_cites_the_units_rules_not_004(client, submit, jj, leader, org):
    # The case, in a 广元 unit: the default basis is 001's leaders' system, never 004 第十八条.
    org["bureau"].governing_document = "001"
    org["bureau"].save()
    record = submit(interferer=leader, interferer_name="周副局长", interferer_position="副局长", interferer_kind="leader")
    client.force_login(jj)
    response = client.post(
        reverse("discipline:sanction_create"),
        {"person": leader.pk, "ground": "interference", "kind": "org_admonition", "decided_on": "2026-09-01", "record": record.pk},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Sanction.objects.get().legal_basis == "广元001领导干部制度第八条"


def test_a_tolerance_measure_is_limited_to_article_18_and_the_ground_is_asked(client, jj, leader):
    client.force_login(jj)
    response = client.post(reverse("discipline:sanction_create"), {"person": leader.pk, "ground": "tolerance", "kind": "gov_demerit", "decided_on": "2026-09-01"})
    assert "004第十八条" in response.context["form"].errors["kind"][0]
    response = client.post(reverse("discipline:sanction_create"), {"person": leader.pk, "kind": "org_talk", "decided_on": "2026-09-01"})
    assert "ground" in response.context["form"].errors
    assert not Sanction.objects.exists()


def test_bad_sanction_input_is_refused_in_chinese(client, jj, leader):
    client.force_login(jj)
    response = client.post(reverse("discipline:sanction_create"), {"person": leader.pk, "kind": "beheading", "decided_on": "2026-02-30"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "选择一个有效的选项" in errors["kind"][0]
    assert errors["decided_on"] == ["请输入有效的日期，例如 2026-11-24。"]
    response = client.post(
        reverse("discipline:sanction_create"),
        {"person": leader.pk, "ground": "interference", "kind": "gov_demerit", "decided_on": "2026-11-10", "notified_on": "2026-11-01"},
    )
    assert "送达日期不能早于决定日期。" in response.content.decode()
    assert not Sanction.objects.exists()


def test_sanction_of_another_body_is_refused(jj, org2, leader):
    with pytest.raises(ValidationError):
        services.sanction_record(person=leader, ground="interference", kind="org_talk", decided_on=dt.date(2026, 11, 1), body=org2["discipline"], actor=jj, now=timezone.now())
