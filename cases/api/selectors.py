"""What a calling system may reach: its units and their subtrees."""

from __future__ import annotations

from django.utils import timezone

from cases.models import ApiKey, ApiSystem
from cases.selectors import unit_subtree_ids


def usable_key(raw_key: str) -> ApiKey | None:
    """The key `raw_key` names, with its system and the system's account, if it is neither revoked nor
    expired (nor its system disabled); otherwise None."""
    prefix, _dot, _secret = raw_key.partition(".")
    if not prefix or not _secret:
        return None
    key = ApiKey.objects.filter(prefix=prefix, revoked=False).select_related("system__account").first()
    if key is None or not key.matches(raw_key) or not key.system.is_active:
        return None
    if key.expires_at is not None and key.expires_at <= timezone.now():
        return None
    return key


def scope_unit_ids(system: ApiSystem) -> frozenset[int]:
    """The ids of the units `system` is authorised for and of every unit below them; cached on the
    system object for the request."""
    cached = getattr(system, "_scope_unit_ids", None)
    if cached is None:
        ids: set[int] = set()
        for unit in system.units.all():
            ids.update(unit_subtree_ids(unit))
        cached = frozenset(ids)
        system._scope_unit_ids = cached
    return cached


def system_of(user) -> ApiSystem | None:
    """The calling system whose account `user` is, or None for a person's account."""
    try:
        return user.api_system
    except (ApiSystem.DoesNotExist, AttributeError):
        return None
