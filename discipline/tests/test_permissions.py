"""Every discipline URL for each role: officer, principal, discipline staff of the body, of another
body, administrator, anonymous. Role pages of another role and objects one may not open answer 404."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from discipline.review import services

pytestmark = pytest.mark.django_db


def build_workflow(org, jj, outsider, submit):
    """A record routed to principal and body, received, verified as a special matter, handled with a
    notice letter, and a sanction (shared with the project's permission matrix)."""
    record = submit(interferer=outsider, interferer_name="李副县长", interferer_position="副县长")
    now = timezone.now()
    services.record_receive(record=record, actor=jj, now=now)
    review = services.review_verify(
        record=record, conclusion="founded", findings="属实。", seriousness="serious", affects_case=True, special=True, actor=jj, now=now
    )
    handling = services.handling_decide(
        record=record, kind="other_unit", decision="函告。", person=outsider,
        letter={"addressee": "中共某县委员会", "cc": "某县纪委监委", "text": "正文。", "issued_on": dt.date(2026, 11, 24)}, actor=jj, now=now,
    )  # fmt: skip
    sanction = services.sanction_record(
        person=outsider, ground="interference", kind="org_talk", decided_on=dt.date(2026, 11, 2), record=record, body=org["discipline"], actor=jj, now=now
    )
    return {"record": record, "review": review, "letter": handling.letter, "special": review.special, "sanction": sanction}


@pytest.fixture
def world(org, officer, principal, jj, jj_other, admin_user, outsider, submit):
    users = {"officer": officer, "principal": principal, "jj": jj, "jj_other": jj_other, "admin": admin_user, "anonymous": None}
    return {**build_workflow(org, jj, outsider, submit), "person": outsider, "users": users}


PRINCIPAL_PAGES = ["principal_inbox", "principal_instruct"]
LIST_PAGES = ["inbox", "sanctions", "sanction_create", "ledger", "dashboard"]
OBJECT_PAGES = ["case", "verify", "handle", "letter_pdf", "special_pdf", "sanction_update", "person"]
POST_ONLY = ["receive", "special", "letter_update"]


def url_for(name, w):
    args = {
        "principal_instruct": [w["record"].pk], "case": [w["record"].pk], "verify": [w["record"].pk], "handle": [w["record"].pk],
        "receive": [w["record"].pk], "special": [w["record"].pk], "letter_update": [w["letter"].pk], "letter_pdf": [w["letter"].pk],
        "special_pdf": [w["special"].pk], "sanction_update": [w["sanction"].pk], "person": [w["person"].pk],
    }.get(name, [])  # fmt: skip
    return reverse(f"discipline:{name}", args=args)


def expected_get(role, name):
    if role == "anonymous":
        return 302
    if name in PRINCIPAL_PAGES:
        return 200 if role == "principal" else 404
    if role == "jj":
        return 200
    if role == "jj_other":
        # The interferer works in a unit of the other body: its staff may open the person's file,
        # which shows nothing of this body's records (checked in test_get).
        return 200 if name in LIST_PAGES or name == "person" else 404
    return 404


ROLES = ["officer", "principal", "jj", "jj_other", "admin", "anonymous"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PRINCIPAL_PAGES + LIST_PAGES + OBJECT_PAGES)
def test_get(client, world, role, name):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    response = client.get(url_for(name, world))
    assert response.status_code == expected_get(role, name), (role, name)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
    if role == "jj_other" and response.status_code == 200 and name != "dashboard":
        html = response.content.decode()
        assert world["record"].serial not in html
        if name in ("sanctions", "person"):
            assert "谈话提醒" not in html


def test_other_body_cannot_open_a_person_of_this_body(client, world, leader):
    client.force_login(world["users"]["jj_other"])
    assert client.get(reverse("discipline:person", args=[leader.pk])).status_code == 404
    client.force_login(world["users"]["jj"])
    assert client.get(reverse("discipline:person", args=[leader.pk])).status_code == 200


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", POST_ONLY)
def test_post_only(client, world, role, name):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    response = client.post(url_for(name, world), {})
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    elif role == "jj":
        # Already done or bad input: back to the case page with a Chinese message, never a 500.
        assert response.status_code == 302 and response["Location"] == reverse("discipline:case", args=[world["record"].pk])
    else:
        assert response.status_code == 404
    if role == "jj" and name == "special":
        page = client.get(response["Location"]).content.decode()
        assert "已作为特别事项报告" in page


def test_get_on_post_only_is_405(client, world):
    client.force_login(world["users"]["jj"])
    assert client.get(url_for("receive", world)).status_code == 405


@pytest.mark.parametrize("bad", ["999999", "abc"])
def test_missing_or_malformed_ids_are_404(client, world, bad):
    client.force_login(world["users"]["jj"])
    assert client.get(f"/discipline/records/{bad}/").status_code == 404
    assert client.get(f"/discipline/people/{bad}/").status_code == 404


def test_navigation_by_role(client, world):
    client.force_login(world["users"]["principal"])
    html = client.get(reverse("records:list")).content.decode()
    assert "待批示" in html and reverse("discipline:ledger") not in html
    client.force_login(world["users"]["jj"])
    html = client.get(reverse("discipline:inbox")).content.decode()
    for name in ["inbox", "ledger", "sanctions", "dashboard"]:
        assert reverse(f"discipline:{name}") in html
    assert reverse("discipline:principal_inbox") not in html
