"""Services over accounts: roles, discipline-body memberships and the superuser flag.

These decide who may read record content (DESIGN §1), so they change only here: never by the person
receiving them, each change in one audit event, and every change told to the discipline body's
staff (records fills `role_change_listeners` in its AppConfig.ready(); cases cannot import it).
A refused attempt is audited too, in its own transaction, so an escalation attempt leaves a trace
even though nothing changes."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from .audit import audit
from .hooks import Hook
from .models import Person
from .password_policy import password_history_record
from .roles import Role
from .rules import role_change_refusal
from .services import changed_values, person_save
from .vocabulary import AccountEvent


class AccountChangeRefused(Exception):
    """A role or superuser change that the rules refuse; `message` is for the user (translated)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RoleChange:
    """What changed on one account, as told to the listeners after commit."""

    user_id: int
    actor_id: int
    added: tuple[str, ...]
    removed: tuple[str, ...]
    superuser: bool | None  # the new flag, or None when unchanged
    event_id: int


# Callables taking a RoleChange, run after commit (records: notices to the discipline body's staff).
role_change_listeners = Hook("role_change_listeners")


def may_manage_accounts(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False)) and (actor.is_superuser or actor.has_perm("auth.change_user"))


def superuser_editable() -> bool:
    return settings.ACCOUNT_SUPERUSER_EDITABLE


def _refuse(*, user, actor, reason: str, attempted: dict) -> None:
    # Its own transaction, committed before the refusal is raised: the trace outlives the rollback
    # of whatever the caller was doing.
    with transaction.atomic():
        audit(type=AccountEvent.GRANT_REFUSED, actor=actor, obj=user, data={"reason": str(reason), "attempted": attempted})
    raise AccountChangeRefused(reason)


def account_change_refused(*, user, attempted: dict, actor) -> None:
    """Record an attempt to change roles, permissions or the superuser flag by a path that does not
    allow it (a crafted POST to the account form); always refuses."""
    reason = role_change_refusal(
        actor_id=actor.pk, user_id=user.pk, actor_may_manage=may_manage_accounts(actor), superuser_change="is_superuser" in attempted, superuser_editable=False
    ) or _("角色、权限和超级用户标志只能在“角色与权限”页面变更。")
    _refuse(user=user, actor=actor, reason=reason, attempted=attempted)


def user_roles_set(*, user, group_names: set[str], is_superuser: bool | None = None, actor) -> RoleChange | None:
    """Make `user`'s groups exactly `group_names` (role groups and discipline-body staff groups,
    created on first use) and, when given, set the superuser flag. Returns what changed, or None
    when nothing did. Raises AccountChangeRefused (after auditing the attempt) when refused."""
    current = set(user.groups.values_list("name", flat=True))
    added, removed = sorted(group_names - current), sorted(current - group_names)
    superuser = None if is_superuser is None or is_superuser == user.is_superuser else is_superuser
    if not added and not removed and superuser is None:
        return None
    attempted = {"added": added, "removed": removed} | ({"is_superuser": superuser} if superuser is not None else {})
    reason = role_change_refusal(
        actor_id=actor.pk,
        user_id=user.pk,
        actor_may_manage=may_manage_accounts(actor),
        superuser_change=superuser is not None,
        superuser_editable=superuser_editable(),
    )
    if reason:
        _refuse(user=user, actor=actor, reason=reason, attempted=attempted)
    with transaction.atomic():
        if added:
            user.groups.add(*[Group.objects.get_or_create(name=name)[0] for name in added])
        if removed:
            user.groups.remove(*Group.objects.filter(name__in=removed))
        if superuser is not None:
            user.is_superuser = superuser
            user.save(update_fields=["is_superuser"])
        if added:
            event_type = AccountEvent.ROLE_GRANTED
        elif removed:
            event_type = AccountEvent.ROLE_REVOKED
        else:
            event_type = AccountEvent.SUPERUSER_CHANGED
        event = audit(type=event_type, actor=actor, obj=user, data=attempted)
        # Role names are cached on the user object for a request (cases.roles.roles_of).
        user.__dict__.pop("_role_names", None)
        change = RoleChange(user_id=user.pk, actor_id=actor.pk, added=tuple(added), removed=tuple(removed), superuser=superuser, event_id=event.pk)
        for listener in role_change_listeners:
            transaction.on_commit(lambda listener=listener: listener(change))
    return change


