"""R-FAIL and R-PROTECT pure rules: the suggestion over sequences of failures, per regime."""

import pytest

from discipline.accountability import rules as r

F = r.FailureFacts


def outcomes(seq):
    return [(s.ordinal, s.outcome) for s in r.suggestions_for_history(seq)]


@pytest.mark.parametrize(
    ("regime", "first", "article"),
    [
        (r.SHIYAN_LEADER, "警告、通报批评", "十堰000第十一条"),
        (r.GUANGYUAN_INSIDER, "警告、通报批评", "广元001内部人员制度第十条"),
        (r.GUANGYUAN_LEADER, "纪律处分", "广元001领导干部制度第十条"),
        (r.CHIFENG_INSIDER, "通报批评", "赤峰002第十条"),
    ],
)
def test_first_second_third_per_regime(regime, first, article):
    got = r.suggestions_for_history([F(1, regime), F(1, regime), F(1, regime)])
    assert [s.ordinal for s in got] == [1, 2, 3]
    assert got[0].outcome == first
    # "两次以上" includes the second: discipline from the 2nd on, in every regime.
    assert got[1].outcome == got[2].outcome == "纪律处分"
    assert all(s.basis.startswith(article) for s in got)
    assert got[1].sanction_kinds == r.DISCIPLINE_KINDS
    assert "第2次" in got[1].basis or regime == r.GUANGYUAN_LEADER


def test_chifeng_first_is_circulated_criticism_only_not_warning():
    s = r.failure_suggestion(regime=r.CHIFENG_INSIDER, ordinal=1, instigated=False)
    assert s.sanction_kinds == ("org_circulated_criticism",)
    assert "警告" not in s.outcome


def test_shiyan_first_offers_warning_and_criticism():
    s = r.failure_suggestion(regime=r.SHIYAN_LEADER, ordinal=1, instigated=False)
    assert {"gov_warning", "org_circulated_criticism"} <= set(s.sanction_kinds)
    assert "纪律处分" not in s.outcome


def test_instigating_supervisor_is_held_accountable_heavier_only_under_chifeng():
    for regime in r.REGIMES:
        plain = r.failure_suggestion(regime=regime, ordinal=1, instigated=False)
        assert plain.supervisor == "" and not plain.supervisor_heavier and plain.supervisor_kinds == ()
        instigated = r.failure_suggestion(regime=regime, ordinal=1, instigated=True)
        assert "主管领导" in instigated.supervisor and instigated.supervisor_kinds == r.DISCIPLINE_KINDS
        # The officer's own outcome does not change because a supervisor instigated it.
        assert instigated.outcome == plain.outcome
        assert instigated.supervisor_heavier == (regime == r.CHIFENG_INSIDER)
    assert "从重" in r.failure_suggestion(regime=r.CHIFENG_INSIDER, ordinal=2, instigated=True).supervisor


def test_sequence_with_and_without_instigation():
    got = r.suggestions_for_history([F(1, r.SHIYAN_LEADER), F(1, r.SHIYAN_LEADER, True), F(1, r.SHIYAN_LEADER)])
    assert [s.outcome for s in got] == ["警告、通报批评", "纪律处分", "纪律处分"]
    assert [bool(s.supervisor) for s in got] == [False, True, False]


def test_two_officers_are_not_mixed():
    seq = [F(1, r.CHIFENG_INSIDER), F(2, r.CHIFENG_INSIDER), F(1, r.CHIFENG_INSIDER), F(2, r.CHIFENG_INSIDER), F(3, r.CHIFENG_INSIDER)]
    assert outcomes(seq) == [(1, "通报批评"), (1, "通报批评"), (2, "纪律处分"), (2, "纪律处分"), (1, "通报批评")]


def test_failures_count_across_regimes_for_one_officer():
    assert outcomes([F(1, r.CHIFENG_INSIDER), F(1, r.SHIYAN_LEADER)]) == [(1, "通报批评"), (2, "纪律处分")]


@pytest.mark.parametrize(
    ("kind", "regime"),
    [("leader", r.GUANGYUAN_LEADER), ("proxy", r.GUANGYUAN_LEADER), ("organisation", r.GUANGYUAN_LEADER),
     ("superior_staff", r.GUANGYUAN_LEADER), ("insider", r.CHIFENG_INSIDER), ("other", r.SHIYAN_LEADER), ("", r.SHIYAN_LEADER)],
)  # fmt: skip
def test_default_regime_by_interferer_kind(kind, regime):
    assert r.default_regime(kind) == regime


def test_bad_input():
    with pytest.raises(ValueError):
        r.failure_suggestion(regime="nope", ordinal=1, instigated=False)
    with pytest.raises(ValueError):
        r.failure_suggestion(regime=r.SHIYAN_LEADER, ordinal=0, instigated=False)


@pytest.mark.parametrize("kind", sorted(r.PROTECTED_ACTIONS))
def test_alert_owed_for_each_protected_action_of_a_recorder(kind):
    assert r.alert_owed(action_kind=kind, records_made=1)
    assert not r.alert_owed(action_kind=kind, records_made=0)


def test_rate_per_hundred():
    assert r.rate_per_hundred(3, 40) == 7.5
    assert r.rate_per_hundred(0, 12) == 0.0
    assert r.rate_per_hundred(5, 0) is None
    assert r.decision_follows(["org_circulated_criticism"], "org_circulated_criticism")
    assert not r.decision_follows(["org_circulated_criticism"], "gov_warning")
