"""Sign-in through the organisation's directory (LDAP / Active Directory, django-auth-ldap).

`DirectoryBackend` stands between django-axes' backend (first: a locked-out username is refused
before the directory is asked) and Django's ModelBackend (last: local accounts, kept for break-glass
administrators). On each directory sign-in the account is brought in line with the directory:

- name and e-mail (AUTH_LDAP_USER_ATTR_MAP), and the person record (`Person`) with its unit, found
  by the unit code in DIRECTORY_UNIT_ATTR, and its position (DIRECTORY_POSITION_ATTR);
- roles: each role in DIRECTORY_ROLE_GROUPS is held exactly while the user is a member of its
  directory group; each directory group named DIRECTORY_DISCIPLINE_GROUP_PREFIX + body code makes
  the user staff of that discipline body (`discipline:<code>`). Roles the settings do not map (an
  administrator granted locally) are left as they are.

Who grants: roles are changed only through `cases.accounts.user_roles_set`, whose rules refuse a
grant to oneself and a grant by anyone who may not manage accounts. The directory is the authority
here (its administrators approved the membership), so the grants are made by a dedicated service
account, `directory_actor()` (username DIRECTORY_SYNC_ACTOR): it holds the account-change permission,
has no usable password and cannot sign in through the directory either, so it only ever acts here.
Every grant, account and person change is audited with it as the actor and told to the discipline
body's staff like any other; the sign-in itself is audited as `account.directory_signed_in` with
the source "ldap", the entry's DN and the groups the directory gave.

Disabled in the directory: OpenLDAP has no account-disabled flag of its own, so a deployment names
a group whose members may not sign in (AUTH_LDAP_DENY_GROUP, django-auth-ldap's own setting) and/or
one whose members only may (AUTH_LDAP_REQUIRE_GROUP). A directory that refuses the bind itself
(Active Directory's disabled accounts, OpenLDAP's ppolicy lock) is refused by django-auth-ldap as
a wrong password. On a refused attempt by a user the directory disables, the local account is
deactivated (audited), so an open session ends at its next request and no local password can be
used instead; when the directory allows the user again, the account is reactivated at their next
sign-in, but only if it was the directory that deactivated it (an administrator's deactivation
stands).

Lockout and the second factor need nothing here: axes counts every failed attempt whichever backend
refused it, and SecondFactorMiddleware asks for the code after any sign-in by role.
"""

import logging

import ldap
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django_auth_ldap.backend import LDAPBackend, _LDAPUser
from django_auth_ldap.config import LDAPGroupQuery

from .accounts import account_save, user_roles_set
from .audit import audit
from .models import AuditEvent, Person, Unit
from .roles import DISCIPLINE_GROUP_PREFIX, Role, discipline_group_name
from .services import person_save
from .vocabulary import AccountEvent

log = logging.getLogger(__name__)

SOURCE = "ldap"
# The account fields django-auth-ldap fills from the entry (AUTH_LDAP_USER_ATTR_MAP may name these).
_ACCOUNT_FIELDS = ("first_name", "last_name", "email")


def directory_actor():
    """The service account that makes the directory's changes (created, audited, on first use). It
    grants what the directory says, so it holds the 安全保密管理员 role (三员分立: the one role that
    grants), given by the system in the same audited transaction; it has no usable password, so
    nobody signs in as it."""
    User = get_user_model()
    username = settings.DIRECTORY_SYNC_ACTOR
    actor = User.objects.filter(username=username).first()
    if actor is not None:
        return actor
    try:
        with transaction.atomic():
            actor = User(username=username, is_active=True)
            actor.set_unusable_password()
            account_save(user=actor, changed=["username"], actor=None)
            actor.groups.add(Group.objects.get_or_create(name=Role.SECURITY_ADMIN.value)[0])
            audit(type=AccountEvent.ROLE_GRANTED, actor=None, obj=actor, data={"added": [Role.SECURITY_ADMIN.value], "removed": [], "service_account": True})
    except IntegrityError:  # made meanwhile by a simultaneous first sign-in
        actor = User.objects.get(username=username)
    return actor


def _first(attrs, name: str) -> str:
    values = (attrs or {}).get(name) or [""]
    return str(values[0]).strip()


def directory_groups(ldap_user) -> set[str]:
    """The groups of this application that the directory gives `ldap_user`: mapped roles and
    discipline-body staff groups."""
    member_of = {dn.lower() for dn in ldap_user.group_dns}
    wanted = {role for role, dn in settings.DIRECTORY_ROLE_GROUPS.items() if dn.lower() in member_of}
    prefix = settings.DIRECTORY_DISCIPLINE_GROUP_PREFIX
    codes = {name[len(prefix) :] for name in ldap_user.group_names if prefix and name.startswith(prefix)}
    known = set(Unit.objects.filter(code__in=codes).values_list("code", flat=True))
    if codes - known:
        log.warning("directory groups name unknown discipline bodies %s (user %s)", sorted(codes - known), ldap_user.dn)
    return wanted | {discipline_group_name(code) for code in known}


