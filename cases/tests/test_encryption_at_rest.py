"""Encryption at rest (商用密码, issue 23): record content and evidence files are SM4-GCM ciphertext in
the database and on disk, plaintext in the application; a key rotation re-encrypts everything in the
background while the old key still opens what is not done; a missing or wrong key is a clear Chinese
message, never a 500; production refuses to start without a key source."""

import base64
import json
import os
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import FieldError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cases.audit import audit_verify
from cases.encryption import cipher, keys
from cases.encryption.checks import encryption_keys
from cases.encryption.rotation import Progress, encryption_status, reencrypt_pass, seal_column, seal_files
from cases.encryption.sealing import seal_operation
from cases.encryption.vocabulary import EncryptionEvent
from cases.models import AuditEvent
from cases.tasks import encryption_reencrypt
from records.models import Amendment, Evidence, InterferenceRecord
from records.record import services

SECRET = "要求把罚款降到最低档，不要立案调查"
NOTE = "当即告知依法依程序办理"
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 24 + "通话录音：要求从轻处理".encode() * 5000


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - test's own names
        return cursor.fetchone()[0]


@pytest.fixture
def submitted(officer, make_record):
    """A record submitted late (so it has a 逾期说明), with an evidence file and an amendment."""
    evidence = services.evidence_stage(upload=SimpleUploadedFile("录音.wav", WAV), kind="recording", actor=officer)
    record = make_record(occurred_at=timezone.now().replace(microsecond=0) - timedelta(days=10), content=SECRET, response_note=NOTE)
    Evidence.objects.filter(pk=evidence.pk).update(record=record)
    record = services.record_submit(record=record, late_reason="外出执法一周，返回后补报", actor=officer, now=timezone.now())
    amendment = services.record_amend(record=record, text="补充：对方还要求删除笔录", reason="漏记", actor=officer)
    return record, Evidence.objects.get(pk=evidence.pk), amendment


def key_file() -> Path:
    return keys.default_key_file()


def test_the_database_row_and_the_file_on_disk_hold_no_plaintext(submitted):
    record, evidence, amendment = submitted
    for column, plain in (("content", SECRET), ("response_note", NOTE), ("late_reason", "外出执法一周，返回后补报")):
        stored = raw("records_interferencerecord", column, record.pk)
        assert stored.startswith("enc:sm4gcm:") and plain not in stored and plain.encode().hex() not in stored
    assert raw("records_interferencerecord", "missing_evidence_reason", record.pk) == ""  # blank stays blank
    assert "对方还要求" not in raw("records_amendment", "text", amendment.pk)
    on_disk = Path(evidence.file.path).read_bytes()
    assert on_disk.startswith(cipher.MAGIC) and b"RIFF" not in on_disk and "通话录音".encode() not in on_disk
    # The application reads plaintext; hash and size describe the plaintext.
    fresh = InterferenceRecord.objects.get(pk=record.pk)
    assert (fresh.content, fresh.response_note) == (SECRET, NOTE)
    assert Amendment.objects.get(pk=amendment.pk).text == "补充：对方还要求删除笔录"
    assert (evidence.size, evidence.file.size) == (len(WAV), len(WAV))
    with evidence.file.open("rb") as handle:
        assert handle.read() == WAV
    # The audit chain still vouches for the plaintext: content hashes and file hashes verify.
    assert audit_verify(check_files=True, actor=None).ok


def test_a_copied_ciphertext_does_not_open_in_another_column(submitted):
    record, _evidence, _amendment = submitted
    with connection.cursor() as cursor:
        cursor.execute("UPDATE records_interferencerecord SET response_note = content WHERE id = %s", [record.pk])
    note = InterferenceRecord.objects.get(pk=record.pk).response_note
    assert SECRET not in note and "无法解密" in note


def test_encrypted_columns_refuse_searches_that_would_silently_find_nothing(submitted):
    with pytest.raises(FieldError):
        list(InterferenceRecord.objects.filter(content__icontains="罚款"))
    with pytest.raises(FieldError):
        list(InterferenceRecord.objects.filter(content=SECRET))
    # Blank checks still work: the empty string is stored as it is.
    assert InterferenceRecord.objects.filter(missing_evidence_reason="").count() == 1
    assert InterferenceRecord.objects.exclude(late_reason="").count() == 1


def test_the_record_page_shows_the_content_to_its_recorder(client, officer, submitted):
    record, _evidence, _amendment = submitted
    client.force_login(officer)
    page = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert SECRET in page and NOTE in page and "补充：对方还要求删除笔录" in page


