"""Reads over the organisation tree."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import F
from django.utils.translation import gettext as _

from .documents import effective_document
from .models import Case, Person, RoleRequest, Unit


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


def party_committee_of(unit: Unit) -> str:
    """The party committee (党委/党组) of ``unit``'s bureau by name: its recorded party organisation, else
    "<bureau>党委（党组）". 001 第七条 and 第八条 name the 局党委 as the one that decides and is reported to."""
    bureau = bureau_of(unit)
    return bureau.party_organization or _("%(unit)s党委（党组）") % {"unit": bureau.name}


def party_anchor_of(unit: Unit) -> Unit | None:
    """The nearest unit upwards (the unit itself included) that names its party organisation
    (党委/党组): the organisation a notice letter about a person of `unit` is addressed to."""
    for node in [unit, *unit.ancestors()]:
        if node.party_organization.strip():
            return node
    return None


# The units an officer's pickers draw on, in one recursive query (PostgreSQL and SQLite alike):
# `up` climbs from the unit to the root; `bureau` is the nearest bureau-kind unit on that climb, else
# the root (as bureau_of); `own` is the bureau's whole subtree; `higher` is every ancestor of the
# bureau with its internal units (sections, detachments, discipline groups — descending only through
# units that are not themselves a bureau or a county branch, so sibling bureaus stay out).
# `dist` is 0 for the own subtree and 1, 2, … for the bureau's parent, grandparent, …
_PICKER_SCOPE_SQL = """
WITH RECURSIVE
up(id, parent_id, kind, depth) AS (
    SELECT id, parent_id, kind, 0 FROM cases_unit WHERE id = %s
    UNION ALL
    SELECT u.id, u.parent_id, u.kind, up.depth + 1 FROM cases_unit u JOIN up ON u.id = up.parent_id
    WHERE up.depth < 64
),
bureau(id, depth) AS (
    SELECT id, depth FROM up ORDER BY CASE WHEN kind = %s THEN depth ELSE 1000 - depth END LIMIT 1
),
own(id) AS (
    SELECT id FROM bureau
    UNION
    SELECT u.id FROM cases_unit u JOIN own ON u.parent_id = own.id
),
higher(id, dist) AS (
    SELECT up.id, up.depth - bureau.depth FROM up JOIN bureau ON up.depth > bureau.depth
    UNION
    SELECT u.id, higher.dist FROM {internal_children}
)
SELECT id, 0 FROM own
UNION ALL
SELECT id, dist FROM higher
"""
# The internal children of the units found so far. PostgreSQL estimates the recursion ten times too
# large and, on a few thousand units, would hash-join a scan of the whole unit table; the LATERAL
# probe (OFFSET 0 keeps it from being flattened) walks the parent index instead (EXPLAIN on the 2M
# bench: 0.7 ms, index scans only, against 2.4 ms with a sequential scan). SQLite has no LATERAL and
# uses the index for the plain join anyway.
_INTERNAL_CHILDREN = {
    "postgresql": "higher CROSS JOIN LATERAL (SELECT c.id FROM cases_unit c WHERE c.parent_id = higher.id AND c.kind NOT IN (%s, %s) OFFSET 0) u",
    "default": "cases_unit u JOIN higher ON u.parent_id = higher.id WHERE u.kind NOT IN (%s, %s)",
}


@dataclass(frozen=True)
class PickerScope:
    """Where an officer's pickers reach: `dist` maps unit id → 0 for the own bureau's subtree, 1 for the
    bureau's parent and its internal units (the city bureau of a county), 2 for the next (the province)."""

    dist: dict[int, int]

    @property
    def own_unit_ids(self) -> list[int]:
        return [pk for pk, d in self.dist.items() if d == 0]

    @property
    def unit_ids(self) -> list[int]:
        return list(self.dist)


def picker_scope(unit: Unit | None) -> PickerScope:
    """The units of `unit`'s bureau subtree and of the bureau's higher organs, in one query.

    Higher organs are reachable because the leaders who press an enforcement officer are, above all,
    those of higher organs: 十堰000 第一条 counts as 领导干部 the leading members of organs at every
    level and the heads of their internal bodies (有关机构领导人员), and 广元001 第四条 names 上级机关工作人员
    beside the bureau's own leaders. Linking them to the registry is what lets repeat interference be
    counted (000 第十二条, 002 第十一条). Other bureaus under those organs (a sibling county) stay out.
    """
    if unit is None:
        return PickerScope(dist={})
    with connection.cursor() as cursor:
        internal_children = _INTERNAL_CHILDREN.get(connection.vendor, _INTERNAL_CHILDREN["default"])
        cursor.execute(_PICKER_SCOPE_SQL.format(internal_children=internal_children), [unit.pk, Unit.Kind.BUREAU.value, Unit.Kind.BUREAU.value, Unit.Kind.BRANCH.value])
        rows = cursor.fetchall()
    dist: dict[int, int] = {}
    for pk, d in rows:
        dist.setdefault(pk, d)
    return PickerScope(dist=dist)


