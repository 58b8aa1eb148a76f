"""Backups of the whole system and their restore (issue 22): the database, the private storage and the
audit chain's head, in one directory with a signed manifest.

A backup directory holds:

- ``database.dump`` (PostgreSQL: ``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite: a copy
  made with SQLite's online backup API, consistent while the system runs);
- ``private-storage.tar``: everything below ``PRIVATE_STORAGE_ROOT`` (evidence, reports, imports) but
  the anchor file;
- ``audit-anchor.json``: the anchor file (``audit.anchor_path``) as it was when the database was
  copied, and ``audit-head.json``: the head of the copied chain (``verify_audit_chain --head`` reads it);
- ``manifest.json``: when, from which code (latest migration per app), which engine, the SHA-256 of
  every file of the backup and of every file in the storage archive, the chain head, the row counts;
  signed with an HMAC whose algorithm is named in the manifest (today HMAC-SHA256 with a key derived
  from ``SECRET_KEY``, so a backup is restored on a system with the same ``SECRET_KEY``).

The database is copied while the chain's sealers are held off (``audit.sealing_paused``), so the
copy holds exactly the head recorded and the anchor on file. Restore checks everything it can before
changing anything (signature, every digest, migrations not newer than the code, an empty target
unless forced), then replaces the database in one transaction and the storage folder by folder, and
verifies the restored chain against the backup's head and the content it vouches for.

Own code over pg_dump and sqlite3 rather than django-dbbackup: that package copies SQLite as a file or
an SQL text dump (not the online backup API), archives media without a per-file digest, and has no
place for the manifest, the signature, the chain head or the checks before a restore, which are most
of what is here.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import hmac
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .audit import AnchorError, anchor_path, audit, audit_verify, parse_head, replace_anchor, seal_chain, sealing_paused
from .models import AuditEvent, AuditVerification, Unit
from .vocabulary import SystemEvent

FORMAT = "interference-registry-backup/1"
MANIFEST = "manifest.json"
STORAGE_ARCHIVE = "private-storage.tar"
ANCHOR_COPY = "audit-anchor.json"
HEAD_FILE = "audit-head.json"
DUMP_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
# The manifest names its signature's algorithm, so that a later one (issue 23: HMAC-SM3 with a key
# kept outside the database) can be told apart and older backups still be read.
SIGNATURE_ALGORITHM = "HMAC-SHA256"
_SIGNATURE_KEY = "salted_hmac(SECRET_KEY, 'interference_registry.backup.manifest')"
_KEY_SALT = "interference_registry.backup.manifest"
# Folders a restore stages inside the private storage; never archived.
STAGING_PREFIX = ".restore-"
_CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator."""


# --- the manifest and its signature --------------------------------------------------------------


