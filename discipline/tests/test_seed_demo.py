"""seed_demo: a usable demo organisation, created once."""

from io import StringIO

import pytest
from django.contrib.admin.sites import site
from django.core.management import call_command
from django.db.models import F

from cases.models import Person, Unit
from records.models import Amendment, Evidence, InterferenceRecord

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_prints_logins():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    counts = (Unit.objects.count(), Person.objects.count(), InterferenceRecord.objects.count(), Evidence.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Unit.objects.count(), Person.objects.count(), InterferenceRecord.objects.count(), Evidence.objects.count()) == counts
    text = out.getvalue()
    for role in ["officer", "section_head", "principal", "discipline", "admin"]:
        assert role in text
    assert "Demo-2026-registry" in text
    statuses = set(InterferenceRecord.objects.values_list("status", flat=True))
    # Drafts, one received and one verified and handled (closed) by the discipline group.
    assert statuses == {"draft", "received", "handled", "closed"}  # handled: the notice letter's outcome is awaited
    assert InterferenceRecord.objects.filter(submitted_at__gt=F("due_at")).exists()  # one late
    assert Amendment.objects.count() == 1
    # The bureau's reports go to its discipline body.
    assert Unit.objects.get(code="YJJ").discipline_body.code == "YJJ-JJZ"








def test_demo_logins_work(client):
    call_command("seed_demo", stdout=StringIO())
    response = client.post("/login/", {"username": "zhangwei", "password": "Demo-2026-registry"})
    assert response.status_code == 302
    response = client.get("/records/")
    assert response.status_code == 200
    assert len(response.context["rows"]) == 4  # zhangwei's four of the five demo records


def test_records_and_evidence_are_not_in_the_django_admin():
    """Administrators do not read record content (DESIGN §1): not registered at all."""
    assert InterferenceRecord not in site._registry
    assert Evidence not in site._registry
    assert Amendment not in site._registry