def cases_for_recorder(user, unit: Unit | None, *, scope: PickerScope | None = None):
    """Cases an officer may pick on a record: those of their bureau's tree and those they handle (a
    county officer records on the county's cases, not on those of the higher organs)."""
    qs = Case.objects.filter(handling_officers=user)
    if unit is not None:
        scope = scope or picker_scope(unit)
        qs = Case.objects.filter(unit_id__in=scope.own_unit_ids) | qs
    return qs.distinct().order_by("-opened_on", "number")


def people_for_picker(unit: Unit | None, *, scope: PickerScope | None = None):
    """People an officer may link as interferer: the registry of their bureau's tree and of the higher
    organs above it with their internal units (picker_scope)."""
    if unit is None:
        return Person.objects.none()
    scope = scope or picker_scope(unit)
    return (
        Person.objects.filter(unit_id__in=scope.unit_ids)
        .select_related("unit")
        # The organ a section of a higher organ belongs to, for the picker's labels: a name, not a third
        # model instance per person.
        .annotate(unit_parent_name=F("unit__parent__name"))
        .order_by("unit__code", "name", "pk")
    )


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
    if body is None:
        return []
    return discipline_staff_of_bodies([body])[body.pk]


def discipline_staff_of_bodies(bodies: list[Unit]) -> dict[int, list]:
    """``discipline_staff`` of each of ``bodies`` by body id (ordered by username): two queries for any
    number of bodies (a sweep's digests reach hundreds)."""
    from django.contrib.auth import get_user_model

    from .roles import discipline_group_name

    user_model = get_user_model()
    body_of_group = {discipline_group_name(body.code): body.pk for body in bodies}
    memberships = list(
        user_model.groups.through.objects.filter(
            group__name__in=list(body_of_group), user__is_active=True, user__groups__name="discipline"
        ).values_list("group__name", "user_id")
    )
    users = user_model.objects.select_related("person").in_bulk({user_id for _name, user_id in memberships})
    staff: dict[int, list] = {body.pk: [] for body in bodies}
    for name, user_id in memberships:
        staff[body_of_group[name]].append(users[user_id])
    for members in staff.values():
        members.sort(key=lambda user: user.username)
    return staff


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


def _inherited(unit_ids, field: str) -> dict[int, list]:
    """For each unit of ``unit_ids``, the values of ``field`` from the unit up its chain of parents,
    ending at the first set value (or at the root). One query per tree level for the whole set."""
    rows: dict[int, tuple[int | None, object]] = {}
    frontier = {pk for pk in unit_ids if pk is not None}
    while frontier:
        for pk, parent_id, value in Unit.objects.filter(pk__in=frontier).values_list("pk", "parent_id", field):
            rows[pk] = (parent_id, value)
        # Climb only from units with nothing set: their answer is above them.
        frontier = {parent for parent, value in rows.values() if parent is not None and not value and parent not in rows}
    chains: dict[int, list] = {}
    for pk in unit_ids:
        chain: list = []
        node, seen = pk, set()
        while node is not None and node in rows and node not in seen:
            seen.add(node)
            parent, value = rows[node]
            chain.append(value)
            if value:
                break
            node = parent
        chains[pk] = chain
    return chains


def governing_documents(unit_ids) -> dict[int, str]:
    """The governing document (cases.documents) of each unit in ``unit_ids``, its own or the nearest
    ancestor's (documents.effective_document); "" when none is set on the way up. One query per tree
    level for the whole set, not per unit."""
    return {pk: effective_document(chain) for pk, chain in _inherited(unit_ids, "governing_document").items()}


def discipline_body_ids(unit_ids) -> dict[int, int | None]:
    """The discipline body of each unit in ``unit_ids`` as Unit.effective_discipline_body finds it (its
    own, else the nearest ancestor's), by id; None when none is named on the way up. One query per tree
    level for the whole set, not per unit."""
    return {pk: next((value for value in chain if value), None) for pk, chain in _inherited(unit_ids, "discipline_body_id").items()}


def governing_document(unit: Unit | None) -> str:
    """The governing document of one unit (see governing_documents); "" for no unit."""
    if unit is None:
        return ""
    return governing_documents([unit.pk])[unit.pk]


def users_with_role(role: str) -> list:
    """Active users holding `role` anywhere (the three administrators are few, one organisation's)."""
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(is_active=True, groups__name=role).order_by("pk"))


def role_requests_for(user, *, decided_limit: int = 20) -> tuple[list, list]:
    """The role requests a 安全保密管理员 sees: those pending (oldest first) and the latest decided,
    never one naming their own account (they may not decide it)."""
    visible = RoleRequest.objects.exclude(user=user).select_related("user", "user__person", "user__person__unit", "requested_by", "decided_by")
    pending = list(visible.filter(status=RoleRequest.Status.PENDING).order_by("requested_at", "pk"))
    decided = list(visible.exclude(status=RoleRequest.Status.PENDING).order_by("-decided_at", "-pk")[:decided_limit])
    return pending, decided
