"""The API as a case-handling system drives it (issue 21): push a case and its officers, make a draft
on an officer's behalf, submit it with the page's rules, read its deadline, status and outcome, sync
changes by cursor; refused outside its scope; keys revoked, rotated and rate-limited; every call
audited; the schema valid and its pages served from this server."""

import datetime as dt
import json
import os
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cases.api import services as api_services
from cases.audit import seal_chain
from cases.models import ApiKey, AuditEvent, Case, Person
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


def test_a_case_system_pushes_a_case_records_submits_and_reads_the_outcome(
    client, numbered, jj, case_system, other_system, django_capture_on_commit_callbacks
):
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
    with django_capture_on_commit_callbacks(execute=True):
        response = call(client, "post", reverse("api:records"), key, quick)
    assert response.status_code == 201, response.json()
    body = response.json()
    record = InterferenceRecord.objects.get(pk=body["id"])
    assert (record.recorder, record.case, record.status) == (numbered, case, "draft")
    assert dt.datetime.fromisoformat(body["due_at"]) == reporting_due(record.occurred_at)
    assert body["deadline"]["code"] in ("remaining", "due_today") and body["recorder"] == "P-001"
    assert body["page"].endswith(reverse("records:detail", args=[record.pk]))
    # The system made it and says so in the audit; the officer is told, and finds it among their drafts.
    made = AuditEvent.objects.get(type="record.created", object_id=str(record.pk))
    assert (made.actor_id, made.data["recorder"], made.data["via"]) == (case_system["system"].account_id, numbered.pk, "执法办案系统")
    told = Notification.objects.get(recipient=numbered, record=record)
    assert told.kind == "draft_from_system" and told.link == reverse("records:detail", args=[record.pk])
    assert told.title == f"执法办案系统为您登记了干预过问记录草稿 {record.serial}，请补全并在期限内报送"
    client.force_login(numbered)
    assert record.serial in client.get(reverse("records:list")).content.decode()
    assert told.title in client.get(reverse("notifications:list")).content.decode()
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


# --- keys: only a usable key opens the API, and a key opens no page ----------------------------------


def test_a_call_without_a_usable_key_is_refused_in_chinese(client, numbered, case_system, admin_user):
    url = reverse("api:calendar", args=[timezone.localdate().year])
    response = call(client, "get", url)
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Api-Key")
    assert response.json() == {"detail": "身份认证信息未提供。", "errors": []}
    assert client.get(url, HTTP_AUTHORIZATION="Bearer abc").json()["detail"] == "请在 Authorization 请求头中提供接入系统的密钥，格式为“Api-Key <密钥>”。"
    forged = case_system["key"][:-1] + ("A" if case_system["key"][-1] != "A" else "B")
    assert call(client, "get", url, forged).json()["detail"] == "接口密钥无效、已过期或已被吊销。"
    # A signed-in person's session opens no endpoint.
    client.force_login(admin_user)
    assert call(client, "get", url).status_code == 401
    # English on request (Django i18n), like the pages.
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["detail"] == "Authentication credentials were not provided."


def test_revoking_stops_a_key_at_once_and_rotation_keeps_the_old_one_for_the_grace_period(client, case_system, admin_user, time_machine):
    system, first = case_system["system"], case_system["key"]
    url = reverse("api:calendar", args=[timezone.localdate().year])
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    with override_settings(API_KEY_ROTATION_GRACE_DAYS=7):
        rotated = api_services.api_key_rotate(system=system, actor=admin_user, now=now)
    assert rotated.replaced_until == now + dt.timedelta(days=7)
    assert call(client, "get", url, first).status_code == 200
    assert call(client, "get", url, rotated.raw).status_code == 200
    time_machine.move_to(now + dt.timedelta(days=7, seconds=1), tick=False)
    assert call(client, "get", url, first).status_code == 401
    assert call(client, "get", url, rotated.raw).status_code == 200
    api_services.api_key_revoke(key=rotated.key, actor=admin_user)
    assert call(client, "get", url, rotated.raw).status_code == 401
    assert list(AuditEvent.objects.filter(type__in=["api.key_rotated", "api.key_revoked"]).values_list("type", "actor")) == [
        ("api.key_rotated", admin_user.pk),
        ("api.key_revoked", admin_user.pk),
    ]
    # Only hashes are kept.
    assert not ApiKey.objects.filter(hashed_key__contains=rotated.raw.partition(".")[2]).exists()


