"""In a province → city → county tree an officer picks cases and people of their own bureau's tree,
not of the whole province (at national scale the whole tree is tens of thousands of cases)."""

import pytest

from cases.selectors import bureau_of, cases_for_recorder, people_for_picker
from tests.factories import CaseFactory, PersonFactory, UnitFactory, make_officer

pytestmark = pytest.mark.django_db


def test_officer_picks_from_the_nearest_bureau_tree():
    province = UnitFactory(code="P", kind="bureau")
    city = UnitFactory(code="P-C1", kind="bureau", parent=province)
    county = UnitFactory(code="P-C1-X1", kind="bureau", parent=city)
    other_county = UnitFactory(code="P-C1-X2", kind="bureau", parent=city)
    section = UnitFactory(code="P-C1-X1-S1", kind="section", parent=county)
    other_section = UnitFactory(code="P-C1-X2-S1", kind="section", parent=other_county)
    mine, theirs = CaseFactory(unit=section), CaseFactory(unit=other_section)
    own_leader, other_leader = PersonFactory(unit=county), PersonFactory(unit=other_county)
    officer = make_officer(section, "county_officer")

    assert bureau_of(section) == county
    assert bureau_of(county) == county
    assert set(cases_for_recorder(officer, section)) == {mine}
    assert theirs not in set(cases_for_recorder(officer, section))
    people = set(people_for_picker(section))
    assert own_leader in people
    assert other_leader not in people


def test_a_tree_without_bureaus_falls_back_to_its_root():
    root = UnitFactory(code="R", kind="detachment")
    section = UnitFactory(code="R-S1", kind="section", parent=root)
    assert bureau_of(section) == root
