"""Content integrity: the hashes of submitted records, their amendments and their evidence files are
written into the audit chain when they are made, so editing a record directly in the database or
swapping an evidence file on disk is detected by `verify_audit_chain`. Verification also looks the
other way: a submitted record, an amendment or a file of a submitted record without the event that
made it is forged (or its event was deleted).

New content hashes are SM3 and say so (``sm3:<hex>``, cases.sm.tagged); those written before the
switch are bare SHA-256 hex and are recomputed with SHA-256 (cases.sm.tagged_matches). Evidence files
keep their SHA-256 (`Evidence.sha256`, also what a downloader checks a copy against)."""

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Prefetch

from cases import sm
from cases.audit import ChainReport
from cases.models import AuditEvent
from records.record.vocabulary import RecordEvent

from .models import RECORD_FIELDS, Amendment, Evidence, InterferenceRecord

# Fields of a submitted record that never change again (status and the discipline side's progress
# are not content).
CONTENT_FIELDS = (*RECORD_FIELDS, "serial", "recorder", "recorder_unit", "due_at", "submitted_at", "late_reason", "also_report_higher")


def plain(value):
    """A field value as it hashes: datetimes in UTC, so a value read back from the database hashes
    like the one that was written."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return value


def content_digest(payload, *, algorithm: str = sm.CURRENT) -> str:
    """The tagged hash (``sm3:<hex>``, or bare hex for SHA-256) of a JSON-able payload."""
    return sm.tagged(algorithm, json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode())


def fields_hash(instance: models.Model, names: Iterable[str], *, algorithm: str = sm.CURRENT, **extra) -> str:
    """Hash of the named fields of a row (foreign keys by id) and `extra` values: what the chain
    vouches for when a service writes that row."""
    values = {name: plain(instance.serializable_value(name)) for name in names}
    values.update(extra)
    return content_digest(values, algorithm=algorithm)


def matches(stored: str, compute: Callable[[str], str]) -> bool:
    """Whether a row still hashes to `stored`, recomputed with the algorithm `stored` was made with."""
    return sm.tagged_matches(stored, compute)


def record_content_hash(record: InterferenceRecord, category_ids: list[int], *, algorithm: str = sm.CURRENT) -> str:
    """Hash of a submitted record's content (foreign keys by id)."""
    return fields_hash(record, CONTENT_FIELDS, algorithm=algorithm, categories=sorted(category_ids))


def amendment_hash(amendment: Amendment, *, algorithm: str = sm.CURRENT) -> str:
    payload = {"record": amendment.record_id, "text": amendment.text, "reason": amendment.reason, "author": amendment.author_id}
    return content_digest(payload, algorithm=algorithm)


def file_sha256(evidence: Evidence) -> str | None:
    sha = hashlib.sha256()
    try:
        with evidence.file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                sha.update(chunk)
    except (FileNotFoundError, OSError):
        return None
    return sha.hexdigest()


def chained_events(types: Iterable[str]):
    """(type, object_id, data) of the events of these types, oldest first, streamed.

    Unsealed events count too: verification runs right after a seal, so they are the ones committed
    since (work done during the run), which the next seal links; a row they vouch for is not
    "without its event"."""
    return AuditEvent.objects.filter(type__in=list(types)).order_by("id").values_list("type", "object_id", "data").iterator(chunk_size=5000)


@dataclass
class _Vouched:
    """What the chain says about records: per submitted record its content hash and files, per
    amendment its hash, per evidence its file hash and, for a file uploaded straight into a
    submitted record, that record."""

    submitted: dict[str, str | None] = field(default_factory=dict)
    files: dict[str, list | None] = field(default_factory=dict)
    amended: dict[int, str | None] = field(default_factory=dict)
    uploaded: dict[str, str | None] = field(default_factory=dict)
    added_to: dict[int, int] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "_Vouched":
        vouched = cls()
        types = (RecordEvent.RECORD_SUBMITTED, RecordEvent.RECORD_AMENDED, RecordEvent.EVIDENCE_UPLOADED)
        for event_type, object_id, data in chained_events(types):
            if event_type == RecordEvent.RECORD_SUBMITTED:
                vouched.submitted[object_id] = data.get("content_hash")
                vouched.files[object_id] = data.get("evidence")
            elif event_type == RecordEvent.RECORD_AMENDED:
                if data.get("amendment"):
                    vouched.amended[data["amendment"]] = data.get("hash")
            else:
                vouched.uploaded[object_id] = data.get("sha256")
                if data.get("record") is not None:
                    vouched.added_to[int(object_id)] = int(data["record"])
        return vouched


