"""The pure rules of discipline.rules, exhaustively."""

import pytest

from discipline.review import rules
from discipline.review.rules import PrincipalFacts, RecordParties

CHEN = PrincipalFacts(7, "陈军")


@pytest.mark.parametrize(
    ("parties", "implicated"),
    [
        (RecordParties(None, "李建国", None, ""), False),
        (RecordParties(7, "陈局长", None, ""), True),  # linked as interferer
        (RecordParties(None, "某亲属", 7, ""), True),  # linked as the leader behind
        (RecordParties(None, "陈军", None, ""), True),  # written name only
        (RecordParties(None, " 陈 军 ", None, ""), True),  # whitespace ignored
        (RecordParties(None, "王秘书", None, "陈军"), True),  # written leader behind
        (RecordParties(8, "陈军", None, ""), True),  # linked to someone else but the written name matches: conservative
        (RecordParties(None, "陈军华", None, ""), False),  # a different name
    ],
)
def test_principal_implicated(parties, implicated):
    assert rules.principal_implicated(CHEN, parties) is implicated


def test_principal_without_name_or_person_is_never_implicated_by_empty_fields():
    assert not rules.principal_implicated(PrincipalFacts(None, ""), RecordParties(None, "", None, ""))


@pytest.mark.parametrize(
    ("interferer", "higher", "also", "expected"),
    [
        ("李建国", 99, False, ((7001,), None, False)),
        ("李建国", 99, True, ((7001,), 99, False)),
        ("陈军", 99, False, ((), 99, True)),
        ("陈军", None, False, ((), None, True)),
        ("陈军", 1, True, ((), None, True)),  # a "higher" body equal to the body itself is ignored
    ],
)
def test_route_addressees(interferer, higher, also, expected):
    result = rules.route_addressees(
        discipline_body_id=1, higher_body_id=higher, principals=[(7001, CHEN)], parties=RecordParties(None, interferer, None, ""), also_report_higher=also
    )
    assert (result.principal_user_ids, result.higher_body_id, result.principal_excluded) == expected
    assert result.discipline_body_id == 1


def test_repeat_interferers_threshold_includes_two_and_counts_a_record_once():
    pairs = [(1, 10, None), (2, None, 10), (3, 11, 11), (4, 12, None), (5, 12, None), (6, 12, None)]
    assert rules.repeat_interferers(pairs) == {10: 2, 12: 3}
    assert rules.repeat_interferers(pairs, threshold=3) == {12: 3}
    assert rules.repeat_interferers([]) == {}


@pytest.mark.parametrize("conclusion", ["founded", "partly", "unfounded", "normal_duty"])
@pytest.mark.parametrize("serious", [True, False])
@pytest.mark.parametrize("affects", [True, False])
def test_special_matter_eligible(conclusion, serious, affects):
    assert rules.special_matter_eligible(conclusion=conclusion, serious=serious, affects_case=affects) is (
        conclusion in ("founded", "partly") and serious and affects
    )


def test_notice_number():
    assert rules.notice_number(2026, 1) == "纪通〔2026〕1号"
    assert rules.notice_number(2027, 12) == "纪通〔2027〕12号"
    with pytest.raises(ValueError):
        rules.notice_number(2026, 0)


@pytest.mark.parametrize(
    "substantiated, in_body, kinds",
    [
        (True, True, ("own_unit",)),
        (True, False, ("other_unit",)),
        (True, None, ("other_unit", "own_unit")),
        (False, True, ("no_action",)),
        (False, False, ("no_action",)),
        (False, None, ("no_action",)),
    ],
)
def test_handling_kinds(substantiated, in_body, kinds):
    assert rules.handling_kinds(substantiated=substantiated, interferer_unit_in_body=in_body) == kinds


def test_handling_kind_suggestion():
    assert rules.handling_kind_suggestion(interferer_unit_in_body=True) == "own_unit"
    assert rules.handling_kind_suggestion(interferer_unit_in_body=False) == "other_unit"
    assert rules.handling_kind_suggestion(interferer_unit_in_body=None) == "other_unit"


@pytest.mark.parametrize(("on_time", "submitted", "rate"), [(0, 0, None), (1, 3, 33.3), (2, 3, 66.7), (3, 3, 100.0), (0, 5, 0.0)])
def test_on_time_rate(on_time, submitted, rate):
    assert rules.on_time_rate(on_time, submitted) == rate
