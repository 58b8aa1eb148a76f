"""Ledger (R-LEDGER), integrity file (R-FILE), repeat-interferer flags, and constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import AuditEvent
from discipline.reports.vocabulary import ReportEvent
from discipline.review import services
from discipline.review.vocabulary import ReviewEvent
from records.record.vocabulary import RecordEvent
from tests.factories import make_officer

pytestmark = pytest.mark.django_db


def verify(record, jj, conclusion="founded"):
    now = timezone.now()
    services.record_receive(record=record, actor=jj, now=now)
    services.review_verify(record=record, conclusion=conclusion, findings="核实。", seriousness="general", actor=jj, now=now)


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def make_rows(submit, jj, leader, n):
    for i in range(n):
        record = submit(interferer=leader, interferer_name="周副局长", interferer_position="副局长", late=i % 3 == 0)
        if i % 2 == 0:
            verify(record, jj)


@pytest.mark.parametrize(
    "url",
    [
        reverse("discipline:inbox") + "?show=all",
        reverse("discipline:ledger"),
        reverse("discipline:dashboard"),
        reverse("discipline:principal_inbox") + "?show=all",
        reverse("discipline:sanctions"),
    ],
)
def test_query_count_does_not_grow_with_rows(client, submit, jj, principal, leader, url, django_assert_max_num_queries):
    user = principal if "principal" in url else jj
    make_rows(submit, jj, leader, 3)
    for _ in range(3):
        services.sanction_record(person=leader, ground="interference", kind="org_talk", decided_on=timezone.localdate(), body=jj.person.unit, actor=jj, now=timezone.now())
    client.force_login(user)
    few = queries(client, url)
    make_rows(submit, jj, leader, 9)
    for _ in range(9):
        services.sanction_record(person=leader, ground="interference", kind="gov_demerit", decided_on=timezone.localdate(), body=jj.person.unit, actor=jj, now=timezone.now())
    with django_assert_max_num_queries(few):
        client.get(url)


def test_person_file_query_count_is_constant(client, submit, jj, leader, officer, django_assert_max_num_queries):
    make_rows(submit, jj, leader, 2)
    client.force_login(jj)
    url = reverse("discipline:person", args=[leader.pk])
    few = queries(client, url)
    make_rows(submit, jj, leader, 8)
    with django_assert_max_num_queries(few):
        client.get(url)


def test_ledger_views_and_record_views_are_logged(client, submit, jj):
    record = submit()
    client.force_login(jj)
    client.get(reverse("discipline:ledger"), {"channel": "oral", "q": "李"})
    event = AuditEvent.objects.filter(type=ReportEvent.LEDGER_VIEWED).get()
    assert event.actor == jj and event.data["filters"] == {"channel": "oral", "q": "李"}
    client.get(reverse("records:detail", args=[record.pk]))
    assert AuditEvent.objects.filter(type=RecordEvent.RECORD_VIEWED, actor=jj, object_id=str(record.pk)).count() == 1
    client.get(reverse("discipline:dashboard"))
    assert AuditEvent.objects.filter(type=ReportEvent.DASHBOARD_VIEWED, actor=jj).count() == 1


def test_ledger_filters_and_bad_input(client, submit, jj, leader):
    phone = submit(channel="phone", missing_evidence_reason="无录音条件。")
    oral = submit(interferer=leader, interferer_name="周副局长", interferer_position="副局长")
    verify(oral, jj, "partly")
    client.force_login(jj)
    rows = client.get(reverse("discipline:ledger"), {"channel": "phone"}).context["rows"]
    assert [r.pk for r in rows] == [phone.pk]
    rows = client.get(reverse("discipline:ledger"), {"conclusion": "partly"}).context["rows"]
    assert [r.pk for r in rows] == [oral.pk]
    rows = client.get(reverse("discipline:ledger"), {"person": leader.pk}).context["rows"]
    assert [r.pk for r in rows] == [oral.pk]
    response = client.get(reverse("discipline:ledger"), {"channel": "telepathy", "date_from": "2026-13-01", "month": "2026-13", "page": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "所选项无效，已忽略该条件。" in html and "请输入有效的日期" in html and "月份格式应为" in html
    assert response.context["count"] == 2


def test_integrity_file_and_repeat_flag(client, submit, jj, leader, officer):
    first = submit(interferer=leader, interferer_name="周副局长", interferer_position="副局长")
    verify(first, jj, "founded")
    client.force_login(jj)
    page = client.get(reverse("discipline:person", args=[leader.pk])).content.decode()
    assert first.serial in page and "多次干预" not in page
    # A second substantiated record, this time as the leader behind an aide (R-PROXY).
    second = submit(interferer_name="钱秘书", interferer_position="秘书", interferer_kind="proxy", proxy_relation="aide",
                    behind_person=leader, behind_name="周副局长", behind_position="副局长")  # fmt: skip
    verify(second, jj, "partly")
    # An unfounded one does not count.
    third = submit(interferer=leader, interferer_name="周副局长", interferer_position="副局长")
    verify(third, jj, "unfounded")
    page = client.get(reverse("discipline:person", args=[leader.pk])).content.decode()
    assert "多次干预·2次" in page
    for serial in (first.serial, second.serial, third.serial):
        assert serial in page
    assert AuditEvent.objects.filter(type=ReviewEvent.INTEGRITY_FILE_VIEWED, object_id=str(leader.pk)).count() == 2
    # Flagged wherever the name appears: inbox, ledger, case page.
    for url in [reverse("discipline:inbox") + "?show=all", reverse("discipline:ledger"), reverse("discipline:case", args=[third.pk])]:
        assert "多次干预·2次" in client.get(url).content.decode(), url
    # The recorder's side of the file: records made and their timeliness.
    late = submit(late=True)
    response = client.get(reverse("discipline:person", args=[officer.person.pk]))
    file = response.context["file"]
    assert late.serial in response.content.decode()
    assert file.recorder_late == 1 and file.recorder_on_time == 3
    assert "按时报送3条，逾期1条" in response.content.decode()


def test_discipline_user_without_body_group_sees_empty_pages(client, submit, org):
    submit()
    loose = make_officer(org["discipline"], "nogroup", role="discipline")
    client.force_login(loose)
    assert "尚未加入任何纪检监察机构" in client.get(reverse("discipline:inbox")).content.decode()
    assert client.get(reverse("discipline:ledger")).context["count"] == 0
    assert client.get(reverse("discipline:dashboard")).context["board"].total == 0


def test_seed_demo_routes_records_to_the_discipline_group(client):
    from io import StringIO

    from django.core.management import call_command

    from discipline.models import Routing

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    from django.contrib.auth import get_user_model

    zhaolei = get_user_model().objects.get(username="zhaolei")
    chenjun = get_user_model().objects.get(username="chenjun")
    assert zhaolei.groups.filter(name="discipline:YJJ-JJZ").exists()
    client.force_login(zhaolei)
    rows = client.get(reverse("discipline:inbox"), {"show": "all"}).context["rows"]
    assert len(rows) == 3  # the three submitted demo records
    # One is closed (handled with an internal notice), one handled with a notice letter (its outcome is
    # tracked on the letter): only the late one is still to do.
    assert len(client.get(reverse("discipline:inbox")).context["rows"]) == 1
    # The late record is about 陈军 (the principal): it is not routed to him (R-ROUTE).
    about_chen = Routing.objects.filter(record__interferer_name="陈军")
    assert about_chen.exists() and not about_chen.filter(user=chenjun).exists()
    client.force_login(chenjun)
    # 孙丽's and 李建国's records wait for his 批示; the late one about himself never reached him.
    assert len(client.get(reverse("discipline:principal_inbox")).context["rows"]) == 2
