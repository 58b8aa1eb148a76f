"""The person picker reaches the leaders of higher organs (000 第一条, 001 第四条): an officer of a
county bureau can link a leader of the city bureau or of the province department and of their
internal sections, but not a person of a sibling county or of the city's other subordinate bureaus;
cases stay within the own bureau's tree. One query whatever the size of the tree."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Person
from cases.selectors import cases_for_recorder, people_for_picker, picker_scope
from tests.factories import CaseFactory, PersonFactory, UnitFactory, make_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """province → city → (county, sibling county); each bureau with a section and a discipline group;
    the city also has a detachment with a squad under it and a county branch."""
    t = {}
    t["province"] = UnitFactory(code="P", name="省应急管理厅", kind="bureau")
    t["province_section"] = UnitFactory(code="P-S1", name="省厅执法处", kind="section", parent=t["province"])
    t["city"] = UnitFactory(code="P-C1", name="市应急管理局", kind="bureau", parent=t["province"])
    t["city_section"] = UnitFactory(code="P-C1-S1", name="市局执法科", kind="section", parent=t["city"])
    t["city_discipline"] = UnitFactory(code="P-C1-JJ", name="市局纪检组", kind="discipline", parent=t["city"])
    t["city_detachment"] = UnitFactory(code="P-C1-D1", name="市局执法支队", kind="detachment", parent=t["city"])
    t["city_squad"] = UnitFactory(code="P-C1-D1-1", name="市局执法支队一大队", kind="section", parent=t["city_detachment"])
    t["city_branch"] = UnitFactory(code="P-C1-B1", name="市局开发区分局", kind="branch", parent=t["city"])
    t["county"] = UnitFactory(code="P-C1-X1", name="甲县应急管理局", kind="bureau", parent=t["city"])
    t["county_section"] = UnitFactory(code="P-C1-X1-S1", name="甲县执法大队", kind="section", parent=t["county"])
    t["sibling"] = UnitFactory(code="P-C1-X2", name="乙县应急管理局", kind="bureau", parent=t["city"])
    t["sibling_section"] = UnitFactory(code="P-C1-X2-S1", name="乙县执法大队", kind="section", parent=t["sibling"])
    t["other_city"] = UnitFactory(code="P-C2", name="另一市应急管理局", kind="bureau", parent=t["province"])
    return t


def leader(unit, name, position="局长", level=Person.Level.DIVISION):
    return PersonFactory(unit=unit, name=name, position=position, level=level, is_leading_cadre=True)


def test_a_county_officer_can_link_city_and_province_leaders_but_not_a_sibling_county(tree):
    city_head = leader(tree["city"], "王刚", "副局长")
    province_head = leader(tree["province"], "赵省", "厅长", Person.Level.BUREAU)
    province_section_head = leader(tree["province_section"], "钱处", "处长")
    city_section_head = leader(tree["city_section"], "孙科", "科长")
    city_discipline = PersonFactory(unit=tree["city_discipline"], name="李纪")
    squad_leader = leader(tree["city_squad"], "周队", "大队长")
    own_head = leader(tree["county"], "吴县", "局长")
    own_officer = PersonFactory(unit=tree["county_section"], name="郑员")
    sibling_head = leader(tree["sibling"], "冯乙", "局长")
    sibling_officer = PersonFactory(unit=tree["sibling_section"], name="陈乙")
    branch_head = leader(tree["city_branch"], "褚分", "分局长")
    other_city_head = leader(tree["other_city"], "卫另", "局长")

    people = set(people_for_picker(tree["county_section"]))

    assert people == {
        city_head, province_head, province_section_head, city_section_head, city_discipline, squad_leader, own_head, own_officer,
    }  # fmt: skip
    assert not people & {sibling_head, sibling_officer, branch_head, other_city_head}


def test_the_scope_tells_how_far_up_each_unit_is(tree):
    scope = picker_scope(tree["county_section"])
    assert scope.dist == {
        tree["county"].pk: 0, tree["county_section"].pk: 0,
        tree["city"].pk: 1, tree["city_section"].pk: 1, tree["city_discipline"].pk: 1, tree["city_detachment"].pk: 1,
        tree["city_squad"].pk: 1,
        tree["province"].pk: 2, tree["province_section"].pk: 2,
    }  # fmt: skip
    assert sorted(scope.own_unit_ids) == sorted([tree["county"].pk, tree["county_section"].pk])


def test_a_city_officer_keeps_the_counties_below_and_reaches_the_province(tree):
    scope = picker_scope(tree["city_section"])
    assert scope.dist[tree["sibling_section"].pk] == 0
    assert scope.dist[tree["city_branch"].pk] == 0
    assert scope.dist[tree["province_section"].pk] == 1
    assert tree["other_city"].pk not in scope.dist


def test_the_top_bureau_has_no_higher_organs(tree):
    scope = picker_scope(tree["province_section"])
    assert set(scope.dist.values()) == {0}
    assert set(scope.dist) == {unit.pk for unit in tree.values()}


def test_a_tree_without_bureaus_reaches_its_whole_root():
    root = UnitFactory(code="R", kind="detachment")
    squad = UnitFactory(code="R-1", kind="section", parent=root)
    other = UnitFactory(code="R-2", kind="section", parent=root)
    assert picker_scope(squad).dist == {root.pk: 0, squad.pk: 0, other.pk: 0}


def test_cases_stay_in_the_own_bureau_tree(tree):
    officer = make_officer(tree["county_section"], "county_officer")
    mine = CaseFactory(unit=tree["county_section"])
    city_case = CaseFactory(unit=tree["city_section"])
    sibling_case = CaseFactory(unit=tree["sibling_section"])
    handled = CaseFactory(unit=tree["other_city"])
    handled.handling_officers.add(officer)
    cases = set(cases_for_recorder(officer, tree["county_section"]))
    assert cases == {mine, handled}
    assert not cases & {city_case, sibling_case}


def test_no_unit_no_people():
    assert picker_scope(None).dist == {}
    assert not people_for_picker(None).exists()


def _picker_queries(unit) -> int:
    with CaptureQueriesContext(connection) as ctx:
        list(people_for_picker(unit))
    return len(ctx.captured_queries)


def test_the_picker_query_count_does_not_grow_with_the_tree(tree):
    small = _picker_queries(tree["county_section"])
    # Ten more counties under the city, each with two sections and people, and a deeper chain above.
    for x in range(3, 13):
        county = UnitFactory(code=f"P-C1-X{x}", kind="bureau", parent=tree["city"])
        for s in (1, 2):
            PersonFactory(unit=UnitFactory(code=f"{county.code}-S{s}", kind="section", parent=county))
    national = UnitFactory(code="N", name="应急管理部", kind="bureau")
    tree["province"].parent = national
    tree["province"].save()
    leader(national, "部领导", "副部长", Person.Level.PROVINCE)
    deeper = UnitFactory(code="P-C1-X1-S1-G1", kind="section", parent=tree["county_section"])

    assert small == 2  # the scope, then the people
    assert _picker_queries(tree["county_section"]) == small
    assert _picker_queries(deeper) == small
    assert "部领导" in {p.name for p in people_for_picker(deeper)}
