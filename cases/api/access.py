"""Access helpers for calling systems: 404 for a missing object and for one outside the system's
scope alike; a write that would reach outside it is refused with 403 naming the field."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import PermissionDenied

from cases.models import ApiSystem, Case, Unit

from .selectors import scope_unit_ids


class OutOfScope(PermissionDenied):
    """A write naming a unit or person outside the calling system's scope (403, with the field)."""

    default_detail = _("不在本系统的授权范围内。")

    def __init__(self, field: str, detail=None):
        super().__init__(detail)
        self.field = field


def access_api_case(system: ApiSystem, number: str) -> Case:
    """The case `number` if its unit is in `system`'s scope, else Http404."""
    case = Case.objects.select_related("unit").filter(number=number).first()
    if case is None or case.unit_id not in scope_unit_ids(system):
        raise Http404
    return case


def require_unit_in_scope(system: ApiSystem, unit: Unit, field: str) -> None:
    if unit.pk not in scope_unit_ids(system):
        raise OutOfScope(field, _("单位 %(code)s 不在本系统的授权范围内。") % {"code": unit.code})
