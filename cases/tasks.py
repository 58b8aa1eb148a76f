"""Celery tasks of the audit log (sealing every minute, a full verification every night) and of the
confirmed 批量导入."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from .audit import audit_verify, seal_chain
from .audit_trail.services import storage_check
from .onboarding.jobs import IMPORT_TIME_LIMIT, RUN_IMPORT_TASK, import_job_run
from .worker import PULSE_TASK, WORKER, record_pulse


@shared_task(acks_late=True, autoretry_for=(OperationalError, InterfaceError), retry_backoff=5, max_retries=5, soft_time_limit=120, time_limit=180)
def seal_audit_chain() -> int:
    return seal_chain()


@shared_task(acks_late=True, soft_time_limit=3000, time_limit=3300)
def verify_audit_chain() -> bool:
    return audit_verify(check_files=True, actor=None).ok


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, ignore_result=True)
def check_audit_storage() -> int:
    """The audit trail's storage near full: the auditors are told (once a day per store)."""
    return len(storage_check(now=timezone.now()))


@shared_task(name=PULSE_TASK, acks_late=True, soft_time_limit=20, time_limit=30, ignore_result=True)
def worker_pulse() -> None:
    """The worker answers: sent by the beat every WORKER_PULSE_SECONDS (cases.worker)."""
    record_pulse(WORKER, now=timezone.now())


@shared_task(name=RUN_IMPORT_TASK, acks_late=True, soft_time_limit=IMPORT_TIME_LIMIT - 100, time_limit=IMPORT_TIME_LIMIT, ignore_result=True)
def run_import_job(job_id: int) -> str:
    """A confirmed 批量导入 (cases.onboarding.jobs): one transaction, all or nothing."""
    return import_job_run(job_id, now_fn=timezone.now)


# A task's share of the worker: a pass stops after this many seconds and queues its continuation, so
# a rotation over millions of rows never holds the worker past its time limit.
REENCRYPT_BUDGET_SECONDS = 240


@shared_task(acks_late=True, autoretry_for=(OperationalError, InterfaceError), retry_backoff=5, max_retries=5, soft_time_limit=540, time_limit=600, ignore_result=True)
def encryption_reencrypt(key_id: str = "", target: int = 0, after: int = 0, done: int = 0, failed: int = 0) -> bool:
    """Re-encrypt under the current key what is still under an older key (or plaintext), in batches,
    resuming at (target, after); queues its own continuation and audits the end of a rotation
    (cases.encryption.rotation). Run with no arguments by the nightly beat."""
    from .encryption import keys
    from .encryption.rotation import REENCRYPT_TASK, Progress, reencrypt_pass, rotation_finish
    from .worker import wake_worker

    current = keys.provider().current_key_id()
    if key_id and key_id != current:
        return False  # a newer rotation started: its own pass does the work
    progress = reencrypt_pass(Progress(current, target, after, done, failed), budget_seconds=REENCRYPT_BUDGET_SECONDS)
    if not progress.finished:
        wake_worker(REENCRYPT_TASK, args=progress.as_args())
        return False
    return rotation_finish(progress)
