"""Integrity of tolerance applications' proof (R-TOL, 004 第二十条): the hash of each uploaded file is
written into the audit chain when it is uploaded (``tolerance.evidence_uploaded``), so a file swapped
on disk, or its recorded hash edited in the database, is found by the audit verification.

Meant to be registered with the verifier registry of ``records.audit_check`` (the content checks
the audit verification runs after the chain itself)."""

from __future__ import annotations

from cases.audit import ChainReport
from cases.models import AuditEvent
from discipline.faults.models import ToleranceApplication
from discipline.faults.vocabulary import FaultEvent
from records.record.evidence import digest


def verify_tolerance_evidence(report: ChainReport, *, check_files: bool = True) -> None:
    """Compare every tolerance application's proof with the hash its sealed upload event vouches for;
    add findings to `report`."""
    sealed = AuditEvent.objects.filter(seq__isnull=False, type=FaultEvent.TOLERANCE_EVIDENCE_UPLOADED)
    vouched = dict(sealed.values_list("object_id", "data__sha256"))
    present = set()
    for app in ToleranceApplication.objects.filter(pk__in=[int(pk) for pk in vouched]).only("pk", "evidence", "evidence_sha256").iterator():
        present.add(app.pk)
        expected = vouched[str(app.pk)]
        if app.evidence_sha256 != expected:
            report.problems.append(f"容错申请（ID {app.pk}）证明材料的哈希记录被修改")
        elif not app.evidence:
            report.problems.append(f"容错申请（ID {app.pk}）的证明材料被移除")
        elif check_files:
            try:
                with app.evidence.open("rb") as handle:
                    actual, _size, _type = digest(handle)
            except OSError:
                report.problems.append(f"容错申请（ID {app.pk}）的证明材料文件缺失")
            else:
                if actual != expected:
                    report.problems.append(f"容错申请（ID {app.pk}）的证明材料文件被替换或修改")
    report.problems.extend(f"容错申请（ID {pk}）已不存在（被删除）" for pk in sorted(int(pk) for pk in vouched if int(pk) not in present))
