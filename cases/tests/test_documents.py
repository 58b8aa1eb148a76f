"""The titles table (cases.documents) against the published texts in docs/sources: every title the
product quotes occurs in its source, and every article it cites exists in the right system and says
what it is cited for. Also the pure rules that pick a unit's document and system."""

import re
from pathlib import Path

import pytest

from cases import documents as d

SOURCES = Path(__file__).resolve().parents[2] / "docs" / "sources"


def _text(document: str) -> str:
    (path,) = SOURCES.glob(f"{document}_*.txt")
    return path.read_text(encoding="utf-8")


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _section(system: d.System) -> str:
    """The part of the source that is this system: 001 and 002 each hold two, one after the other,
    each starting again at 第一条."""
    text = _text(system.document)
    starts = [m.start() for m in re.finditer(r"^\s*第一条", text, flags=re.M)]
    if system.key in (d.GUANGYUAN_INSIDER, d.CHIFENG_FAULT):
        return text[starts[0] : starts[1]]
    if system.key in (d.GUANGYUAN_LEADER, d.CHIFENG_INSIDER):
        return text[starts[1] :]
    return text


def _articles(section: str) -> dict[str, str]:
    heads = list(re.finditer(r"^\s*(第[一二三四五六七八九十]+条)", section, flags=re.M))
    return {m.group(1): section[m.end() : (heads[i + 1].start() if i + 1 < len(heads) else len(section))] for i, m in enumerate(heads)}


# What each cited article must say, checked by hand against the texts (one phrase per purpose).
SAYS = {
    d.BEHAVIOURS: "下列行为之一",
    d.PROTECTION: "打击报复",
    d.RECORDING: "如实记录",
    d.REPORTING: "三个工作日",
    d.HANDLING: "通报",
    d.NOTICE: "报经批准后予以通报",
    d.DISCIPLINE: "纪律处分",
    d.RETALIATION: "打击报复",
    d.FAILURE: "不记录或者不如实记录",
    d.SPECIAL: "特别事项",
    d.LEDGER: "台账",
    d.FILES: "档案" ,
    d.FAULT_TYPES: "视为行政执法过错",
    d.FAULT_HANDLING: "作出相应处理",
    d.FAULT_DECISION: "10日内",
    d.FAULT_REVIEW: "30日内提出复核申请",
    d.FAULT_SANCTION: "党纪政纪处分",
    d.LIGHT_MEASURES: "诫勉",
}
# 000 第十二条 and 001 领导干部制度 第十一条 put interference into assessment, not a file.
SAYS_INSTEAD = {(d.SHIYAN_LEADER, d.FILES): "考核", (d.GUANGYUAN_LEADER, d.FILES): "考核"}


@pytest.mark.parametrize("key", [k for k, s in d.SYSTEMS.items() if s.title])
def test_every_title_occurs_in_its_source(key):
    system = d.SYSTEMS[key]
    assert _flat(system.title) in _flat(_text(system.document))


def test_the_titles_the_issue_found_misquoted_are_the_published_ones():
    assert d.SYSTEMS[d.GUANGYUAN_LEADER].quoted == "《领导干部干预行政执法活动、插手具体案件处理的记录、通报和责任追究制度》"
    assert "、插手具体案件处理的记录、通报和责任追究办法》" in d.SYSTEMS[d.SHIYAN_LEADER].quoted


def test_a_document_without_a_title_line_is_never_quoted_in_book_title_marks():
    system = d.SYSTEMS[d.TOLERANCE_MEASURES]
    assert "《" not in _text(d.TOLERANCE) and system.title == ""
    assert "《" not in system.quoted


@pytest.mark.parametrize("key", list(d.SYSTEMS))
def test_every_cited_article_exists_in_its_system_and_says_what_it_is_cited_for(key):
    system = d.SYSTEMS[key]
    articles = _articles(_section(system))
    for purpose, article in system.articles.items():
        phrase = SAYS_INSTEAD.get((key, purpose), SAYS[purpose])
        assert article in articles, (key, purpose, article)
        assert _flat(phrase) in _flat(articles[article]), (key, purpose, article, phrase)


@pytest.mark.parametrize("key", d.FAILURE_SYSTEMS)
def test_the_failure_rule_is_the_articles_wording(key):
    system = d.SYSTEMS[key]
    text = _flat(_articles(_section(system))[system.article(d.FAILURE)])
    rule = system.failure
    assert _flat(rule.supervisor) in text
    assert ("从重" in text) == rule.heavier
    if rule.discipline_from == 1:
        assert "两次" not in text and "予以" not in text
    else:
        assert f"予以{rule.first}" in text and "两次以上" in text


def test_issuers_and_numbers_occur_in_their_sources():
    for system in d.SYSTEMS.values():
        source = _flat(_text(system.document))
        assert _flat(system.issuer) in source and _flat(system.number) in source


@pytest.mark.parametrize(
    ("chain", "expected"),
    [
        (["", "", "002"], "002"),  # a section inherits its bureau's document
        (["001", "", "000"], "001"),  # its own setting wins over an ancestor's
        (["", "000", "002"], "000"),  # the nearest ancestor wins
        (["", ""], ""),  # none set anywhere: none
        ([], ""),
    ],
)
def test_effective_document_is_the_nearest_set(chain, expected):
    assert d.effective_document(chain) == expected


@pytest.mark.parametrize(
    ("document", "kind", "expected"),
    [
        # 000 第一条: leading cadres of organs at every level — the only system of a 十堰 unit.
        ("000", "leader", d.SHIYAN_LEADER),
        ("000", "insider", d.SHIYAN_LEADER),
        # 001: two systems; a leader's own or proxy interference → the leaders' system (第五条).
        ("001", "leader", d.GUANGYUAN_LEADER),
        ("001", "proxy", d.GUANGYUAN_LEADER),
        ("001", "organisation", d.GUANGYUAN_LEADER),
        ("001", "superior_staff", d.GUANGYUAN_LEADER),
        ("001", "insider", d.GUANGYUAN_INSIDER),
        ("001", "other", d.GUANGYUAN_INSIDER),
        # 002 第二条 counts the bureau's own leaders as 内部人员: the insiders' system for a leader too.
        ("002", "leader", d.CHIFENG_INSIDER),
        ("002", "insider", d.CHIFENG_INSIDER),
        ("", "leader", ""),
    ],
)
def test_interference_system_follows_the_units_document(document, kind, expected):
    assert d.interference_system(document, kind) == expected
