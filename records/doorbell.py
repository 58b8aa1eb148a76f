"""Ringing the worker: after a commit, ask Celery to run a sweep now rather than at the next beat.

The broker is only a doorbell (DESIGN §2): if it is down, the user's action has already succeeded
and the next scheduled sweep sends what is owed, because the database says what is owed.
"""

import logging

from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)


def _ring() -> None:
    from .tasks import sweep

    try:
        # retry=False: a dead broker must not hold up the request that rang. expires: a ring nobody
        # took within one sweep period is spent (the scheduled sweep has sent what was owed), so rings
        # made while no worker ran are dropped instead of queueing up ahead of real work.
        sweep.apply_async(retry=False, expires=settings.REMINDER_SWEEP_SECONDS)
    except Exception:  # noqa: BLE001 - any broker failure; the beat sweep is the safety net
        log.warning("broker unavailable; the next scheduled sweep will send what is owed", exc_info=True)


def ring_after_commit() -> None:
    transaction.on_commit(_ring)
