"""Notices of account role changes (cases.accounts) to the discipline body's staff: a new member of
a body, a new discipline role or a superuser flag is something its staff must hear of at once. Role
requests to the 安全保密管理员 who decide them and back to who asked (三员分立, issue 23)."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from cases.accounts import RoleChange
from cases.models import Person, RoleRequest, Unit
from cases.roles import DISCIPLINE_GROUP_PREFIX, Role
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

