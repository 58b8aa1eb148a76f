"""全程留痕: the audit hash chain detects edits of events, of submitted records, of amendments and
of evidence files; sealed events cannot be changed on PostgreSQL; the command exits non-zero.
Issue 17 §4: deletions at the chain's end (caught by the head anchored outside the database),
TRUNCATE on PostgreSQL, and rows without their event (forged, or their event deleted)."""

import importlib
import json
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from cases.audit import GENESIS, anchor_path, audit, audit_verify, chain_head, seal_chain, verify_chain
from cases.models import AuditEvent
from conftest import record_data
from records.models import Amendment, Evidence, InterferenceRecord
from records.record import services
from records.record.vocabulary import RecordEvent

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers exist on PostgreSQL (CI runs it)")

GUARD_MIGRATION = importlib.import_module("cases.migrations.0023_audit_sm3")
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x01" * 24


@pytest.fixture
def submitted(officer, make_record):
    evidence = services.evidence_stage(upload=SimpleUploadedFile("a.wav", WAV), kind="recording", actor=officer)
    record = services.record_create(data=record_data(channel="phone"), evidence=[evidence], actor=officer)
    record = services.record_submit(record=record, actor=officer, now=timezone.now())
    services.record_amend(record=record, text="补充内容", reason="遗漏", actor=officer)
    return record


