"""全程留痕: the audit hash chain detects edits of events, of submitted records, of amendments and
of evidence files; sealed events cannot be changed on PostgreSQL; the command exits non-zero."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from cases.audit import GENESIS, seal_chain, verify_chain
from cases.models import AuditEvent
from conftest import record_data
from records import services
from records.audit_check import audit_verify
from records.models import Evidence, InterferenceRecord

pytestmark = pytest.mark.django_db

WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x01" * 24


@pytest.fixture
def submitted(officer, make_record):
    evidence = services.evidence_stage(upload=SimpleUploadedFile("a.wav", WAV), kind="recording", actor=officer)
    record = services.record_create(data=record_data(channel="phone"), evidence=[evidence], actor=officer)
    record = services.record_submit(record=record, actor=officer, now=timezone.now())
    services.record_amend(record=record, text="补充内容", reason="遗漏", actor=officer)
    return record


def _force_update(sql: str, params: list) -> None:
    """Change the database behind the application's back, as its owner could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A superuser can switch triggers off for the session: the attack the chain exists for.
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def test_events_carry_request_id_and_address(client, officer, make_record):
    record = make_record()
    client.force_login(officer)
    response = client.get(reverse("records:detail", args=[record.pk]), REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.get(type=AuditEvent.Type.RECORD_VIEWED)
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
    target = AuditEvent.objects.get(type=AuditEvent.Type.RECORD_SUBMITTED)
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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgres_refuses_to_change_or_delete_sealed_events(submitted):
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
