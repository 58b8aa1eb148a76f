"""Pure rules of API access."""

import datetime as dt


def rotation_expiry(*, now: dt.datetime, grace_days: int) -> dt.datetime:
    """When the keys a rotation replaces stop working: `grace_days` after the rotation, so the calling
    system can switch to the new key without an outage (0: at once)."""
    if grace_days < 0:
        raise ValueError(f"grace_days must be >= 0, got {grace_days}")
    return now + dt.timedelta(days=grace_days)
