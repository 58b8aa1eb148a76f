"""The record page shows its recorder discipline's complaint button and their complaints through the
hook records offers (records.hooks.recorder_panels): records names no discipline URL or module."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_recorder_sees_the_complaint_button_and_their_complaints_others_do_not(client, submit, officer, jj):
    record = submit()
    create = reverse("discipline:complaint_create", args=[record.pk])
    client.force_login(officer)
    page = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert create in page and "我提出的打击报复控告" not in page
    response = client.post(create, {"respondent": jj.person.pk, "occurred_on": "2026-01-05", "description": "报送后被调整岗位。"})
    assert response.status_code == 302
    page = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert "我提出的打击报复控告" in page and jj.person.name in page and "办理中" in page
    # Not the recorder: neither the button nor the complaints.
    client.force_login(jj)
    page = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert create not in page and "我提出的打击报复控告" not in page
