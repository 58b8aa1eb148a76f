"""Notices of account role changes (cases.accounts) to the discipline body's staff: a new member of
a body, a new discipline role or a superuser flag is something its staff must hear of at once. Role
requests to the 安全保密管理员 who decide them and back to who asked (三员分立, issue 23). Also the
account-security notices of issue 23: a sign-in lockout (cases.lockout) to the account holder and
every 安全保密管理员, who unlocks it; a second-factor reset (cases.second_factor) to its holder."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cases.accounts import RoleChange
from cases.lockout import Lockout
from cases.models import Person, RoleRequest, Unit
from cases.roles import DISCIPLINE_GROUP_PREFIX, Role
from cases.second_factor import SecondFactorReset
from cases.selectors import discipline_staff, users_with_role
from records.notifications.vocabulary import AccountNotice

from .services import notification_send


def _label(group_name: str) -> str:
    if group_name.startswith(DISCIPLINE_GROUP_PREFIX):
        return _("纪检监察机构 %(code)s 成员") % {"code": group_name[len(DISCIPLINE_GROUP_PREFIX) :]}
    return str(dict(Role.choices).get(group_name, group_name))


def _bodies_concerned(change: RoleChange) -> list[Unit]:
    """The bodies whose membership changed, and the discipline body of the account's own unit."""
    codes = {name[len(DISCIPLINE_GROUP_PREFIX) :] for name in (*change.added, *change.removed) if name.startswith(DISCIPLINE_GROUP_PREFIX)}
    bodies = {body.pk: body for body in Unit.objects.filter(code__in=codes)}
    person = Person.objects.select_related("unit").filter(user_id=change.user_id).first()
    own = person.unit.effective_discipline_body() if person and person.unit_id else None
    if own is not None:
        bodies.setdefault(own.pk, own)
    return list(bodies.values())


def notify_role_change(change: RoleChange) -> int:
    """Tell the staff of every body concerned (not the account holder, not the actor) what changed."""
    User = get_user_model()
    account = User.objects.get(pk=change.user_id)
    actor = User.objects.get(pk=change.actor_id)
    parts = []
    if change.added:
        parts.append(_("授予：%s") % "、".join(_label(name) for name in change.added))
    if change.removed:
        parts.append(_("撤销：%s") % "、".join(_label(name) for name in change.removed))
    if change.superuser is not None:
        parts.append(_("超级用户：%s") % (_("设置") if change.superuser else _("取消")))
    title = _("账户角色变更：%(account)s") % {"account": account.get_username()}
    body = _("%(actor)s 变更了账户 %(account)s 的角色与权限。%(what)s") % {
        "actor": actor.get_username(),
        "account": account.get_username(),
        "what": "；".join(parts),
    }
    recipients = {user.pk: user for body_unit in _bodies_concerned(change) for user in discipline_staff(body_unit)}
    sent = 0
    for user in recipients.values():
        if user.pk in (change.user_id, change.actor_id):
            continue
        sent += notification_send(recipient=user, kind=AccountNotice.ROLE_CHANGED, key=f"role-change:{change.event_id}", title=title, body=body) is not None
    return sent


