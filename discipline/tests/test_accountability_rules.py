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


# Issue 19: the regime is the officer's unit's, not the interferer's. Checked by hand: 000 第十一条 is the
# only failure rule of a 十堰 unit; 001 has two systems (领导干部制度 第十条 for leaders' interference and
# what is done on their behalf, 第五条; 内部人员制度 第十条 for insiders); 002 第二条 counts the bureau's
# own leaders as 内部人员, so its 第十条 governs a leader's interference too. (Before, a leader-kind
# interferer defaulted to 001's leaders' system in every unit.)
@pytest.mark.parametrize(
    ("document", "kind", "regime"),
    [("000", "leader", r.SHIYAN_LEADER), ("000", "insider", r.SHIYAN_LEADER), ("000", "other", r.SHIYAN_LEADER),
     ("001", "leader", r.GUANGYUAN_LEADER), ("001", "proxy", r.GUANGYUAN_LEADER), ("001", "organisation", r.GUANGYUAN_LEADER),
     ("001", "superior_staff", r.GUANGYUAN_LEADER), ("001", "insider", r.GUANGYUAN_INSIDER), ("001", "other", r.GUANGYUAN_INSIDER),
     ("002", "leader", r.CHIFENG_INSIDER), ("002", "proxy", r.CHIFENG_INSIDER), ("002", "insider", r.CHIFENG_INSIDER),
     ("", "leader", ""), ("", "insider", "")],
)  # fmt: skip
def test_default_regime_is_the_units_document(document, kind, regime):
    assert r.default_regime(document=document, interferer_kind=kind) == regime


def test_a_chifeng_leader_gets_criticism_first_not_discipline():
    # 副局长 interfering in a 赤峰 bureau, the officer's first failure: 002 第十条 "予以通报批评".
    s = r.failure_suggestion(regime=r.default_regime(document="002", interferer_kind="leader"), ordinal=1, instigated=False)
    assert s.outcome == "通报批评" and s.basis.startswith("赤峰002第十条")
    s = r.failure_suggestion(regime=r.default_regime(document="000", interferer_kind="leader"), ordinal=1, instigated=False)
    assert s.outcome == "警告、通报批评" and s.basis.startswith("十堰000第十一条")


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
