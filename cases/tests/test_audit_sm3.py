"""商用密码 for the audit trail and its keeping (issue 23): SM3 links and content hashes beside the
SHA-256 ones written before; the chain head sealed with HMAC-SM3 under a key outside the database;
the database refusing to delete or change events; the retention and key checks; the storage alert
to the 安全审计员; the auditor's trail page and export."""

import csv
import datetime as dt
import hashlib
import importlib
import io
import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cases import sm
from cases.audit import anchor_path, audit, audit_verify, canonical, chain_head, parse_head, seal_chain, verify_chain
from cases.audit_seal import key_file_path
from cases.audit_trail import rules
from cases.audit_trail.selectors import TrailFilter
from cases.audit_trail.services import PAGE_SIZE, StorageUsage, storage_check
from cases.audit_trail.vocabulary import AuditTrailEvent
from cases.checks import audit_retention, audit_seal_key
from cases.models import AuditEvent
from cases.vocabulary import AccountEvent
from conftest import record_data
from records.models import InterferenceRecord
from records.notifications.models import Notification
from records.notifications.vocabulary import AuditorNotice
from records.record import services
from records.record.integrity import record_content_hash
from records.record.vocabulary import RecordEvent

pytestmark = pytest.mark.django_db
GUARD = importlib.import_module("cases.migrations.0023_audit_sm3")
CONTENT = "要求从轻处罚，另有隐情。"


