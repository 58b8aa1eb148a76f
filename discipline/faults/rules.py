"""Pure rules of enforcement-fault accountability (R-FAULT, 赤峰 002 《行政执法过错责任追究制度》) and
of error tolerance and correction (R-TOL, 004 《容错纠错实施办法》). No ORM, no clock.

The catalogues are the documents' numbered lists, each item with its article, for the forms to offer.
The models, services and pages that use them arrive with issue 8; these rules are its core.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from discipline.common.official import document_number
from records.calendar.workdays import WorkCalendar

# --- catalogues ---------------------------------------------------------------------------------

# 002 第五条: what counts as an enforcement fault (11 items).
FAULT_TYPES: dict[str, str] = {
    "facts_unclear": "主要事实不清，重要证据不足（第五条第1项）",
    "law_misapplied": "适用法律、法规、规章明显错误（第五条第2项）",
    "procedure": "未按法定程序实施行政处罚，或适用程序明显不当（第五条第3项）",
    "penalty_changed": "擅自改变行政处罚种类和幅度（第五条第4项）",
    "beyond_authority": "超越审批和处罚权限（第五条第5项）",
    "obligation_illegal": "严重违反法律程序要求当事人履行义务（第五条第6项）",
    "false_evidence": "行政执法人员提供伪证造成不良影响（第五条第7项）",
    "unfair": "处理结果显失公正（第五条第8项）",
    "inaction": "行政不作为（第五条第9项）",
    "misconduct": "玩忽职守、徇私舞弊、贪污受贿索贿等尚不构成犯罪（第五条第10项）",
    "other": "其他行政执法过错行为（第五条第11项）",
}
# 002 第六条: no liability (4 items).
NO_LIABILITY: dict[str, str] = {
    "party_caused": "因当事人的原因致使行政执法发生过错（第六条第1项）",
    "collective": "行政行为经过集体讨论、审议、会签同意（第六条第2项）",
    "force_majeure": "因不可抗拒的原因造成执法过错（第六条第3项）",
    "other": "其他不应追究的情形（第六条第4项）",
}
# 002 第七条: lighter or exempt (3 items).
LIGHTER: dict[str, str] = {
    "self_corrected": "主动发现其行政执法过错并及时纠正且未造成严重后果（第七条第1项）",
    "minor": "行政执法过错情节轻微（第七条第2项）",
    "other": "其他可以从轻或者免予追究的情形（第七条第3项）",
}
# 002 第八条: heavier (4 items).
HEAVIER: dict[str, str] = {
    "misconduct": "因玩忽职守、徇私舞弊、贪污受贿等原因造成行政执法过错（第八条第1项）",
    "repeated": "多次发生行政执法过错（第八条第2项）",
    "serious": "造成严重后果或在社会上造成不良影响（第八条第3项）",
    "other": "其他应当从重追究的情形（第八条第4项）",
}
# 004 第十五条: duty fulfilled (9 items).
DUTY_FULFILLED: dict[str, str] = {
    f"15-{n}": text
    for n, text in enumerate(
        [
            "已经按照法定职责、法定程序、岗位职责履行行政执法职责",
            "因行政相对人隐瞒、伪造、毁灭证据或者提供虚假材料致使作出错误执法决定，或者逃避调查致使执法行为不能及时作出",
            "因当事人擅自隐匿、转移、变卖、损毁被查封、扣押的物品导致危害后果发生",
            "因不可抗力因素导致未能依法履行职责",
            "因其他有关部门错误或者不当行政行为导致作出错误判定或者处理",
            "因标准缺失或者现有科学技术水平的限制不能发现存在问题",
            "违法行为被依法查处和责令改正，在整改期间不执行整改要求导致发生事故",
            "违法行为已被依法调查和责令改正，在按法律程序办理或者移送过程中发生事故",
            "其他履职尽责依法不应当追究责任的情形",
        ],
        start=1,
    )
}
# 004 第十六条: no liability under error tolerance (11 items).
TOLERANCE_GROUNDS: dict[str, str] = {
    f"16-{n}": text
    for n, text in enumerate(
        [
            "因行政管理相对人的行为致使无法作出正确行政执法行为",
            "因有关行政执法依据规定不一致致使适用依据不当",
            "因不能预见、不能避免并不能克服的不可抗力致使行政执法行为违法、不当或者未履行法定职责",
            "违法、不当的行政执法行为情节轻微并及时纠正，没有造成不良后果或者不良后果被及时消除",
            "按照批准、备案的执法工作计划、现场检查方案和规定的方式、程序已经履行监管职责",
            "对发现的非法违法行为和事故隐患已经依法查处，因生产经营单位拒不执行监管指令导致事故",
            "生产经营单位经责令停产停业整顿后仍不具备安全生产条件，已提请政府决定取缔或者关闭",
            "对拒不执行行政处罚决定的生产经营单位，已经依法申请人民法院强制执行",
            "已经依法向政府提出加强和改善安全生产监督管理建议",
            "执行党委研究决定的执法事项中发现错误并提出修正意见后未被采纳，仍被要求继续执行",
            "依法不承担责任的其他情形",
        ],
        start=1,
    )
}
# 004 第十七条: mitigating circumstances (5 items).
MITIGATION: dict[str, str] = {
    f"17-{n}": text
    for n, text in enumerate(
        [
            "主动、及时报告过错行为并采取补救措施，有效避免损失或者挽回、消除不良影响",
            "在调查核实过程中能够配合调查，如实说明本人过错情况",
            "检举同案人或者其他人应当追究责任的问题，或者有其他立功表现，经查证属实",
            "主动上交或者退赔违法所得",
            "法律、法规、规章规定的其他可以从轻、减轻追究责任的情形",
        ],
        start=1,
    )
}
# 004 第十八条: light measures instead of a sanction.
LIGHT_MEASURES: dict[str, str] = {
    "talk": "谈话提醒",
    "criticism": "批评教育",
    "self_examination": "责令检查",
    "admonition": "诫勉",
    "no_honours": "取消当年评优评先资格",
    "transfer": "调离执法岗位",
}


# --- 002 第九条: responsibility allocation ------------------------------------------------------

MAIN, PARTIAL, FULL, NONE = "main", "partial", "full", "none"
ROLES = ("handler", "section_head", "approver", "superior")  # 承办人员, 科室/单位负责人, 审批人/审核人, 上级领导


@dataclass(frozen=True)
class FaultFacts:
    """What staff established about how the fault came about (002 第九条)."""

    misreported: bool = False  # 承办人员汇报事实有误、隐瞒证据或者提供虚假证据，致使决策失误 (第1项)
    approval_required: bool = False  # 应当审批 (第2项)
    approved: bool = False  # 经审批、审核作出 (第3项)
    head_consented: bool = False  # 未经审批但经科室或单位负责人同意 (第2项)
    changed_by_superior: bool = False  # 承办科室提出的处理意见被上级领导改变 (第4项)
    no_liability: tuple[str, ...] = ()  # 第六条 grounds found


@dataclass(frozen=True)
class Allocation:
    """Responsibility per role, with the sub-clause that decides it; `determined` is False when 第九条
    does not say (staff then decide and record why)."""

    shares: dict[str, str] = field(default_factory=dict)
    basis: str = ""
    determined: bool = True


def allocate_responsibility(facts: FaultFacts) -> Allocation:
    """002 第九条 (and 第六条, which removes liability first):

    (1) the handler misreported, hid or faked evidence and so misled the decision → handler main,
        the section/unit head partial ("承担一定责任");
    (4) the handling proposal was changed by a superior → the superior answers for the changed act;
    (2) an act that needed approval was taken without it → the handler fully, or the head fully when
        the head agreed to it;
    (3) an approved or reviewed act → the approver and the reviewing head main.
    The order above is the order of causation: misreporting makes every later decision the handler's
    doing, and a superior's change supersedes the proposal it changed.
    """
    nobody = dict.fromkeys(ROLES, NONE)
    if facts.no_liability:
        return Allocation(nobody, "第六条：具有不承担责任的情形，行政执法人员不承担责任")
    if facts.misreported:
        return Allocation({**nobody, "handler": MAIN, "section_head": PARTIAL}, "第九条第1项：承办人员承担主要责任，承办科室或单位负责人承担一定责任")
    if facts.changed_by_superior:
        return Allocation({**nobody, "superior": FULL}, "第九条第4项：由上级领导对改变后的行政行为负责")
    if facts.approval_required and not facts.approved:
        if facts.head_consented:
            return Allocation({**nobody, "section_head": FULL}, "第九条第2项：经科室或单位负责人同意的，由该负责人承担全部责任")
        return Allocation({**nobody, "handler": FULL}, "第九条第2项：未经审批且未经负责人同意的，由承办人员承担全部责任")
    if facts.approved:
        return Allocation({**nobody, "approver": MAIN, "section_head": MAIN}, "第九条第3项：由审批人、审核科室或单位负责人承担主要责任")
    return Allocation(nobody, "第九条未规定此情形，请结合第十条按过错性质、情节、后果认定", determined=False)


def adjustment(*, lighter: Iterable[str], heavier: Iterable[str]) -> str:
    """002 第七条/第八条: "lighter" (可以从轻或者免予追究), "heavier" (应当从重追究), "both" (staff weigh
    them; heavier is mandatory wording, lighter permissive) or "none"."""
    lighter, heavier = set(lighter), set(heavier)
    if lighter and heavier:
        return "both"
    return "heavier" if heavier else "lighter" if lighter else "none"


# --- 004: error tolerance -----------------------------------------------------------------------


@dataclass(frozen=True)
class ToleranceAssessment:
    eligible: bool
    reason: str
    light_measures_applicable: bool = False


def assess_tolerance(
    *, grounds: Iterable[str], mitigations: Iterable[str], abused_or_failed_duty_causing_harm: bool, minor_and_low_harm: bool
) -> ToleranceAssessment:
    """004 第十九条 overrides every ground: powers abused or duties not performed, harming citizens'
    or organisations' rights with bad consequences → never tolerated. Otherwise a ground of 第十五条
    (duty fulfilled) or 第十六条 makes the error tolerable; 第十八条's light measures apply when the
    error is minor with little harm and a mitigating circumstance of 第十七条 exists."""
    grounds, mitigations = set(grounds), set(mitigations)
    unknown = grounds - set(DUTY_FULFILLED) - set(TOLERANCE_GROUNDS)
    if unknown:
        raise ValueError(f"unknown grounds: {sorted(unknown)}")
    light = minor_and_low_harm and bool(mitigations & set(MITIGATION))
    if abused_or_failed_duty_causing_harm:
        return ToleranceAssessment(False, "第十九条：滥用职权或不履行法定职责并造成不良后果的，不予容错", light)
    if not grounds:
        return ToleranceAssessment(False, "未选择第十五条或第十六条规定的情形", light)
    articles = sorted({"第十五条" if g.startswith("15-") else "第十六条" for g in grounds})
    return ToleranceAssessment(True, "符合" + "、".join(articles) + "规定的情形，可以容错", light)


# --- deadlines (all "N 日内", counted by records.deadlines.period_end) ------------------------------

DECISION_NOTICE_DAYS = 10  # 002 第十一条: written decision to the person within 10 日
REVIEW_REQUEST_DAYS = 30  # 002 第十二条: review request within 30 日 of receiving the decision
TOLERANCE_NOTICE_DAYS = 7  # 004 第二十条: notice to units and person within 7 日


# --- 004 第二十四条: recurring errors -----------------------------------------------------------

RECURRENCE_THRESHOLD = 3
RECURRENCE_WINDOW = dt.timedelta(days=365)


def recurring_errors(
    errors: Iterable[tuple[dt.date, str, str]], *, today: dt.date, threshold: int = RECURRENCE_THRESHOLD
) -> dict[tuple[str, str], int]:
    """004 第二十四条 "同一类问题频繁出现或者同一领域集中出现": errors (date, kind, field) within the last
    12 months; returns {("kind", k) or ("field", f): count} for each kind or field at or above the
    threshold (default 3 in 12 months). Tolerated errors must not be passed in (第二十一条)."""
    since = today - RECURRENCE_WINDOW
    counts: Counter[tuple[str, str]] = Counter()
    for day, kind, area in errors:
        if since < day <= today:
            counts[("kind", kind)] += 1
            if area:
                counts[("field", area)] += 1
    return {key: n for key, n in counts.items() if n >= threshold}


def countdown(due: dt.date | None, done: dt.date | None, today: dt.date, cal: WorkCalendar) -> dict | None:
    """A deadline's state in working days (for "剩余N个工作日" / "已逾期N个工作日")."""
    if due is None:
        return None
    if done is not None:
        return {"code": "done_late" if done > due else "done", "label": _("已逾期完成") if done > due else _("已按期完成")}
    if today > due:
        return {"code": "overdue", "label": _("已逾期 %(n)s 个工作日") % {"n": max(1, cal.working_days_between(due, today))}}
    if today == due:
        return {"code": "today", "label": _("今日到期")}
    return {"code": "remaining", "label": _("还剩 %(n)s 个工作日") % {"n": cal.working_days_between(today, due)}}


def fault_decision_number(year: int, seq: int) -> str:
    """文号 of the written decision on an enforcement fault (002 第十一条): 过错决〔YYYY〕N号, per body and year."""
    return document_number("过错决", year, seq)


def tolerance_decision_number(year: int, seq: int) -> str:
    """文号 of a tolerance decision (004 第二十条): 容错决〔YYYY〕N号, per bureau and year."""
    return document_number("容错决", year, seq)
