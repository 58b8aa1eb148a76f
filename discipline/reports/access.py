"""Who may ask for reports and for which units (R-ANNUAL): the scope of a report reader."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cases.models import Unit
from cases.roles import Role, has_role
from cases.selectors import unit_subtree_ids
from discipline.common.bodies import bodies_of, supervised_unit_ids


class ScopeError(ValueError):
    """A report scope the user may not ask for (message in Chinese)."""


def is_discipline(user) -> bool:
    return has_role(user, Role.DISCIPLINE) and bool(bodies_of(user))



def may_report(user) -> bool:
    return user is None or is_discipline(user) or has_role(user, Role.ADMIN)



def report_units(user) -> QuerySet:
    """Units `user` may choose as the report's subtree: those their bodies supervise (discipline
    staff), every unit (administrators)."""
    if is_discipline(user):
        return Unit.objects.filter(pk__in=supervised_unit_ids(bodies_of(user))).order_by("code")
    if user is None or has_role(user, Role.ADMIN):
        return Unit.objects.exclude(kind=Unit.Kind.DISCIPLINE).order_by("code")
    return Unit.objects.none()



def scope_unit_ids(user, unit: Unit | None) -> list[int] | None:
    """Unit ids of the report's subtree (None: every unit the user's scope covers)."""
    if unit is not None:
        if not report_units(user).filter(pk=unit.pk).exists():
            raise ScopeError(_("您无权生成该单位的报告。"))
        return list(unit_subtree_ids(unit))
    if is_discipline(user):
        return supervised_unit_ids(bodies_of(user))
    return None