def _owner_writes(sql: str, params: list | None = None) -> None:
    """Change the audit table behind the application's back, as the database owner could (triggers off)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE cases_auditevent DISABLE TRIGGER USER")
        else:
            for statement in GUARD.BACKWARD_SQLITE:
                cursor.execute(statement)
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE cases_auditevent ENABLE TRIGGER USER")
        else:
            for statement in GUARD.FORWARD_SQLITE:
                cursor.execute(statement)


def _anchor() -> dict:
    return json.loads(anchor_path().read_text(encoding="utf-8"))


# --- cases.sm ---------------------------------------------------------------------------------


def test_sm3_test_vector_of_the_standard():
    """GB/T 32905-2016 附录A 示例1."""
    assert sm.digest("sm3", b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert sm.digest("sha256", b"abc") == hashlib.sha256(b"abc").hexdigest()
    with pytest.raises(ValueError, match="unknown hash algorithm"):
        sm.digest("md5", b"abc")


def test_hmac_sm3_depends_on_key_and_data():
    key = b"k" * 32
    mac = sm.hmac_sm3(key, b"head")
    assert len(mac) == 64 and mac != sm.digest("sm3", b"head")
    assert sm.hmac_matches(key, b"head", mac)
    assert not sm.hmac_matches(b"x" * 32, b"head", mac)
    assert not sm.hmac_matches(key, b"head2", mac)
    assert sm.key_id(key) != sm.key_id(b"x" * 32) and len(sm.key_id(key)) == 16


def test_tagged_hashes_say_their_algorithm():
    new = sm.tagged("sm3", b"x")
    legacy = sm.tagged("sha256", b"x")
    assert new == "sm3:" + sm.digest("sm3", b"x") and legacy == hashlib.sha256(b"x").hexdigest()
    assert (sm.tag_algorithm(new), sm.tag_algorithm(legacy)) == ("sm3", "sha256")
    assert sm.tagged_matches(new, lambda algorithm: sm.tagged(algorithm, b"x"))
    assert sm.tagged_matches(legacy, lambda algorithm: sm.tagged(algorithm, b"x"))
    assert not sm.tagged_matches(new, lambda algorithm: sm.tagged(algorithm, b"y"))
    assert not sm.tagged_matches("md5:abc", lambda algorithm: "md5:abc")


# --- the chain ------------------------------------------------------------------------------------


def test_new_links_are_sm3(officer):
    audit(type=AccountEvent.ACCOUNT_SAVED, actor=officer, obj=officer)
    seal_chain()
    event = AuditEvent.objects.get()
    assert event.hash_algorithm == "sm3"
    assert event.hash == sm.digest("sm3", ("0" * 64).encode() + b"\n" + canonical(event))


def test_verifies_the_chain_with_mixed_sha256_and_sm3_links(officer):
    """Events sealed before the switch keep SHA-256 (migration 0023 marks them); the chain continues in SM3."""
    for _ in range(3):
        AuditEvent.objects.create(type=AccountEvent.ACCOUNT_SAVED, actor=officer, hash_algorithm="sha256")
    seal_chain()
    for _ in range(3):
        audit(type=AccountEvent.ACCOUNT_SAVED, actor=officer, obj=officer)
    seal_chain()
    assert list(AuditEvent.objects.order_by("seq").values_list("hash_algorithm", flat=True)) == ["sha256"] * 3 + ["sm3"] * 3
    report = verify_chain()
    assert report.ok, report.problems
    assert report.events_checked == 6 and report.head_hash == AuditEvent.objects.get(seq=6).hash


@pytest.mark.parametrize("seq", [2, 5], ids=["sha256-link", "sm3-link"])
def test_a_tampered_link_of_either_algorithm_is_detected(officer, seq):
    for _ in range(3):
        AuditEvent.objects.create(type=AccountEvent.ACCOUNT_SAVED, actor=officer, hash_algorithm="sha256")
    for _ in range(3):
        audit(type=AccountEvent.ACCOUNT_SAVED, actor=officer, obj=officer)
    seal_chain()
    _owner_writes("UPDATE cases_auditevent SET object_id = %s WHERE seq = %s", ["999", seq])
    report = verify_chain()
    assert report.broken and f"第{seq}号断开" in report.problems[0] and "事件内容被修改" in report.problems[0]


def test_downgrading_a_link_to_sha256_is_detected(officer):
    audit(type=AccountEvent.ACCOUNT_SAVED, actor=officer, obj=officer)
    seal_chain()
    _owner_writes("UPDATE cases_auditevent SET hash_algorithm = 'sha256'")
    assert "事件内容被修改" in verify_chain().problems[0]


# --- the seal on the head --------------------------------------------------------------------------


def test_each_anchor_is_sealed_with_hmac_sm3_under_the_key_file(officer):
    audit(type=AccountEvent.ACCOUNT_SAVED, actor=officer, obj=officer)
    seal_chain()
    anchored = _anchor()
    key = key_file_path().read_bytes().strip()
    payload = f"{anchored['seq']}\n{anchored['hash']}\n{anchored['anchored_at']}".encode()
    assert anchored["mac"] == "hmac-sm3" and anchored["hmac"] == sm.hmac_sm3(key, payload)
    assert anchored["key_id"] == sm.key_id(key)
    assert key_file_path().stat().st_mode & 0o077 == 0  # the generated key is its owner's only
    assert audit_verify(actor=None).ok


def test_detects_a_tampered_chain_head_by_its_hmac(officer):
    """Whoever rebuilds the chain from an event on and rewrites the anchor file to match still lacks the key."""
    for _ in range(3):
        audit(type=AccountEvent.ACCOUNT_SAVED, actor=officer, obj=officer)
    seal_chain()
    anchored = _anchor()
    # Rewrite the last event and relink it, then point the anchor at the new hash (the old HMAC kept).
    _owner_writes("UPDATE cases_auditevent SET object_id = '999' WHERE seq = 3")
    event = AuditEvent.objects.get(seq=3)
    forged = sm.digest("sm3", event.prev_hash.encode() + b"\n" + canonical(event))
    _owner_writes("UPDATE cases_auditevent SET hash = %s WHERE seq = 3", [forged])
    anchor_path().write_text(json.dumps({**anchored, "hash": forged}), encoding="utf-8")
    assert verify_chain().ok is False
    problems = verify_chain().problems
    assert problems == ["链外锚定文件的链头封印（HMAC-SM3）不符：链头序号、哈希或锚定时间被改动"], problems
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("verify_audit_chain", stdout=StringIO(), stderr=err)
    assert "链头封印（HMAC-SM3）不符" in err.getvalue()


def test_an_anchor_without_seal_is_a_finding_and_is_not_advanced(officer):
    audit(type=AccountEvent.ACCOUNT_SAVED, actor=officer, obj=officer)
    seal_chain()
    seq, head_hash = chain_head()
    anchor_path().write_text(json.dumps({"seq": seq, "hash": head_hash, "anchored_at": "x"}), encoding="utf-8")
    audit(type=AccountEvent.ACCOUNT_SAVED, actor=officer, obj=officer)
    seal_chain()
    assert _anchor()["seq"] == seq  # an unsealed anchor may be an intruder's: the sealer leaves it
    assert any("没有链头封印" in problem for problem in verify_chain().problems)


def test_upgrading_seals_an_existing_unsealed_anchor(officer):
    audit(type=AccountEvent.ACCOUNT_SAVED, actor=officer, obj=officer)
    seal_chain()
    seq, head_hash = chain_head()
    anchor_path().write_text(json.dumps({"seq": seq, "hash": head_hash, "anchored_at": "2026-01-01T00:00:00+00:00"}), encoding="utf-8")
    GUARD.seal_existing_anchor(None, None)
    assert _anchor()["hmac"] and verify_chain().ok


def test_a_missing_key_is_a_clear_chinese_error(officer, settings):
    audit(type=AccountEvent.ACCOUNT_SAVED, actor=officer, obj=officer)
    seal_chain()
    settings.AUDIT_SEAL_KEY_GENERATE = False
    key_file_path().unlink()
    problems = verify_chain().problems
    assert any("未配置审计链封存密钥" in p and "AUDIT_SEAL_KEY" in p for p in problems), problems
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("verify_audit_chain", stdout=StringIO(), stderr=err)
    assert "未配置审计链封存密钥" in err.getvalue()
    # Events are still linked without the key; only the anchor waits for it.
    audit(type=AccountEvent.ACCOUNT_SAVED, actor=officer, obj=officer)
    assert seal_chain() == 1


def test_a_wrong_key_is_named_as_such(officer, settings):
    audit(type=AccountEvent.ACCOUNT_SAVED, actor=officer, obj=officer)
    seal_chain()
    settings.AUDIT_SEAL_KEY = "another-key-" + "x" * 40
    problems = verify_chain().problems
    assert any("与当前配置的审计链封存密钥" in p and "不一致" in p for p in problems), problems
    settings.AUDIT_SEAL_KEY = "short"
    assert any("过短" in p for p in verify_chain().problems)


def test_the_exported_head_carries_the_seal_and_is_checked(client, officer, discipline_user, tmp_path):
    audit(type=AccountEvent.ACCOUNT_SAVED, actor=officer, obj=officer)
    client.force_login(discipline_user)
    text = client.get(reverse("audit:head")).content.decode()
    head = parse_head(text, source="链头文件")
    assert head.mac and head.seal_problem() is None and (head.seq, head.hash) == chain_head()
    forged = text.replace(f"seq={head.seq};", f"seq={head.seq + 1};")
    assert "不符" in parse_head(forged, source="链头文件").seal_problem()


# --- content hashes --------------------------------------------------------------------------------


@pytest.fixture
def submitted(officer):
    record = services.record_create(data=record_data(content=CONTENT), actor=officer)
    return services.record_submit(record=record, actor=officer, now=timezone.now())


def test_new_content_hashes_are_sm3_and_old_sha256_ones_still_verify(submitted):
    event = AuditEvent.objects.get(type=RecordEvent.RECORD_SUBMITTED)
    assert event.data["content_hash"].startswith("sm3:")
    # A record submitted before the switch: its event holds the bare SHA-256 hash.
    legacy = record_content_hash(submitted, list(submitted.categories.values_list("pk", flat=True)), algorithm="sha256")
    assert len(legacy) == 64 and ":" not in legacy
    _owner_writes("UPDATE cases_auditevent SET data = %s WHERE id = %s", [json.dumps({**event.data, "content_hash": legacy}), event.pk])
    assert audit_verify(actor=None).ok
    InterferenceRecord.objects.filter(pk=submitted.pk).update(content="改过的内容")
    assert any("被直接修改" in p for p in audit_verify(actor=None).problems)


# --- retention: the database refuses ---------------------------------------------------------------


def test_a_raw_delete_of_an_audit_event_fails(officer):
    audit(type=AccountEvent.ACCOUNT_SAVED, actor=officer, obj=officer)
    audit(type=AccountEvent.ACCOUNT_SAVED, actor=officer, obj=officer)
    seal_chain()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_auditevent")
    unsealed = audit(type=AccountEvent.ACCOUNT_SAVED, actor=officer, obj=officer)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=unsealed.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_auditevent SET data = '{\"forged\": 1}' WHERE id = %s", [unsealed.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_auditevent SET hash_algorithm = 'sha256' WHERE id = %s", [unsealed.pk])
    assert AuditEvent.objects.count() == 3
    assert seal_chain() == 1  # sealing (seq, prev_hash, hash of an unsealed event) is the one update allowed
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=unsealed.pk).update(hash="0" * 64)


@pytest.mark.django_db(transaction=True)
def test_the_test_runners_flush_still_empties_the_table(officer):
    """The flush after this test must pass the triggers (conftest.py): otherwise the next test fails."""
    audit(type=AccountEvent.ACCOUNT_SAVED, actor=officer, obj=officer)
    assert AuditEvent.objects.exists()


def test_retention_and_key_checks():
    with override_settings(AUDIT_RETENTION_DAYS=179):
        assert [error.id for error in audit_retention()] == ["registry.E233"]
        assert "6个月" in audit_retention()[0].msg
    with override_settings(AUDIT_RETENTION_DAYS=183):
        assert audit_retention() == []
    assert settings.AUDIT_RETENTION_DAYS == 183
    with override_settings(AUDIT_STORAGE_ALERT_PERCENT=100):
        assert [error.id for error in audit_retention()] == ["registry.E234"]
    assert audit_seal_key() == []  # development generates its key
    with override_settings(AUDIT_SEAL_KEY_GENERATE=False, AUDIT_SEAL_KEY=""):
        assert [error.id for error in audit_seal_key()] == ["registry.E231"]
        key_file_path().parent.mkdir(parents=True, exist_ok=True)
        key_file_path().write_text("k" * 40)
        assert [error.id for error in audit_seal_key()] == ["registry.E232"]  # beside the anchor it seals
    with override_settings(AUDIT_SEAL_KEY_GENERATE=False, AUDIT_SEAL_KEY="k" * 40):
        assert audit_seal_key() == []


def test_production_settings_do_not_generate_the_key(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "test-only-" + "x" * 50)
    settings_production = importlib.import_module("interference_registry.settings_production")
    assert settings_production.AUDIT_SEAL_KEY_GENERATE is False


# --- the storage alert -----------------------------------------------------------------------------


def test_storage_rule():
    assert rules.storage_conditions(disk_total=100, disk_used=84, db_size=5, db_capacity=0, threshold=85) == []
    assert rules.storage_conditions(disk_total=100, disk_used=85, db_size=5, db_capacity=0, threshold=85) == [rules.StorageCondition("storage", 85, 85)]
    found = rules.storage_conditions(disk_total=0, disk_used=0, db_size=90, db_capacity=100, threshold=85)
    assert found == [rules.StorageCondition("database", 90, 85)]


def test_the_auditor_is_told_once_a_day_per_store(auditor_user, officer, admin_role_user, django_capture_on_commit_callbacks):
    full = StorageUsage(disk_total=100 * 1024**3, disk_used=90 * 1024**3, db_size=10)
    day = timezone.make_aware(dt.datetime(2026, 11, 24, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        assert [c.name for c in storage_check(now=day, usage=full)] == ["storage"]
    notice = Notification.objects.get(recipient=auditor_user)
    assert notice.kind == AuditorNotice.AUDITOR_ALERT and "90%" in notice.title and notice.link == reverse("audit:trail")
    assert not Notification.objects.exclude(recipient=auditor_user).exists()  # only the auditor
    event = AuditEvent.objects.get(type=AuditTrailEvent.STORAGE_ALERT)
    assert event.data["store"] == "storage" and event.data["percent"] == 90
    with django_capture_on_commit_callbacks(execute=True):
        assert storage_check(now=day + dt.timedelta(hours=5), usage=full) == []
    assert Notification.objects.count() == 1 and AuditEvent.objects.filter(type=AuditTrailEvent.STORAGE_ALERT).count() == 1
    with django_capture_on_commit_callbacks(execute=True), override_settings(AUDIT_DATABASE_CAPACITY_BYTES=11):
        assert [c.name for c in storage_check(now=day + dt.timedelta(days=1), usage=full)] == ["storage", "database"]
    assert Notification.objects.filter(recipient=auditor_user).count() == 3
    with django_capture_on_commit_callbacks(execute=True), override_settings(AUDIT_STORAGE_ALERT_PERCENT=95):
        assert storage_check(now=day + dt.timedelta(days=2), usage=full) == []


def test_the_beat_runs_the_storage_check():
    entry = settings.CELERY_BEAT_SCHEDULE["audit-storage"]
    assert entry["task"] == "cases.tasks.check_audit_storage"
    from cases.tasks import check_audit_storage

    with override_settings(AUDIT_STORAGE_ALERT_PERCENT=99, AUDIT_DATABASE_CAPACITY_BYTES=0):
        assert check_audit_storage.run() in (0, 1)  # the real disk: this machine's, whatever it holds


# --- the auditor's page and export ------------------------------------------------------------------


def test_the_auditor_lands_on_the_trail_and_others_cannot_open_it(client, auditor_user, admin_role_user, officer):
    client.force_login(auditor_user)
    assert client.get(reverse("home"))["Location"] == reverse("audit:trail")
    for other in (admin_role_user, officer):
        client.force_login(other)
        assert client.get(reverse("audit:trail")).status_code == 404
        assert client.get(reverse("audit:trail_export")).status_code == 404


def test_the_trail_shows_every_event_but_no_record_content(client, auditor_user, security_admin_user, submitted, officer):
    audit(type=AccountEvent.ROLE_GRANTED, actor=security_admin_user, obj=officer, data={"added": ["section_head"]})
    client.force_login(auditor_user)
    page = client.get(reverse("audit:trail")).content.decode()
    assert "授予角色" in page and "secadmin1" in page and "section_head" in page  # the security administrator's act, in full
    assert "报送记录" in page or RecordEvent.RECORD_SUBMITTED.label in page
    assert CONTENT not in page and "content_hash" not in page  # a record event shows type, actor and object only
    # The auditor's own reading is in the trail, and shows on the next reading.
    viewed = AuditEvent.objects.filter(type=AuditTrailEvent.TRAIL_VIEWED, actor=auditor_user)
    assert viewed.count() == 1
    assert "查看审计记录" in client.get(reverse("audit:trail")).content.decode()


def test_the_trail_filters_by_type_actor_object_and_time(client, auditor_user, security_admin_user, officer):
    audit(type=AccountEvent.ROLE_GRANTED, actor=security_admin_user, obj=officer)
    audit(type=AccountEvent.ACCOUNT_SAVED, actor=officer, obj=officer)
    client.force_login(auditor_user)

    def listed(**query):
        response = client.get(reverse("audit:trail"), query)
        return [str(event.type) for event, _actor, _summary in response.context["rows"]]

    assert listed(type=AccountEvent.ROLE_GRANTED) == [AccountEvent.ROLE_GRANTED]
    assert listed(actor="officer1") == [AccountEvent.ACCOUNT_SAVED]
    assert set(listed(object_type="auth.user", object_id=str(officer.pk))) == {AccountEvent.ROLE_GRANTED, AccountEvent.ACCOUNT_SAVED}
    today = timezone.localdate()
    assert AccountEvent.ROLE_GRANTED in listed(start=today.isoformat(), end=today.isoformat())
    assert listed(end=(today - dt.timedelta(days=1)).isoformat()) == []
    viewed = AuditEvent.objects.filter(type=AuditTrailEvent.TRAIL_VIEWED).order_by("-id").first()
    assert viewed.data["filter"] == {"end": (today - dt.timedelta(days=1)).isoformat()}
    response = client.get(reverse("audit:trail"), {"start": today.isoformat(), "end": (today - dt.timedelta(days=1)).isoformat()})
    assert response.status_code == 200 and "结束日期不能早于开始日期" in response.content.decode()
    assert client.get(reverse("audit:trail"), {"start": "不是日期"}).status_code == 200


def test_the_trail_is_paginated_with_constant_queries(client, auditor_user, officer, django_assert_max_num_queries):
    for _ in range(PAGE_SIZE + 5):
        audit(type=AccountEvent.ACCOUNT_SAVED, actor=officer, obj=officer)
    client.force_login(auditor_user)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("audit:trail"), {"type": AccountEvent.ACCOUNT_SAVED})
    assert len(first.context["rows"]) == PAGE_SIZE and first.context["page"].has_next
    second = client.get(reverse("audit:trail"), {"type": AccountEvent.ACCOUNT_SAVED, "page": "2"})
    assert len(second.context["rows"]) == 5 and not second.context["page"].has_next
    assert "page=1" in second.content.decode()


def test_the_export_carries_the_sealed_head_and_is_audited_with_its_sm3(client, auditor_user, submitted, tmp_path):
    client.force_login(auditor_user)
    response = client.get(reverse("audit:trail_export"), {"type": RecordEvent.RECORD_SUBMITTED})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    content = response.content
    text = content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert CONTENT not in text
    data_rows = [row for row in rows if len(row) == 11 and row[1] == RecordEvent.RECORD_SUBMITTED.label]
    assert len(data_rows) == 1 and data_rows[0][8] == "sm3"
    head = parse_head(text, source="导出文件")
    assert head.mac and head.seal_problem() is None and (head.seq, head.hash) == chain_head()
    exported = AuditEvent.objects.get(type=AuditTrailEvent.TRAIL_EXPORTED)
    assert exported.actor == auditor_user and exported.data["sm3"] == sm.digest("sm3", content) == response["X-Content-SM3"]
    assert exported.data["filter"] == {"type": RecordEvent.RECORD_SUBMITTED} and exported.data["rows"] == 1
    # The file keeps the head for later: verify_audit_chain --head reads it and checks the seal.
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    call_command("verify_audit_chain", "--head", str(path), stdout=StringIO())


def test_an_invalid_export_request_is_refused_in_chinese(client, auditor_user):
    client.force_login(auditor_user)
    response = client.get(reverse("audit:trail_export"), {"start": "2026-02-01", "end": "2026-01-01"})
    assert response.status_code == 400 and "结束日期不能早于开始日期" in response.content.decode()
    assert not AuditEvent.objects.filter(type=AuditTrailEvent.TRAIL_EXPORTED).exists()


def test_the_filter_describes_only_what_was_set():
    assert TrailFilter(start=dt.date(2026, 1, 2), actor="a").described() == {"start": "2026-01-02", "actor": "a"}