def test_rotation_re_encrypts_rows_and_files_under_the_new_key_and_everything_reads_back(client, officer, submitted):
    record, evidence, amendment = submitted
    old = keys.provider().current_key_id()
    call_command("encryption_rotate", "--new-key", "--now", stdout=open(os.devnull, "w"))  # noqa: SIM115
    new = keys.provider().current_key_id()
    assert new != old and set(json.loads(key_file().read_text())["keys"]) == {old, new}  # the old key stays
    assert cipher.key_id_of(raw("records_interferencerecord", "content", record.pk)) == new
    assert cipher.key_id_of(raw("records_amendment", "reason", amendment.pk)) == new
    with open(evidence.file.path, "rb") as handle:
        assert cipher.read_header(handle)[0] == new
    assert InterferenceRecord.objects.get(pk=record.pk).content == SECRET
    client.force_login(officer)
    response = client.get(reverse("records:evidence", args=[evidence.pk]))
    assert b"".join(response.streaming_content) == WAV
    status = encryption_status()
    assert status["records.interferencerecord.content"] == {"current": 1, "older": 0, "plaintext": 0}
    assert status["records.evidence.file"] == {"current": 1, "older": 0, "plaintext": 0, "missing": 0}
    started = AuditEvent.objects.get(type=EncryptionEvent.ROTATION_STARTED)
    assert started.data == {"key": new, "previous": old}
    assert AuditEvent.objects.filter(type=EncryptionEvent.ROTATION_FINISHED, data__key=new).count() == 1
    assert audit_verify(check_files=True, actor=None).ok


def test_the_background_re_encryption_works_in_batches_resumes_and_audits_its_end_once(
    settings, officer, make_record, submitted, django_capture_on_commit_callbacks
):
    for n in range(4):
        make_record(content=f"第{n}条内容")
    settings.ENCRYPTION_ROTATION_BATCH = 2
    with mock.patch("cases.worker.current_app.send_task") as wake, django_capture_on_commit_callbacks(execute=True):
        call_command("encryption_rotate", "--new-key", stdout=open(os.devnull, "w"))  # noqa: SIM115
    new = keys.provider().current_key_id()
    # The command only woke the worker (after commit); nothing is re-encrypted yet.
    assert wake.call_args.args[0] == "cases.tasks.encryption_reencrypt"
    assert encryption_status()["records.interferencerecord.content"]["older"] == 5
    # A pass with no time left stops after one batch and says where to go on.
    progress = reencrypt_pass(Progress(new), budget_seconds=0)
    assert not progress.finished and progress.done == 2
    assert encryption_status()["records.interferencerecord.content"]["older"] == 3
    # The task resumes from there, queueing its continuation while time runs out...
    with mock.patch("cases.tasks.REENCRYPT_BUDGET_SECONDS", 0), mock.patch("cases.worker.current_app.send_task") as wake:
        assert encryption_reencrypt(*progress.as_args()) is False
    assert wake.call_args.kwargs["args"][0] == new
    # ...and the nightly run (no arguments) finishes it and audits the end once.
    assert encryption_reencrypt() is True
    assert encryption_reencrypt() is False
    assert AuditEvent.objects.filter(type=EncryptionEvent.ROTATION_FINISHED).count() == 1
    assert all(counts.get("older", 0) == counts.get("plaintext", 0) == 0 for counts in encryption_status().values())


def test_a_missing_key_is_a_chinese_message_on_the_pages_never_a_500(settings, client, officer, submitted):
    record, evidence, _amendment = submitted
    settings.FIELD_ENCRYPTION_KEYS = "other:" + base64.b64encode(os.urandom(16)).decode()
    client.force_login(officer)
    page = client.get(reverse("records:detail", args=[record.pk]))
    assert page.status_code == 200
    assert SECRET not in page.content.decode() and "无法解密" in page.content.decode() and "不可用" in page.content.decode()
    download = client.get(reverse("records:evidence", args=[evidence.pk]))
    assert download.status_code == 503 and "无法解密" in download.content.decode()
    assert client.get(reverse("records:list")).status_code == 200


def test_a_wrong_key_under_the_same_id_fails_authentication_with_a_clear_message(settings, client, officer, submitted):
    record, evidence, _amendment = submitted
    kid = keys.provider().current_key_id()
    settings.FIELD_ENCRYPTION_KEYS = f"{kid}:" + base64.b64encode(os.urandom(16)).decode()
    content = InterferenceRecord.objects.get(pk=record.pk).content
    assert "校验失败" in content and SECRET not in content
    client.force_login(officer)
    assert client.get(reverse("records:detail", args=[record.pk])).status_code == 200
    download = client.get(reverse("records:evidence", args=[evidence.pk]))
    # The first chunk is opened (its tag checked) before the response starts.
    assert download.status_code == 503 and "校验失败" in download.content.decode()


def test_an_unreadable_value_saved_back_keeps_its_ciphertext(settings, submitted):
    record, _evidence, _amendment = submitted
    stored = raw("records_interferencerecord", "content", record.pk)
    settings.FIELD_ENCRYPTION_KEYS = "other:" + base64.b64encode(os.urandom(16)).decode()
    loaded = InterferenceRecord.objects.get(pk=record.pk)
    loaded.save(update_fields=["content"])
    assert raw("records_interferencerecord", "content", record.pk) == stored


