"""The 登记表's person pickers on a county officer's page: leaders of the city bureau and of the
province department are offered, grouped by unit and labelled with unit and position, and can be
linked; a person of a sibling county sent by a tampered form is refused with a Chinese error."""

import pytest
from django import forms
from django.urls import reverse
from pytest_django.asserts import assertHTMLEqual

from cases.models import Person
from records.models import InterferenceRecord
from records.record.forms import PersonSelect, RecordForm
from records.tests.test_record_pages import form_post
from tests.factories import PersonFactory, UnitFactory, make_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_world():
    province = UnitFactory(code="P", name="省应急管理厅", kind="bureau")
    city = UnitFactory(code="P-C1", name="市应急管理局", kind="bureau", parent=province)
    city_section = UnitFactory(code="P-C1-S1", name="执法科", kind="section", parent=city)
    county = UnitFactory(code="P-C1-X1", name="甲县应急管理局", kind="bureau", parent=city)
    section = UnitFactory(code="P-C1-X1-S1", name="甲县执法大队", kind="section", parent=county)
    sibling = UnitFactory(code="P-C1-X2", name="乙县应急管理局", kind="bureau", parent=city)
    return {
        "officer": make_officer(section, "county_officer"),
        "section": section,
        "city_leader": PersonFactory(unit=city, name="王刚", position="副局长", level=Person.Level.DIVISION, is_leading_cadre=True),
        "city_section_head": PersonFactory(unit=city_section, name="孙科", position="科长", is_leading_cadre=True),
        "province_leader": PersonFactory(unit=province, name="赵省", position="厅长", level=Person.Level.BUREAU, is_leading_cadre=True),
        "county_leader": PersonFactory(unit=county, name="吴县", position="局长", is_leading_cadre=True),
        "sibling_leader": PersonFactory(unit=sibling, name="冯乙", position="局长", is_leading_cadre=True),
    }


def post(**overrides):
    return form_post(**{"interferer_name": "王刚", "interferer_position": "副局长", "interferer_unit": "市应急管理局", **overrides})


def test_a_county_officer_links_a_city_leader_and_a_province_leader_behind_an_aide(client, county_world):
    w = county_world
    client.force_login(w["officer"])
    response = client.post(
        reverse("records:create"),
        post(
            interferer=str(w["city_leader"].pk), interferer_kind="proxy", proxy_relation="aide",
            behind_person=str(w["province_leader"].pk), behind_name="赵省", behind_position="厅长",
        ),
    )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    record = InterferenceRecord.objects.get()
    assert record.interferer == w["city_leader"]
    assert record.behind_person == w["province_leader"]


def test_a_person_of_a_sibling_county_is_refused_in_chinese(client, county_world):
    w = county_world
    client.force_login(w["officer"])
    response = client.post(reverse("records:create"), post(interferer=str(w["sibling_leader"].pk)))
    assert response.status_code == 200
    assert not InterferenceRecord.objects.exists()
    errors = response.context["form"].errors["interferer"]
    assert errors == ["所选人员不在可选范围内（本局及上级机关人员库）。请重新选择，或留空并在下方填写姓名、职务。"]
    # The rest of what was typed is kept.
    assert "某化工企业隐患整改" in response.content.decode()


@pytest.mark.parametrize("tampered", ["999999", "abc", "-1"])
def test_a_tampered_id_is_an_error_not_a_500(client, county_world, tampered):
    client.force_login(county_world["officer"])
    response = client.post(reverse("records:create"), post(behind_person=tampered))
    assert response.status_code == 200
    assert "behind_person" in response.context["form"].errors


def test_the_picker_groups_people_by_unit_own_bureau_first(county_world):
    w = county_world
    form = RecordForm(user=w["officer"], unit=w["section"])
    choices = list(form.fields["interferer"].choices)
    assert choices[0] == ("", "请选择")
    groups = [(label, [text for _value, text in options]) for label, options in choices[1:]]
    assert groups == [
        ("甲县应急管理局", ["吴县（甲县应急管理局·局长）"]),
        ("甲县执法大队", ["county_officer姓名（甲县执法大队·科员）"]),
        ("上级机关：市应急管理局", ["王刚（市应急管理局·副局长）"]),
        ("上级机关：市应急管理局执法科", ["孙科（市应急管理局执法科·科长）"]),
        ("上级机关：省应急管理厅", ["赵省（省应急管理厅·厅长）"]),
    ]


def test_the_rendered_select_shows_the_groups(client, county_world):
    client.force_login(county_world["officer"])
    html = client.get(reverse("records:create")).content.decode()
    assert '<optgroup label="上级机关：市应急管理局">' in html
    assert "王刚（市应急管理局·副局长）" in html
    assert "冯乙" not in html
    # What person-picker.js copies into the written fields; the section is named with its organ.
    assert 'data-fill-name="id_interferer_name"' in html
    assert 'data-name="孙科" data-position="科长" data-unit="市应急管理局执法科"' in html
    assert "js/person-picker.js" in html


def test_a_position_naming_the_unit_is_not_repeated(county_world):
    w = county_world
    PersonFactory(unit=w["section"], name="钱队", position="甲县执法大队大队长")
    form = RecordForm(user=w["officer"], unit=w["section"])
    labels = [text for _label, options in list(form.fields["interferer"].choices)[1:] for _value, text in options]
    assert "钱队（甲县执法大队大队长）" in labels


def test_building_the_form_runs_only_the_scope_query(county_world, django_assert_num_queries):
    # The pickers' lists are read when rendered or validated, not when the form is built (a POST that
    # succeeds renders nothing).
    w = county_world
    with django_assert_num_queries(1):
        form = RecordForm(user=w["officer"], unit=w["section"])
    assert list(form.fields["case"].choices)[0] == ("", "（尚未立案或不涉及具体案件）")


def test_the_fast_select_renders_what_django_s_template_renders(county_world):
    # PersonSelect builds the markup in Python; it must stay the markup of Django's select.html
    # (groups, escaping, the selected option, boolean and error attributes).
    w = county_world
    field = RecordForm(user=w["officer"], unit=w["section"]).fields["interferer"]
    widget = field.widget
    widget.attrs.update({"class": "form-select is-invalid", "aria-invalid": "true", "disabled": True, "required": False})
    selected = str(w["city_leader"].pk)
    ours = widget.render("interferer", selected, attrs={"id": "id_interferer"})
    django_s = forms.Select.render(widget, "interferer", selected, attrs={"id": "id_interferer"})
    assertHTMLEqual(ours, django_s)
    assert f'<option value="{selected}" data-name="王刚"' in ours and "selected" in ours
    escaped = PersonSelect(choices=[("<组>", [("1", 'a"<b>')])]).render("x", None)
    assert escaped == '<select name="x"><optgroup label="&lt;组&gt;"><option value="1">a&quot;&lt;b&gt;</option></optgroup></select>'
