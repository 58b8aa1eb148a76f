"""Backups and restore (issue 22): the drill (back up, lose the database and the private storage,
restore, verify), and every backup that must be refused without changing anything: a tampered
database copy, storage archive or anchor, an edited manifest, another SECRET_KEY, a backup from newer
code, a target that is not empty without --force. A restored chain that does not reach the backup's
head is restored but reported as failed.

They run on the engine of the run (PostgreSQL in CI: pg_dump/pg_restore; SQLite on a developer's
machine without DATABASE_URL: the online backup API), with transactional tests because pg_dump reads
from its own connection and sees only committed rows. SQLite's copy and restore are also tested on a
file of their own, so a PostgreSQL run covers both engines' database code."""

import hashlib
import json
import shutil
import sqlite3
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from cases import backup
from cases.audit import chain_head
from cases.models import AuditEvent
from cases.vocabulary import SystemEvent
from conftest import record_data
from records.models import Evidence, InterferenceRecord
from records.record import services

pytestmark = pytest.mark.django_db(transaction=True)

WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x01" * 24


@pytest.fixture(autouse=True)
def _schema_back_afterwards():
    """A test that fails between losing the database and restoring it leaves the schema to the
    next tests."""
    yield
    if AuditEvent._meta.db_table not in connection.introspection.table_names():
        call_command("migrate", verbosity=0)


@pytest.fixture
def submitted(officer):
    """A submitted record with a recording as evidence."""
    evidence = services.evidence_stage(upload=SimpleUploadedFile("call.wav", WAV), kind="recording", actor=officer)
    record = services.record_create(data=record_data(channel="phone"), evidence=[evidence], actor=officer)
    return services.record_submit(record=record, actor=officer, now=timezone.now())


def _backup(path: Path) -> dict:
    out = StringIO()
    call_command("backup", "--output", str(path), stdout=out)
    assert "备份完成" in out.getvalue()
    return json.loads((path / backup.MANIFEST).read_text(encoding="utf-8"))