def notify_role_request(role_request: RoleRequest) -> int:
    """A new request: every 安全保密管理员 (but the account's own holder) is told, with the link to
    their 角色申请 page. A decision: whoever asked is told what was decided."""
    account = role_request.user.get_username()
    labels = "、".join(_label(name) for name in role_request.group_names)
    if role_request.status == RoleRequest.Status.PENDING:
        title = _("角色申请待审批：%(account)s") % {"account": account}
        body = _("%(requester)s 申请为账号 %(account)s 授予：%(what)s。") % {"requester": role_request.requested_by.get_username(), "account": account, "what": labels}
        recipients = [user for user in users_with_role(Role.SECURITY_ADMIN.value) if user.pk != role_request.user_id]
        key = f"role-request:{role_request.pk}:{role_request.requested_at.timestamp():.0f}"
        kind = AccountNotice.ROLE_REQUESTED
    else:
        approved = role_request.status == RoleRequest.Status.APPROVED
        title = (_("角色申请已批准：%(account)s") if approved else _("角色申请未获批准：%(account)s")) % {"account": account}
        body = _("%(decider)s %(decision)s了账号 %(account)s 的角色申请（%(what)s）。%(note)s") % {
            "decider": role_request.decided_by.get_username(),
            "decision": _("批准") if approved else _("拒绝"),
            "account": account,
            "what": labels,
            "note": role_request.decision_note,
        }
        recipients = [role_request.requested_by]
        key = f"role-request-decided:{role_request.pk}"
        kind = AccountNotice.ROLE_REQUEST_DECIDED
    link = reverse("accounts:role_requests") if kind == AccountNotice.ROLE_REQUESTED else ""
    return sum(notification_send(recipient=user, kind=kind, key=key, title=title, body=body, link=link) is not None for user in recipients)


def notify_lockout(lockout: Lockout) -> int:
    """Tell the account holder (when the name is an account's) that their account is locked and, if
    it was not them, whom to call; tell every security administrator who, when, from which address,
    with a link to the lockout list where they unlock it (cases.accounts.account_unlock, audited)."""
    at = timezone.localtime(lockout.locked_at).strftime("%Y-%m-%d %H:%M")
    values = {"username": lockout.username, "at": at, "ip": lockout.ip_address or _("未知"), "hours": settings.AXES_COOLOFF_TIME}
    key = f"lockout:{lockout.attempt_id}"
    sent = 0
    holder = get_user_model().objects.filter(pk=lockout.user_id).first() if lockout.user_id else None
    if holder is not None:
        sent += (
            notification_send(
                recipient=holder,
                kind=AccountNotice.LOCKED_OUT,
                key=key,
                title=_("您的账户因登录失败次数过多已被锁定"),
                body=_(
                    "%(at)s，来自地址 %(ip)s 的登录连续失败，账户 %(username)s 已被暂停登录 %(hours)s 小时。"
                    "如果不是您本人在尝试登录，请立即联系安全保密管理员。"
                )
                % values,
            )
            is not None
        )
    name = holder.person.name if holder is not None and hasattr(holder, "person") else ""
    link = f"{reverse('admin:axes_accessattempt_changelist')}?{urlencode({'q': lockout.username})}"
    for admin in users_with_role(Role.SECURITY_ADMIN.value):
        if admin.pk == lockout.user_id:
            continue  # told above, as the holder
        sent += (
            notification_send(
                recipient=admin,
                kind=AccountNotice.LOCKED_OUT,
                key=key,
                title=_("账户登录锁定：%(username)s") % values,
                body=_("账户 %(username)s%(name)s 于 %(at)s 因登录失败次数过多被锁定，来源地址 %(ip)s。请核实后在登录锁定列表中解锁。")
                % (values | {"name": f"（{name}）" if name else ""}),
                link=link,
            )
            is not None
        )
    return sent


def notify_second_factor_reset(reset: SecondFactorReset) -> int:
    """Tell the holder that their second factor was reset, so a reset they did not ask for is noticed."""
    User = get_user_model()
    holder, actor = User.objects.get(pk=reset.user_id), User.objects.get(pk=reset.actor_id)
    notice = notification_send(
        recipient=holder,
        kind=AccountNotice.SECOND_FACTOR_RESET,
        key=f"second-factor-reset:{reset.event_id}",
        title=_("您的双重验证已被重置"),
        body=_(
            "安全保密管理员 %(actor)s 重置了您的双重验证，原验证器和备用验证码均已失效，已登录的会话均已退出。下次登录时请重新绑定验证器。如非您本人申请，请立即报告。"
        )
        % {"actor": getattr(getattr(actor, "person", None), "name", "") or actor.get_username()},
    )
    return int(notice is not None)
