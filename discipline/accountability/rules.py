"""Pure rules of accountability (R-FAIL, R-PROTECT): plain values in, plain values out; no ORM, no
clock. Each function names the article it implements; tested in ``discipline/tests/test_accountability_rules.py``.

R-FAIL is not one rule but four, one per document, and they differ:

- 十堰 000 第十一条 (leading cadres' interference in work-safety enforcement): "予以警告、通报批评；有两次
  以上（含）不记录或者不如实记录情形的，…给予纪律处分。主管领导授意…的，依纪依法追究主管领导责任。"
- 广元 001《行政机关工作人员干预、插手案件办理的记录、通报和责任追究制度》第十条 (insiders): "予以警告、
  通报批评；两次以上…给予纪律处分。主管领导授意…的，依法依纪追究主管领导责任。"
- 广元 001《领导干部干预行政执法活动、插手具体案件处理的记录、通报和责任追究制度》第十条 (leading
  cadres): "…给予纪律处分" from the first failure; no warning step. Supervisor: "依纪依法追究".
- 赤峰 002《内部人员干预执法办案记录和责任追究制度》第十条 (insiders): "予以通报批评" (no warning);
  "两次以上…给予纪律处分"; supervisor: "依法依纪从重追究主管领导责任" — the only text that says 从重.

"两次以上" includes two (DESIGN §5 day counting: "以上/以内" include the number itself; 000 says "（含）").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from cases import documents

SHIYAN_LEADER = "shiyan_leader"
GUANGYUAN_INSIDER = "guangyuan_insider"
GUANGYUAN_LEADER = "guangyuan_leader"
CHIFENG_INSIDER = "chifeng_insider"
REGIMES = (SHIYAN_LEADER, GUANGYUAN_INSIDER, GUANGYUAN_LEADER, CHIFENG_INSIDER)

# Regime codes (stored in RecordingFailure.regime) and the systems of cases.documents they apply: the
# articles, the wording of the first outcome and of the supervisor's liability all come from there.
REGIME_SYSTEMS: dict[str, str] = {
    SHIYAN_LEADER: documents.SHIYAN_LEADER,
    GUANGYUAN_INSIDER: documents.GUANGYUAN_INSIDER,
    GUANGYUAN_LEADER: documents.GUANGYUAN_LEADER,
    CHIFENG_INSIDER: documents.CHIFENG_INSIDER,
}
SYSTEM_REGIMES = {system: regime for regime, system in REGIME_SYSTEMS.items()}

DISCIPLINE_KINDS = (
    "party_warning", "party_serious_warning", "party_removal", "party_probation", "party_expulsion",
    "gov_warning", "gov_demerit", "gov_major_demerit", "gov_demotion", "gov_dismissal_post", "gov_expulsion",
)  # fmt: skip

# The sanction kinds (discipline.review.rules.SANCTION_TYPES) that carry out each outcome the texts name.
OUTCOME_KINDS: dict[str, tuple[str, ...]] = {
    "警告、通报批评": ("gov_warning", "party_warning", "org_circulated_criticism"),
    "通报批评": ("org_circulated_criticism",),
    "纪律处分": DISCIPLINE_KINDS,
}
DISCIPLINE_BASIS = "依照《中国共产党纪律处分条例》《行政机关公务员处分条例》等规定给予纪律处分"


def default_regime(*, document: str, interferer_kind: str) -> str:
    """The rules that govern a failure: those of the officer's unit (``document``, the unit's governing
    document, cases.documents), and within 广元 001 the system of the kind of interference the officer
    failed to record (``documents.interference_system``): 十堰 000 → 第十一条 whoever interfered; 广元
    001 → 领导干部制度 第十条 for a leading cadre's interference, 内部人员制度 第十条 for an insider's; 赤峰
    002 → 第十条 whoever interfered (its 第二条 counts the bureau's leaders as 内部人员). "" when the
    unit has no governing document: staff choose."""
    return SYSTEM_REGIMES.get(documents.interference_system(document, interferer_kind), "")


def _failure_rule(regime: str) -> tuple[documents.System, documents.FailureRule]:
    system = documents.system(REGIME_SYSTEMS[regime])
    if system.failure is None:
        raise ValueError(f"{system.key} has no failure-to-record rule")
    return system, system.failure


@dataclass(frozen=True)
class FailureSuggestion:
    """What the rules say for the officer's ``ordinal``-th confirmed failure under ``regime``."""

    regime: str
    ordinal: int
    outcome: str  # label, e.g. "通报批评" or "纪律处分"
    sanction_kinds: tuple[str, ...]  # Sanction.Kind codes that fit the outcome
    basis: str  # article and quoted rule
    supervisor: str  # what the rule says for an instigating supervisor; "" when none instigated
    supervisor_heavier: bool
    supervisor_kinds: tuple[str, ...]


def failure_suggestion(*, regime: str, ordinal: int, instigated: bool) -> FailureSuggestion:
    """R-FAIL: the suggested outcome of an officer's ``ordinal``-th (1-based) confirmed failure to
    record or to record truthfully, under ``regime`` (see the module docstring for the four texts).

    - 1st failure: 警告、通报批评 (000 第十一条; 001 内部人员制度 第十条), 通报批评 only (002 第十条), or
      纪律处分 already (001 领导干部制度 第十条);
    - 2nd and every later one ("两次以上", including 2): 纪律处分 in every regime;
    - a supervisor who instigated it (主管领导授意) is held accountable; heavier (从重) only under 002.

    Raises ValueError for an unknown regime or an ordinal below 1."""
    if regime not in REGIME_SYSTEMS:
        raise ValueError(f"unknown regime {regime!r}")
    if ordinal < 1:
        raise ValueError("ordinal must be >= 1")
    system, rule = _failure_rule(regime)
    article, heavier, supervisor_text = system.cite(documents.FAILURE), rule.heavier, rule.supervisor
    if ordinal < rule.discipline_from:
        outcome, kinds = rule.first, OUTCOME_KINDS[rule.first]
        basis = f"{article}：首次不记录或者不如实记录的，予以{rule.first}。"
    else:
        outcome, kinds = "纪律处分", DISCIPLINE_KINDS
        if rule.discipline_from == 1:
            basis = f"{article}：不记录或者不如实记录领导干部违法干预执法活动、插手具体案件处理情况的，{DISCIPLINE_BASIS}（不论次数）。"
        else:
            basis = f"{article}：两次以上（含两次）不记录或者不如实记录的，{DISCIPLINE_BASIS}。本次为第{ordinal}次。"
    supervisor = f"{article}：主管领导授意不记录或者不如实记录的，{supervisor_text}。" if instigated else ""
    return FailureSuggestion(
        regime=regime,
        ordinal=ordinal,
        outcome=outcome,
        sanction_kinds=tuple(kinds),
        basis=basis,
        supervisor=supervisor,
        supervisor_heavier=instigated and heavier,
        supervisor_kinds=DISCIPLINE_KINDS if instigated else (),
    )


@dataclass(frozen=True)
class FailureFacts:
    """One confirmed failure as the sequence rule sees it."""

    officer_id: int
    regime: str
    instigated: bool = False


def suggestions_for_history(failures: Iterable[FailureFacts]) -> list[FailureSuggestion]:
    """R-FAIL over a sequence of confirmed failures in the order they were confirmed: each officer's
    failures are counted on their own (another officer's never count), across regimes."""
    seen: Counter[int] = Counter()
    out: list[FailureSuggestion] = []
    for f in failures:
        seen[f.officer_id] += 1
        out.append(failure_suggestion(regime=f.regime, ordinal=seen[f.officer_id], instigated=f.instigated))
    return out


def decision_follows(suggested_kinds: Iterable[str], chosen_kind: str) -> bool:
    """Whether a decided sanction kind is one the suggestion named; otherwise staff give a reason."""
    return chosen_kind in set(suggested_kinds)


# --- R-PROTECT -------------------------------------------------------------------------------------

# "非因法定事由，非经法定程序，不得将报告人员免职、调离、辞退或者作出降级、撤职、开除等处分"
# (000 第七条; 001 内部人员制度 第七条, 领导干部制度 第六条). The list ends in 等处分 and so is open:
# an "other adverse action" (described by who enters it) is protected against too.
PROTECTED_ACTIONS = frozenset({"removal", "transfer", "dismissal", "demotion", "dismissal_post", "expulsion", "other"})


def alert_owed(*, action_kind: str, records_made: int) -> bool:
    """R-PROTECT: a personnel action raises an alert when it is one the articles name and the person
    has made at least one record (a protected recorder)."""
    return action_kind in PROTECTED_ACTIONS and records_made > 0


def rate_per_hundred(records: int, cases: int) -> float | None:
    """Records per 100 cases handled, one decimal; None without cases."""
    if cases <= 0:
        return None
    return round(100.0 * records / cases, 1)
