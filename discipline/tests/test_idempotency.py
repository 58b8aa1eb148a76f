"""A double-click or a resent POST creates nothing twice (issue 17 §6, cases.idempotency): each
create form carries a fresh key; a repeat of an accepted key leads to the first result."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from cases.idempotency import FIELD
from cases.models import AuditEvent, FormSubmission
from discipline.models import PersonnelAction, ReportJob, RetaliationComplaint
from discipline.tests.test_matrix import MATRIX, ROLES, world  # noqa: F401 - `world` is a fixture
from records.models import Amendment, InterferenceRecord
from records.record.services import record_create
from records.record.vocabulary import RecordEvent
from tests.threads import run_at_once

KEY_INPUT = re.compile(rf'<input type="hidden" name="{FIELD}" value="([0-9a-f]{{32}})">')


def _key_of(html: str) -> str:
    keys = KEY_INPUT.findall(html)
    assert len(keys) >= 1, "no submission key in the form"
    return keys[0]


def _recent() -> str:
    return (timezone.localtime() - timezone.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")


QUICK = {"interferer_name": "李某", "interferer_position": "副县长", "channel": "oral", "content": "要求从轻处罚。"}
FULL = {
    "matter": "某企业整改", "channel": "oral", "interferer_kind": "leader", "interferer_name": "李某", "interferer_position": "副县长",
    "content": "要求从轻。", "nature": "interference", "response": "refused", "intent": "draft",
}  # fmt: skip


def _draft(officer):
    from conftest import record_data

    return record_create(data=record_data(occurred_at=timezone.now().replace(microsecond=0) - timezone.timedelta(hours=1)), actor=officer)


def _cases(org, officer, jj, admin_user, submit):
    """(who posts, the page with the form, the address it posts to, the data, what counts the creations)."""
    submitted = submit()
    draft = _draft(officer)
    year = timezone.localdate().year
    return {
        "quick capture": (officer, reverse("records:quick"), None, {**QUICK, "occurred_at": _recent()}, InterferenceRecord.objects.all),
        "new record": (officer, reverse("records:create"), None, {**FULL, "occurred_at": _recent()}, InterferenceRecord.objects.all),
        "amendment": (
            officer, reverse("records:detail", args=[submitted.pk]), reverse("records:amend", args=[submitted.pk]),
            {"text": "补充：对方又来电。", "reason": "遗漏"}, Amendment.objects.all,
        ),
        "submit": (
            officer, reverse("records:submit", args=[draft.pk]), None, {},
            lambda: AuditEvent.objects.filter(type=RecordEvent.RECORD_SUBMITTED, object_id=str(draft.pk)),
        ),
        "retaliation complaint": (
            officer, reverse("discipline:complaint_create", args=[submitted.pk]), None,
            {"respondent_name": "王某", "respondent_position": "科长", "occurred_on": timezone.localdate().isoformat(), "description": "报送后被调岗。"},
            RetaliationComplaint.objects.all,
        ),
        "report request": (jj, reverse("discipline:reports"), None, {"year": year, "force": "on"}, ReportJob.objects.all),
        "personnel action": (
            admin_user, reverse("discipline:personnel"), None,
            {"person": officer.person.pk, "kind": "transfer", "effective_on": timezone.localdate().isoformat(), "legal_ground": "依规。", "procedure": "党组研究。"},
            PersonnelAction.objects.all,
        ),
    }  # fmt: skip


CASES = ["quick capture", "new record", "amendment", "submit", "retaliation complaint", "report request", "personnel action"]


@pytest.mark.parametrize("case", CASES)
def test_a_resent_form_creates_nothing_twice(client, org, officer, jj, admin_user, submit, case):
    user, page, action, data, created = _cases(org, officer, jj, admin_user, submit)[case]
    client.force_login(user)
    key = _key_of(client.get(page).content.decode())
    before = created().count()
    first = client.post(action or page, {**data, FIELD: key})
    assert first.status_code == 302, first.content.decode()[:500]
    assert created().count() == before + 1
    list(get_messages(first.wsgi_request))  # consume the first submission's messages
    again = client.post(action or page, {**data, FIELD: key})
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert created().count() == before + 1
    assert "该表单已经提交过" in " ".join(str(m) for m in get_messages(again.wsgi_request))
    assert FormSubmission.objects.get(key=key).result_url == first["Location"]


def test_each_rendering_has_its_own_key(client, officer):
    client.force_login(officer)
    keys = {_key_of(client.get(reverse("records:quick")).content.decode()) for _ in range(3)}
    assert len(keys) == 3


def test_a_form_without_a_key_still_works(client, officer):
    """A page opened before the key existed: accepted as before (no protection against repeats)."""
    client.force_login(officer)
    for _ in range(2):
        assert client.post(reverse("records:quick"), {**QUICK, "occurred_at": _recent()}).status_code == 302
    assert InterferenceRecord.objects.count() == 2
    assert FormSubmission.objects.count() == 0


def test_a_refused_submission_does_not_spend_its_key(client, officer):
    """Errors re-show the form; correcting them and sending the same key creates the record."""
    client.force_login(officer)
    key = _key_of(client.get(reverse("records:quick")).content.decode())
    refused = client.post(reverse("records:quick"), {FIELD: key})
    assert refused.status_code == 200 and InterferenceRecord.objects.count() == 0
    assert not FormSubmission.objects.filter(key=key).exists()
    accepted = client.post(reverse("records:quick"), {**QUICK, "occurred_at": _recent(), FIELD: key})
    assert accepted.status_code == 302 and InterferenceRecord.objects.count() == 1


def test_another_users_key_leads_nowhere(client, officer, other_officer):
    client.force_login(officer)
    key = _key_of(client.get(reverse("records:quick")).content.decode())
    first = client.post(reverse("records:quick"), {**QUICK, "occurred_at": _recent(), FIELD: key})
    client.force_login(other_officer)
    again = client.post(reverse("records:quick"), {**QUICK, "occurred_at": _recent(), FIELD: key})
    assert again.status_code == 302 and again["Location"] != first["Location"]
    assert InterferenceRecord.objects.count() == 1
    assert "该表单已失效" in " ".join(str(m) for m in get_messages(again.wsgi_request))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (SQLite locks the whole file)")
def test_a_double_click_creates_one_record_on_postgresql(officer):
    """Two real requests with the same key at the same moment: the unique key serialises them."""
    from django.test import Client

    page = Client()
    page.force_login(officer)
    key = _key_of(page.get(reverse("records:quick")).content.decode())
    responses = []

    def click():
        client = Client()
        client.force_login(officer)
        responses.append(client.post(reverse("records:quick"), {**QUICK, "occurred_at": _recent(), FIELD: key}))

    errors = run_at_once(click)
    assert errors == []
    record = InterferenceRecord.objects.get()
    assert [r.status_code for r in responses] == [302, 302]
    assert {r["Location"] for r in responses} == {reverse("records:detail", args=[record.pk])}


class _Forms(HTMLParser):
    """The POST forms of a page: (action, whether the submission key is inside)."""

    def __init__(self):
        super().__init__()
        self.forms, self._open = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._open = [attrs.get("action") or "", False]
        elif tag == "input" and self._open is not None and attrs.get("name") == FIELD:
            self._open[1] = True

    def handle_endtag(self, tag):
        if tag == "form" and self._open is not None:
            self.forms.append(tuple(self._open))
            self._open = None


def _protected(path: str) -> bool:
    try:
        func = resolve(path).func
    except Resolver404:
        return False
    return getattr(func, "submits_once", False)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_every_form_posting_to_a_protected_view_carries_a_key(client, world, role):  # noqa: F811 - the fixture
    """Over every page of the permission matrix this role opens: a form whose handler dedupes by key
    carries one (else the protection would silently be off for it)."""
    client.force_login(world["users"][role])
    protected_forms = 0
    for name, (method, args_key, expected) in MATRIX.items():
        if method != "get" or expected[role] != 200:
            continue
        url = reverse(name, args=world["args"][args_key] if args_key else [])
        response = client.get(url)
        if response.streaming or not response["Content-Type"].startswith("text/html"):
            continue
        parser = _Forms()
        parser.feed(response.content.decode())
        for action, has_key in parser.forms:
            if _protected(action or url):
                protected_forms += 1
                assert has_key, (name, action or url)
    if role in ("officer", "jj", "admin"):
        assert protected_forms > 0  # the walk reached the create forms of these roles
