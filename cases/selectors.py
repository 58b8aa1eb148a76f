"""Reads over the organisation tree."""

from .models import Case, Person, Unit


def unit_subtree_ids(unit: Unit) -> list[int]:
    """Ids of `unit` and all its descendants: one query per tree level (trees here are shallow)."""
    ids = [unit.pk]
    frontier = [unit.pk]
    while frontier:
        frontier = list(Unit.objects.filter(parent_id__in=frontier).exclude(pk__in=ids).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


def root_of(unit: Unit) -> Unit:
    """The top of `unit`'s tree (the bureau)."""
    chain = unit.ancestors()
    return chain[-1] if chain else unit


def bureau_of(unit: Unit) -> Unit:
    """The nearest bureau-kind unit upwards (the unit itself included), else the root of the tree:
    the bureau whose principal instructs on records of `unit` and whose cases and people its officers
    pick from (in a province → city → county tree, the county bureau, not the whole province)."""
    for node in [unit, *unit.ancestors()]:
        if node.kind == Unit.Kind.BUREAU:
            return node
    return root_of(unit)


def cases_for_recorder(user, unit: Unit | None):
    """Cases an officer may pick on a record: those of their bureau's tree and those they handle."""
    qs = Case.objects.filter(handling_officers=user)
    if unit is not None:
        qs = Case.objects.filter(unit_id__in=unit_subtree_ids(bureau_of(unit))) | qs
    return qs.distinct().order_by("-opened_on", "number")


def people_for_picker(unit: Unit | None):
    """People an officer may link as interferer: the registry of their bureau's tree."""
    if unit is None:
        return Person.objects.none()
    return Person.objects.filter(unit_id__in=unit_subtree_ids(bureau_of(unit))).select_related("unit").order_by("name")


def users_with_role_in_unit(role: str, unit_id: int):
    """Active users holding `role` whose Person belongs to the unit."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True, groups__name=role, person__unit_id=unit_id).select_related("person")


def section_heads_for(unit: Unit) -> list:
    """The heads responsible for an officer of `unit`: the unit's own section heads, else those of the
    nearest ancestor that has one."""
    for node in [unit, *unit.ancestors()]:
        heads = list(users_with_role_in_unit("section_head", node.pk))
        if heads:
            return heads
    return []


def discipline_staff(body: Unit | None) -> list:
    """The discipline inspection staff of a discipline body: users with the discipline role in the
    body's staff group (the group routing grants record access to)."""
    from django.contrib.auth import get_user_model

    from .roles import discipline_group_name

    if body is None:
        return []
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name="discipline")
        .filter(groups__name=discipline_group_name(body.code))
        .select_related("person")
    )


def supervised_unit_ids(bodies: "Unit | list[Unit]") -> list[int]:
    """Units whose reports go to one of the discipline bodies `bodies`: those naming it, and their
    descendants that do not name a body of their own (Unit.effective_discipline_body). One query per
    tree level."""
    body_ids = [b.pk for b in (bodies if isinstance(bodies, list) else [bodies])]
    if not body_ids:
        return []
    ids: list[int] = []
    frontier = list(Unit.objects.filter(discipline_body_id__in=body_ids).values_list("pk", flat=True))
    while frontier:
        ids.extend(frontier)
        frontier = list(
            Unit.objects.filter(parent_id__in=frontier, discipline_body__isnull=True).exclude(pk__in=ids).values_list("pk", flat=True)
        )
    return ids
