"""Services over accounts: roles, discipline-body memberships and the superuser flag.

These decide who may read record content (DESIGN §1), so they change only here: never by the person
receiving them, each change in one audit event, and every change told to the discipline body's
staff (records fills `role_change_listeners` in its AppConfig.ready(); cases cannot import it).

三员分立 (issue 23): the 系统管理员 keeps accounts and people but grants nothing; a role they want
an account to have is a RoleRequest, decided by a 安全保密管理员, who alone grants; the 安全审计员
reads the audit trail. No account holds two of the three, and nobody grants to themselves: the
rule refuses it here and the database refuses it again (cases migration 0024).
A refused attempt is audited too, in its own transaction, so an escalation attempt leaves a trace
even though nothing changes."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit
from .audit_trail.alerts import auditor_alerts
from .hooks import Hook
from .models import Person, RoleRequest
from .password_policy import password_history_record
from .roles import ADMINISTRATOR_ROLES, ROLE_PERMISSIONS, Role, has_role
from .rules import administrator_roles_refusal, role_change_refusal
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


# Callables taking a RoleRequest, run after commit: a new request (told to every 安全保密管理员) and a
# decision (told to whoever asked); records fills it.
role_request_listeners = Hook("role_request_listeners")


def may_manage_accounts(actor) -> bool:
    """The 系统管理员 (or a superuser): accounts' own fields, new accounts, people and units."""
    return bool(getattr(actor, "is_authenticated", False)) and (actor.is_superuser or has_role(actor, Role.ADMIN))


def may_grant_roles(actor) -> bool:
    """The 安全保密管理员 (or a superuser): roles, discipline-body memberships, role requests."""
    return bool(getattr(actor, "is_authenticated", False)) and (actor.is_superuser or has_role(actor, Role.SECURITY_ADMIN))


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
        actor_id=actor.pk, user_id=user.pk, actor_may_grant=may_grant_roles(actor), superuser_change="is_superuser" in attempted, superuser_editable=False
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
        actor_may_grant=may_grant_roles(actor),
        resulting_roles=group_names,
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
        # The admin site is the administrators' workplace: staff exactly while one of the three roles is held.
        user.is_staff = bool(group_names & ADMINISTRATOR_ROLES) or user.is_superuser
        user.save(update_fields=["is_superuser", "is_staff"])
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


def account_unlock(*, attempts, actor) -> int:
    """Clear failed sign-in attempts (django-axes lockout) for the accounts they name: audited per
    attempt row with its username and address, in one transaction. The 安全保密管理员's work
    (三员分立): anyone else is refused, the attempt audited."""
    attempts = list(attempts)
    if not may_grant_roles(actor):
        with transaction.atomic():
            reason = _("只有安全保密管理员可以解除登录锁定。")
            audit(type=AccountEvent.GRANT_REFUSED, actor=actor, data={"reason": str(reason), "attempted": {"unlock": [a.username for a in attempts]}})
        raise AccountChangeRefused(reason)
    with transaction.atomic():
        for attempt in attempts:
            audit(type=AccountEvent.ACCOUNT_UNLOCKED, actor=actor, obj=attempt, data={"username": attempt.username, "ip": attempt.ip_address or ""})
            attempt.delete()
    return len(attempts)


_PERSON_FIELDS = ["name", "position", "level", "unit", "is_leading_cadre", "user"]


def account_create(*, username: str, email: str, password: str | None, person: Person, group_names: set[str], actor):
    """Create an account together with its person record (name, unit, position, level), in one
    transaction: nothing is left half made. The account and the person each write their usual audit
    event. The roles asked for are granted at once when the actor may grant (a superuser); from a
    系统管理员 they become a RoleRequest for a 安全保密管理员 to decide (三员分立). A password of None
    leaves the account for directory sign-in only. Raises AccountChangeRefused (after auditing the
    attempt) when the actor may not manage accounts or asks for two administrators' roles."""
    refusal = _("只有系统管理员可以新建账号。") if not may_manage_accounts(actor) else administrator_roles_refusal(group_names)
    if refusal:
        with transaction.atomic():
            audit(type=AccountEvent.GRANT_REFUSED, actor=actor, data={"reason": str(refusal), "attempted": {"create": username, "added": sorted(group_names)}})
        raise AccountChangeRefused(refusal)
    with transaction.atomic():
        user = get_user_model()(username=username, email=email, first_name=person.name)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        account_save(user=user, changed=["username", "email", "first_name"], actor=actor)
        password_history_record(user=user, temporary=True)  # an initial password: changed at first sign-in
        person.user = user
        person_save(person=person, changed=_PERSON_FIELDS, actor=actor)
        if group_names:
            account_roles_ask(user=user, group_names=group_names, actor=actor)
    return user


def account_roles_ask(*, user, group_names: set[str], actor) -> RoleChange | RoleRequest | None:
    """Give `user` the groups `group_names` as far as `actor` may: granted at once by whoever may
    grant, asked for (a RoleRequest) by a 系统管理员. What the account already holds is kept; only
    what it lacks is asked for. Returns the change, the request, or None when nothing was missing."""
    if may_grant_roles(actor):
        return user_roles_set(user=user, group_names=set(user.groups.values_list("name", flat=True)) | set(group_names), actor=actor)
    return role_request_save(user=user, group_names=group_names, actor=actor)


