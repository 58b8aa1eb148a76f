"""Issue 19, "everyone learns what waits for them": along the review chain, who is told (Notification
rows, exactly once), what appears on their landing page (the badge in the bar, the queue), and that
nobody else is told — above all not the interferer (R-ROUTE; 000 第七条, 001 第六条, 002 第六条).

Submission notices go out with the reminder sweep (the submission rings the doorbell; the database
says what is owed); the notices of the discipline steps after the step's commit."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Person
from conftest import record_data
from discipline.review import services
from discipline.review.models import Routing
from discipline.review.selectors import principal_inbox
from interference_registry.views import landing_page
from records.models import BehaviourCategory, Notification
from records.notifications.sweep import reminder_sweep
from records.record import services as record_services
from tests.factories import make_officer

pytestmark = pytest.mark.django_db


def told(record) -> list[tuple[str, str]]:
    """(recipient username, kind) of every notice about `record`, sorted."""
    return sorted(Notification.objects.filter(record=record).values_list("recipient__username", "kind"))


def sweep() -> None:
    reminder_sweep(now=timezone.now())


def _pending_badge(html: str) -> int | None:
    found = re.search(r'data-testid="pending-instructions">(\d+)<', html)
    return int(found.group(1)) if found else None


def test_a_submission_tells_the_body_and_the_principal_once_and_nobody_else(
    client, submit, officer, principal, jj, section_head, leader, django_capture_on_commit_callbacks
):
    record = submit(interferer=leader, interferer_name="周副局长", interferer_position="副局长")
    assert told(record) == []  # nothing until the sweep the submission woke
    sweep()
    sweep()
    assert told(record) == [(jj.username, "submitted"), (principal.username, "instruction_requested")]
    notice = Notification.objects.get(recipient=principal, record=record)
    assert notice.link == reverse("discipline:principal_instruct", args=[record.pk])
    assert record.serial in notice.title

    # The principal lands on 待批示, with the count in the bar, and the record in the queue.
    client.force_login(principal)
    landing = client.get(reverse("home"))
    assert landing.status_code == 302 and landing["Location"] == reverse("discipline:principal_inbox")
    page = client.get(landing["Location"]).content.decode()
    assert _pending_badge(page) == 1 and record.serial in page
    # After the 批示 the badge goes; the officer is told that a 批示 was given, not its text.
    assert not Notification.objects.filter(record=record, kind="instruction_given").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("discipline:principal_instruct", args=[record.pk]), {"text": "请依纪依规严肃处理周副局长。"})
    assert response.status_code == 302
    page = client.get(reverse("discipline:principal_inbox")).content.decode()
    assert _pending_badge(page) is None
    assert told(record) == [(jj.username, "submitted"), (officer.username, "instruction_given"), (principal.username, "instruction_requested")]
    given = Notification.objects.get(record=record, kind="instruction_given")
    assert "严肃处理" not in given.title + given.body and "周副局长" not in given.title + given.body


def test_the_principal_who_is_the_interferer_is_not_told_and_the_higher_body_is(submit, principal, jj, city):
    record = submit(interferer=principal.person, interferer_name="陈局长", interferer_position="局长", interferer_kind="insider")
    sweep()
    # The higher-level body receives it (R-ROUTE: principal withheld) and is told, once.
    assert told(record) == [(city["staff"].username, "submitted"), (jj.username, "submitted")]
    assert not Notification.objects.filter(recipient=principal).exists()


def test_a_staff_member_of_both_bodies_is_told_once(submit, principal, jj, city):
    from discipline.common.bodies import body_group

    jj.groups.add(body_group(city["body"]))
    record = submit(also_report_higher=True)
    sweep()
    assert told(record) == [(city["staff"].username, "submitted"), (jj.username, "submitted"), (principal.username, "instruction_requested")]


def test_the_officer_is_told_of_receipt_verification_and_handling_once_each(
    submit, officer, principal, jj, leader, section_head, django_capture_on_commit_callbacks
):
    record = submit(interferer=leader, interferer_name="周副局长", interferer_position="副局长")
    sweep()
    before = told(record)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_receive(record=record, actor=jj, now=now)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_verify(record=record, conclusion="founded", findings="经调取通话记录核实，周副局长另有收受礼品情节。", seriousness="general", actor=jj, now=now)
    with django_capture_on_commit_callbacks(execute=True):
        services.handling_decide(
            record=record, kind="own_unit", decision="对周副局长诫勉谈话。", person=leader, internal_notice="局内通报。",
            internal_notice_on=timezone.localdate(), disclosure_reason="情节一般，不予公开。", actor=jj, now=now,
        )  # fmt: skip
    sweep()
    steps = sorted(set(told(record)) - set(before))
    assert steps == [(officer.username, "record_handled"), (officer.username, "record_received"), (officer.username, "record_verified")]
    verified = Notification.objects.get(record=record, kind="record_verified")
    assert "属实" in verified.body and "收受礼品" not in verified.title + verified.body
    handled = Notification.objects.get(record=record, kind="record_handled")
    assert "本单位" in handled.body and "诫勉" not in handled.title + handled.body
    received = Notification.objects.get(record=record, kind="record_received")
    assert received.link == reverse("records:detail", args=[record.pk]) and "驻局纪检监察组" in received.body


def test_a_step_told_after_its_commit_only(submit, officer, jj, django_capture_on_commit_callbacks):
    """A refused step tells nobody: the notice is sent after the step's transaction commits."""
    record = submit()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.record_receive(record=record, actor=jj, now=timezone.now())
    assert len(callbacks) == 1 and not Notification.objects.filter(kind="record_received").exists()
    with pytest.raises(ValidationError), django_capture_on_commit_callbacks(execute=True):
        services.record_receive(record=record, actor=jj, now=timezone.now())
    callbacks[0]()
    callbacks[0]()  # run twice (a retried callback): still one notice
    assert Notification.objects.filter(kind="record_received", recipient=officer).count() == 1


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ({"officer"}, "records:list"),
        ({"principal"}, "discipline:principal_inbox"),
        ({"principal", "officer"}, "discipline:principal_inbox"),
        ({"discipline", "discipline:B1-JJ"}, "discipline:inbox"),
        ({"discipline", "principal"}, "discipline:inbox"),
        ({"section_head"}, "notifications:list"),
        ({"section_head", "officer"}, "records:list"),
        ({"admin"}, "calendar:index"),
        ({"admin", "discipline"}, "discipline:inbox"),
        (set(), "records:list"),
    ],
)
def test_each_role_lands_on_its_work_queue(roles, expected):
    assert landing_page(frozenset(roles)) == expected