def test_a_disabled_system_and_its_account_open_nothing(client, org, case_system, admin_user):
    system, key = case_system["system"], case_system["key"]
    url = reverse("api:calendar", args=[timezone.localdate().year])
    account = system.account
    assert not account.is_active and not account.has_usable_password()
    # The account cannot sign in, and a key sent to a page is no sign-in.
    response = client.post(reverse("login"), {"username": account.username, "password": key})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert client.get(reverse("records:list"), HTTP_AUTHORIZATION=f"Api-Key {key}")["Location"].startswith(reverse("login"))
    api_services.api_system_save(code=system.code, name=system.name, units=[org["bureau"]], is_active=False, actor=admin_user)
    assert call(client, "get", url, key).status_code == 401


def _caches():
    """The per-process cache, and Redis (shared by every web process) where the tests have one."""
    yield pytest.param({"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, id="locmem")
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        # A database of its own: clearing the cache must not touch the broker's queues.
        yield pytest.param({"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url.rsplit("/", 1)[0] + "/9"}, id="redis")


@pytest.mark.parametrize("cache_settings", list(_caches()))
def test_each_system_is_rate_limited_on_its_own(client, case_system, other_system, cache_settings):
    with override_settings(API_RATE="3/min", CACHES={"default": cache_settings}):
        cache.clear()
        _rate_limited(client, case_system, other_system)


def _rate_limited(client, case_system, other_system):
    url = reverse("api:period_end")
    query = {"start": "2026-11-04", "days": "10"}
    codes = [call(client, "get", url, case_system["key"], query).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = call(client, "get", url, case_system["key"], query)
    assert refused.json()["detail"].startswith("请求已被限流。")
    assert call(client, "get", url, other_system["key"], query).status_code == 200


# --- every call audited -----------------------------------------------------------------------------


def test_every_call_is_audited_with_system_key_endpoint_object_and_status(client, numbered, case_system, submit):
    record = submit()
    prefix = case_system["key"].partition(".")[0]
    before = AuditEvent.objects.filter(type="api.called").count()
    assert call(client, "get", reverse("api:record", args=[record.pk]), case_system["key"]).status_code == 200
    assert call(client, "get", reverse("api:record", args=[record.pk + 999]), case_system["key"]).status_code == 404
    assert call(client, "get", reverse("api:record", args=[record.pk])).status_code == 401
    events = list(AuditEvent.objects.filter(type="api.called").order_by("id")[before:])
    assert [(e.actor_id, e.object_id, e.data) for e in events] == [
        (case_system["system"].account_id, str(record.pk), {"system": "case-system", "key": prefix, "endpoint": "api:record", "method": "GET", "status": 200}),
        (case_system["system"].account_id, "", {"system": "case-system", "key": prefix, "endpoint": "api:record", "method": "GET", "status": 404}),
        (None, "", {"system": "", "key": "", "endpoint": "api:record", "method": "GET", "status": 401}),
    ]


# --- errors as JSON with field paths ------------------------------------------------------------------


def test_bad_input_is_a_400_naming_each_field_by_its_path(client, numbered, case_system):
    key = case_system["key"]
    response = call(
        client, "put", case_url(), key,
        {"title": "", "unit": "NOPE", "stage": "lost", "opened_on": "2026-13-01",
         "officers": [{"number": "P-001", "name": "甲"}, {"name": "乙"}]},
    )  # fmt: skip
    assert response.status_code == 400
    errors = {item["field"]: item["message"] for item in response.json()["errors"]}
    assert set(errors) == {"title", "unit", "stage", "opened_on", "officers[1].number"}
    assert errors["title"] == "该字段不能为空。" and errors["officers[1].number"] == "这个字段是必填项。"
    assert errors["stage"] == "“lost” 不是合法选项。"
    assert not Case.objects.filter(number=CASE).exists()
    broken = client.put(case_url(), data="{", content_type="application/json", HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert broken.status_code == 400 and broken.json()["detail"].startswith("JSON")
    future = call(client, "post", reverse("api:records"), key, draft(occurred_at=(timezone.localtime() + dt.timedelta(days=1)).isoformat(), case=None))
    assert future.json()["errors"] == [{"field": "occurred_at", "message": "过问时间不能晚于当前时间。"}]
    unknown = call(client, "post", reverse("api:records"), key, draft(officer="P-999", case=None))
    assert unknown.status_code == 400 and unknown.json()["errors"] == [{"field": "officer", "message": "没有人员编号为 P-999 的人员。"}]
    assert InterferenceRecord.objects.count() == 0


# --- conflict of interest, as on the pages ------------------------------------------------------------


def test_a_record_about_the_named_officer_is_not_shown_on_their_behalf(client, numbered, other_officer, case_system, submit):
    record = submit(interferer=other_officer.person, interferer_name=other_officer.person.name, interferer_position="科长")
    url = reverse("api:record", args=[record.pk])
    assert call(client, "get", url, case_system["key"], {"officer": "P-002"}).status_code == 404
    assert call(client, "get", url, case_system["key"], {"officer": "P-001"}).status_code == 200
    assert call(client, "get", url, case_system["key"]).status_code == 200


# --- changes since a cursor ---------------------------------------------------------------------------


def test_the_changes_feed_gives_each_change_once_in_commit_order_within_scope(client, org2, numbered, jj, case_system, submit):
    from discipline.review import services as review_services
    from tests.factories import make_officer

    key = case_system["key"]
    url = reverse("api:record_changes")
    first, second = submit(), submit()
    elsewhere = submit(actor=make_officer(org2["section"], "traffic1"))
    seal_chain()
    page = call(client, "get", url, key, {"cursor": 0}).json()
    assert [row["id"] for row in page["results"]] == [first.pk, second.pk] and page["more"] is False
    assert elsewhere.pk not in [row["id"] for row in page["results"]]
    cursor = page["cursor"]
    assert call(client, "get", url, key, {"cursor": cursor}).json() == {"cursor": cursor, "more": False, "results": []}
    # Reading a record is no change; receiving it is.
    call(client, "get", reverse("api:record", args=[first.pk]), key)
    review_services.record_receive(record=second, actor=jj, now=timezone.now())
    seal_chain()
    page = call(client, "get", url, key, {"cursor": cursor}).json()
    assert [(row["id"], row["status"]) for row in page["results"]] == [(second.pk, "received")]
    limited = call(client, "get", url, key, {"cursor": 0, "limit": 1}).json()
    assert [row["id"] for row in limited["results"]] == [first.pk] and limited["more"] is True
    after = call(client, "get", url, key, {"cursor": limited["cursor"], "limit": 1}).json()
    assert [row["id"] for row in after["results"]] == [second.pk]
    assert call(client, "get", url, key, {"limit": 0}).status_code == 400


# --- the calendar as a service (dates checked by hand: records/tests/test_deadlines.py) -------------


def test_the_deadline_calculators_count_holidays_and_make_up_days(client, case_system):
    key = case_system["key"]
    # Sat 2026-10-03, inside 国庆 Oct 1–7: Thu Oct 8 = 1, Fri Oct 9 = 2, Sat Oct 10 (make-up) = 3.
    due = call(client, "get", reverse("api:reporting_due"), key, {"occurred_at": "2026-10-03T10:00:00+08:00"}).json()
    assert due == {"occurred_at": "2026-10-03T10:00:00+08:00", "due_at": "2026-10-10T23:59:59+08:00", "provisional": False}
    # 10 days from Mon 2026-09-21 = Thu Oct 1 (国庆 Oct 1–7) → Thu Oct 8.
    end = call(client, "get", reverse("api:period_end"), key, {"start": "2026-09-21", "days": "10"}).json()
    assert end == {"start": "2026-09-21", "days": 10, "end": "2026-10-08"}
    year = call(client, "get", reverse("api:calendar", args=[2026]), key).json()
    days = {day["date"]: day["working"] for day in year["days"]}
    assert len(days) == 365 and (days["2026-10-01"], days["2026-10-10"], days["2026-10-09"]) == (False, True, True)
    assert call(client, "get", reverse("api:period_end"), key, {"start": "2026-02-30", "days": "10"}).json()["errors"] == [
        {"field": "start", "message": "请输入有效日期，格式为 YYYY-MM-DD。"}
    ]
    assert call(client, "get", reverse("api:reporting_due"), key, {"occurred_at": "yesterday"}).status_code == 400


# --- the schema and its pages ------------------------------------------------------------------------


def test_the_schema_validates_and_its_pages_are_served_from_this_server(client, admin_user, tmp_path):
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"), stdout=out, stderr=out)
    schema = (tmp_path / "schema.yaml").read_text()
    for path in ("/api/v1/cases/{number}", "/api/v1/records/", "/api/v1/records/{id}/submit", "/api/v1/records/changes", "/api/v1/deadlines/reporting-due"):
        assert f"  {path}:" in schema
    assert client.get(reverse("api:docs"))["Location"].startswith(reverse("login"))
    client.force_login(admin_user)
    page = client.get(reverse("api:docs")).content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "https://" not in page and "http://" not in page.replace("http://testserver", "")
    assert client.get(reverse("api:docs") + "?script").status_code == 200
    assert client.get(reverse("api:schema")).status_code == 200


# --- the permission matrix: every endpoint × every kind of caller ------------------------------------

CALLERS = ["no_key", "revoked_key", "page_session", "in_scope", "out_of_scope"]
UNAUTHENTICATED = {"no_key": 401, "revoked_key": 401, "page_session": 401}
API_MATRIX = {
    # row: (url name, method, args, data, expected for the two systems)
    "case_read": ("api:case", "get", "case", None, {"in_scope": 200, "out_of_scope": 404}),
    "case_push": ("api:case", "put", "new_case", {"title": "新推送案件", "unit": "B1-S1"}, {"in_scope": 201, "out_of_scope": 403}),
    "record_create": ("api:records", "post", None, "draft", {"in_scope": 201, "out_of_scope": 403}),
    "record_read": ("api:record", "get", "record", None, {"in_scope": 200, "out_of_scope": 404}),
    "record_submit": ("api:record_submit", "post", "draft", {"officer": "P-001"}, {"in_scope": 200, "out_of_scope": 403}),
    "changes": ("api:record_changes", "get", None, {"cursor": 0}, {"in_scope": 200, "out_of_scope": 200}),
    "calendar": ("api:calendar", "get", "year", None, {"in_scope": 200, "out_of_scope": 200}),
    "reporting_due": ("api:reporting_due", "get", None, {"occurred_at": "2026-11-23T11:00:00+08:00"}, {"in_scope": 200, "out_of_scope": 200}),
    "period_end": ("api:period_end", "get", None, {"start": "2026-11-04", "days": 10}, {"in_scope": 200, "out_of_scope": 200}),
}


def test_every_endpoint_is_in_the_api_matrix():
    from django.urls import get_resolver

    api = get_resolver().url_patterns
    resolver = next(p for p in api if getattr(p, "namespace", None) == "api")
    names = {f"api:{p.name}" for inner in resolver.url_patterns for p in getattr(inner, "url_patterns", [inner]) if p.name}
    assert names - {"api:schema", "api:docs", "api:redoc"} == {row[0] for row in API_MATRIX.values()}


def _state() -> tuple:
    """Everything a refused call must leave as it was (the call's own audit event aside)."""
    return (
        sorted(Case.objects.values_list("number", "title", "unit_id")),
        sorted(Person.objects.values_list("pk", "number", "name", "unit_id")),
        sorted(InterferenceRecord.objects.values_list("pk", "status")),
        AuditEvent.objects.exclude(type="api.called").count(),
    )


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("row", sorted(API_MATRIX))
def test_api_matrix(client, org, numbered, admin_user, case_system, other_system, submit, caller, row):
    from records.record import services as record_services

    name, method, args_key, data, expected = API_MATRIX[row]
    quick = record_services.record_create(data=record_data_complete(), actor=numbered)
    args = {"case": [org["case"].number], "new_case": ["MX-NEW-1"], "record": [submit().pk], "draft": [quick.pk], "year": [2026]}
    revoked = api_services.api_key_rotate(system=case_system["system"], actor=admin_user, now=timezone.now())
    api_services.api_key_revoke(key=revoked.key, actor=admin_user)
    keys = {"no_key": None, "page_session": None, "revoked_key": revoked.raw, "in_scope": case_system["key"], "out_of_scope": other_system["key"]}
    if caller == "page_session":
        client.force_login(admin_user)
    before = _state()
    body = draft(case=None) if data == "draft" else data
    response = call(client, method, reverse(name, args=args[args_key] if args_key else []), keys[caller], body)
    want = UNAUTHENTICATED.get(caller) or expected[caller]
    assert response.status_code == want, (row, caller, response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/json"
    if response.status_code >= 400:
        assert _state() == before, (row, caller)
        assert response.json()["detail"]
    if row == "changes" and caller == "out_of_scope":
        assert response.json()["results"] == []


def record_data_complete():
    from conftest import record_data

    return record_data(occurred_at=timezone.now().replace(microsecond=0) - dt.timedelta(hours=1), missing_evidence_reason="来电未录音。", channel="phone")


# --- the administrator's page -------------------------------------------------------------------------


def test_an_administrator_connects_a_system_and_sees_its_key_once(client, org, admin_user, officer):
    client.force_login(admin_user)
    page = client.post(reverse("api_systems:index"), {"code": "supervision", "name": "省监督平台", "units": "B1, NOPE"})
    assert "找不到这些单位代码：NOPE" in page.content.decode() and not ApiKey.objects.exists()
    page = client.post(reverse("api_systems:index"), {"code": "supervision", "name": "省监督平台", "units": "B1"})
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="issued-key"' in html
    raw = html.split('<code class="user-select-all fs-6">')[1].split("</code>")[0]
    url = reverse("api:calendar", args=[2026])
    assert call(client, "get", url, raw).status_code == 200
    assert raw not in client.get(reverse("api_systems:index")).content.decode()
    # Rotation shows the new key once and says when the old one stops.
    html = client.post(reverse("api_systems:rotate", args=["supervision"])).content.decode()
    rotated = html.split('<code class="user-select-all fs-6">')[1].split("</code>")[0]
    assert rotated != raw and "原有密钥将于" in html
    old_prefix = raw.partition(".")[0]
    response = client.post(reverse("api_systems:revoke", args=[old_prefix]))
    assert response.status_code == 302
    assert call(client, "get", url, raw).status_code == 401 and call(client, "get", url, rotated).status_code == 200
    client.post(reverse("api_systems:toggle", args=["supervision"]))
    assert call(client, "get", url, rotated).status_code == 401
    # Nobody else manages systems: the page is 404 and a post changes nothing.
    client.force_login(officer)
    assert client.get(reverse("api_systems:index")).status_code == 404
    assert client.post(reverse("api_systems:rotate", args=["supervision"])).status_code == 404
    assert ApiKey.objects.count() == 2
