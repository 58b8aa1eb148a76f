"""Sanctions register (R-SANCTION) and the review-request window: "可在接到决定通知之日起 30 日内提出
复核申请" (002 第十二条), counted by records.deadlines.period_end (民法典 第二百零一条、第二百零三条)."""

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
        person=leader, kind="org_admonition", decided_on=notified - dt.timedelta(days=1), notified_on=notified,
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
    response = client.post(
        reverse("discipline:sanction_create"),
        {"person": leader.pk, "kind": "party_serious_warning", "decided_on": "2026-09-01", "notified_on": "2026-09-03", "record": record.pk},
    )
    assert response.status_code == 302, response.context["form"].errors
    sanction = Sanction.objects.get()
    assert sanction.group == "party" and sanction.legal_basis.startswith("《中国共产党纪律处分条例》")
    assert sanction.review_deadline == dt.date(2026, 10, 8)
    page = client.get(reverse("discipline:sanctions")).content.decode()
    assert "严重警告" in page and "2026年10月8日" in page and "党纪处分" in page
    # A request after the window is recorded and shown as late.
    client.post(reverse("discipline:sanction_update", args=[sanction.pk]), {"notified_on": "2026-09-03", "review_requested_on": "2026-10-09"})
    sanction.refresh_from_db()
    assert sanction.review_requested_on == dt.date(2026, 10, 9)
    assert "超过期限" in client.get(reverse("discipline:sanctions")).content.decode()
    assert AuditEvent.objects.filter(type=ReviewEvent.SANCTION_RECORDED, object_id=str(sanction.pk)).count() == 2


def test_bad_sanction_input_is_refused_in_chinese(client, jj, leader):
    client.force_login(jj)
    response = client.post(reverse("discipline:sanction_create"), {"person": leader.pk, "kind": "beheading", "decided_on": "2026-02-30"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "选择一个有效的选项" in errors["kind"][0]
    assert errors["decided_on"] == ["请输入有效的日期，例如 2026-11-24。"]
    response = client.post(
        reverse("discipline:sanction_create"), {"person": leader.pk, "kind": "gov_demerit", "decided_on": "2026-11-10", "notified_on": "2026-11-01"}
    )
    assert "送达日期不能早于决定日期。" in response.content.decode()
    assert not Sanction.objects.exists()


def test_sanction_of_another_body_is_refused(jj, org2, leader):
    with pytest.raises(ValidationError):
        services.sanction_record(person=leader, kind="org_talk", decided_on=dt.date(2026, 11, 1), body=org2["discipline"], actor=jj, now=timezone.now())
