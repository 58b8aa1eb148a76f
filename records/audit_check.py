"""The audit verification service: seal, verify the chain and the content, keep the result."""

from collections.abc import Callable, Sequence

from django.utils import timezone

from cases.audit import Anchor, seal_chain, verify_chain
from cases.models import AuditVerification

from .integrity import verify_content

# Called as verifier(report, check_files=...): check_files says whether stored files are re-hashed.
ContentVerifier = Callable[..., None]

# Checks of content that upper apps vouch for in the chain (discipline: review conclusions, handling
# decisions, sanctions). Records may not import them, so they register here in AppConfig.ready().
_content_verifiers: list[ContentVerifier] = []


def register_content_verifier(verifier: ContentVerifier) -> None:
    """Have `audit_verify` run `verifier(report, check_files=...)` after the records' own checks (once, however often
    ready() runs)."""
    if verifier not in _content_verifiers:
        _content_verifiers.append(verifier)


def audit_verify(*, check_files: bool = True, anchors: Sequence[Anchor] = (), actor) -> AuditVerification:
    """Seal pending events, verify the chain (against the anchored head and any exported heads in
    `anchors`) and the records, evidence, amendments and registered content it vouches for, and store
    the result (shown to discipline staff)."""
    seal_chain()
    report = verify_chain(anchors=anchors)
    # Content is compared unless a link is broken: a chain cut short (anchor findings) still vouches
    # for the events it holds, and the content checks then tell what the missing events covered.
    if not report.broken:
        verify_content(report, check_files=check_files)
        for verifier in _content_verifiers:
            verifier(report, check_files=check_files)
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
