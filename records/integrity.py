"""Content integrity: the hashes of submitted records, their amendments and their evidence files are
written into the audit chain when they are made, so editing a record directly in the database or
swapping an evidence file on disk is detected by `verify_audit_chain`."""

import datetime as dt
import hashlib
import json

from cases.audit import ChainReport
from cases.models import AuditEvent

from .models import Amendment, Evidence, InterferenceRecord
from .services_fields import RECORD_FIELDS

# Fields of a submitted record that never change again (status and the discipline side's progress
# are not content).
CONTENT_FIELDS = (*RECORD_FIELDS, "serial", "recorder", "recorder_unit", "due_at", "submitted_at", "late_reason", "also_report_higher")


def _plain(value):
    # Datetimes in UTC, so a value read back from the database hashes like the one that was written.
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return value


def _digest(payload) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def record_content_hash(record: InterferenceRecord, category_ids: list[int]) -> str:
    """Hash of a submitted record's content (foreign keys by id)."""
    values = {name: _plain(record.serializable_value(name)) for name in CONTENT_FIELDS}
    values["categories"] = sorted(category_ids)
    return _digest(values)


def amendment_hash(amendment: Amendment) -> str:
    return _digest({"record": amendment.record_id, "text": amendment.text, "reason": amendment.reason, "author": amendment.author_id})


def file_sha256(evidence: Evidence) -> str | None:
    sha = hashlib.sha256()
    try:
        with evidence.file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                sha.update(chunk)
    except (FileNotFoundError, OSError):
        return None
    return sha.hexdigest()


def verify_content(report: ChainReport, *, check_files: bool = True) -> None:
    """Compare what the chain vouches for with what is stored now; add findings to `report`."""
    sealed = AuditEvent.objects.filter(seq__isnull=False)
    submitted_events = list(sealed.filter(type=AuditEvent.Type.RECORD_SUBMITTED).values_list("object_id", "data"))
    submitted = {object_id: data.get("content_hash") for object_id, data in submitted_events}
    sealed_evidence = {object_id: data.get("evidence") for object_id, data in submitted_events}
    ids = [int(pk) for pk in submitted]
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        for record in InterferenceRecord.objects.filter(pk__in=chunk).prefetch_related("categories"):
            expected = submitted[str(record.pk)]
            if expected and record_content_hash(record, [c.pk for c in record.categories.all()]) != expected:
                report.problems.append(f"记录 {record.serial} 报送后的内容与审计链记载不符（被直接修改）")
            files = sealed_evidence[str(record.pk)]
            if files is not None:
                attached = sorted([pk, sha] for pk, sha in Evidence.objects.filter(record_id=record.pk).values_list("pk", "sha256"))
                # Evidence added after submission is appended through its own sealed upload event.
                if not all(item in attached for item in files):
                    report.problems.append(f"记录 {record.serial} 报送时的证据材料被移除或替换")
        missing = set(chunk) - set(InterferenceRecord.objects.filter(pk__in=chunk).values_list("pk", flat=True))
        report.problems.extend(f"已报送的记录（ID {pk}）已不存在（被删除）" for pk in sorted(missing))
    amended = dict(sealed.filter(type=AuditEvent.Type.RECORD_AMENDED).values_list("data__amendment", "data__hash"))
    present = set()
    for amendment in Amendment.objects.filter(pk__in=[pk for pk in amended if pk]).iterator():
        present.add(amendment.pk)
        if amended[amendment.pk] and amendment_hash(amendment) != amended[amendment.pk]:
            report.problems.append(f"补充说明（ID {amendment.pk}）与审计链记载不符（被直接修改）")
    report.problems.extend(f"补充说明（ID {pk}）已不存在（被删除）" for pk in sorted(pk for pk in amended if pk and pk not in present))
    uploaded = dict(sealed.filter(type=AuditEvent.Type.EVIDENCE_UPLOADED).values_list("object_id", "data__sha256"))
    existing = set(Evidence.objects.filter(pk__in=[int(pk) for pk in uploaded]).values_list("pk", flat=True))
    # A staged upload never attached may be cleaned up; one that belonged to a submitted record may not.
    frozen = {pk for files in sealed_evidence.values() if files for pk, _sha in files}
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
