"""The source documents the product implements, as one table: each 制度 (system of rules) with its
exact title as published, its issuing body and document number, and the articles the product cites.

Every title the product quotes in a letter, report, help page or legal basis comes from here, and
``cases/tests/test_documents.py`` checks each title against the published text in the seeds
(`/work/shared/seeds/`, DESIGN.md §"Source documents"). Pure data and pure functions: no ORM.

Which rules apply is a property of the unit (issue 19): a bureau works under one document
(``Unit.governing_document``: 十堰 000, 广元 001 with its two systems, 赤峰 002), inherited down the
tree (``effective_document``). Within a document the system follows who interfered
(``interference_system``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

# Document codes (the seed file prefixes). The three a unit may be governed by, for interference:
SHIYAN = "000"
GUANGYUAN = "001"
CHIFENG = "002"
GOVERNING_DOCUMENTS = (SHIYAN, GUANGYUAN, CHIFENG)
CAMPAIGN = "003"
TOLERANCE = "004"

# System keys (one 制度 or 办法 inside a document).
SHIYAN_LEADER = "000"
GUANGYUAN_INSIDER = "001-insider"
GUANGYUAN_LEADER = "001-leader"
CHIFENG_FAULT = "002-fault"
CHIFENG_INSIDER = "002-insider"
CAMPAIGN_OPINION = "003"
TOLERANCE_MEASURES = "004"


@dataclass(frozen=True)
class FailureRule:
    """What a system says of an officer who does not record, or records untruthfully (R-FAIL):
    ``first`` is the outcome of the first failure as the text words it; from the ``discipline_from``-th
    failure on, 纪律处分 ("两次以上" includes two: 000 says "（含）", DESIGN §5 day counting);
    ``supervisor`` quotes what it says of a supervisor who instigated it; ``heavier`` when it says 从重."""

    first: str
    discipline_from: int
    supervisor: str
    heavier: bool


@dataclass(frozen=True)
class System:
    """One 制度/办法. ``title`` is exactly as published, without the book-title marks; empty when the
    published text carries none (004), then ``name`` describes it and is never put in 《》.
    ``articles`` maps what the product cites the system for to the article number."""

    key: str
    document: str
    short: str  # the short reference the pages use before an article, e.g. "十堰000"
    title: str
    name: str
    issuer: str
    number: str
    issued_on: dt.date | None
    articles: dict[str, str] = field(default_factory=dict)
    failure: FailureRule | None = None

    @property
    def quoted(self) -> str:
        """The title in book-title marks, or the descriptive name when there is no published title."""
        return f"《{self.title}》" if self.title else self.name

    def article(self, purpose: str) -> str:
        """The article cited for ``purpose``; KeyError when the system has none for it (a caller
        must not invent one)."""
        return self.articles[purpose]

    def cite(self, purpose: str) -> str:
        """Short citation as the pages write it, e.g. "广元001领导干部制度第十条"."""
        return f"{self.short}{self.article(purpose)}"

    def cite_title(self, purpose: str) -> str:
        """Full citation for letters and reports, e.g. "《…责任追究办法》第九条"."""
        return f"{self.quoted}{self.article(purpose)}"


# Article purposes.
BEHAVIOURS = "behaviours"  # what counts as interference
PROTECTION = "protection"  # recorders protected; 免职、调离、辞退、降级、撤职、开除等处分
RECORDING = "recording"  # the duty to record
REPORTING = "reporting"  # 3 working days to the unit's discipline commission
HANDLING = "handling"  # handling and notice (通报) of the interferer
NOTICE = "notice"  # 通报 (001: after approval, 报经批准)
DISCIPLINE = "discipline"  # 纪律处分 for interference; criminal liability
RETALIATION = "retaliation"  # 纪律处分 for retaliation
FAILURE = "failure"  # not recording / untruthful recording
SPECIAL = "special"  # annual analysis, special matter reported to 市委市政府
LEDGER = "ledger"
FILES = "files"  # personal integrity file / assessment
FAULT_TYPES = "fault_types"
FAULT_HANDLING = "fault_handling"
FAULT_DECISION = "fault_decision"  # written decision within 10 日
FAULT_REVIEW = "fault_review"  # review request within 30 日
FAULT_SANCTION = "fault_sanction"  # 党纪政纪处分 by cadre-management authority
LIGHT_MEASURES = "light_measures"  # 004 第十八条


_SHIYAN_ISSUER = "十堰市安全生产委员会办公室"
_GUANGYUAN_ISSUER = "广元市自然资源局"
_CHIFENG_ISSUER = "赤峰市应急管理局"

SYSTEMS: dict[str, System] = {
    s.key: s
    for s in (
        System(
            key=SHIYAN_LEADER, document=SHIYAN, short="十堰000",
            title="十堰市领导干部非法干预安全生产监管执法活动、插手具体案件处理的记录、通报和责任追究办法",
            name="十堰市领导干部非法干预执法记录和责任追究办法",
            issuer=_SHIYAN_ISSUER, number="十安办〔2019〕21号", issued_on=dt.date(2019, 5, 9),
            articles={PROTECTION: "第七条", BEHAVIOURS: "第八条", REPORTING: "第九条", HANDLING: "第九条", RECORDING: "第六条",
                      DISCIPLINE: "第十条", RETALIATION: "第十条", FAILURE: "第十一条", FILES: "第十二条"},
            failure=FailureRule(first="警告、通报批评", discipline_from=2, supervisor="依纪依法追究主管领导责任", heavier=False),
        ),
        System(
            key=GUANGYUAN_INSIDER, document=GUANGYUAN, short="广元001内部人员制度",
            title="行政机关工作人员干预、插手案件办理的记录、通报和责任追究制度",
            name="广元市自然资源局内部人员干预记录和责任追究制度",
            issuer=_GUANGYUAN_ISSUER, number="广自然资发〔2020〕70号", issued_on=dt.date(2020, 3, 25),
            articles={RECORDING: "第六条", PROTECTION: "第七条", BEHAVIOURS: "第八条", HANDLING: "第八条", NOTICE: "第八条",
                      DISCIPLINE: "第九条", RETALIATION: "第九条", FAILURE: "第十条"},
            failure=FailureRule(first="警告、通报批评", discipline_from=2, supervisor="依法依纪追究主管领导责任", heavier=False),
        ),
        System(
            key=GUANGYUAN_LEADER, document=GUANGYUAN, short="广元001领导干部制度",
            title="领导干部干预行政执法活动、插手具体案件处理的记录、通报和责任追究制度",
            name="广元市自然资源局领导干部干预记录和责任追究制度",
            issuer=_GUANGYUAN_ISSUER, number="广自然资发〔2020〕70号", issued_on=dt.date(2020, 3, 25),
            articles={LEDGER: "第五条", RECORDING: "第五条", PROTECTION: "第六条", SPECIAL: "第七条", BEHAVIOURS: "第八条",
                      HANDLING: "第八条", NOTICE: "第八条", DISCIPLINE: "第九条", RETALIATION: "第九条", FAILURE: "第十条",
                      FILES: "第十一条"},
            failure=FailureRule(first="纪律处分", discipline_from=1, supervisor="依纪依法追究主管领导责任", heavier=False),
        ),
        System(
            key=CHIFENG_FAULT, document=CHIFENG, short="赤峰002过错追究制度",
            title="赤峰市应急管理局行政执法过错责任追究制度",
            name="赤峰市应急管理局行政执法过错责任追究制度",
            issuer=_CHIFENG_ISSUER, number="赤应急字〔2020〕25号", issued_on=dt.date(2020, 3, 25),
            articles={FAULT_TYPES: "第五条", FAULT_HANDLING: "第十条", FAULT_DECISION: "第十一条", FAULT_REVIEW: "第十二条",
                      FAULT_SANCTION: "第十三条"},
        ),
        System(
            key=CHIFENG_INSIDER, document=CHIFENG, short="赤峰002",
            title="赤峰市应急管理局内部人员干预执法办案记录和责任追究制度",
            name="赤峰市应急管理局内部人员干预执法办案记录和责任追究制度",
            issuer=_CHIFENG_ISSUER, number="赤应急字〔2020〕25号", issued_on=dt.date(2020, 3, 25),
            articles={RECORDING: "第五条", PROTECTION: "第六条", BEHAVIOURS: "第七条", DISCIPLINE: "第九条", FAILURE: "第十条",
                      FILES: "第十一条"},
            failure=FailureRule(first="通报批评", discipline_from=2, supervisor="依法依纪从重追究主管领导责任", heavier=True),
        ),
        System(
            key=CAMPAIGN_OPINION, document=CAMPAIGN, short="003",
            title="安全生產行政執法實施意見", name="安全生产行政执法实施意见",
            issuer="", number="", issued_on=None,
        ),
        System(
            # The published text has no title line ("制定本实施办法"); it is never quoted in 《》.
            key=TOLERANCE_MEASURES, document=TOLERANCE, short="004",
            title="", name="应急管理局容错纠错实施办法",
            issuer="", number="", issued_on=None,
            articles={LIGHT_MEASURES: "第十八条"},
        ),
    )
}  # fmt: skip

DOCUMENT_LABELS: dict[str, str] = {
    SHIYAN: "十堰000：十堰市领导干部非法干预安全生产监管执法活动、插手具体案件处理的记录、通报和责任追究办法",
    GUANGYUAN: "广元001：广元市自然资源局内部人员制度和领导干部制度",
    CHIFENG: "赤峰002：赤峰市应急管理局内部人员干预执法办案记录和责任追究制度",
}

# The interference systems whose failure rule (R-FAIL) the product applies, in the order pages list them.
FAILURE_SYSTEMS = (SHIYAN_LEADER, GUANGYUAN_INSIDER, GUANGYUAN_LEADER, CHIFENG_INSIDER)

# Interferer kinds (records.InterferenceRecord.InterfererKind) that are a leading cadre's interference
# or made on a leading cadre's behalf (R-PROXY), and the supervisory staff of 001 领导干部制度 第三条.
LEADER_KINDS = frozenset({"leader", "proxy", "superior_staff", "organisation"})


def system(key: str) -> System:
    return SYSTEMS[key]


def systems_of(document: str) -> list[System]:
    """The interference systems of a governing document, in page order."""
    return [SYSTEMS[key] for key in FAILURE_SYSTEMS if SYSTEMS[key].document == document]


def effective_document(chain: Iterable[str]) -> str:
    """The governing document of a unit from its own setting and its ancestors', nearest first
    (``[unit, parent, grandparent, …]``): the first one set; "" when none on the way up is set."""
    for code in chain:
        if code:
            return code
    return ""


def interference_system(document: str, interferer_kind: str) -> str:
    """The system of the unit's ``document`` that governs interference by ``interferer_kind`` (and so
    the officer's duty to record it, R-FAIL), or "" when the unit has no governing document.

    - 000 (十堰): one system, for 领导干部 in the wide sense of its 第一条 (the leading members of organs
      at every level and of their bodies): every kind.
    - 001 (广元): a leading cadre's interference, or one made on their behalf (aide, relative, an
      organisation's letter, 第五条), and supervisory staff (第三条) → 领导干部制度; the bureau's insiders
      and anyone else → 行政机关工作人员…制度 (its 第四条 also binds 上级机关工作人员 only in writing,
      which the leaders' 第三条 covers the same way).
    - 002 (赤峰): one system, and its 第二条 counts "市应急管理局领导干部、行政执法人员" as 内部人员:
      the bureau's own leaders fall under the insiders' rules, so every kind.
    """
    if document == SHIYAN:
        return SHIYAN_LEADER
    if document == GUANGYUAN:
        return GUANGYUAN_LEADER if interferer_kind in LEADER_KINDS else GUANGYUAN_INSIDER
    if document == CHIFENG:
        return CHIFENG_INSIDER
    return ""