def _force_update(sql: str, params: list | None = None) -> None:
    """Change the database behind the application's back, as its owner could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The table's owner can switch its triggers off: the attack the chain exists for. Pending
            # foreign-key checks are run first, as TRUNCATE refuses to run before them.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE cases_auditevent DISABLE TRIGGER USER")
        else:
            # SQLite's triggers (migration 0023): the owner drops them, as it could.
            for statement in GUARD_MIGRATION.BACKWARD_SQLITE:
                cursor.execute(statement)
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE cases_auditevent ENABLE TRIGGER USER")
        else:
            for statement in GUARD_MIGRATION.FORWARD_SQLITE:
                cursor.execute(statement)


def _delete_newest_events(count: int | None) -> None:
    """Delete the newest `count` sealed events (all with None)."""
    seal_chain()
    newest = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True)
    first_deleted = list(newest)[-1] if count is None else list(newest[:count])[-1]
    _force_update("DELETE FROM cases_auditevent WHERE seq >= %s", [first_deleted])


def _problems(**options) -> list[str]:
    result = audit_verify(actor=None, **options)
    assert result.ok == (not result.problems)
    return result.problems


def test_events_carry_request_id_and_address(client, officer, make_record):
    record = make_record()
    client.force_login(officer)
    response = client.get(reverse("records:detail", args=[record.pk]), REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.get(type=RecordEvent.RECORD_VIEWED)
    assert event.request_id == response["X-Request-ID"] and event.ip == "10.1.2.3"
    assert event.actor == officer and event.object_id == str(record.pk)


def test_sealing_links_every_event(submitted):
    assert seal_chain() == AuditEvent.objects.count() >= 5
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    assert seal_chain() == 0  # nothing left to seal
    report = verify_chain()
    assert report.ok and report.events_checked == len(events) and report.head_hash == events[-1].hash


def test_clean_chain_verifies_and_command_exits_zero(submitted):
    out = StringIO()
    call_command("verify_audit_chain", stdout=out)
    assert "审计链完整" in out.getvalue()
    assert audit_verify(actor=None).ok


def test_an_edited_event_breaks_the_chain(submitted):
    seal_chain()
    target = AuditEvent.objects.get(type=RecordEvent.RECORD_SUBMITTED)
    _force_update("UPDATE cases_auditevent SET object_id = %s WHERE id = %s", ["999", target.pk])
    report = verify_chain()
    assert not report.ok
    assert f"第{target.seq}号断开" in report.problems[0] and "事件内容被修改" in report.problems[0]
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit_chain", stdout=StringIO(), stderr=err)
    assert exit_info.value.code == 1
    assert f"第{target.seq}号断开" in err.getvalue()


def test_a_deleted_event_breaks_the_chain(submitted):
    seal_chain()
    target = AuditEvent.objects.order_by("seq")[2]
    _force_update("DELETE FROM cases_auditevent WHERE id = %s", [target.pk])
    report = verify_chain()
    assert not report.ok and f"第{target.seq}号断开" in report.problems[0]


def test_editing_a_submitted_record_in_the_database_is_detected(submitted):
    # QuerySet.update() bypasses every save() hook; the content hash in the chain still catches it.
    InterferenceRecord.objects.filter(pk=submitted.pk).update(content="改过的内容")
    result = audit_verify(actor=None)
    assert not result.ok
    assert any(submitted.serial in p and "被直接修改" in p for p in result.problems)


def test_editing_an_amendment_is_detected(submitted):
    submitted.amendments.update(text="改过的补充")
    result = audit_verify(actor=None)
    assert any("补充说明" in p for p in result.problems)


def test_swapping_an_evidence_file_on_disk_is_detected(submitted):
    evidence = Evidence.objects.get(record=submitted)
    with open(evidence.file.path, "wb") as handle:
        handle.write(b"RIFF forged recording")
    result = audit_verify(actor=None)
    assert any("文件被替换" in p for p in result.problems)
    assert audit_verify(check_files=False, actor=None).ok  # the quick mode skips file hashing


def test_the_database_refuses_to_change_or_delete_sealed_events(submitted):
    """PostgreSQL (migrations 0005, 0023) and SQLite (0023) alike."""
    seal_chain()
    event = AuditEvent.objects.order_by("seq").first()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(data={"forged": True})
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).hash == event.hash


def test_discipline_sees_the_chain_state_others_do_not(client, submitted, discipline_user, officer):
    audit_verify(actor=None)
    client.force_login(officer)
    assert client.get(reverse("audit:status")).status_code == 404
    client.force_login(discipline_user)
    page = client.get(reverse("audit:status")).content.decode()
    assert "完整" in page
    head = client.get(reverse("audit:head"))
    assert head["Content-Disposition"].startswith("attachment;")
    assert AuditEvent.objects.order_by("-seq").first().hash in head.content.decode()


def test_detaching_evidence_or_deleting_an_amendment_is_detected(submitted):
    """Found in review: rows that vanish (or move) were not checked."""
    Evidence.objects.filter(record=submitted).update(record=None)
    result = audit_verify(actor=None)
    assert any("证据材料被移除或替换" in p for p in result.problems)
    Evidence.objects.filter(record=None).update(record=submitted)
    assert audit_verify(actor=None).ok
    submitted.amendments.all().delete()
    assert any("补充说明" in p and "被删除" in p for p in audit_verify(actor=None).problems)


def test_each_seal_anchors_the_head_in_the_private_storage(submitted):
    assert audit_verify(actor=None).ok
    anchored = json.loads(anchor_path().read_text(encoding="utf-8"))
    assert (anchored["seq"], anchored["hash"]) == chain_head() and anchored["anchored_at"]
    assert anchor_path().is_relative_to(settings.PRIVATE_STORAGE_ROOT)


def test_a_fresh_installation_without_events_verifies(db):
    assert audit_verify(actor=None).ok
    assert not anchor_path().exists()


@pytest.mark.parametrize("count", [1, 3, None], ids=["newest", "last-3", "all"])
def test_deleting_the_newest_events_is_detected(submitted, count):
    """The database's owner disables the triggers first (ALTER TABLE ... DISABLE TRIGGER, DROP TRIGGER on SQLite)."""
    seal_chain()
    anchored_seq, _hash = chain_head()
    _delete_newest_events(count)
    problems = _problems()
    assert any("链外锚定文件" in p and f"链头为第{anchored_seq}号，链尾被删除" in p for p in problems), problems


def test_cutting_back_to_before_a_submission_and_rewriting_the_record_is_detected(submitted):
    seal_chain()
    submission = AuditEvent.objects.get(type=RecordEvent.RECORD_SUBMITTED, object_id=str(submitted.pk))
    _force_update("DELETE FROM cases_auditevent WHERE seq >= %s", [submission.seq])
    InterferenceRecord.objects.filter(pk=submitted.pk).update(content="改写过的内容")
    problems = _problems()
    assert any("链尾被删除" in p for p in problems)
    # Even with the anchor file deleted too, the submitted record has no submission event.
    anchor_path().unlink()
    problems = _problems()
    assert any("锚定文件" in p and "缺失" in p for p in problems)
    assert any(submitted.serial in p and "没有它的报送事件" in p for p in problems), problems


