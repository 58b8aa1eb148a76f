"""Person pickers name people by the role their account holds (issue 19): an administrator or a
discipline officer is never offered as 执法人员."""

import re

import pytest
from django.urls import reverse

from cases.fields import PersonRoleChoiceField
from cases.models import Person
from cases.roles import Role, person_roles
from tests.factories import PersonFactory, make_officer

pytestmark = pytest.mark.django_db


def test_person_roles_names_only_the_roles_held():
    assert person_roles(["admin"]) == [Role.ADMIN]
    assert person_roles(["discipline", "discipline:B1-JJ"]) == [Role.DISCIPLINE]
    assert person_roles(["section_head", "officer"]) == [Role.OFFICER, Role.SECTION_HEAD]
    assert person_roles([]) == [] and person_roles(["discipline:B1-JJ"]) == []


def _groups(html: str, name: str) -> dict[str, list[str]]:
    """{optgroup label: option texts} of the select `name`."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return {label: re.findall(r"<option[^>]*>([^<]*)</option>", body) for label, body in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select, re.S)}


@pytest.mark.parametrize("url, field", [("discipline:failure_create", "officer"), ("discipline:tolerance_create", "person"), ("discipline:fault_case_create", "handler")])
def test_pickers_group_and_label_people_by_their_role(client, org, officer, jj, url, field):
    make_officer(org["bureau"], "admin1", role="admin")
    PersonFactory(name="无账号科长", position="科长", unit=org["section"])
    client.force_login(jj)
    groups = _groups(client.get(reverse(url)).content.decode(), field)
    officers = groups["执法人员"]
    assert officers == ["officer1姓名（执法一大队·科员·执法人员）"]
    assert groups["系统管理员"] == ["admin1姓名（市应急管理局·科员·系统管理员）"]
    assert groups["纪检监察"] == ["jj1姓名（驻局纪检监察组·科员·纪检监察）"]
    assert groups["人员库其他人员（无系统角色）"] == ["无账号科长（执法一大队·科长）"]
    assert list(groups)[0] == "执法人员"


def test_picker_queries_do_not_grow_with_people(org, django_assert_num_queries):
    for i in range(5):
        make_officer(org["section"], f"o{i}")
    field = PersonRoleChoiceField(queryset=Person.objects.all())
    with django_assert_num_queries(2):  # people with unit and account; their groups
        html = field.widget.render("person", None)
    assert html.count("<option") == 6 and html.count("<optgroup") == 1  # the empty choice; one group (执法人员)
