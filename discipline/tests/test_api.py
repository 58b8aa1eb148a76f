"""The API as a case-handling system drives it (issue 21): push a case and its officers, make a draft
on an officer's behalf, submit it with the page's rules, read its deadline, status and outcome, sync
changes by cursor; refused outside its scope; keys revoked, rotated and rate-limited; every call
audited; the schema valid and its pages served from this server."""

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from cases.api import services as api_services
from cases.models import AuditEvent, Case, Person
from cases.vocabulary import OrganisationEvent
from records.calendar.deadlines import reporting_due
from records.models import InterferenceRecord, Notification
from records.notifications.sweep import reminder_sweep

pytestmark = pytest.mark.django_db

CASE = "赤应急罚〔2026〕12号"


@pytest.fixture(autouse=True)
def fresh_rates():
    """Rate-limit counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def numbered(officer, other_officer):
    Person.objects.filter(user=officer).update(number="P-001")
    Person.objects.filter(user=other_officer).update(number="P-002")
    officer.person.refresh_from_db()
    return officer


@pytest.fixture
def case_system(org, admin_user):
    system, issued = api_services.api_system_save(code="case-system", name="执法办案系统", units=[org["bureau"]], actor=admin_user)
    return {"system": system, "key": issued.raw}


@pytest.fixture
def other_system(org2, admin_user):
    system, issued = api_services.api_system_save(code="traffic-system", name="交通执法办案系统", units=[org2["bureau"]], actor=admin_user)
    return {"system": system, "key": issued.raw}


def call(client, method: str, url: str, key: str | None = None, data=None):
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {key}"} if key else {}
    if method == "get":
        return client.get(url, data or {}, **headers)
    return getattr(client, method)(url, data=json.dumps(data or {}, ensure_ascii=False), content_type="application/json", **headers)


def case_url(number: str = CASE) -> str:
    return reverse("api:case", args=[number])


def draft(**overrides) -> dict:
    """A complete record as the case system sends it (phone call, no evidence kept: reason given)."""
    data = {
        "officer": "P-001", "case": CASE, "occurred_at": (timezone.localtime() - dt.timedelta(hours=2)).replace(microsecond=0).isoformat(),
        "channel": "phone", "place": "办公室", "interferer_kind": "leader", "interferer_name": "李某", "interferer_position": "副县长",
        "interferer_unit": "某县政府", "content": "来电要求对该案从轻处罚。", "nature": "interference", "response": "refused",
        "missing_evidence_reason": "来电未录音，已当即记录通话内容。",
    }  # fmt: skip
    data.update(overrides)
    return data


def push_case(client, key):
    return call(
        client, "put", case_url(), key,
        {"title": "某企业安全生产违法案", "unit": "B1-S1", "stage": "filed", "party": "某化工企业",
         "opened_on": (timezone.localdate() - dt.timedelta(days=10)).isoformat(),
         "officers": [{"number": "P-001", "name": "officer1姓名"}, {"number": "P-NEW", "name": "新同志", "position": "科员"}]},
    )  # fmt: skip


def test_a_case_system_pushes_a_case_records_submits_and_reads_the_outcome(client, numbered, jj, case_system, other_system):
    key = case_system["key"]
    # The case and its officers, idempotent by case number.
    response = push_case(client, key)
    assert response.status_code == 201, response.json()
    assert [(o["number"], o["has_account"]) for o in response.json()["officers"]] == [("P-001", True), ("P-NEW", False)]
    case = Case.objects.get(number=CASE)
    assert list(case.handling_officers.all()) == [numbered]
    assert Person.objects.get(number="P-NEW").unit.code == "B1-S1"
    saved = AuditEvent.objects.filter(type=OrganisationEvent.CASE_SAVED).count()
    again = push_case(client, key)
    assert again.status_code == 200 and again.json()["changed"] is False
    assert AuditEvent.objects.filter(type=OrganisationEvent.CASE_SAVED).count() == saved

    # A quick draft on the officer's behalf: deadline from the interference time (R-DUE).
    quick = {key_: value for key_, value in draft().items() if key_ in ("officer", "case", "occurred_at", "channel", "interferer_name", "interferer_position", "content")}
    response = call(client, "post", reverse("api:records"), key, quick)
    assert response.status_code == 201, response.json()
    body = response.json()
    record = InterferenceRecord.objects.get(pk=body["id"])
    assert (record.recorder, record.case, record.status) == (numbered, case, "draft")
    assert dt.datetime.fromisoformat(body["due_at"]) == reporting_due(record.occurred_at)
    assert body["deadline"]["code"] in ("remaining", "due_today") and body["recorder"] == "P-001"
    assert body["page"].endswith(reverse("records:detail", args=[record.pk]))
    # The officer finds it among their drafts on the pages.
    client.force_login(numbered)
    assert record.serial in client.get(reverse("records:list")).content.decode()
    client.logout()

    # Submitting the incomplete draft is refused with the page's message; nothing changes.
    response = call(client, "post", reverse("api:record_submit", args=[record.pk]), key, {"officer": "P-001"})
    assert response.status_code == 400
    assert "登记表尚未填写完整" in response.json()["detail"]
    record.refresh_from_db()
    assert record.status == "draft"

    # A complete record submitted through the API goes where a page submission goes.
    response = call(client, "post", reverse("api:records"), key, draft())
    complete = response.json()["id"]
    response = call(client, "post", reverse("api:record_submit", args=[complete]), key, {"officer": "P-001"})
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["deadline"]["code"], response.json()["outcome"]) == ("submitted", "submitted", None)
    reminder_sweep(now=timezone.now())
    assert Notification.objects.filter(record_id=complete, recipient=jj, kind="submitted").count() == 1
    client.force_login(jj)
    serial = InterferenceRecord.objects.get(pk=complete).serial
    assert serial in client.get(reverse("discipline:inbox")).content.decode()
    assert client.post(reverse("discipline:receive", args=[complete])).status_code == 302
    client.logout()

    # The case system reads the outcome; another bureau's system finds nothing.
    response = call(client, "get", reverse("api:record", args=[complete]), key)
    assert response.json()["status"] == "received" and response.json()["outcome"]["received_at"]
    assert "content" not in response.json() and "interferer_name" not in response.json()
    assert call(client, "get", reverse("api:record", args=[complete]), other_system["key"]).status_code == 404
    assert call(client, "get", case_url(), other_system["key"]).status_code == 404
    refused = call(client, "put", case_url("交通罚〔2026〕1号"), other_system["key"], {"title": "越权", "unit": "B1-S1"})
    assert refused.status_code == 403
    assert refused.json()["errors"] == [{"field": "unit", "message": "单位 B1-S1 不在本系统的授权范围内。"}]
    assert not Case.objects.filter(number="交通罚〔2026〕1号").exists()
