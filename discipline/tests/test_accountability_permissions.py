"""Every accountability URL for each role: anonymous, officer (the recorder), another officer,
principal, discipline staff of the body, of another body, administrator. Pages of another role and
objects one may not open answer 404; bad input answers a Chinese message, never a 500."""

import pytest
from django.urls import reverse
from django.utils import timezone

from discipline.accountability import services as acc

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "officer", "other_officer", "principal", "jj", "jj_other", "admin"]


@pytest.fixture
def world(org, officer, other_officer, principal, jj, jj_other, admin_user, submit, leader):
    now = timezone.now()
    record = submit()
    failure = acc.recording_failure_register(
        officer=officer.person, body=org["discipline"], kind="not_recorded", source="petition", source_detail="举报。", facts="未记录。",
        confirmed_on=timezone.localdate(), interferer_kind="insider", matter="某事项", actor=jj, now=now,
    )  # fmt: skip
    alert = acc.personnel_action_enter(
        person=officer.person, kind="transfer", effective_on=timezone.localdate(), legal_ground="依规。", procedure="党组研究。", actor=admin_user, now=now
    ).alert
    complaint = acc.retaliation_complaint_file(
        record=record, respondent=leader, respondent_name="", occurred_on=timezone.localdate(), description="打压。", actor=officer, now=now
    )
    users = {"anonymous": None, "officer": officer, "other_officer": other_officer, "principal": principal, "jj": jj, "jj_other": jj_other, "admin": admin_user}
    return {"record": record, "failure": failure, "alert": alert, "complaint": complaint, "users": users}


DISCIPLINE_LISTS = ["discipline:failures", "discipline:failure_create", "discipline:alerts", "discipline:complaints", "discipline:zero_missing", "discipline:recording"]
DISCIPLINE_OBJECTS = ["discipline:failure", "discipline:alert", "discipline:complaint"]


def url_for(name, w):
    args = {
        "discipline:failure": [w["failure"].pk], "discipline:alert": [w["alert"].pk], "discipline:complaint": [w["complaint"].pk],
        "discipline:complaint_create": [w["record"].pk],
    }.get(name, [])  # fmt: skip
    return reverse(name, args=args)


def expected(role, name):
    if role == "anonymous":
        return 302
    if name in DISCIPLINE_LISTS:
        return 200 if role in ("jj", "jj_other") else 404
    if name in DISCIPLINE_OBJECTS:
        return 200 if role == "jj" else 404
    if name == "discipline:personnel":
        return 200 if role == "admin" else 404
    if name == "discipline:complaint_create":
        return 200 if role == "officer" else 404
    if name == "records:zero_report":
        return 200 if role in ("officer", "other_officer") else 404
    raise AssertionError(name)


ALL = [*DISCIPLINE_LISTS, *DISCIPLINE_OBJECTS, "discipline:personnel", "discipline:complaint_create", "records:zero_report"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ALL)
def test_get(client, world, role, name):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    response = client.get(url_for(name, world))
    assert response.status_code == expected(role, name), (role, name)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
    if role == "jj_other" and response.status_code == 200:
        html = response.content.decode()
        assert world["record"].serial not in html and "officer1姓名" not in html


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ALL)
def test_post_garbage_is_never_a_500(client, world, role, name):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    response = client.post(url_for(name, world), {"kind": "<bad>", "decided_on": "31/31/31", "month": "x-y", "person": "abc", "officer": "-1", "respondent": "zz"})
    assert response.status_code in (200, 302, 404, 405), (role, name, response.status_code)
    if response.status_code == 200:
        html = response.content.decode()
        assert "请" in html  # a Chinese validation message


def test_missing_and_malformed_ids_are_404(client, world):
    client.force_login(world["users"]["jj"])
    for prefix in ("failures", "alerts", "complaints"):
        assert client.get(f"/discipline/{prefix}/999999/").status_code == 404
        assert client.get(f"/discipline/{prefix}/abc/").status_code == 404
    client.force_login(world["users"]["officer"])
    assert client.get("/discipline/complaints/new/999999/").status_code == 404


def test_navigation_links_by_role(client, world):
    client.force_login(world["users"]["jj"])
    html = client.get(reverse("discipline:inbox")).content.decode()
    for name in ("failures", "alerts", "complaints", "zero_missing", "recording"):
        assert reverse(f"discipline:{name}") in html
    assert reverse("discipline:personnel") not in html
    client.force_login(world["users"]["admin"])
    html = client.get(reverse("discipline:personnel")).content.decode()
    assert reverse("discipline:personnel") in html and reverse("discipline:failures") not in html
    client.force_login(world["users"]["officer"])
    assert reverse("records:zero_report") in client.get(reverse("records:list")).content.decode()
