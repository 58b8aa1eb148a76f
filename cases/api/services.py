"""Services over calling systems, their keys, and the cases they push. The only writers of these: one
transaction and one audit event each (a pushed case is audited as an administrator's edit is)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.audit import audit
from cases.models import ApiKey, ApiSystem, Case, Person, Unit, key_generator
from cases.roles import Role, has_role
from cases.services import case_save, person_save

from .rules import rotation_expiry
from .vocabulary import ApiEvent

ACCOUNT_PREFIX = "api:"


@dataclass(frozen=True)
class IssuedKey:
    """A key as issued: ``raw`` is shown once and never stored."""

    key: ApiKey
    raw: str
    replaced_until: dt.datetime | None = None  # when the keys it replaces stop (a rotation)


def _require_administrator(actor) -> None:
    if not (getattr(actor, "is_superuser", False) or has_role(actor, Role.ADMIN)):
        raise ValidationError(_("只有管理员可以管理接入系统及其密钥。"))


def _issue(system: ApiSystem, name: str) -> IssuedKey:
    raw, prefix, hashed = key_generator.generate()
    key = ApiKey.objects.create(system=system, name=name[:50], prefix=prefix, hashed_key=hashed)
    return IssuedKey(key=key, raw=raw)


@transaction.atomic
def api_system_save(*, code: str, name: str, units: Sequence[Unit], is_active: bool = True, actor) -> tuple[ApiSystem, IssuedKey | None]:
    """Create the system `code` with its account and a first key, or change its name, units and state.
    Returns the system and the key issued (None when the system existed)."""
    _require_administrator(actor)
    if not units:
        raise ValidationError({"units": [_("请至少指定一个授权单位。")]})
    system = ApiSystem.objects.select_for_update().filter(code=code).first()
    issued = None
    created = system is None
    if created:
        account = get_user_model().objects.create(username=f"{ACCOUNT_PREFIX}{code}", first_name=name[:150], is_active=False)
        account.set_unusable_password()
        account.save(update_fields=["password"])
        system = ApiSystem.objects.create(code=code, name=name, account=account, is_active=is_active)
    else:
        system.name, system.is_active = name, is_active
        system.save(update_fields=["name", "is_active"])
    system.units.set(units)
    if created:
        issued = _issue(system, f"{code}-1")
    audit(
        type=ApiEvent.SYSTEM_SAVED,
        actor=actor,
        obj=system,
        data={"created": created, "name": name, "units": sorted(unit.code for unit in units), "active": is_active, "key": issued.key.prefix if issued else ""},
    )
    return system, issued


@transaction.atomic
def api_key_rotate(*, system: ApiSystem, actor, now: dt.datetime) -> IssuedKey:
    """Issue a new key; the system's other usable keys stop at the end of the grace period
    (API_KEY_ROTATION_GRACE_DAYS) unless they stop sooner."""
    _require_administrator(actor)
    until = rotation_expiry(now=now, grace_days=settings.API_KEY_ROTATION_GRACE_DAYS)
    old = list(ApiKey.objects.select_for_update().filter(system=system, revoked=False))
    for key in old:
        if key.expires_at is None or key.expires_at > until:
            key.expires_at = until
            key.save(update_fields=["expires_at"])
    new = _issue(system, f"{system.code}-{ApiKey.objects.filter(system=system).count() + 1}")
    issued = IssuedKey(key=new.key, raw=new.raw, replaced_until=until if old else None)
    audit(
        type=ApiEvent.KEY_ROTATED,
        actor=actor,
        obj=system,
        data={"key": issued.key.prefix, "old_keys": sorted(key.prefix for key in old), "old_keys_expire": until.isoformat()},
    )
    return issued


@transaction.atomic
def api_key_revoke(*, key: ApiKey, actor) -> ApiKey:
    """Stop `key` at once; it cannot be restored."""
    _require_administrator(actor)
    locked = ApiKey.objects.select_for_update().get(pk=key.pk)
    if not locked.revoked:
        locked.revoked = True
        locked.save(update_fields=["revoked"])
        audit(type=ApiEvent.KEY_REVOKED, actor=actor, obj=locked.system, data={"key": locked.prefix})
    return locked


@dataclass(frozen=True)
class OfficerEntry:
    """One handling officer as the case system names them."""

    number: str
    name: str
    position: str = ""


def _officer_upsert(entry: OfficerEntry, unit: Unit, actor) -> Person:
    person = Person.objects.select_related("user").filter(number=entry.number).first()
    if person is None:
        person = Person(number=entry.number, name=entry.name, position=entry.position, unit=unit)
        return person_save(person=person, changed=["number", "name", "position", "unit"], actor=actor)
    changed = [name for name, value in (("name", entry.name), ("position", entry.position)) if value and getattr(person, name) != value]
    if changed:
        for name in changed:
            setattr(person, name, getattr(entry, name))
        person_save(person=person, changed=changed, actor=actor)
    return person


@transaction.atomic
def case_upsert(*, number: str, values: dict, officers: Sequence[OfficerEntry] | None, actor) -> tuple[Case, bool, bool]:
    """Create or update the case `number` (the case system's push; idempotent). `values` are the case's
    own fields (unit an instance); `officers`, when given, become its handling officers: each person
    found by number (created in the case's unit when new, name and position refreshed), and those with
    an account linked. Returns (case, created, changed); nothing is written or audited when nothing
    changed."""
    case = Case.objects.select_for_update().filter(number=number).first()
    created = case is None
    if created:
        case = Case(number=number)
    changed = [name for name, value in values.items() if created or getattr(case, name) != value]
    for name in changed:
        setattr(case, name, values[name])
    people = [_officer_upsert(entry, case.unit, actor) for entry in officers] if officers is not None else None
    accounts = None
    if people is not None:
        accounts = sorted({person.user_id for person in people if person.user_id})
        current = sorted(case.handling_officers.values_list("pk", flat=True)) if not created else []
        if accounts == current:
            accounts = None
    if not created and not changed and accounts is None:
        return case, False, False
    case_save(case=case, changed=changed, handling_officers=accounts, actor=actor)
    return case, created, True
