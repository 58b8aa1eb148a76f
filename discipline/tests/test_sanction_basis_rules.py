"""The default legal basis of a sanction follows who is sanctioned and why (issue 19), and only an
enforcement-fault decision has the 30-day review window. Each expected basis below was checked by hand
against the article in docs/sources:

- 000 第八条 (what is interference), 第九条 (处理和通报), 第十条 (纪律处分; retaliation), 第十一条 (failure);
- 001 领导干部制度 第八条 ("由局党委按程序报经批准后予以通报"), 第九条 (纪律处分; retaliation), 第十条;
- 001 内部人员制度 第八条 ("报经批准后予以通报"), 第九条, 第十条;
- 002 内部人员制度 第六条 (no retaliation; no sanction article of its own), 第七条, 第九条, 第十条;
- 002 过错追究制度 第十条 ("作出相应处理"), 第十二条 (30 日复核), 第十三条 ("党纪政纪处分…按有关干部管理权限");
- 004 第十八条 (谈话提醒、批评教育、责令检查、诫勉、取消当年评优评先资格、调离执法岗位, "免予或者不予处分")."""

import pytest

from cases import documents as d
from discipline.review import rules as r

PARTY = "《中国共产党纪律处分条例》第八条"
GOV = "《中华人民共和国公职人员政务处分法》第七条、《行政机关公务员处分条例》"


def basis(kind, ground, document="", interferer_kind="leader"):
    return r.default_legal_basis(kind=kind, ground=ground, system_key=d.interference_system(document, interferer_kind))


@pytest.mark.parametrize(
    ("document", "interferer_kind", "expected"),
    [
        # The issue's case: 诫勉 of an interfering 副局长. Never 004 (a tolerance measure for officers' errors).
        ("001", "leader", "广元001领导干部制度第八条"),
        ("001", "insider", "广元001内部人员制度第八条"),
        ("000", "leader", "十堰000第八条、第九条"),
        ("002", "leader", "赤峰002第七条"),  # 002 第二条: the bureau's leaders are insiders
    ],
)
def test_admonition_for_interference_cites_the_units_interference_rules(document, interferer_kind, expected):
    got = basis("org_admonition", r.GROUND_INTERFERENCE, document, interferer_kind)
    assert got == expected and "004" not in got


@pytest.mark.parametrize(
    ("kind", "ground", "document", "expected"),
    [
        ("party_warning", r.GROUND_INTERFERENCE, "001", f"{PARTY}；广元001领导干部制度第九条"),
        ("gov_demerit", r.GROUND_INTERFERENCE, "000", f"{GOV}；十堰000第十条"),
        ("party_serious_warning", r.GROUND_INTERFERENCE, "002", f"{PARTY}；赤峰002第九条"),
        ("judicial_referral", r.GROUND_INTERFERENCE, "000", "十堰000第十条（构成犯罪的，依法追究刑事责任）"),
        ("org_circulated_criticism", r.GROUND_FAILURE, "002", "赤峰002第十条"),
        ("gov_warning", r.GROUND_FAILURE, "000", f"{GOV}；十堰000第十一条"),
        ("party_warning", r.GROUND_FAILURE, "001", f"{PARTY}；广元001领导干部制度第十条"),
        ("party_warning", r.GROUND_RETALIATION, "000", f"{PARTY}；十堰000第十条"),
        ("gov_demerit", r.GROUND_RETALIATION, "001", f"{GOV}；广元001领导干部制度第九条"),
        ("org_talk", r.GROUND_RETALIATION, "002", "赤峰002第六条"),
        # Fault and tolerance do not depend on the unit's interference document.
        ("org_admonition", r.GROUND_FAULT, "", "赤峰002过错追究制度第十条"),
        ("gov_demerit", r.GROUND_FAULT, "000", f"{GOV}；赤峰002过错追究制度第十三条"),
        ("org_admonition", r.GROUND_TOLERANCE, "000", "应急管理局容错纠错实施办法（004）第十八条"),
        # No governing document, or another ground: the national regulations only, no local article invented.
        ("party_warning", r.GROUND_INTERFERENCE, "", PARTY),
        ("gov_demerit", r.GROUND_OTHER, "001", GOV),
    ],
)
def test_default_basis_by_kind_ground_and_document(kind, ground, document, expected):
    assert basis(kind, ground, document) == expected


def test_only_an_enforcement_fault_decision_has_the_review_window():
    assert [g for g in r.SANCTION_GROUNDS if r.review_window_applies(g)] == [r.GROUND_FAULT]


def test_a_tolerance_decision_takes_only_the_light_measures_of_004_article_18():
    allowed = [code for code in r.SANCTION_TYPES if r.tolerance_allows(code)]
    assert [r.SANCTION_TYPES[code][1] for code in allowed] == ["谈话提醒", "批评教育", "责令检查", "诫勉", "取消当年评优评先资格", "调离执法岗位"]


@pytest.mark.parametrize(
    ("record_kind", "is_interferer", "is_behind", "is_leading_cadre", "expected"),
    [
        ("insider", True, False, True, "insider"),  # the record says how they interfered
        ("", False, True, False, "leader"),  # the leader behind an aide or relative (001 第五条)
        ("proxy", False, False, True, "leader"),
        ("proxy", False, False, False, "insider"),
    ],
)
def test_sanctioned_kind(record_kind, is_interferer, is_behind, is_leading_cadre, expected):
    got = r.sanctioned_kind(record_interferer_kind=record_kind, is_interferer=is_interferer, is_behind=is_behind, is_leading_cadre=is_leading_cadre)
    assert got == expected
