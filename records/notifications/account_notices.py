"""Notices of account role changes (cases.accounts) to the discipline body's staff: a new member of
a body, a new discipline role or a superuser flag is something its staff must hear of at once."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from cases.accounts import RoleChange
from cases.models import Person, Unit
from cases.roles import DISCIPLINE_GROUP_PREFIX, Role
from cases.selectors import discipline_staff
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
