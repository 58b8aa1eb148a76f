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


def cases_for_recorder(user, unit: Unit | None):
    """Cases an officer may pick on a record: those of their bureau's tree and those they handle."""
    qs = Case.objects.filter(handling_officers=user)
    if unit is not None:
        qs = Case.objects.filter(unit_id__in=unit_subtree_ids(root_of(unit))) | qs
    return qs.distinct().order_by("-opened_on", "number")


def people_for_picker(unit: Unit | None):
    """People an officer may link as interferer: the registry of their bureau's tree."""
    if unit is None:
        return Person.objects.none()
    return Person.objects.filter(unit_id__in=unit_subtree_ids(root_of(unit))).select_related("unit").order_by("name")