def test_signing_in_lands_each_role_on_its_queue(client, officer, principal, jj, section_head, admin_user):
    for user, url in [
        (officer, reverse("records:list")),
        (principal, reverse("discipline:principal_inbox")),
        (jj, reverse("discipline:inbox")),
        (section_head, reverse("notifications:list")),
        (admin_user, reverse("calendar:index")),
    ]:
        client.force_login(user)
        response = client.get(reverse("home"))
        assert (response.status_code, response["Location"]) == (302, url), user.username
        assert client.get(url).status_code == 200, url
    client.logout()
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_the_badge_counts_the_queue_in_one_query_whatever_its_length(client, submit, principal, officer):
    client.force_login(principal)
    url = reverse("records:list")  # any page shows the bar

    def counted() -> tuple[int | None, int]:
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(url).content.decode()
        return _pending_badge(html), len(ctx.captured_queries)

    assert counted()[0] is None
    submit()
    one, queries_one = counted()
    for _ in range(4):
        submit()
    five, queries_five = counted()
    assert (one, five) == (1, 5) and five == principal_inbox(principal).count()
    assert queries_five == queries_one
    # Nobody but the principal pays for the count.
    client.force_login(officer)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(url).content.decode()
    assert 'data-testid="pending-instructions"' not in html
    assert not any("discipline_routing" in q["sql"] for q in ctx.captured_queries)


def test_the_confirmation_page_names_the_recipients(client, make_record, officer, principal, jj, city):
    draft = make_record()
    client.force_login(officer)
    html = client.get(reverse("records:submit", args=[draft.pk])).content.decode()
    assert "驻局纪检监察组" in html and "陈局长" in html and "局长 陈局长" in html
    assert "市纪委监委" in html  # the higher body, offered with the checkbox
    assert draft.content in html and draft.interferer_name in html  # what is sent

    about_principal = make_record(interferer=principal.person, interferer_name="陈局长", interferer_position="局长")
    html = client.get(reverse("records:submit", args=[about_principal.pk])).content.decode()
    assert "不呈报主要领导" in html and "局长 陈局长" not in html
    # Preview only: nothing was routed or sent.
    assert not Routing.objects.exists()
    assert not Notification.objects.exists()


def test_the_instruction_page_shows_what_the_principal_needs(client, submit, officer, principal):
    category = BehaviourCategory.objects.filter(is_active=True).first()
    staged = record_services.evidence_stage(upload=SimpleUploadedFile("通话记录.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32), kind="electronic", actor=officer)
    record = record_services.record_create(
        data=record_data(occurred_at=timezone.now() - dt.timedelta(hours=1)),
        categories=[category], evidence=[staged], actor=officer,
    )  # fmt: skip
    record_services.record_submit(record=record, actor=officer, now=timezone.now())
    record_services.record_amend(record=record, text="补记：对方还提到企业负责人的姓名。", reason="当时遗漏。", actor=officer)
    client.force_login(principal)
    html = client.get(reverse("discipline:principal_instruct", args=[record.pk])).content.decode()
    for shown in ("初步定性", "违规干预", category.name, "通话记录.png", "补记：对方还提到企业负责人的姓名。", "当时遗漏。"):
        assert shown in html, shown
    assert reverse("records:evidence", args=[record.evidence.get().pk]) in html
    assert client.get(reverse("records:evidence", args=[record.evidence.get().pk])).status_code == 200


def test_a_principal_in_another_bureau_is_not_told(submit, principal, org2):
    other = make_officer(org2["bureau"], "principal2", role="principal")
    Person.objects.filter(user=other).update(name="王局长")
    record = submit()
    sweep()
    assert not Notification.objects.filter(recipient=other).exists()
    assert (principal.username, "instruction_requested") in told(record)
