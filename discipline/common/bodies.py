"""Discipline bodies and their staff groups, and where in the unit tree a record's addressees are.

Each discipline body (a Unit of kind "discipline") has a guardian group named ``discipline:<code>``.
Routing grants the view permission on a record to that group; staff of the body are members of it
(administrators manage membership in the Django admin). A user's bodies are read from their groups.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases.models import Person, Unit
from cases.roles import discipline_body_codes, discipline_group_name
from cases.selectors import bureau_of  # noqa: F401 - re-exported: services import it from here
from cases.selectors import supervised_unit_ids as _supervised_unit_ids


def group_name(body: Unit) -> str:
    return discipline_group_name(body.code)


def body_group(body: Unit) -> Group:
    """The staff group of `body`, created on first use."""
    group, _ = Group.objects.get_or_create(name=group_name(body))
    return group


body_codes_of = discipline_body_codes


def bodies_of(user) -> list[Unit]:
    codes = body_codes_of(user)
    return list(Unit.objects.filter(code__in=codes).order_by("code")) if codes else []


def anchor_of(unit: Unit) -> Unit | None:
    """The nearest unit, from `unit` upwards, that names a discipline body (the unit that reports to it)."""
    for node in [unit, *unit.ancestors()]:
        if node.discipline_body_id:
            return node
    return None


def higher_body_of(unit: Unit) -> Unit | None:
    """The higher-level discipline body (000 第九条 "上一级纪委、监察委"): the body of the parent of the
    unit that names this unit's body; None at the top of the tree."""
    anchor = anchor_of(unit)
    if anchor is None or anchor.parent is None:
        return None
    higher = anchor.parent.effective_discipline_body()
    return higher if higher is not None and higher.pk != anchor.discipline_body_id else None




def supervised_unit_ids(bodies: list[Unit]) -> list[int]:
    """Units whose reports go to one of `bodies` (cases.selectors.supervised_unit_ids)."""
    return _supervised_unit_ids(bodies)


def require_staff_of(body: Unit | None, actor) -> None:
    if body is None or body.code not in body_codes_of(actor):
        raise ValidationError(_("您不是该纪检监察机构的工作人员。"))


def people_supervised(user):
    """The people of the units that the user's discipline bodies supervise, for choosing a person in a form."""
    return Person.objects.filter(unit_id__in=supervised_unit_ids(bodies_of(user))).select_related("unit").order_by("unit__code", "name")


def body_supervising(user, unit_id: int | None) -> Unit | None:
    """The user's discipline body that supervises the unit (the first of the user's bodies if none does)."""
    bodies = bodies_of(user)
    return next((b for b in bodies if unit_id in supervised_unit_ids([b])), bodies[0] if bodies else None)
