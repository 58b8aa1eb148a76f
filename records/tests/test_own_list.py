"""我的记录 (issue 10): the officer's list reads its rows through `RecordQuerySet.own`, which is the one
visibility rule restricted to the recorder, and pages without a count (one row more than shown tells
whether there is a next page)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import record_data
from discipline.common.bodies import body_group
from records.models import InterferenceRecord
from records.record import services
from tests.factories import make_officer

pytestmark = pytest.mark.django_db


def ids(qs) -> set[int]:
    return set(qs.values_list("pk", flat=True))


def test_own_is_visible_to_restricted_to_the_recorder(org, officer, other_officer, discipline_user):
    """Every combination the rule distinguishes: own drafts and submitted records, another officer's,
    a recorder who is also in the discipline body (group grant on their own records), a recorder named
    as the interferer (excluded) and a user without a Person."""
    recorder_in_body = make_officer(org["section"], "jjrecorder")
    recorder_in_body.groups.add(body_group(org["discipline"]))
    recorder_in_body.person.name = "赵 某"
    recorder_in_body.person.save()
    for user in (officer, other_officer, recorder_in_body, discipline_user):
        for i, name in enumerate(["李某", "赵某", "赵\u3000某"]):
            record = services.record_create(data=record_data(interferer_name=name, missing_evidence_reason="未录音。"), actor=user)
            if i == 0:
                services.record_submit(record=record, actor=user, now=timezone.now())
    assert InterferenceRecord.objects.count() == 12
    for user in (officer, other_officer, recorder_in_body, discipline_user):
        own = ids(InterferenceRecord.objects.own(user))
        assert own == ids(InterferenceRecord.objects.visible_to(user).recorded_by(user))
        assert own <= ids(InterferenceRecord.objects.recorded_by(user))
    # The recorder named as the interferer (by written name, with or without spaces) does not see those two.
    assert len(ids(InterferenceRecord.objects.own(recorder_in_body))) == 1
    assert len(ids(InterferenceRecord.objects.own(officer))) == 3


def test_own_and_visible_to_are_empty_for_anonymous_users():
    from django.contrib.auth.models import AnonymousUser

    assert not InterferenceRecord.objects.own(AnonymousUser()).exists()
    assert not InterferenceRecord.objects.visible_to(AnonymousUser()).exists()


def test_the_recorder_holds_the_view_grant_on_every_record_they_make(officer):
    """The grant the recorder clause of visible_to stands for: made with the record (full form and
    quick capture) and kept after submission and routing."""
    from guardian.shortcuts import get_perms

    full = services.record_create(data=record_data(missing_evidence_reason="未录音。"), actor=officer)
    quick = services.record_quick_capture(
        interferer_name="王某", interferer_position="副局长", occurred_at=timezone.now(), channel="oral", content="要求从轻。", actor=officer
    )
    services.record_submit(record=full, actor=officer, now=timezone.now())
    for record in (full, quick):
        assert "view_interferencerecord" in get_perms(officer, record)


@pytest.fixture
def listed(client, officer, make_record):
    """45 records (three pages of 20) and the officer signed in."""
    now = timezone.now()
    made = [make_record(occurred_at=now - timedelta(days=1 + i)) for i in range(45)]
    client.force_login(officer)
    # All drafts: listed by deadline, the most overdue first; a shared due day (a weekend's records)
    # newest first.
    return sorted(made, key=lambda r: (r.due_at, -r.occurred_at.timestamp(), -r.pk))


def _serials(response) -> list[str]:
    return [r.serial for r in response.context["rows"]]


def test_pages_follow_one_another_without_a_count(client, listed):
    url = reverse("records:list")
    first, second, third = (client.get(url, {"page": n}) for n in (1, 2, 3))
    assert _serials(first) == [r.serial for r in listed[:20]]
    assert _serials(second) == [r.serial for r in listed[20:40]]
    assert _serials(third) == [r.serial for r in listed[40:]]
    assert (first.context["page"].has_previous, first.context["page"].has_next) == (False, True)
    assert (second.context["page"].has_previous, second.context["page"].has_next) == (True, True)
    assert (third.context["page"].has_previous, third.context["page"].has_next) == (True, False)
    html = second.content.decode()
    assert "第 2 页" in html and "上一页" in html and "下一页" in html and "page=1" in html and "page=3" in html
    assert "下一页" not in third.content.decode()
    # Each row links to its record.
    for record in listed[20:40]:
        assert f'href="{reverse("records:detail", args=[record.pk])}"' in html


def test_a_page_past_the_end_shows_the_last_page_and_a_bad_number_the_first(client, listed):
    url = reverse("records:list")
    past = client.get(url, {"page": 99})
    assert past.context["page"].number == 3 and _serials(past) == [r.serial for r in listed[40:]]
    for bad in ("abc", "-2", "0", ""):
        response = client.get(url, {"page": bad})
        assert response.status_code == 200
        assert response.context["page"].number == 1 and _serials(response) == [r.serial for r in listed[:20]]


def test_exactly_one_page_has_no_page_links(client, officer, make_record):
    now = timezone.now()
    for i in range(20):
        make_record(occurred_at=now - timedelta(days=1 + i))
    client.force_login(officer)
    response = client.get(reverse("records:list"), {"page": 5})
    page = response.context["page"]
    assert page.number == 1 and len(page.object_list) == 20 and not page.has_other_pages
    assert "下一页" not in response.content.decode()


def test_filters_page_through_the_filtered_rows_only(client, listed):
    response = client.get(reverse("records:list"), {"state": "open", "q": listed[44].serial})
    assert _serials(response) == [listed[44].serial]
    assert not response.context["page"].has_other_pages
    empty = client.get(reverse("records:list"), {"q": "没有这个编号", "page": 2})
    assert empty.status_code == 200 and _serials(empty) == [] and "没有符合条件的记录。" in empty.content.decode()


def test_the_filter_form_is_rendered_in_the_reader_language_and_keeps_what_was_typed(client, officer, make_record):
    make_record()
    client.force_login(officer)
    url = reverse("records:list")
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    again = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'name="channel"' in chinese and "过问方式" in chinese and "过问方式" not in english
    assert chinese.count("<form") == again.count("<form") and "过问方式" in again
    typed = client.get(url, {"q": "某企业", "channel": "phone"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'value="某企业"' in typed and '<option value="phone" selected>' in typed


def test_what_waits_comes_first_overdue_drafts_leading(client, officer, make_record):
    """Issue 19: the officer's list opens on their work — drafts before submitted records, the
    overdue ones first (oldest due first) — whatever was recorded most recently."""
    now = timezone.now()
    submitted = make_record(occurred_at=now - timedelta(hours=1))
    services.record_submit(record=submitted, actor=officer, now=now)
    open_draft = make_record(occurred_at=now - timedelta(hours=2))
    overdue_recent = make_record(occurred_at=now - timedelta(days=12))
    overdue_oldest = make_record(occurred_at=now - timedelta(days=30))
    client.force_login(officer)
    response = client.get(reverse("records:list"))
    assert _serials(response) == [overdue_oldest.serial, overdue_recent.serial, open_draft.serial, submitted.serial]
    html = response.content.decode()
    assert html.index(overdue_oldest.serial) < html.index(submitted.serial)
    assert "已逾期" in html
