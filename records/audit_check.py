"""The audit verification service: seal, verify the chain and the content, keep the result."""

from django.utils import timezone

from cases.audit import seal_chain, verify_chain
from cases.models import AuditVerification

from .integrity import verify_content


def audit_verify(*, check_files: bool = True, actor) -> AuditVerification:
    """Seal pending events, verify the chain and the records, evidence and amendments it vouches for,
    and store the result (shown to discipline staff)."""
    seal_chain()
    report = verify_chain()
    if report.ok:
        verify_content(report, check_files=check_files)
    return AuditVerification.objects.create(
        ran_at=timezone.now(),
        ok=report.ok,
        events_checked=report.events_checked,
        unsealed=report.unsealed,
        head_seq=report.head_seq,
        head_hash=report.head_hash,
        problems=report.problems,
        actor=actor if getattr(actor, "pk", None) else None,
    )
