"""Key rotation: a new key becomes current (new ciphertext uses it at once), then everything under an
older key is re-encrypted in the background, in batches, while the older keys keep opening what is
not done yet. Retire an old key (remove it from its source) only after `encryption_status()` shows
nothing left under it.

The work is found from the data itself (values whose key id is not the current one, files whose header
names another key), so a re-encryption that stopped (a crash, a deploy) resumes where it was by simply
running again; the nightly beat runs it too. Values and files are written with compare-and-swap
(a value changed by a user meanwhile is left for the next pass) and files by renaming a complete
new file over the old one.

The same passes seal what is still plaintext (rows or files stored before encryption), and the data
migrations use `seal_column` / `seal_files` for the first encryption and its reversal.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from cases.audit import audit
from cases.models import AuditEvent

from . import cipher, keys
from .fields import EncryptedTextField
from .keys import EncryptionError, EncryptionKeyError
from .vocabulary import EncryptionEvent

log = logging.getLogger(__name__)

REENCRYPT_TASK = "cases.tasks.encryption_reencrypt"


def encrypted_columns() -> list[tuple[type[models.Model], models.Field]]:
    return [
        (model, f)
        for model in apps.get_models()
        for f in model._meta.concrete_fields
        if isinstance(f, EncryptedTextField) and not model._meta.proxy
    ]


def encrypted_file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    return [
        (model, f)
        for model in apps.get_models()
        for f in model._meta.concrete_fields
        if isinstance(f, models.FileField) and getattr(f.storage, "encrypts", False) and not model._meta.proxy
    ]


def _label(model, column: str) -> str:
    return f"{model._meta.label_lower}.{column}"


def _quoted(model, column: str) -> tuple[str, str, str]:
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), quote(column), quote(model._meta.pk.column)


# --- values -----------------------------------------------------------------------------------------


def _stale_values(model, column: str, key_id: str, *, after: int, limit: int) -> list[tuple[int, str]]:
    """(pk, stored value) of non-empty values not under `key_id`, by pk after `after`."""
    table, col, pk = _quoted(model, column)
    current = f"{cipher.PREFIX}{key_id}:%"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {pk}, {col} FROM {table} WHERE {pk} > %s AND {col} <> '' AND {col} NOT LIKE %s ORDER BY {pk} LIMIT %s",  # noqa: S608 - quoted names
            [after, current, limit],
        )
        return list(cursor.fetchall())


def _swap_value(model, column: str, pk_value: int, old: str, new: str) -> bool:
    table, col, pk = _quoted(model, column)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {col} = %s WHERE {pk} = %s AND {col} = %s", [new, pk_value, old])  # noqa: S608
        return cursor.rowcount == 1


def reencrypt_values(model, column: str, key_id: str, *, after: int, limit: int) -> tuple[int, int, int | None]:
    """One batch: (re-encrypted, failed, last pk read or None when the column is done)."""
    label = _label(model, column)
    done = failed = 0
    rows = _stale_values(model, column, key_id, after=after, limit=limit)
    with transaction.atomic():
        for pk_value, stored in rows:
            try:
                sealed = cipher.encrypt_text(cipher.decrypt_text(stored, aad=label), aad=label, key_id=key_id)
            except EncryptionError as error:
                failed += 1
                log.error("re-encryption: %s id %s cannot be decrypted: %s", label, pk_value, error)
                continue
            done += _swap_value(model, column, pk_value, stored, sealed)
    return done, failed, (rows[-1][0] if len(rows) == limit else None)


def seal_column(model, column: str, *, decrypt: bool = False) -> int:
    """For data migrations: encrypt every plaintext value of a column under the current key, or with
    `decrypt` write every value back as plaintext. Idempotent."""
    label = _label(model, column)
    table, col, pk = _quoted(model, column)
    condition = f"{col} NOT LIKE %s" if not decrypt else f"{col} LIKE %s"
    changed, after = 0, 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {pk}, {col} FROM {table} WHERE {pk} > %s AND {col} <> '' AND {condition} ORDER BY {pk} LIMIT 1000",  # noqa: S608
                [after, f"{cipher.PREFIX}%"],
            )
            rows = cursor.fetchall()
        if not rows:
            return changed
        for pk_value, stored in rows:
            new = cipher.decrypt_text(stored, aad=label) if decrypt else cipher.encrypt_text(stored, aad=label)
            changed += _swap_value(model, column, pk_value, stored, new)
        after = rows[-1][0]


# --- files ------------------------------------------------------------------------------------------


def _file_key(path: str) -> str | None:
    with open(path, "rb") as handle:
        header = cipher.read_header(handle)
    return None if header is None else header[0]


def reencrypt_files(model, file_field: models.FileField, key_id: str, *, after: int, limit: int) -> tuple[int, int, int | None]:
    """One batch of rows' files: (re-encrypted, failed, last pk read or None when done)."""
    rows = list(
        model._default_manager.filter(pk__gt=after)
        .exclude(**{file_field.name: ""})
        .order_by("pk")
        .values_list("pk", file_field.attname)[:limit]
    )
    done = failed = 0
    for pk_value, name in rows:
        path = file_field.storage.path(name)
        try:
            if _file_key(path) != key_id:
                done += cipher.rewrite_file(path, key_id=key_id)
        except FileNotFoundError:
            continue  # a missing file is the audit chain's finding, not the rotation's
        except (EncryptionError, OSError) as error:
            failed += 1
            log.error("re-encryption: file %s of %s id %s: %s", name, model._meta.label_lower, pk_value, error)
    return done, failed, (rows[-1][0] if len(rows) == limit else None)


