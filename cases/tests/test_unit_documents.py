"""A unit's governing document (issue 19): inherited down the tree, resolved for many units in a few
queries, edited through the audited unit service and the admin."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services
from cases.models import AuditEvent, Unit
from cases.selectors import governing_document, governing_documents
from cases.vocabulary import OrganisationEvent
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def _tree():
    city = UnitFactory(code="C", kind="bureau", governing_document="000")
    county = UnitFactory(code="C-X", kind="bureau", parent=city, governing_document="002")
    county_section = UnitFactory(code="C-X-S", parent=county)
    city_section = UnitFactory(code="C-S", parent=city)
    deep = UnitFactory(code="C-S-T", parent=city_section)
    lone = UnitFactory(code="L")
    return city, county, county_section, city_section, deep, lone


def test_each_unit_takes_its_own_or_its_nearest_ancestors_document():
    city, county, county_section, city_section, deep, lone = _tree()
    got = governing_documents([u.pk for u in (city, county, county_section, city_section, deep, lone)])
    assert got == {city.pk: "000", county.pk: "002", county_section.pk: "002", city_section.pk: "000", deep.pk: "000", lone.pk: ""}
    assert governing_document(deep) == "000" and governing_document(None) == ""


def test_many_units_are_resolved_in_one_query_per_tree_level():
    city, county, county_section, city_section, deep, lone = _tree()
    more = [UnitFactory(code=f"C-S-T-{i}", parent=deep) for i in range(20)]
    with CaptureQueriesContext(connection) as queries:
        got = governing_documents([u.pk for u in more])
    assert set(got.values()) == {"000"}
    # The 20 leaves, then their parent, grandparent and the city: 4 levels, not 20 climbs.
    assert len(queries) == 4


def test_the_unit_service_records_the_change_in_the_audit_log():
    unit = UnitFactory(code="S")
    actor = None
    unit.governing_document = "001"
    services.unit_save(unit=unit, changed=["governing_document"], actor=actor)
    event = AuditEvent.objects.get(type=OrganisationEvent.UNIT_SAVED)
    assert event.data["changed"] == {"governing_document": "001"}
    assert Unit.objects.get(pk=unit.pk).governing_document == "001"


def test_the_admin_edits_the_document_and_offers_the_three(client, django_user_model):
    admin_user = django_user_model.objects.create_superuser("root-docs", "r@example.gov.cn", "Root-2026-registry")
    unit = UnitFactory(code="AD", name="某局", kind="bureau")
    client.force_login(admin_user)
    page = client.get(reverse("admin:cases_unit_change", args=[unit.pk])).content.decode()
    assert "十堰000" in page and "广元001" in page and "赤峰002" in page
    data = {"name": "某局", "code": "AD", "kind": "bureau", "party_organization": "", "governing_document": "002"}
    assert client.post(reverse("admin:cases_unit_change", args=[unit.pk]), data).status_code == 302
    assert Unit.objects.get(pk=unit.pk).governing_document == "002"
    assert AuditEvent.objects.get(type=OrganisationEvent.UNIT_SAVED).data["changed"]["governing_document"] == "002"