def test_a_forged_amendment_row_is_detected(submitted, officer):
    forged = Amendment.objects.create(record=submitted, text="伪造的补充", reason="伪造", author=officer)
    problems = _problems()
    assert any(f"补充说明（ID {forged.pk}）在审计链中没有补充事件" in p for p in problems), problems


def test_a_drafts_evidence_moved_into_a_submitted_record_is_detected(submitted, officer):
    staged = services.evidence_stage(upload=SimpleUploadedFile("b.wav", WAV + b"draft"), kind="recording", actor=officer)
    draft = services.record_create(data=record_data(), evidence=[staged], actor=officer)
    assert _problems() == []
    Evidence.objects.filter(pk=staged.pk, record=draft).update(record=submitted)
    problems = _problems()
    assert any(submitted.serial in p and "未记载的证据材料" in p and str(staged.pk) in p for p in problems), problems


def test_a_file_uploaded_into_a_submitted_record_by_its_own_event_is_vouched_for(submitted, officer):
    """The rule for files added after submission: their upload event names the record."""
    staged = services.evidence_stage(upload=SimpleUploadedFile("c.wav", WAV + b"later"), kind="recording", actor=officer)
    Evidence.objects.filter(pk=staged.pk).update(record=submitted)
    assert any("未记载的证据材料" in p for p in _problems())
    audit(type=RecordEvent.EVIDENCE_UPLOADED, actor=officer, obj=staged, data={"sha256": staged.sha256, "record": submitted.pk})
    assert _problems() == []


def test_a_deleted_anchor_is_a_finding_and_is_not_recreated(submitted, officer):
    seal_chain()
    anchor_path().unlink()
    services.record_amend(record=submitted, text="再补充", reason="遗漏", actor=officer)
    problems = _problems()
    assert any("锚定文件" in p and "缺失" in p for p in problems), problems
    assert not anchor_path().exists()


def test_upgrading_anchors_a_chain_sealed_before_anchors_existed(submitted):
    seal_chain()
    anchor_path().unlink()
    migration = importlib.import_module("cases.migrations.0014_anchor_existing_chain")
    migration.forwards(apps, SimpleNamespace(connection=connection))
    assert json.loads(anchor_path().read_text(encoding="utf-8"))["seq"] == chain_head()[0]
    assert audit_verify(actor=None).ok


def test_a_tail_deleted_and_sealed_over_keeps_its_anchor_and_is_detected(submitted, officer):
    seal_chain()
    seq, _hash = chain_head()
    _force_update("DELETE FROM cases_auditevent WHERE seq = %s", [seq])
    # The next event takes the deleted event's number, with another hash.
    services.record_amend(record=submitted, text="另一条补充", reason="遗漏", actor=officer)
    problems = _problems()
    assert any(f"审计链第{seq}号的哈希与链外锚定文件" in p for p in problems), problems
    assert json.loads(anchor_path().read_text(encoding="utf-8"))["seq"] == seq


def test_an_exported_head_is_checked_by_the_command(client, submitted, discipline_user, tmp_path):
    seal_chain()
    client.force_login(discipline_user)
    exported = tmp_path / "head.txt"
    exported.write_bytes(client.get(reverse("audit:head")).content)
    seq, _hash = chain_head()
    call_command("verify_audit_chain", "--head", str(exported), stdout=StringIO())
    # Whoever deletes the tail and the anchor file still does not reach the exported copy.
    _delete_newest_events(2)
    anchor_path().unlink()
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("verify_audit_chain", "--head", str(exported), stdout=StringIO(), stderr=err)
    # The exported head is sealed (HMAC-SM3), so it also says when it was anchored.
    assert f"链头文件 {exported}（" in err.getvalue() and f"锚定）记载的链头为第{seq}号，链尾被删除" in err.getvalue()
    with pytest.raises(CommandError, match="无法读取链头文件"):
        call_command("verify_audit_chain", "--head", str(Path(tmp_path) / "missing.txt"), stdout=StringIO())


@postgresql_only
def test_postgres_refuses_truncate_and_a_truncate_with_the_trigger_disabled_is_detected(submitted):
    seal_chain()
    with pytest.raises(DatabaseError, match="truncate refused"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE cases_auditevent")
    assert AuditEvent.objects.exists()
    _force_update("TRUNCATE cases_auditevent")
    problems = _problems()
    assert any("链尾被删除" in p for p in problems)
    assert any(submitted.serial in p and "没有它的报送事件" in p for p in problems), problems
