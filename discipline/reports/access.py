"""Who may ask for reports and for which units (R-ANNUAL): the scope of a report reader."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from cases.models import Unit
from cases.roles import Role, has_role
from cases.selectors import unit_subtree_ids
from discipline.common.bodies import bodies_of, supervised_unit_ids
from discipline.reports.models import ReportJob


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


def access_report_job(user, pk) -> ReportJob:
    """A report job `user` asked for (its progress or its file); 404 for anyone else's or a missing one."""
    try:
        return ReportJob.objects.select_related("unit", "requested_by__person").get(pk=int(pk), requested_by=user)
    except (ReportJob.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