def _managed(current: set[str]) -> set[str]:
    """Of `current`, the groups the directory decides."""
    return set(settings.DIRECTORY_ROLE_GROUPS) | {name for name in current if name.startswith(DISCIPLINE_GROUP_PREFIX)}


def _person_sync(*, user, attrs, actor) -> str:
    """Create or update the user's person record from the entry; returns the unit code given (which
    may name no unit here: then the unit is left as it was)."""
    code = _first(attrs, settings.DIRECTORY_UNIT_ATTR)
    wanted = {"name": user.get_full_name() or user.get_username(), "position": _first(attrs, settings.DIRECTORY_POSITION_ATTR)}
    unit = Unit.objects.filter(code=code).first() if code else None
    if unit is not None:
        wanted["unit"] = unit
    person = Person.objects.filter(user=user).first() or Person(user=user)
    changed = [] if person.pk else ["user"]
    for name, value in wanted.items():
        if getattr(person, name) != value:
            setattr(person, name, value)
            changed.append(name)
    if changed:
        person_save(person=person, changed=changed, actor=actor)
    return code


def _deactivated_by(user) -> int | None:
    """Who made the account's last change of `is_active` (an audit event's actor id)."""
    event = (
        AuditEvent.objects.filter(type=AccountEvent.ACCOUNT_SAVED, object_type="auth.user", object_id=str(user.pk), data__changed__has_key="is_active")
        .order_by("-pk")
        .first()
    )
    return event.actor_id if event is not None else None


@transaction.atomic
def directory_sign_in(*, user, ldap_user, before: dict | None):
    """Bring `user` (just authenticated by the directory and saved by django-auth-ldap; `before` its
    account fields before, None when new) in line with the entry, and audit the sign-in, in one
    transaction: a sync that fails half-way leaves the account as it was. Returns the user, or None
    when the account stays inactive."""
    actor = directory_actor()
    changed = [name for name in _ACCOUNT_FIELDS if before is None or before[name] != getattr(user, name)]
    if not user.is_active and _deactivated_by(user) == actor.pk:
        user.is_active = True
        changed.append("is_active")
    if changed:
        account_save(user=user, changed=["username", *changed] if before is None else changed, actor=actor, created=before is None)
    unit_code = _person_sync(user=user, attrs=ldap_user.attrs, actor=actor)
    given = directory_groups(ldap_user)
    current = set(user.groups.values_list("name", flat=True))
    user_roles_set(user=user, group_names=(current - _managed(current)) | given, actor=actor)
    audit(
        type=AccountEvent.DIRECTORY_SIGNED_IN,
        actor=user,
        obj=user,
        data={"source": SOURCE, "dn": ldap_user.dn, "groups": sorted(given), "unit": unit_code, "active": user.is_active},
    )
    return user if user.is_active else None


def directory_disables(ldap_user) -> bool:
    """Whether the directory has the user's entry and keeps them out (AUTH_LDAP_DENY_GROUP member, or
    not in AUTH_LDAP_REQUIRE_GROUP)."""
    if ldap_user.dn is None:
        return False
    deny, require = ldap_user.settings.DENY_GROUP, ldap_user.settings.REQUIRE_GROUP
    if deny and deny.lower() in {dn.lower() for dn in ldap_user.group_dns}:
        return True
    if require is None:
        return False
    query = require if isinstance(require, LDAPGroupQuery) else LDAPGroupQuery(require)
    return not query.resolve(ldap_user)


def directory_user_disable(*, username: str) -> None:
    """Deactivate the local account of a user the directory disables (audited, by the directory)."""
    user = get_user_model().objects.filter(username__iexact=username, is_active=True).first()
    if user is None:
        return
    user.is_active = False
    account_save(user=user, changed=["is_active"], actor=directory_actor())


class DirectoryBackend(LDAPBackend):
    """django-auth-ldap's backend, with the account, person and roles kept in line with the
    directory through the product's services (see the module docstring)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or username.strip().lower() == settings.DIRECTORY_SYNC_ACTOR.lower():
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and password:
            # Refused: if it is the directory keeping this user out (not a mistyped password), the
            # local account goes inactive too. A lookup of its own: the refused bind may have left
            # the first one's connection unbound.
            try:
                if directory_disables(_LDAPUser(self, username=username.strip(), request=request)):
                    directory_user_disable(username=self.ldap_to_django_username(username.strip()))
            except ldap.LDAPError as error:
                log.warning("directory unreachable while checking %s: %s", username, error)
        return user

    def get_or_build_user(self, username, ldap_user):
        user, built = super().get_or_build_user(username, ldap_user)
        ldap_user.registry_before = None if built else {name: getattr(user, name) for name in _ACCOUNT_FIELDS}
        return user, built

    def authenticate_ldap_user(self, ldap_user, password):
        with transaction.atomic():
            user = super().authenticate_ldap_user(ldap_user, password)
            if user is None:
                return None
            return directory_sign_in(user=user, ldap_user=ldap_user, before=ldap_user.registry_before)

    def get_user(self, user_id):
        """As ModelBackend: an inactive account's session ends."""
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None