def test_the_migration_helpers_seal_plaintext_rows_and_files_and_undo_it(officer, make_record):
    record = make_record()
    evidence = services.evidence_stage(upload=SimpleUploadedFile("录音.wav", WAV), kind="recording", actor=officer)
    services.record_amend  # noqa: B018 - the module is loaded
    with connection.cursor() as cursor:
        cursor.execute("UPDATE records_interferencerecord SET content = %s WHERE id = %s", [SECRET, record.pk])
    Path(evidence.file.path).write_bytes(WAV)  # a file stored before encryption
    assert InterferenceRecord.objects.get(pk=record.pk).content == SECRET  # plaintext rows still read
    assert seal_column(InterferenceRecord, "content") == 1 and seal_column(InterferenceRecord, "content") == 0
    assert seal_files(Evidence, "file") == 1 and seal_files(Evidence, "file") == 0
    assert raw("records_interferencerecord", "content", record.pk).startswith("enc:sm4gcm:")
    assert b"RIFF" not in Path(evidence.file.path).read_bytes()
    assert InterferenceRecord.objects.get(pk=record.pk).content == SECRET
    assert seal_column(InterferenceRecord, "content", decrypt=True) == 1
    assert seal_files(Evidence, "file", decrypt=True) == 1
    assert raw("records_interferencerecord", "content", record.pk) == SECRET
    assert Path(evidence.file.path).read_bytes() == WAV
    # The operation the data migrations run, forwards twice (a run stopped half-way and started
    # again) and backwards.
    operation = seal_operation(columns=[("records.InterferenceRecord", "content")], files=[("records.Evidence", "file")])
    for _ in range(2):
        operation.code(django_apps, None)
        assert raw("records_interferencerecord", "content", record.pk).startswith("enc:sm4gcm:")
        assert b"RIFF" not in Path(evidence.file.path).read_bytes()
    operation.reverse_code(django_apps, None)
    assert raw("records_interferencerecord", "content", record.pk) == SECRET
    assert Path(evidence.file.path).read_bytes() == WAV


def test_a_truncated_file_is_refused(officer):
    evidence = services.evidence_stage(upload=SimpleUploadedFile("录音.wav", WAV), kind="recording", actor=officer)
    path = Path(evidence.file.path)
    data = path.read_bytes()
    header = len(cipher.MAGIC) + 1 + data[len(cipher.MAGIC)] + 8
    path.write_bytes(data[: header + cipher.CHUNK + cipher.TAG])  # a whole chunk kept, the rest cut
    # The kept chunk was sealed as "not the last": it no longer opens where it now is the last one.
    with pytest.raises(cipher.EncryptionError, match="截断"):
        evidence.file.open("rb")


def test_production_requires_a_key_source_and_a_readable_key(settings):
    settings.FIELD_ENCRYPTION_DEV_KEY = False
    assert [e.id for e in encryption_keys()] == ["registry.E030"]
    settings.FIELD_ENCRYPTION_KEYS = "k1:not-a-key"
    errors = encryption_keys()
    assert [e.id for e in errors] == ["registry.E031"] and "16字节" in errors[0].msg
    settings.FIELD_ENCRYPTION_KEYS = "k1:" + base64.b64encode(os.urandom(16)).decode()
    assert encryption_keys() == []
    settings.FIELD_ENCRYPTION_KEYS = ""
    settings.FIELD_ENCRYPTION_KEY_FILE = str(Path(settings.PRIVATE_STORAGE_ROOT) / "k.json")
    call_command("encryption_rotate", "--create-key-file", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert os.stat(settings.FIELD_ENCRYPTION_KEY_FILE).st_mode & 0o077 == 0
    assert [e.id for e in encryption_keys()] == ["registry.W030"]  # inside the private storage: backed up with the data


class _Device:
    """A stand-in for a hardware key manager (密码机) behind FIELD_ENCRYPTION_KEY_PROVIDER."""

    keys = {"hsm-1": os.urandom(16)}

    def current_key_id(self):
        return "hsm-1"

    def key(self, key_id):
        if key_id not in self.keys:
            raise keys.EncryptionKeyError(f"密码机中没有密钥“{key_id}”。")
        return self.keys[key_id]

    def key_ids(self):
        return list(self.keys)


def test_a_key_manager_hook_provides_the_keys(settings, make_record):
    settings.FIELD_ENCRYPTION_KEY_PROVIDER = f"{__name__}._Device"
    record = make_record(content=SECRET)
    assert cipher.key_id_of(raw("records_interferencerecord", "content", record.pk)) == "hsm-1"
    assert InterferenceRecord.objects.get(pk=record.pk).content == SECRET
    # It cannot be written by the rotation command: the operator makes a new key current in the device.
    with pytest.raises(Exception, match="不能由本程序写入新密钥"):
        call_command("encryption_rotate", "--new-key")