def seal_files(model, field_name: str, *, decrypt: bool = False) -> int:
    """For data migrations: encrypt every plaintext file of a FileField, or with `decrypt` write them
    back as plaintext. Idempotent; a missing file is skipped."""
    file_field = model._meta.get_field(field_name)
    changed = 0
    for name in model._default_manager.exclude(**{field_name: ""}).values_list(field_name, flat=True).iterator():
        try:
            changed += cipher.rewrite_file(file_field.storage.path(name), decrypt=decrypt)
        except FileNotFoundError:
            continue
    return changed


# --- the rotation -----------------------------------------------------------------------------------


@dataclass
class Progress:
    """Where a re-encryption pass is: the target (column or file field, by index) and the last pk done."""

    key_id: str
    target: int = 0
    after: int = 0
    done: int = 0
    failed: int = 0
    finished: bool = field(default=False)

    def as_args(self) -> list:
        return [self.key_id, self.target, self.after, self.done, self.failed]


def _targets() -> list[tuple[str, object, object]]:
    return [("value", model, f) for model, f in encrypted_columns()] + [("file", model, f) for model, f in encrypted_file_fields()]


def reencrypt_pass(progress: Progress, *, budget_seconds: float, clock=time.monotonic) -> Progress:
    """Re-encrypt batches under `progress.key_id` until everything is done or the budget is spent;
    the returned progress says where to go on. Logs each batch."""
    started = clock()
    targets = _targets()
    batch = settings.ENCRYPTION_ROTATION_BATCH
    while progress.target < len(targets):
        kind, model, target_field = targets[progress.target]
        run = reencrypt_values if kind == "value" else reencrypt_files
        column = target_field.column if kind == "value" else target_field
        done, failed, last = run(model, column, progress.key_id, after=progress.after, limit=batch)
        progress.done += done
        progress.failed += failed
        log.info(
            "re-encryption under %s: %s %s.%s after id %s: %s re-encrypted, %s failed",
            progress.key_id, kind, model._meta.label_lower, target_field.name, progress.after, done, failed,
        )  # fmt: skip
        if last is None:
            progress.target, progress.after = progress.target + 1, 0
        else:
            progress.after = last
        if clock() - started > budget_seconds and progress.target < len(targets):
            return progress
    progress.finished = True
    return progress


def rotation_finish(progress: Progress) -> bool:
    """After a complete pass: audit the rotation's end once (when it was started and nothing failed)."""
    if progress.failed:
        log.error("re-encryption under %s: %s value(s) or file(s) could not be re-encrypted", progress.key_id, progress.failed)
        return False
    with transaction.atomic():
        started = AuditEvent.objects.filter(type=EncryptionEvent.ROTATION_STARTED, data__key=progress.key_id).exists()
        ended = AuditEvent.objects.filter(type=EncryptionEvent.ROTATION_FINISHED, data__key=progress.key_id).exists()
        if not started or ended:
            return False
        audit(type=EncryptionEvent.ROTATION_FINISHED, actor=None, data={"key": progress.key_id, "reencrypted": progress.done})
    log.info("re-encryption under %s finished: %s value(s) and file(s) re-encrypted", progress.key_id, progress.done)
    return True


def encryption_rotation_start(*, new_key: bool, actor) -> str:
    """Make a new key current (generated and stored by a writable key source, i.e. the key file) or,
    with `new_key` False, take the source's current key (set by the operator in the environment or
    the key manager), audit the start, and wake the background re-encryption. Returns the key id."""
    from cases.worker import wake_worker_after_commit

    source = keys.provider()
    previous = source.current_key_id()
    if new_key:
        if not hasattr(source, "add_key"):
            raise EncryptionKeyError(
                _(
                    "当前密钥来源不能由本程序写入新密钥：请在环境变量或密钥管理系统中加入新密钥并设为当前密钥，然后运行 encryption_rotate（不带 --new-key）。"
                )
            )
        key_id = keys.new_key_id()
        source.add_key(key_id, keys.new_key(), make_current=True)
    else:
        key_id = previous
    with transaction.atomic():
        audit(type=EncryptionEvent.ROTATION_STARTED, actor=actor, data={"key": key_id, "previous": previous if new_key else ""})
        wake_worker_after_commit(REENCRYPT_TASK, args=[key_id])
    return key_id


def encryption_status() -> dict[str, dict[str, int]]:
    """Per column and file field: how many values or files are under the current key, under older keys,
    or still plaintext (and, for files, missing). Counted by the database for columns."""
    current = keys.provider().current_key_id()
    status: dict[str, dict[str, int]] = {}
    for model, f in encrypted_columns():
        table, col, _pk = _quoted(model, f.column)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FILTER (WHERE {col} LIKE %s), COUNT(*) FILTER (WHERE {col} LIKE %s AND {col} NOT LIKE %s), "  # noqa: S608
                f"COUNT(*) FILTER (WHERE {col} NOT LIKE %s) FROM {table} WHERE {col} <> ''",
                [f"{cipher.PREFIX}{current}:%", f"{cipher.PREFIX}%", f"{cipher.PREFIX}{current}:%", f"{cipher.PREFIX}%"],
            )
            now, older, plaintext = cursor.fetchone()
        status[_label(model, f.column)] = {"current": now, "older": older, "plaintext": plaintext}
    for model, f in encrypted_file_fields():
        counts = {"current": 0, "older": 0, "plaintext": 0, "missing": 0}
        for name in model._default_manager.exclude(**{f.name: ""}).values_list(f.attname, flat=True).iterator():
            try:
                key_id = _file_key(f.storage.path(name))
            except OSError:
                counts["missing"] += 1
                continue
            counts["current" if key_id == current else "plaintext" if key_id is None else "older"] += 1
        status[f"{model._meta.label_lower}.{f.name}"] = counts
    return status