def _verify_records(report: ChainReport, vouched: _Vouched) -> None:
    """Each submitted record against its submission event, both ways."""
    ids = [int(pk) for pk in vouched.submitted]
    files_on_disk = Prefetch("evidence", queryset=Evidence.objects.only("pk", "sha256", "record_id"))
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        found = set()
        for record in InterferenceRecord.objects.filter(pk__in=chunk).prefetch_related("categories", files_on_disk):
            found.add(record.pk)
            expected = vouched.submitted[str(record.pk)]
            category_ids = [c.pk for c in record.categories.all()]
            if expected and not matches(expected, lambda algorithm: record_content_hash(record, category_ids, algorithm=algorithm)):  # noqa: B023 - called at once
                report.problems.append(f"记录 {record.serial} 报送后的内容与审计链记载不符（被直接修改）")
            files = vouched.files[str(record.pk)]
            if files is None:
                continue  # submitted before the chain listed files
            attached = [[evidence.pk, evidence.sha256] for evidence in record.evidence.all()]
            if not all(item in attached for item in files):
                report.problems.append(f"记录 {record.serial} 报送时的证据材料被移除或替换")
            # A file joins a submitted record only through its own upload event naming that record;
            # anything else (a draft's file moved over, a forged row) has no event saying so.
            listed = {pk for pk, _sha in files}
            unvouched = [pk for pk, _sha in attached if pk not in listed and vouched.added_to.get(pk) != record.pk]
            if unvouched:
                report.problems.append(f"记录 {record.serial} 报送后被加入了审计链未记载的证据材料（ID {'、'.join(map(str, unvouched))}）")
        report.problems.extend(f"已报送的记录（ID {pk}）已不存在（被删除）" for pk in sorted(set(chunk) - found))
    submitted_rows = InterferenceRecord.objects.exclude(status=InterferenceRecord.Status.DRAFT).values_list("pk", "serial")
    report.add_findings(
        f"记录 {serial} 已报送，但审计链中没有它的报送事件（事件被删除或记录被伪造）"
        for pk, serial in submitted_rows.iterator(chunk_size=5000)
        if str(pk) not in vouched.submitted
    )


def _verify_amendments(report: ChainReport, vouched: _Vouched) -> None:
    """Each amendment against its event, both ways."""
    present, forged = set(), []
    for amendment in Amendment.objects.order_by("pk").iterator(chunk_size=2000):
        present.add(amendment.pk)
        if amendment.pk not in vouched.amended:
            forged.append(f"补充说明（ID {amendment.pk}）在审计链中没有补充事件（被伪造或事件被删除）")
        elif vouched.amended[amendment.pk] and not matches(vouched.amended[amendment.pk], lambda algorithm: amendment_hash(amendment, algorithm=algorithm)):  # noqa: B023
            report.problems.append(f"补充说明（ID {amendment.pk}）与审计链记载不符（被直接修改）")
    report.add_findings(forged)
    report.problems.extend(f"补充说明（ID {pk}）已不存在（被删除）" for pk in sorted(pk for pk in vouched.amended if pk not in present))


def _verify_evidence(report: ChainReport, vouched: _Vouched, *, check_files: bool) -> None:
    """Each uploaded file against its upload event (hash recorded, file on disk)."""
    uploaded = vouched.uploaded
    existing = set(Evidence.objects.filter(pk__in=[int(pk) for pk in uploaded]).values_list("pk", flat=True))
    # A staged upload never attached may be cleaned up; one that belonged to a submitted record may not.
    frozen = {pk for files in vouched.files.values() if files for pk, _sha in files}
    report.problems.extend(f"证据材料（ID {pk}）已不存在（被删除）" for pk in sorted(frozen - existing))
    for evidence in Evidence.objects.filter(pk__in=existing).iterator():
        expected = uploaded[str(evidence.pk)]
        if evidence.sha256 != expected:
            report.problems.append(f"证据“{evidence.original_name}”（ID {evidence.pk}）的哈希记录被修改")
        elif check_files:
            actual = file_sha256(evidence)
            if actual is None:
                report.problems.append(f"证据“{evidence.original_name}”（ID {evidence.pk}）的文件缺失")
            elif actual != expected:
                report.problems.append(f"证据“{evidence.original_name}”（ID {evidence.pk}）的文件被替换或修改")


def verify_content(report: ChainReport, *, check_files: bool = True) -> None:
    """Compare what the chain vouches for with what is stored now, both ways (every submitted record,
    amendment and file of a submitted record has its event, and matches it); add findings to `report`."""
    vouched = _Vouched.load()
    _verify_records(report, vouched)
    _verify_amendments(report, vouched)
    _verify_evidence(report, vouched, check_files=check_files)
