"""Celery tasks of the audit log: sealing every minute, a full verification every night."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .audit import audit_verify, seal_chain


@shared_task(acks_late=True, autoretry_for=(OperationalError, InterfaceError), retry_backoff=5, max_retries=5, soft_time_limit=120, time_limit=180)
def seal_audit_chain() -> int:
    return seal_chain()


@shared_task(acks_late=True, soft_time_limit=3000, time_limit=3300)
def verify_audit_chain() -> bool:
    return audit_verify(check_files=True, actor=None).ok