def _restore(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("restore", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _lose_database() -> None:
    """Every table gone, as on a new machine (deleting rows would not do: the audit chain's triggers
    refuse it on PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
            cursor.execute("PRAGMA foreign_keys = ON")
    assert AuditEvent._meta.db_table not in connection.introspection.table_names()


def _storage() -> Path:
    return Path(settings.PRIVATE_STORAGE_ROOT)


def _dump_name(manifest: dict) -> str:
    return backup.DUMP_FILES[manifest["engine"]]


def test_backup_lose_everything_restore_and_verify(submitted, tmp_path):
    evidence = Evidence.objects.get(record=submitted)
    evidence_path = Path(evidence.file.path)
    manifest = _backup(tmp_path / "b")
    head = chain_head()

    # What the backup holds, as its manifest says.
    assert manifest["engine"] == {"postgresql": "postgresql", "sqlite": "sqlite"}[connection.vendor]
    assert manifest["audit_head"] == {"seq": head[0], "hash": head[1]}
    assert manifest["counts"]["records.interferencerecord"] == 1
    assert manifest["counts"]["cases.auditevent"] == head[0]  # sealed before the copy, all of them
    assert {"cases", "records", "discipline"} <= set(manifest["code"]["migrations"])
    # The archive holds the file as stored: SM4 ciphertext (issue 23), not the plaintext the evidence hash describes.
    assert manifest["storage_files"][evidence_path.relative_to(_storage()).as_posix()] == hashlib.sha256(evidence_path.read_bytes()).hexdigest()
    assert evidence.sha256 != manifest["storage_files"][evidence_path.relative_to(_storage()).as_posix()]
    assert set(manifest["files"]) == {_dump_name(manifest), backup.STORAGE_ARCHIVE, backup.ANCHOR_COPY, backup.HEAD_FILE}
    assert manifest["signature"]["algorithm"] == "HMAC-SHA256"
    assert AuditEvent.objects.filter(type=SystemEvent.BACKED_UP).count() == 1  # audited after the backup

    shutil.rmtree(_storage())
    _lose_database()

    out = _restore(tmp_path / "b")  # an empty database needs no --force

    assert "审计链校验通过" in out and f"第{head[0]}号" in out
    record = InterferenceRecord.objects.get()
    assert record.pk == submitted.pk and record.status == InterferenceRecord.Status.SUBMITTED
    with evidence.file.open("rb") as handle:  # decrypted with the restored key
        assert handle.read() == WAV
    assert AuditEvent.objects.get(seq=head[0]).hash == head[1]
    # The backup's own event came after the copy; the restore's is written into the restored chain.
    assert not AuditEvent.objects.filter(type=SystemEvent.BACKED_UP).exists()
    restored = AuditEvent.objects.get(type=SystemEvent.RESTORED)
    assert restored.seq == head[0] + 1 and restored.data["verified"] is True
    check = StringIO()
    call_command("verify_audit_chain", "--head", str(tmp_path / "b" / backup.HEAD_FILE), stdout=check)
    assert "审计链完整" in check.getvalue()


def test_restore_over_existing_data_needs_force_and_then_replaces_everything(submitted, officer, tmp_path):
    _backup(tmp_path / "b")
    later = services.record_create(data=record_data(), actor=officer)
    later_file = _storage() / "reports" / "later.pdf"
    later_file.parent.mkdir(parents=True, exist_ok=True)
    later_file.write_bytes(b"%PDF-1.7 later")

    with pytest.raises(CommandError, match="目标数据库不是空的.*--force") as refused:
        _restore(tmp_path / "b")
    assert "未做任何更改" in str(refused.value)
    assert InterferenceRecord.objects.filter(pk=later.pk).exists() and later_file.exists()

    assert "审计链校验通过" in _restore(tmp_path / "b", "--force")
    assert list(InterferenceRecord.objects.values_list("pk", flat=True)) == [submitted.pk]
    assert not later_file.exists()
    assert not [p for p in _storage().iterdir() if p.name.startswith(backup.STAGING_PREFIX)]


@pytest.mark.parametrize("target", ["database", backup.STORAGE_ARCHIVE, backup.ANCHOR_COPY])
def test_a_tampered_file_is_refused_and_nothing_changes(submitted, officer, tmp_path, target):
    manifest = _backup(tmp_path / "b")
    name = _dump_name(manifest) if target == "database" else target
    path = tmp_path / "b" / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    later = services.record_create(data=record_data(), actor=officer)
    events = AuditEvent.objects.count()

    with pytest.raises(CommandError, match=f"{name} 的 SHA-256 与清单不符"):
        _restore(tmp_path / "b", "--force")

    assert InterferenceRecord.objects.filter(pk=later.pk).exists() and AuditEvent.objects.count() == events
    assert not [p for p in _storage().iterdir() if p.name.startswith(backup.STAGING_PREFIX)]


def test_an_edited_manifest_or_another_secret_key_is_refused(submitted, officer, tmp_path, settings):
    _backup(tmp_path / "b")
    manifest_path = tmp_path / "b" / backup.MANIFEST
    genuine = manifest_path.read_text(encoding="utf-8")
    later = services.record_create(data=record_data(), actor=officer)

    edited = json.loads(genuine)
    edited["counts"]["records.interferencerecord"] = 0
    manifest_path.write_text(json.dumps(edited), encoding="utf-8")
    with pytest.raises(CommandError, match="备份清单的完整性校验失败（HMAC-SHA256 不符）"):
        _restore(tmp_path / "b", "--force")

    manifest_path.write_text(genuine, encoding="utf-8")
    settings.SECRET_KEY = "another-system-" + "k" * 50
    with pytest.raises(CommandError, match="SECRET_KEY 不同"):
        _restore(tmp_path / "b", "--force")
    assert InterferenceRecord.objects.filter(pk=later.pk).exists()


def test_a_backup_from_newer_code_is_refused(submitted, officer, tmp_path):
    manifest = _backup(tmp_path / "b")
    manifest["code"]["migrations"]["cases"] = "9999_from_a_later_version"
    backup.manifest_write(tmp_path / "b", manifest)  # signed, as the newer version would have
    later = services.record_create(data=record_data(), actor=officer)

    with pytest.raises(CommandError, match="更新的程序版本.*cases.9999_from_a_later_version.*先升级程序"):
        _restore(tmp_path / "b", "--force")
    assert InterferenceRecord.objects.filter(pk=later.pk).exists()


def test_a_database_that_does_not_reach_the_backups_head_fails_verification(submitted, officer, tmp_path):
    """Backup A's database with backup B's storage, anchor and head (B made after more events), in a
    backup signed as a genuine one: every check before the restore passes, the chain does not."""
    earlier = _backup(tmp_path / "a")
    services.record_amend(record=submitted, text="补充内容", reason="遗漏", actor=officer)
    mixed = _backup(tmp_path / "b")
    assert mixed["audit_head"]["seq"] > earlier["audit_head"]["seq"]
    dump = _dump_name(earlier)
    shutil.copy(tmp_path / "a" / dump, tmp_path / "b" / dump)
    mixed["files"][dump] = earlier["files"][dump]
    backup.manifest_write(tmp_path / "b", mixed)

    errors = StringIO()
    with pytest.raises(CommandError, match="审计链校验未通过"):
        call_command("restore", str(tmp_path / "b"), "--force", stdout=StringIO(), stderr=errors)

    assert f"第{earlier['audit_head']['seq']}号后缺失事件" in errors.getvalue() and "链尾被删除" in errors.getvalue()
    assert AuditEvent.objects.get(type=SystemEvent.RESTORED).data["verified"] is False


def test_backup_never_writes_into_a_used_directory_and_restore_needs_one(tmp_path):
    used = tmp_path / "used"
    used.mkdir()
    (used / "kept.txt").write_text("kept")
    with pytest.raises(CommandError, match="已存在且不是空目录"):
        call_command("backup", "--output", str(used), stdout=StringIO())
    assert [p.name for p in tmp_path.iterdir()] == ["used"] and [p.name for p in used.iterdir()] == ["kept.txt"]
    with pytest.raises(CommandError, match="请指定一个备份目录"):
        call_command("restore", stdout=StringIO())
    with pytest.raises(CommandError, match="没有备份清单"):
        call_command("restore", "--input", str(used), stdout=StringIO())


def test_sqlite_is_copied_with_the_online_backup_api_while_written_to(tmp_path):
    """A running SQLite system: the copy holds what was committed, not a write in progress, and
    restoring it replaces the database's content in place."""
    live = tmp_path / "live.sqlite3"
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE t (x INTEGER)")
    writer.execute("INSERT INTO t VALUES (1), (2)")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO t VALUES (3)")  # not committed while the copy is made
    settings_dict = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(live)}

    tool = backup.database_dump(settings_dict, tmp_path / "copy.sqlite3")

    writer.execute("COMMIT")
    writer.execute("DELETE FROM t WHERE x = 1")
    writer.close()
    assert "backup API" in tool
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("copy")] == ["copy.sqlite3"]  # self-contained
    backup.database_restore(settings_dict, tmp_path / "copy.sqlite3")
    reader = sqlite3.connect(live)
    assert [row[0] for row in reader.execute("SELECT x FROM t ORDER BY x")] == [1, 2]
    reader.close()