_ACCOUNT_FIELDS_NOT_LOGGED = {"password"}


@transaction.atomic
def account_save(*, user, changed: list[str], actor, created: bool | None = None):
    """Save an account's own fields (name, e-mail, active, staff; a new account with its first
    password) as an administrator edited them: one audit event with the fields changed (a password's
    value never). `created` says the account is new when something outside the product's services
    already saved it (django-auth-ldap, cases.directory); by default, whether it has no key yet."""
    created = user.pk is None if created is None else created
    user.save()
    shown = [name for name in changed if name not in _ACCOUNT_FIELDS_NOT_LOGGED and not name.startswith("password")]
    audit(type=AccountEvent.ACCOUNT_SAVED, actor=actor, obj=user, data={"created": created, "changed": changed_values(user, shown), "password_set": created})
    return user


@transaction.atomic
def account_delete(*, user, actor) -> None:
    audit(type=AccountEvent.ACCOUNT_DELETED, actor=actor, obj=user, data={"username": user.get_username()})
    user.delete()


@transaction.atomic
def account_password_set(*, user, password: str | None, actor):
    """Set `user`'s password (an administrator's reset), or make it unusable when None (sign-in only
    through the directory): audited, the value never logged."""
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save(update_fields=["password"])
    # Chosen by someone else: its holder changes it at the next sign-in (cases.password_policy).
    password_history_record(user=user, temporary=actor is None or actor.pk != user.pk)
    audit(type=AccountEvent.ACCOUNT_PASSWORD_SET, actor=actor, obj=user, data={"usable": password is not None})
    return user


@transaction.atomic
def account_unlock(*, attempts, actor) -> int:
    """Clear failed sign-in attempts (django-axes lockout) for the accounts they name: audited per
    attempt row with its username and address."""
    count = 0
    for attempt in attempts:
        audit(type=AccountEvent.ACCOUNT_UNLOCKED, actor=actor, obj=attempt, data={"username": attempt.username, "ip": attempt.ip_address or ""})
        attempt.delete()
        count += 1
    return count


_PERSON_FIELDS = ["name", "position", "level", "unit", "is_leading_cadre", "user"]


def account_create(*, username: str, email: str, password: str | None, person: Person, group_names: set[str], actor):
    """Create an account together with its person record (name, unit, position, level) and its roles,
    in one transaction: nothing is left half made. The account, the person and the grant each write
    their usual audit event (account saved, person saved, role granted), the grant through
    `user_roles_set` so it is told to the discipline body's staff like any other. A password of None
    leaves the account for directory sign-in only. An administrator is made staff (the admin site).
    Raises AccountChangeRefused (after auditing the attempt) when the actor may not manage accounts."""
    reason = role_change_refusal(
        actor_id=actor.pk, user_id=0, actor_may_manage=may_manage_accounts(actor), superuser_change=False, superuser_editable=False
    )
    if reason:
        with transaction.atomic():
            audit(type=AccountEvent.GRANT_REFUSED, actor=actor, data={"reason": str(reason), "attempted": {"create": username, "added": sorted(group_names)}})
        raise AccountChangeRefused(reason)
    with transaction.atomic():
        user = get_user_model()(username=username, email=email, first_name=person.name, is_staff=Role.ADMIN.value in group_names)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        account_save(user=user, changed=["username", "email", "first_name", "is_staff"], actor=actor)
        password_history_record(user=user, temporary=True)  # an initial password: changed at first sign-in
        person.user = user
        person_save(person=person, changed=_PERSON_FIELDS, actor=actor)
        user_roles_set(user=user, group_names=group_names, actor=actor)
    return user
