"""Built-in help pages (issue 11): one per role, citing the articles they explain."""

import pytest
from django.urls import reverse

from cases.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "articles"),
    [
        ("officer", ["十堰000第九条", "赤峰002第五条", "十堰000第十一条", "十堰000第七条"]),
        ("section_head", ["十堰000第十一条", "赤峰002第九条"]),
        ("principal", ["赤峰002第五条", "十堰000第七条"]),
        ("discipline", ["十堰000第九条", "广元001第七条", "004第十九条"]),
        ("admin", ["十堰000第九条", "十堰000第七条", "三员分立"]),
        ("security_admin", ["GB/T 22239-2019", "三员分立", "角色申请"]),
        ("auditor", ["GB/T 22239-2019", "网络安全法》第二十一条", "应急账号登录"]),
    ],
)
def test_each_role_has_a_page_with_its_articles(client, officer, role, articles):
    assert {row for row in Role.values} <= {"officer", "section_head", "principal", "discipline", "admin", "security_admin", "auditor"}
    client.force_login(officer)
    response = client.get(reverse("help:role", args=[role]))
    html = response.content.decode()
    assert response.status_code == 200
    assert str(Role(role).label) in html
    for article in articles:
        assert article in html, article


def test_officer_page_gives_a_worked_deadline_example(client, officer):
    """2026-11-20 is a Friday; the 3rd working day after it is Wednesday 2026-11-25 (000 第九条)."""
    client.force_login(officer)
    html = client.get(reverse("help:role", args=["officer"])).content.decode()
    assert "2026年11月20日（星期五）遇到过问，期限是2026年11月25日（星期三）" in html


def test_index_lists_own_role_first_and_unknown_role_is_404(client, officer):
    client.force_login(officer)
    html = client.get(reverse("help:index")).content.decode()
    assert html.index(reverse("help:role", args=["officer"])) < html.index(reverse("help:role", args=["discipline"]))
    assert "我的角色" in html
    assert client.get(reverse("help:role", args=["nobody"])).status_code == 404


def test_help_is_linked_from_every_page(client, officer):
    client.force_login(officer)
    assert reverse("help:index") in client.get(reverse("records:list")).content.decode()


@pytest.mark.parametrize("role", ["officer", "discipline"])
def test_failure_consequences_are_told_per_document_as_the_sources_say(client, officer, role):
    """000 第十一条 and 001 内部人员制度 第十条: 警告、通报批评, 纪律处分 from the second failure;
    001 领导干部制度 第十条: 纪律处分 from the first; 002 第十条: 通报批评 only, and 从重 for the
    instigating supervisor only there (issue 19)."""
    client.force_login(officer)
    html = client.get(reverse("help:role", args=[role])).content.decode()
    items = html.split('id="failure-consequences"', 1)[1].split("</ul>", 1)[0].split("<li>")[1:]
    by_document = {item.split("：", 1)[0].strip(): item for item in items}
    assert list(by_document) == ["十堰000第十一条", "广元001内部人员制度第十条", "广元001领导干部制度第十条", "赤峰002第十条"]
    assert "警告、通报批评" in by_document["十堰000第十一条"] and "两次以上（含两次）" in by_document["十堰000第十一条"]
    assert "警告、通报批评" in by_document["广元001内部人员制度第十条"]
    assert "第一次即给予纪律处分" in by_document["广元001领导干部制度第十条"] and "警告" not in by_document["广元001领导干部制度第十条"]
    assert "予以通报批评" in by_document["赤峰002第十条"] and "警告" not in by_document["赤峰002第十条"]
    assert [document for document, item in by_document.items() if "从重" in item] == ["赤峰002第十条"]
    assert "授意者从重" not in html
