"""Waking the Celery worker after a commit, rather than waiting for the next beat.

The broker only wakes the worker (DESIGN §2): the database says what is owed. If the broker is down,
the user's action has already succeeded and the next scheduled run does the work, so a failure here
is logged, never raised.
"""

import logging
from collections.abc import Sequence

from celery import current_app
from django.db import transaction

log = logging.getLogger(__name__)


def wake_worker(task_name: str, *, args: Sequence = (), expires: float | None = None, logger: logging.Logger | None = None) -> None:
    """Ask the worker to run `task_name` now. `retry=False`: a dead broker must not hold up the request
    that woke it. `expires`: a wake-up nobody took in time is spent (the scheduled run has done the
    work), so wake-ups made while no worker ran are dropped instead of queueing up ahead of real work.
    `logger`: the caller's, so a broker failure is logged where the caller's logs go."""
    try:
        current_app.send_task(task_name, args=list(args), retry=False, expires=expires)
    except Exception:  # noqa: BLE001 - any broker failure; the scheduled run is the safety net
        (logger or log).warning("broker unavailable; the next scheduled run of %s does what is owed", task_name, exc_info=True)


def wake_worker_after_commit(task_name: str, *, args: Sequence = (), expires: float | None = None, logger: logging.Logger | None = None) -> None:
    transaction.on_commit(lambda: wake_worker(task_name, args=args, expires=expires, logger=logger))
