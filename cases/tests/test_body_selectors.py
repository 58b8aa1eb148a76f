"""Who a unit reports to and who staffs a body, for many units at once (the first sweep of the day reads
them for every unit with an overdue draft): the same answers as one unit at a time, in a number of
queries that does not grow with the number of units or bodies."""

import pytest
from django.contrib.auth.models import Group

from cases.roles import discipline_group_name
from cases.selectors import discipline_body_ids, discipline_staff, discipline_staff_of_bodies
from tests.factories import UnitFactory, make_officer

pytestmark = pytest.mark.django_db


def _tree(n: int):
    """A bureau naming body JJ, n sections below it naming none, each with a team below; one section
    names its own body."""
    bureau = UnitFactory(code="T", kind="bureau")
    jj = UnitFactory(code="T-JJ", kind="discipline", parent=bureau)
    bureau.discipline_body = jj
    bureau.save()
    own = UnitFactory(code="T-OWN-JJ", kind="discipline", parent=bureau)
    sections = [UnitFactory(code=f"T-S{i}", parent=bureau, discipline_body=own if i == 0 else None) for i in range(n)]
    teams = [UnitFactory(code=f"T-S{i}-T", parent=section) for i, section in enumerate(sections)]
    orphan = UnitFactory(code="O", kind="bureau")
    return bureau, jj, own, sections, teams, orphan


@pytest.mark.parametrize("n", [2, 12])
def test_every_unit_gets_the_body_it_inherits_in_one_query_per_level(n, django_assert_num_queries):
    bureau, jj, own, sections, teams, orphan = _tree(n)
    with django_assert_num_queries(3):  # teams → sections → the bureau, whatever n
        discipline_body_ids([unit.pk for unit in [*teams, orphan]])
    units = [bureau, *sections, *teams, orphan]
    found = discipline_body_ids([unit.pk for unit in units])
    assert found == {unit.pk: (unit.effective_discipline_body().pk if unit.effective_discipline_body() else None) for unit in units}
    assert found[teams[0].pk] == own.pk and found[teams[1].pk] == jj.pk and found[orphan.pk] is None


@pytest.mark.parametrize("n", [1, 6])
def test_the_staff_of_many_bodies_in_two_queries(n, django_assert_num_queries):
    bodies = [UnitFactory(code=f"JJ{i}", kind="discipline") for i in range(n)]
    for i, body in enumerate(bodies):
        for name in (f"b{i}", f"a{i}"):
            user = make_officer(body, name, role="discipline")
            user.groups.add(Group.objects.get_or_create(name=discipline_group_name(body.code))[0])
    # Not staff: the group without the role, and an inactive member.
    stray = make_officer(bodies[0], "stray", role="officer")
    stray.groups.add(Group.objects.get(name=discipline_group_name(bodies[0].code)))
    gone = make_officer(bodies[0], "gone", role="discipline")
    gone.groups.add(Group.objects.get(name=discipline_group_name(bodies[0].code)))
    gone.is_active = False
    gone.save()
    with django_assert_num_queries(2):
        staff = discipline_staff_of_bodies(bodies)
    assert {pk: [user.username for user in users] for pk, users in staff.items()} == {
        body.pk: [f"a{i}", f"b{i}"] for i, body in enumerate(bodies)
    }
    assert [user.username for user in discipline_staff(bodies[-1])] == [f"a{n - 1}", f"b{n - 1}"]
    assert discipline_staff(None) == []
