"""Pure rules of the discipline side: plain values in, plain values out; no ORM, no clock.

Each function names the article it implements. They are tested exhaustively in
``discipline/tests/test_rules.py``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cases import documents
from discipline.common.official import document_number
from records.record.rules import is_party_to

# Verification conclusions (R-VERIFY). Values are stable: stored in Review.conclusion.
FOUNDED = "founded"
PARTLY_FOUNDED = "partly"
UNFOUNDED = "unfounded"
NORMAL_DUTY = "normal_duty"
SUBSTANTIATED = frozenset({FOUNDED, PARTLY_FOUNDED})

REPEAT_THRESHOLD = 2



@dataclass(frozen=True)
class PrincipalFacts:
    """The principal leader as the routing rule sees them: their Person id and name."""

    person_id: int | None
    name: str


@dataclass(frozen=True)
class RecordParties:
    """Who a record names: the interferer and the leader behind an aide, relative or letter (R-PROXY)."""

    interferer_id: int | None
    interferer_name: str
    behind_id: int | None
    behind_name: str


def principal_implicated(principal: PrincipalFacts, parties: RecordParties) -> bool:
    """R-ROUTE (002 第五条 "直接呈报给主要领导批示"; 000 第九条 "向本单位纪委报告"): the principal leader
    gets the record for instruction unless they are the interferer, or the leader behind an aide,
    relative or organisation letter (001 第五条; 000 第八条(三)).

    Conservative on purpose — a record wrongly withheld from the principal still reaches the
    discipline body, one wrongly sent would reach the person it is about: implicated when the linked
    Person is the principal's, or when the written interferer or behind name equals the principal's
    name (whitespace ignored), whatever the linked Person says.
    """
    return is_party_to(
        person_id=principal.person_id,
        person_name=principal.name or "",
        interferer_id=parties.interferer_id,
        interferer_name=parties.interferer_name or "",
        behind_id=parties.behind_id,
        behind_name=parties.behind_name or "",
    )


@dataclass(frozen=True)
class Addressees:
    """Who a submitted record goes to (R-ROUTE)."""

    discipline_body_id: int
    principal_user_ids: tuple[int, ...]
    higher_body_id: int | None
    principal_excluded: bool
    # A staff member of the body is party to the record: the higher body handles it too.
    higher_handles: bool = False


def route_addressees(
    *,
    discipline_body_id: int,
    higher_body_id: int | None,
    principals: Iterable[tuple[int, PrincipalFacts]],
    parties: RecordParties,
    also_report_higher: bool,
    body_staff: Iterable[PrincipalFacts] = (),
) -> Addressees:
    """R-ROUTE: always the discipline body of the recorder's unit (000 第九条 "应在三个工作日内向本单位
    纪委报告"); the principal leader(s) for instruction (002 第五条) unless implicated; the higher-level
    discipline body when the officer asked for it (000 第九条 "必要时，可同时向驻局纪检组或上一级纪委、
    监察委报告") or when a principal was withheld because they are implicated, so that a record about the
    unit's own head is also seen above the body that reports to that head.

    When a staff member of the body is the interferer or the leader behind (``body_staff``), that
    person never sees the record (records.querysets.visible_to) and the higher-level body receives it
    to handle, not only to read: a body is not left to judge its own member.

    ``principals`` are (user id, facts) pairs. ``higher_body_id`` equal to the body itself is ignored.
    """
    included: list[int] = []
    excluded = False
    for user_id, facts in principals:
        if principal_implicated(facts, parties):
            excluded = True
        else:
            included.append(user_id)
    staff_implicated = any(principal_implicated(facts, parties) for facts in body_staff)
    wanted = also_report_higher or excluded or staff_implicated
    higher = higher_body_id if wanted and higher_body_id != discipline_body_id else None
    return Addressees(discipline_body_id, tuple(included), higher, excluded, higher_handles=staff_implicated and higher is not None)


def repeat_interferers(pairs: Iterable[tuple[int, int | None, int | None]], threshold: int = REPEAT_THRESHOLD) -> dict[int, int]:
    """R-FILE (000 第十二条; 002 第十一条) and the issue's "repeat interferers": a person named in
    ``threshold`` (2, "两次以上" includes 2) or more substantiated records, as interferer or as the leader
    behind (R-PROXY), is a repeat interferer.

    ``pairs`` are (record id, interferer person id, behind person id) of records whose verification
    concluded 属实 or 部分属实. A record counts once per person even when it names them twice.
    Returns {person id: number of records} for the persons at or above the threshold.
    """
    counts: Counter[int] = Counter()
    for _record_id, interferer_id, behind_id in pairs:
        for person_id in {interferer_id, behind_id} - {None}:
            counts[person_id] += 1
    return repeat_interferers_counted(counts, threshold)


def repeat_interferers_counted(counts: Mapping[int, int], threshold: int = REPEAT_THRESHOLD) -> dict[int, int]:
    """``repeat_interferers`` from counts already made: {person id: substantiated records naming
    them (once per record)} → the persons at or above ``threshold`` (000 第十二条; 002 第十一条)."""
    return {person_id: n for person_id, n in counts.items() if n >= threshold}


def special_matter_eligible(*, conclusion: str, serious: bool, affects_case: bool) -> bool:
    """R-SPECIAL (001 第七条): "情节严重，可能影响案件办理的，作为特别事项及时报告" — only a substantiated
    (属实/部分属实) finding that is serious and may affect the handling of the case."""
    return conclusion in SUBSTANTIATED and serious and affects_case


def notice_number(year: int, seq: int) -> str:
    """文号 of a notice letter (通报函): 纪通〔YYYY〕N号, numbered per issuing body and year."""
    return document_number("纪通", year, seq)


def special_report_number(year: int, seq: int) -> str:
    """文号 of a special report (特别事项报告, 001 第七条): 纪特〔YYYY〕N号, per reporting body and year."""
    return document_number("纪特", year, seq)


# The words the handling form used to prefill the cc with: a description of who is meant, not a body.
CC_PLACEHOLDER_PREFIX = "同级"


def circular_number(year: int, seq: int) -> str:
    """文号 of an internal notice (通报) of an own-unit handling: 内通〔YYYY〕N号, numbered per issuing
    bureau and year."""
    return document_number("内通", year, seq)


def cc_is_placeholder(cc: str) -> bool:
    """True when the cc of a notice letter names no body but describes one ("同级纪委监委", "同级纪委、
    监察委"): 000 第九条 requires "抄送同级纪委、监察委", so the letter names that commission. A body's
    name never starts with "同级"; an empty cc is a placeholder too."""
    text = cc.strip()
    return not text or text.startswith(CC_PLACEHOLDER_PREFIX)


def handling_kind_suggestion(*, interferer_unit_in_body: bool | None) -> str:
    """R-VERIFY (000 第九条): "对属于本单位的领导干部，按照相关规定和程序进行处理和通报；对非本单位的领导
    干部，应向其所在党委或党组织通报情况，同时抄送同级纪委、监察委". ``None`` (the person's unit is
    unknown) suggests the letter: the staff decide."""
    return "own_unit" if interferer_unit_in_body else "other_unit"


def handling_kinds(*, substantiated: bool, interferer_unit_in_body: bool | None) -> tuple[str, ...]:
    """The handling open for a verified record (R-VERIFY, 000 第九条 as quoted above; 001 第八条): a
    record not found true (不属实 / 属正常履职) is not handled ("no_action" only); a substantiated one is
    handled by the rule for where the interferer (or the leader behind them) belongs — "own_unit" for
    a person of a unit this body supervises, "other_unit" (a notice letter) for anyone else. When the
    person's unit is unknown (named in writing only), both stay open and the staff decide, the letter
    first. The form, its page and the service all ask this one rule."""
    if not substantiated:
        return ("no_action",)
    if interferer_unit_in_body is None:
        return ("other_unit", "own_unit")
    return (handling_kind_suggestion(interferer_unit_in_body=interferer_unit_in_body),)


# R-SANCTION: every outcome, grouped, with its legal basis (000 第十条, 第十一条; 001 第九条;
# 002 第九条, 第十条, 过错追究制度 第十条、第十三条; 004 第十八条). Codes are stable (stored in Sanction.kind).
PARTY = "party"
GOVERNMENT = "government"
ORGANISATIONAL = "organisational"
JUDICIAL = "judicial"

SANCTION_GROUPS: dict[str, str] = {
    PARTY: "党纪处分",
    GOVERNMENT: "政务处分",
    ORGANISATIONAL: "组织处理和轻微处理",
    JUDICIAL: "移送司法机关",
}

# The national regulations every party or 政务 sanction rests on, whatever the ground.
_PARTY_NATIONAL = "《中国共产党纪律处分条例》第八条"
_GOV_NATIONAL = "《中华人民共和国公职人员政务处分法》第七条、《行政机关公务员处分条例》"
_ORG_NATIONAL = "依照干部管理权限和有关规定"
_JUDICIAL_NATIONAL = "构成犯罪的，依法追究刑事责任"

# code: (group, label, basis whatever the ground — completed per ground by ``default_legal_basis``)
SANCTION_TYPES: dict[str, tuple[str, str, str]] = {
    "party_warning": (PARTY, "警告（党纪）", _PARTY_NATIONAL),
    "party_serious_warning": (PARTY, "严重警告", _PARTY_NATIONAL),
    "party_removal": (PARTY, "撤销党内职务", _PARTY_NATIONAL),
    "party_probation": (PARTY, "留党察看", _PARTY_NATIONAL),
    "party_expulsion": (PARTY, "开除党籍", _PARTY_NATIONAL),
    "gov_warning": (GOVERNMENT, "警告（政务）", _GOV_NATIONAL),
    "gov_demerit": (GOVERNMENT, "记过", _GOV_NATIONAL),
    "gov_major_demerit": (GOVERNMENT, "记大过", _GOV_NATIONAL),
    "gov_demotion": (GOVERNMENT, "降级", _GOV_NATIONAL),
    "gov_dismissal_post": (GOVERNMENT, "撤职", _GOV_NATIONAL),
    "gov_expulsion": (GOVERNMENT, "开除", _GOV_NATIONAL),
    "org_talk": (ORGANISATIONAL, "谈话提醒", _ORG_NATIONAL),
    "org_criticism": (ORGANISATIONAL, "批评教育", _ORG_NATIONAL),
    "org_self_examination": (ORGANISATIONAL, "责令检查", _ORG_NATIONAL),
    "org_admonition": (ORGANISATIONAL, "诫勉", _ORG_NATIONAL),
    "org_circulated_criticism": (ORGANISATIONAL, "通报批评", _ORG_NATIONAL),
    "org_no_award": (ORGANISATIONAL, "取消当年评优评先资格", _ORG_NATIONAL),
    "org_transfer": (ORGANISATIONAL, "调离执法岗位", _ORG_NATIONAL),
    "judicial_referral": (JUDICIAL, "移送司法机关", _JUDICIAL_NATIONAL),
}

# Why someone is sanctioned (Sanction.ground). Codes are stable.
GROUND_INTERFERENCE = "interference"
GROUND_FAILURE = "failure"
GROUND_RETALIATION = "retaliation"
GROUND_FAULT = "fault"
GROUND_TOLERANCE = "tolerance"
GROUND_OTHER = "other"
SANCTION_GROUNDS: dict[str, str] = {
    GROUND_INTERFERENCE: "违规干预、插手案件办理",
    GROUND_FAILURE: "不记录或不如实记录",
    GROUND_RETALIATION: "打击报复记录人员",
    GROUND_FAULT: "行政执法过错",
    GROUND_TOLERANCE: "容错纠错中的轻微处理",
    GROUND_OTHER: "其他",
}

# 004 第十八条: "可以予以谈话提醒、批评教育、责令检查、诫勉、取消当年评优评先资格、调离执法岗位等处理，免予
# 或者不予处分" — the only measures a tolerance decision takes; no 处分, and 通报批评 is not among them.
TOLERANCE_KINDS = ("org_talk", "org_criticism", "org_self_examination", "org_admonition", "org_no_award", "org_transfer")


def tolerance_allows(kind: str) -> bool:
    """Whether ``kind`` is one of 004 第十八条's light measures, the only outcome of a tolerance
    decision ("免予或者不予处分")."""
    return kind in TOLERANCE_KINDS


def sanctioned_kind(*, record_interferer_kind: str, is_interferer: bool, is_behind: bool, is_leading_cadre: bool) -> str:
    """The interferer kind that picks the system of a 广元 001 unit for a sanctioned person: the kind
    the record gives when they are its interferer; a leading cadre when they are the leader behind an
    aide, relative or letter (001 第五条); otherwise their own standing."""
    if is_interferer and record_interferer_kind:
        return record_interferer_kind
    if is_behind or is_leading_cadre:
        return "leader"
    return "insider"


def review_window_applies(ground: str) -> bool:
    """Whether the register counts a review-request window for a sanction: only for an enforcement-fault
    decision ("被追究行政执法过错责任的…可在接到决定通知之日起30日内提出复核申请", 赤峰002 过错追究制度
    第十二条). A party or 政务 sanction for interference, a failure to record or retaliation has the review
    or appeal route of its own regulations (第十三条: "按有关干部管理权限的规定办理"), not recorded here."""
    return ground == GROUND_FAULT


def _interference_basis(group: str, system: documents.System) -> str:
    if group == PARTY:
        return f"{_PARTY_NATIONAL}；{system.cite(documents.DISCIPLINE)}"
    if group == GOVERNMENT:
        return f"{_GOV_NATIONAL}；{system.cite(documents.DISCIPLINE)}"
    if group == JUDICIAL:
        return f"{system.cite(documents.DISCIPLINE)}（{_JUDICIAL_NATIONAL}）"
    # An organisational measure rests on the article that makes the conduct interference, and on the
    # one that provides for handling and notice (通报) where the system has one.
    articles = [system.article(documents.BEHAVIOURS)]
    for purpose in (documents.NOTICE, documents.HANDLING):
        if purpose in system.articles and system.article(purpose) not in articles:
            articles.append(system.article(purpose))
    return f"{system.short}{'、'.join(articles)}"


def default_legal_basis(*, kind: str, ground: str, system_key: str) -> str:
    """The legal basis the register proposes for a ``kind`` of sanction given why it is imposed
    (issue 19: it follows who is sanctioned and why, never one text for every case):

    - interference, failure to record, retaliation → the interference system of the unit's governing
      document (``system_key``, cases.documents.interference_system): 纪律处分 under its discipline
      article (000 第十条; 001 两制度 第九条; 002 第九条), a measure under the article defining the
      conduct and providing for its handling (000 第八条、第九条; 001 第八条; 002 第七条), a failure under
      its failure article (000 第十一条; 001 第十条; 002 第十条), retaliation under its retaliation article
      (000 第十条; 001 第九条), or its protection article where it has none (002 第六条);
    - enforcement fault → 赤峰002 过错追究制度 第十条 (处理), 第十三条 for 党纪政纪处分;
    - a tolerance measure → 004 第十八条;
    - anything else, or a unit with no governing document → the national regulations only.
    Party and 政务 sanctions always name their national regulations first."""
    group = SANCTION_TYPES[kind][0]
    national = SANCTION_TYPES[kind][2]
    if ground == GROUND_FAULT:
        fault = documents.system(documents.CHIFENG_FAULT)
        if group in (PARTY, GOVERNMENT):
            return f"{national}；{fault.cite(documents.FAULT_SANCTION)}"
        return fault.cite(documents.FAULT_HANDLING)
    if ground == GROUND_TOLERANCE:
        tolerance = documents.system(documents.TOLERANCE_MEASURES)
        return f"{tolerance.name}（{tolerance.short}）{tolerance.article(documents.LIGHT_MEASURES)}"
    if not system_key or ground not in (GROUND_INTERFERENCE, GROUND_FAILURE, GROUND_RETALIATION):
        return national
    system = documents.system(system_key)
    if ground == GROUND_INTERFERENCE:
        return _interference_basis(group, system)
    purpose = documents.FAILURE if ground == GROUND_FAILURE else documents.RETALIATION
    if purpose not in system.articles:
        purpose = documents.PROTECTION
    local = system.cite(purpose)
    return f"{national}；{local}" if group in (PARTY, GOVERNMENT) else local


# "可在接到决定通知之日起 30 日内提出复核申请" (赤峰 002 第十二条): enforcement-fault decisions only.
REVIEW_REQUEST_DAYS = 30


def sanction_group(kind: str) -> str:
    """The R-SANCTION group of a sanction type code; KeyError for an unknown code."""
    return SANCTION_TYPES[kind][0]


def on_time_rate(on_time: int, submitted: int) -> float | None:
    """Share of submitted records reported within the 3 working days of 000 第九条 (R-DUE), as a
    percentage rounded to one decimal; None when nothing was submitted."""
    if submitted <= 0:
        return None
    return round(100.0 * on_time / submitted, 1)
