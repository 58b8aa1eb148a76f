"""Exactly one Celery beat per deployment (issue 22): beat takes a PostgreSQL advisory lock when it
starts (celery's beat_init signal, interference_registry.celery) and keeps the connection that holds
it open for as long as it runs. A second beat, on this machine or another against the same database,
finds the lock held and exits at once with EXIT_LOCK_HELD and a message saying why, instead of ringing
every sweep twice. The lock goes with the holder's connection: when that beat stops or its machine
dies, the next beat to start (systemd's Restart= on a standby) takes it.

The embedded default (SQLite, `make run`) runs beat inside its one worker (-B): nothing to guard.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

# pg_try_advisory_lock's key: "registry" in ASCII, a 63-bit number nothing else in the database uses.
BEAT_LOCK_KEY = int.from_bytes(b"registry", "big")
# EX_TEMPFAIL: systemd's Restart= tries again later; a script sees a non-zero exit.
EXIT_LOCK_HELD = 75

_holder = None  # the connection holding the lock, kept for the life of the process


def hold_beat_lock() -> bool:
    """Take the lock or exit the process. Returns False where there is nothing to guard (not PostgreSQL)."""
    global _holder
    from django.db import connections

    if connections["default"].vendor != "postgresql":
        return False
    # A connection of its own: Django's per-thread connections may be closed and reopened at will,
    # which would let the lock go.
    holder = connections.create_connection("default")
    holder.ensure_connection()
    holder.set_autocommit(True)
    with holder.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [BEAT_LOCK_KEY])
        (taken,) = cursor.fetchone()
    if not taken:
        holder.close()
        message = (
            "Another Celery beat already runs against this database (PostgreSQL advisory lock "
            f"{BEAT_LOCK_KEY} is held): this one exits so that no sweep is scheduled twice. "
            "Run exactly one beat per deployment (registry-beat.service on one machine)."
        )
        logger.error(message)
        raise SystemExit(EXIT_LOCK_HELD)
    _holder = holder
    logger.info("Celery beat holds the single-beat lock %s", BEAT_LOCK_KEY)
    return True
