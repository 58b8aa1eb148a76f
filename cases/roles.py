"""User roles. Each role is a Django group with a stable name (DESIGN §1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("执法人员")
    SECTION_HEAD = "section_head", _("科室负责人")
    PRINCIPAL = "principal", _("主要领导")
    DISCIPLINE = "discipline", _("纪检监察")
    ADMIN = "admin", _("管理员")


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