def role_request_save(*, user, group_names: set[str], actor) -> RoleRequest | None:
    """Ask that `user` be given the groups among `group_names` it does not hold yet: one pending
    request per account, replaced by a newer ask (an import run twice asks once). Audited; every
    安全保密管理员 is told after commit. Refused (and the attempt audited) when `actor` may not manage
    accounts, asks for themselves, or asks for two administrators' roles on one account."""
    current = set(user.groups.values_list("name", flat=True))
    missing = sorted(set(group_names) - current)
    if not missing:
        return None
    attempted = {"requested": missing}
    if not may_manage_accounts(actor):
        reason = _("只有系统管理员可以申请为账号授予角色。")
    elif actor.pk == user.pk:
        reason = _("不能为自己申请角色或纪检监察机构成员身份。")
    else:
        reason = administrator_roles_refusal(current | set(missing))
    if reason:
        _refuse(user=user, actor=actor, reason=reason, attempted=attempted)
    with transaction.atomic():
        request, _created = RoleRequest.objects.update_or_create(
            user=user, status=RoleRequest.Status.PENDING, defaults={"group_names": missing, "requested_by": actor, "requested_at": timezone.now()}
        )
        audit(type=AccountEvent.ROLE_REQUESTED, actor=actor, obj=user, data={"request": request.pk, **attempted})
        for listener in role_request_listeners:
            transaction.on_commit(lambda listener=listener: listener(request))
    return request


def role_request_decide(*, role_request: RoleRequest, approve: bool, note: str = "", actor) -> RoleRequest:
    """Approve (grant through ``user_roles_set``, with all its checks) or refuse a pending role
    request, as a 安全保密管理员. One transaction: the grant and the decision stand or fall together;
    the decision is audited and its requester told after commit."""
    if role_request.status != RoleRequest.Status.PENDING:
        raise AccountChangeRefused(_("该角色申请已经审批过了。"))
    user = role_request.user
    reason = role_change_refusal(
        actor_id=actor.pk,
        user_id=user.pk,
        actor_may_grant=may_grant_roles(actor),
        resulting_roles=set(user.groups.values_list("name", flat=True)) | set(role_request.group_names) if approve else set(),
    )
    if reason:
        _refuse(user=user, actor=actor, reason=reason, attempted={"request": role_request.pk, "approve": approve})
    with transaction.atomic():
        if approve:
            user_roles_set(user=user, group_names=set(user.groups.values_list("name", flat=True)) | set(role_request.group_names), actor=actor)
        role_request.status = RoleRequest.Status.APPROVED if approve else RoleRequest.Status.REFUSED
        role_request.decided_by, role_request.decided_at, role_request.decision_note = actor, timezone.now(), note
        role_request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit(
            type=AccountEvent.ROLE_REQUEST_DECIDED,
            actor=actor,
            obj=user,
            data={"request": role_request.pk, "approved": approve, "requested": role_request.group_names, "note": note},
        )
        for listener in role_request_listeners:
            transaction.on_commit(lambda listener=listener: listener(role_request))
    return role_request


def superuser_sign_in_record(*, user, ip: str | None) -> None:
    """A superuser signed in. In production the only one is the break-glass account
    (BREAK_GLASS_USERNAME, cases.checks), whose use must never go unnoticed: audited, and every
    安全审计员 told after commit, with a link to the event in the audit trail."""
    with transaction.atomic():
        event = audit(
            type=AccountEvent.BREAK_GLASS_SIGNED_IN,
            actor=user,
            obj=user,
            data={"username": user.get_username(), "ip": ip or "", "break_glass": user.get_username() == settings.BREAK_GLASS_USERNAME},
        )
        title = _("应急账号登录：%(account)s") % {"account": user.get_username()}
        body = _("超级用户账号 %(account)s 已于 %(time)s 从 %(ip)s 登录系统。应急账号的每次使用都须核实并记录原因。") % {
            "account": user.get_username(),
            "time": timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M"),
            "ip": ip or "—",
        }
        link = reverse("audit:trail") + "?" + urlencode({"type": AccountEvent.BREAK_GLASS_SIGNED_IN.value})
        transaction.on_commit(lambda: auditor_alerts.run(key=f"superuser-sign-in:{event.pk}", title=title, body=body, link=link))


def role_permissions_sync() -> dict[str, list[str]]:
    """Make each administrator role group's model permissions exactly ``ROLE_PERMISSIONS`` (run after
    every migrate, when new models' permissions exist); returns what was added and removed per role.
    A group's first permissions are the installation's configuration, like its migrations; a change
    to a group that already had some (a new release, or someone's edit in the database corrected) is
    audited."""
    from django.contrib.auth.models import Permission

    wanted_by_role = {
        role: {f"{app}.{action}_{model}" for app, model, actions in entries for action in actions} for role, entries in ROLE_PERMISSIONS.items()
    }
    labels = {f"{p.content_type.app_label}.{p.codename}": p for p in Permission.objects.select_related("content_type")}
    changes: dict[str, list[str]] = {}
    audited: dict[str, list[str]] = {}
    with transaction.atomic():
        for role, wanted in wanted_by_role.items():
            group = Group.objects.filter(name=role).first()
            if group is None:  # made by migrations 0002 and 0022; a test's flush removes them for a while
                continue
            have = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
            target = {label for label in wanted if label in labels}  # an app not installed has none
            added, removed = sorted(target - have), sorted(have - target)
            if added:
                group.permissions.add(*[labels[label] for label in added])
            if removed:
                group.permissions.remove(*[labels[label] for label in removed])
            if added or removed:
                changes[role] = [f"+{label}" for label in added] + [f"-{label}" for label in removed]
                if have:
                    audited[role] = changes[role]
        if audited:
            audit(type=AccountEvent.ROLE_PERMISSIONS_SYNCED, actor=None, data={"changes": audited})
    return changes