def _signed_bytes(manifest: dict[str, Any]) -> bytes:
    body = {key: value for key, value in manifest.items() if key != "signature"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def manifest_sign(manifest: dict[str, Any]) -> dict[str, Any]:
    """`manifest` with its signature (replacing any earlier one)."""
    value = salted_hmac(_KEY_SALT, _signed_bytes(manifest), algorithm="sha256").hexdigest()
    return {**manifest, "signature": {"algorithm": SIGNATURE_ALGORITHM, "key": _SIGNATURE_KEY, "value": value}}


def _check_signature(manifest: dict[str, Any]) -> None:
    signature = manifest.get("signature")
    if not isinstance(signature, dict) or signature.get("algorithm") != SIGNATURE_ALGORITHM:
        algorithm = signature.get("algorithm") if isinstance(signature, dict) else None
        raise BackupError(
            _("备份清单的签名算法为 %(algorithm)s，本程序只认 %(known)s：不能确认备份未被改动。")
            % {"algorithm": algorithm or "—", "known": SIGNATURE_ALGORITHM}
        )
    expected = manifest_sign(manifest)["signature"]["value"]
    if not hmac.compare_digest(expected, str(signature.get("value", ""))):
        raise BackupError(
            _("备份清单的完整性校验失败（%(algorithm)s 不符）：清单被改动过，或备份来自 SECRET_KEY 不同的系统。")
            % {"algorithm": SIGNATURE_ALGORITHM}
        )


def manifest_write(directory: Path, manifest: dict[str, Any]) -> None:
    """Sign `manifest` and write it into `directory`."""
    text = json.dumps(manifest_sign(manifest), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    (directory / MANIFEST).write_text(text, encoding="utf-8")


def manifest_read(directory: Path) -> dict[str, Any]:
    """The manifest of the backup in `directory`, its signature checked."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise BackupError(_("%(path)s 中没有备份清单 %(name)s：不是本系统的备份目录。") % {"path": directory, "name": MANIFEST}) from error
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise BackupError(_("无法读取备份清单 %(name)s：%(error)s") % {"name": MANIFEST, "error": error}) from error
    if not isinstance(manifest, dict):
        raise BackupError(_("无法读取备份清单 %(name)s：%(error)s") % {"name": MANIFEST, "error": type(manifest).__name__})
    _check_signature(manifest)
    if manifest.get("format") != FORMAT:
        raise BackupError(_("备份格式 %(format)s 不是本程序能恢复的格式 %(known)s。") % {"format": manifest.get("format"), "known": FORMAT})
    return manifest


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _check_files(directory: Path, manifest: dict[str, Any]) -> None:
    """Every file the manifest lists is there with its size and SHA-256."""
    for name, expected in sorted(manifest["files"].items()):
        path = directory / name
        if Path(name).name != name or not path.is_file():
            raise BackupError(_("备份文件 %(name)s 缺失。") % {"name": name})
        if path.stat().st_size != expected["size"] or file_sha256(path) != expected["sha256"]:
            raise BackupError(_("备份文件 %(name)s 的 SHA-256 与清单不符：文件被改动或损坏。") % {"name": name})


# --- the database --------------------------------------------------------------------------------


def database_engine(settings_dict: dict[str, Any]) -> str:
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(_("不支持备份数据库引擎 %(engine)s（只支持 PostgreSQL 和 SQLite）。") % {"engine": engine})


def pg_tool(name: str) -> str:
    """The path of a PostgreSQL client program: from PATH, else the newest in /usr/lib/postgresql."""
    found = shutil.which(name)
    if found:
        return found

    def version(path: str) -> int:
        match = re.search(r"/postgresql/(\d+)/", path)
        return int(match.group(1)) if match else 0

    installed = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=version)
    if installed:
        return installed[-1]
    raise BackupError(_("找不到 %(name)s：请安装 PostgreSQL 客户端（Debian：apt-get install postgresql-client）。") % {"name": name})


def _pg_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq's environment for the connection of `settings_dict` (the password never on a command line)."""
    environment = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if options.get(key):
            environment[f"PG{key.upper()}"] = str(options[key])
    return environment


def _run(command: list[str], *, environment: dict[str, str] | None = None) -> None:
    completed = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603 - PostgreSQL's own tools, no shell
    if completed.returncode != 0:
        raise BackupError(
            _("%(program)s 失败（退出码 %(code)s）：%(error)s")
            % {"program": Path(command[0]).name, "code": completed.returncode, "error": completed.stderr.strip()[-2000:]}
        )


def database_dump(settings_dict: dict[str, Any], target: Path) -> str:
    """Copy the database of `settings_dict` into `target`; returns the tool used, for the manifest."""
    if database_engine(settings_dict) == "postgresql":
        tool = pg_tool("pg_dump")
        _run(
            [tool, "--format=custom", "--no-password", f"--file={target}", f"--dbname={settings_dict['NAME']}"],
            environment=_pg_environment(settings_dict),
        )
        return Path(tool).name
    source = sqlite3.connect(settings_dict["NAME"], timeout=20)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        # A self-contained file (no -wal beside it), so its digest is all there is to it.
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
        source.close()
    return f"sqlite3 backup API (SQLite {sqlite3.sqlite_version})"


def database_restore(settings_dict: dict[str, Any], source: Path) -> None:
    """Replace the content of the database of `settings_dict` with the copy in `source`, in one
    transaction (a failure leaves it as it was). Nothing else may be using the database."""
    connection.close()
    if database_engine(settings_dict) == "postgresql":
        _run(
            [pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", "--no-password",
             f"--dbname={settings_dict['NAME']}", str(source)],
            environment=_pg_environment(settings_dict),
        )  # fmt: skip
    else:
        copy = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        target = sqlite3.connect(settings_dict["NAME"], timeout=20)
        try:
            copy.backup(target)
        except sqlite3.Error as error:
            raise BackupError(_("SQLite 恢复失败：%(error)s") % {"error": error}) from error
        finally:
            target.close()
            copy.close()
    connection.close()
    # Content types are cached per process by id; the restored rows decide from now on.
    ContentType.objects.clear_cache()


def database_is_empty() -> tuple[bool, str]:
    """Whether the database holds nothing a restore would destroy: no tables yet, or the tables of a
    fresh `migrate` (no audit event, account or unit). With the counts found otherwise."""
    if AuditEvent._meta.db_table not in connection.introspection.table_names():
        return True, ""
    counts = {
        _("审计事件"): AuditEvent.objects.count(),
        _("账户"): get_user_model()._base_manager.count(),
        _("单位"): Unit._base_manager.count(),
    }
    found = _("，").join(_("%(label)s %(count)s 个") % {"label": label, "count": count} for label, count in counts.items() if count)
    return not found, found


def table_counts() -> dict[str, int]:
    """Rows per model (label → count), for the manifest and the comparison after a restore."""
    return {
        model._meta.label_lower: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model is not AuditVerification
    }


def applied_migrations() -> dict[str, str]:
    """The latest applied migration per app (names sort by their number)."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, name), name)
    return dict(sorted(latest.items()))


def unknown_migrations(migrations: dict[str, str]) -> list[str]:
    """The backup's migrations this code does not have: the backup comes from a newer version."""
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    return [f"{app}.{name}" for app, name in sorted(migrations.items()) if (app, name) not in known]


def _migrate_if_behind(stdout) -> bool:
    """Bring a restored database up to this code's migrations; whether any had to run."""
    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return False
    call_command("migrate", interactive=False, verbosity=1, stdout=stdout)
    return True


def _code_commit() -> str:
    """The git commit of the code, when it runs from a checkout."""
    git = shutil.which("git")
    if git is None:
        return ""
    try:
        command = [git, "rev-parse", "HEAD"]
        completed = subprocess.run(command, cwd=settings.BASE_DIR, capture_output=True, text=True, check=False, timeout=10)  # noqa: S603
    except (OSError, subprocess.SubprocessError):
        return ""
    return completed.stdout.strip() if completed.returncode == 0 else ""


# --- the private storage -------------------------------------------------------------------------


class _HashingReader:
    """Reads a file for tarfile while computing its SHA-256 (one read per file)."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _storage_entries(root: Path, *, exclude: Path | None) -> Iterator[Path]:
    """Folders and regular files below `root`, parents first, without restore staging folders."""
    for folder, folders, files in os.walk(root):
        here = Path(folder)
        folders[:] = sorted(name for name in folders if not (here == root and name.startswith(STAGING_PREFIX)))
        for name in folders:
            yield here / name
        for name in sorted(files):
            path = here / name
            if path != exclude and path.is_file() and not path.is_symlink():
                yield path


def storage_archive(root: Path, target: Path, *, exclude: Path | None) -> dict[str, str]:
    """Write the private storage below `root` (less `exclude`) as a tar archive; returns the SHA-256
    of every file in it by relative path."""
    digests: dict[str, str] = {}
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as archive:
        if not root.is_dir():
            return digests
        for path in _storage_entries(root, exclude=exclude):
            name = path.relative_to(root).as_posix()
            info = archive.gettarinfo(str(path), arcname=name)
            if info.isdir():
                archive.addfile(info)
                continue
            with open(path, "rb") as handle:
                reader = _HashingReader(handle)
                archive.addfile(info, reader)
            digests[name] = reader.digest.hexdigest()
    return digests


def _inside(base: Path, name: str) -> Path:
    """`base / name` for an archive member name, refusing absolute names and names leaving `base`."""
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BackupError(_("私有存储归档中有不安全的路径：%(name)s") % {"name": name})
    return base / relative


def storage_extract(archive_path: Path, root: Path, expected: dict[str, str]) -> Path:
    """Extract the archive into a staging folder inside `root` (same file system, so the swap is
    renames), checking every file against its SHA-256 in the manifest. Returns the staging folder."""
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=root, prefix=f"{STAGING_PREFIX}new-"))
    try:
        seen: set[str] = set()
        with tarfile.open(archive_path, "r") as archive:
            for member in archive:
                target = _inside(staging, member.name)
                if member.isdir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                if not member.isfile():
                    raise BackupError(_("私有存储归档中有不支持的条目（链接或设备）：%(name)s") % {"name": member.name})
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                source = archive.extractfile(member)
                with open(target, "wb") as handle:
                    while chunk := source.read(_CHUNK):
                        digest.update(chunk)
                        handle.write(chunk)
                if expected.get(member.name) != digest.hexdigest():
                    raise BackupError(_("私有存储中的文件 %(name)s 与清单记载的 SHA-256 不符。") % {"name": member.name})
                seen.add(member.name)
        missing = sorted(set(expected) - seen)
        if missing:
            raise BackupError(_("私有存储归档缺少清单中的 %(count)s 个文件，例如 %(name)s。") % {"count": len(missing), "name": missing[0]})
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def storage_swap(root: Path, staging: Path) -> None:
    """Put the staged storage in place of the current one, folder by folder (renames on one file
    system; works when `root` is itself a mount point), then delete the old content."""
    retired = Path(tempfile.mkdtemp(dir=root, prefix=f"{STAGING_PREFIX}old-"))
    for entry in list(root.iterdir()):
        if not entry.name.startswith(STAGING_PREFIX):
            os.rename(entry, retired / entry.name)
    for entry in list(staging.iterdir()):
        os.rename(entry, root / entry.name)
    staging.rmdir()
    shutil.rmtree(retired)


def _anchor_restore(content: bytes | None) -> None:
    """Put the backup's anchor file in place, or remove the current one when the backup had none (a
    chain never sealed)."""
    if content is None:
        anchor_path().unlink(missing_ok=True)
    else:
        replace_anchor(content)


# --- backup and restore --------------------------------------------------------------------------


def _empty_or_absent(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


def backup_create(*, output: Path, actor=None) -> dict[str, Any]:
    """Back up the database, the private storage and the audit chain's head into `output` (a new or
    empty directory, filled under another name and renamed at the end, so a directory with a
    manifest is always complete). Returns the manifest. Audited after the backup."""
    output = Path(output).absolute()
    if not _empty_or_absent(output):
        raise BackupError(_("输出目录 %(path)s 已存在且不是空目录：备份不覆盖已有文件，请指定新的目录。") % {"path": output})
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=output.parent, prefix=f".{output.name}.partial-"))
    try:
        manifest = _backup_into(staging)
        if output.exists():
            output.rmdir()
        os.rename(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    audit(
        type=SystemEvent.BACKED_UP,
        actor=actor,
        data={
            "directory": str(output),
            "engine": manifest["engine"],
            "audit_head": manifest["audit_head"],
            "manifest_sha256": file_sha256(output / MANIFEST),
        },
    )
    return manifest


def _backup_into(directory: Path) -> dict[str, Any]:
    settings_dict = connection.settings_dict
    engine = database_engine(settings_dict)
    root = Path(settings.PRIVATE_STORAGE_ROOT)
    anchor = anchor_path()
    # Seal first so the head covers every event committed so far; then hold the sealers off while
    # the database is copied, so the copy, the head and the anchor on file agree.
    seal_chain()
    with sealing_paused() as head:
        anchor_content = anchor.read_bytes() if anchor.is_file() else None
        counts = table_counts()
        migrations = applied_migrations()
        tool = database_dump(settings_dict, directory / DUMP_FILES[engine])
    # Evidence files are stored before their rows commit, so every file the copy refers to is there.
    storage_files = storage_archive(root, directory / STORAGE_ARCHIVE, exclude=anchor)
    created_at = timezone.now().isoformat()
    if anchor_content is not None:
        (directory / ANCHOR_COPY).write_bytes(anchor_content)
    if head is not None:
        (directory / HEAD_FILE).write_text(
            json.dumps({"seq": head[0], "hash": head[1], "anchored_at": created_at}) + "\n", encoding="utf-8"
        )
    files = {
        path.name: {"sha256": file_sha256(path), "size": path.stat().st_size}
        for path in sorted(directory.iterdir())
        if path.name != MANIFEST
    }
    manifest = {
        "format": FORMAT,
        "created_at": created_at,
        "code": {"commit": _code_commit(), "migrations": migrations},
        "engine": engine,
        "database": {"name": str(settings_dict["NAME"]), "tool": tool},
        "audit_head": {"seq": head[0], "hash": head[1]} if head else None,
        "counts": counts,
        "files": files,
        "storage_files": storage_files,
    }
    manifest_write(directory, manifest)
    return manifest_read(directory)


def backup_check(source: Path) -> dict[str, Any]:
    """Everything about the backup in `source` that can be checked without touching the system: the
    manifest's signature, every file's SHA-256, the engine, migrations not newer than the code.
    Returns the manifest."""
    source = Path(source)
    if not source.is_dir():
        raise BackupError(_("备份目录 %(path)s 不存在。") % {"path": source})
    manifest = manifest_read(source)
    _check_files(source, manifest)
    engine = database_engine(connection.settings_dict)
    if manifest["engine"] != engine:
        raise BackupError(
            _("备份来自 %(backup)s 数据库，本系统使用 %(here)s：不能跨数据库引擎恢复。") % {"backup": manifest["engine"], "here": engine}
        )
    if DUMP_FILES[engine] not in manifest["files"] or STORAGE_ARCHIVE not in manifest["files"]:
        raise BackupError(_("备份不完整：清单中没有数据库副本或私有存储归档。"))
    newer = unknown_migrations(manifest["code"]["migrations"])
    if newer:
        raise BackupError(
            _("备份来自更新的程序版本：本程序没有迁移 %(migrations)s。请先升级程序再恢复。") % {"migrations": "、".join(newer)}
        )
    return manifest


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    verification: AuditVerification
    migrated: bool
    count_differences: list[str] = field(default_factory=list)


def backup_restore(*, source: Path, force: bool = False, actor=None, stdout=None) -> RestoreResult:
    """Replace the database and the private storage with the backup in `source`, then verify the
    restored audit chain against the backup's head and the content it vouches for, and audit the
    restore in the restored chain. Refuses, changing nothing, a backup that fails any check of
    `backup_check`, or a database that is not empty unless `force`."""
    source = Path(source)
    manifest = backup_check(source)
    if not force:
        empty, found = database_is_empty()
        if not empty:
            raise BackupError(
                _("目标数据库不是空的（%(found)s）：恢复会用备份替换其中的全部数据和私有存储中的全部文件。确认要替换时请加 --force。")
                % {"found": found}
            )
    try:
        head = (
            parse_head((source / HEAD_FILE).read_text(encoding="utf-8"), source=_("备份的链头文件"))
            if HEAD_FILE in manifest["files"]
            else None
        )
    except (OSError, UnicodeDecodeError, AnchorError) as error:
        raise BackupError(_("无法读取备份的链头文件：%(error)s") % {"error": error}) from error
    root = Path(settings.PRIVATE_STORAGE_ROOT)
    staging = storage_extract(source / STORAGE_ARCHIVE, root, manifest["storage_files"])
    try:
        database_restore(connection.settings_dict, source / DUMP_FILES[manifest["engine"]])
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    storage_swap(root, staging)
    _anchor_restore((source / ANCHOR_COPY).read_bytes() if ANCHOR_COPY in manifest["files"] else None)
    migrated = _migrate_if_behind(stdout)
    after = table_counts()
    differences = [
        _("%(model)s：备份时 %(before)s 行，恢复后 %(after)s 行") % {"model": label, "before": count, "after": after.get(label, "—")}
        for label, count in sorted(manifest["counts"].items())
        if after.get(label) != count
    ]
    verification = audit_verify(anchors=[head] if head else [], actor=actor)
    audit(
        type=SystemEvent.RESTORED,
        actor=actor,
        data={
            "backup_created_at": manifest["created_at"],
            "manifest_signature": manifest["signature"]["value"],
            "audit_head": manifest["audit_head"],
            "verified": verification.ok,
            "migrated": migrated,
            "forced": force,
        },
    )
    seal_chain()
    return RestoreResult(manifest=manifest, verification=verification, migrated=migrated, count_differences=differences)


def backup_created_local(manifest: dict[str, Any]) -> str:
    """When the backup was made, in local time, for messages."""
    return f"{timezone.localtime(dt.datetime.fromisoformat(manifest['created_at'])):%Y-%m-%d %H:%M:%S}"
