"""User roles. Each role is a Django group with a stable name (DESIGN §1)."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("执法人员")
    SECTION_HEAD = "section_head", _("科室负责人")
    PRINCIPAL = "principal", _("主要领导")
    DISCIPLINE = "discipline", _("纪检监察")
    # 三员分立 (GB/T 22239-2019 8.1.4.1/8.1.10.2, issue 23): the system administrator keeps the
    # organisation, the security administrator grants, the auditor reads the audit trail; no account
    # holds two of the three (cases.rules.role_change_refusal and a database trigger).
    ADMIN = "admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全保密管理员")
    AUDITOR = "auditor", _("安全审计员")


ADMINISTRATOR_ROLES = frozenset({Role.ADMIN.value, Role.SECURITY_ADMIN.value, Role.AUDITOR.value})

_ALL = ("add", "change", "delete", "view")
# The admin site's model permissions each administrator's role group carries (app label, model,
# actions), kept in step by cases.accounts.role_permissions_sync after every migrate. The 系统管理员
# keeps the organisation, the accounts' own fields and the calendar; the 安全保密管理员 sees accounts
# (granting on their 角色与权限 page), lockouts and second-factor devices; the 安全审计员 reads the
# audit trail and the sign-in logs. None reads record content (DESIGN §7): no records/discipline
# content model is here.
ROLE_PERMISSIONS: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    Role.ADMIN.value: (
        ("cases", "unit", _ALL),
        ("cases", "person", _ALL),
        ("cases", "case", _ALL),
        ("auth", "user", _ALL),
        ("auth", "group", ("view",)),
        ("records", "holidayoverride", _ALL),
        ("records", "calendaryear", _ALL),
        ("records", "behaviourcategory", _ALL),
        ("discipline", "campaignarea", _ALL),
        ("discipline", "campaignquestion", _ALL),
    ),
    Role.SECURITY_ADMIN.value: (
        ("auth", "user", ("view",)),
        ("auth", "group", ("view",)),
        ("cases", "rolerequest", ("view",)),
        ("axes", "accessattempt", ("view", "delete")),
        ("otp_totp", "totpdevice", ("view", "delete")),
    ),
    Role.AUDITOR.value: (
        ("cases", "auditevent", ("view",)),
        ("cases", "rolerequest", ("view",)),
        ("auth", "user", ("view",)),
        ("auth", "group", ("view",)),
        ("axes", "accessattempt", ("view",)),
        ("axes", "accesslog", ("view",)),
        ("axes", "accessfailurelog", ("view",)),
    ),
}


# A person picker groups and labels people by the role their account holds, in this order; a person
# holding several is grouped under the first and labelled with all of them.
PICKER_ROLE_ORDER = (Role.OFFICER, Role.SECTION_HEAD, Role.PRINCIPAL, Role.DISCIPLINE, Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR)


def person_roles(group_names) -> list[Role]:
    """The roles among `group_names` (a person's account's groups), in ``PICKER_ROLE_ORDER``: what a
    person picker calls them. Empty for a person without an account or without a role — never
    "执法人员" unless the account holds the officer role."""
    names = set(group_names)
    return [role for role in PICKER_ROLE_ORDER if role.value in names]


def roles_of(user) -> frozenset[str]:
    """The role names a user holds; cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def has_role(user, role: Role) -> bool:
    return role.value in roles_of(user)


# Each discipline body's staff are members of a group named after it; routing grants record access to
# that group, and reminders go to its members, so "who is staff of a body" has one answer.
DISCIPLINE_GROUP_PREFIX = "discipline:"


def discipline_group_name(body_code: str) -> str:
    return f"{DISCIPLINE_GROUP_PREFIX}{body_code}"


def discipline_body_codes(user) -> list[str]:
    """Codes of the discipline bodies whose staff group `user` is in (only with the discipline role)."""
    names = roles_of(user)
    if Role.DISCIPLINE.value not in names:
        return []
    return sorted(n[len(DISCIPLINE_GROUP_PREFIX) :] for n in names if n.startswith(DISCIPLINE_GROUP_PREFIX))


def group_label(name: str, body_names: dict[str, str] | None = None) -> str:
    """How a group is shown to people: a role by its Chinese name, a discipline body's staff group by
    the body (its name when `body_names` maps its code), anything else by its own name."""
    if name in Role.values:
        return str(Role(name).label)
    if name.startswith(DISCIPLINE_GROUP_PREFIX):
        code = name[len(DISCIPLINE_GROUP_PREFIX) :]
        return gettext("%(body)s工作人员") % {"body": (body_names or {}).get(code, code)}
    return name
