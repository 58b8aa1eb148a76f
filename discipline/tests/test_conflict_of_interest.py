"""Conflict of interest: a user linked to the interferer (or the leader behind) never sees the record,
its existence or its counts, whatever roles they hold; a discipline staff member who is the
interferer is excluded and the record goes to the higher-level body to handle."""

import pytest
from django.urls import reverse

from discipline.accountability.vocabulary import AccountabilityNotice
from discipline.common.bodies import body_group
from discipline.models import Routing
from records.models import InterferenceRecord
from records.record.vocabulary import RecordEvent
from tests.factories import make_officer

pytestmark = pytest.mark.django_db


def test_staff_member_who_is_the_interferer_is_excluded_and_the_higher_body_handles(client, org, city, jj, submit):
    colleague = make_officer(org["discipline"], "jj9", role="discipline")
    colleague.groups.add(body_group(org["discipline"]))
    record = submit(interferer=colleague.person, interferer_name=colleague.person.name)
    roles = dict(Routing.objects.filter(record=record).values_list("body__code", "role"))
    assert roles == {"B1-JJ": "discipline", "CITY-JJ": "discipline"}  # the city body handles too
    client.force_login(colleague)
    assert client.get(reverse("records:detail", args=[record.pk])).status_code == 404
    assert client.get(reverse("discipline:case", args=[record.pk])).status_code == 404
    for name in ["discipline:inbox", "discipline:ledger", "discipline:dashboard"]:
        assert record.serial not in client.get(reverse(name)).content.decode()
    assert not InterferenceRecord.objects.visible_to(colleague).filter(pk=record.pk).exists()
    # The other staff of the body and the city body's staff see and can act on it.
    client.force_login(jj)
    assert client.get(reverse("discipline:case", args=[record.pk])).status_code == 200
    client.force_login(city["staff"])
    assert client.get(reverse("discipline:case", args=[record.pk])).status_code == 200


def test_a_superuser_who_is_the_leader_behind_sees_nothing(client, org, officer, submit):
    boss = make_officer(org["bureau"], "boss", role="principal")
    boss.is_superuser = True
    boss.is_staff = True
    boss.save()
    record = submit(interferer_kind="proxy", proxy_relation="relative", interferer_name="某亲属", behind_person=boss.person, behind_name=boss.person.name)
    client.force_login(boss)
    assert client.get(reverse("records:detail", args=[record.pk])).status_code == 404
    assert client.get(reverse("discipline:principal_instruct", args=[record.pk])).status_code == 404
    assert record.serial not in client.get(reverse("discipline:principal_inbox")).content.decode()
    assert InterferenceRecord.objects.visible_to(boss).count() == 0


def test_dashboard_counts_leave_out_records_about_the_reader(client, org, jj, submit):
    jj.person.name = "赵某"
    jj.person.save()
    submit(interferer_name="他人")
    submit(interferer_name="赵某")  # written name only, no registry link: still excluded
    client.force_login(jj)
    assert InterferenceRecord.objects.visible_to(jj).count() == 1


def test_a_space_in_the_written_name_does_not_bypass_the_exclusion(client, org, jj, submit):
    """Found in review: "王 刚" must match the person 王刚, in visibility as in routing."""
    colleague = make_officer(org["discipline"], "jj8", role="discipline")
    colleague.groups.add(body_group(org["discipline"]))
    colleague.person.name = "王刚"
    colleague.person.save()
    for written in ["王 刚", "王　刚", " 王刚 "]:
        record = submit(interferer_name=written)
        assert not InterferenceRecord.objects.visible_to(colleague).filter(pk=record.pk).exists(), written
        assert InterferenceRecord.objects.visible_to(jj).filter(pk=record.pk).exists()
        client.force_login(colleague)
        assert client.get(reverse("discipline:case", args=[record.pk])).status_code == 404


def test_sanctions_about_the_reader_are_hidden_from_them(client, org, jj, submit):
    """Found in review: a staff member sanctioned over a record about them must not see or edit it."""
    import datetime as dt

    from django.utils import timezone

    from discipline.review import services

    colleague = make_officer(org["discipline"], "jj7", role="discipline")
    colleague.groups.add(body_group(org["discipline"]))
    record = submit(interferer=colleague.person, interferer_name=colleague.person.name)
    sanction = services.sanction_record(
        person=colleague.person, ground="interference", kind="org_talk", decided_on=dt.date(2026, 11, 2), record=record, body=org["discipline"], actor=jj, now=timezone.now()
    )
    client.force_login(colleague)
    assert record.serial not in client.get(reverse("discipline:sanctions")).content.decode()
    assert client.get(reverse("discipline:sanction_update", args=[sanction.pk])).status_code == 404
    client.force_login(jj)
    assert client.get(reverse("discipline:sanction_update", args=[sanction.pk])).status_code == 200


def test_discipline_and_principal_reads_are_audited(client, org, jj, principal, submit):
    from cases.models import AuditEvent

    record = submit(interferer_name="他人")
    client.force_login(jj)
    client.get(reverse("discipline:case", args=[record.pk]))
    client.force_login(principal)
    client.get(reverse("discipline:principal_instruct", args=[record.pk]))
    readers = set(AuditEvent.objects.filter(type=RecordEvent.RECORD_VIEWED, object_id=str(record.pk)).values_list("actor", flat=True))
    assert readers == {jj.pk, principal.pk}


def test_when_the_only_staff_member_is_the_party_the_higher_body_is_told_and_concludes(
    django_capture_on_commit_callbacks, org, city, officer, submit
):
    """Issue 17 §2: a complaint on a record about the body's only staff member reaches the higher-level
    body that handles the record; the member is neither told nor allowed to conclude it."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from discipline.accountability import services as accountability
    from records.models import Notification

    only_member = make_officer(org["discipline"], "jj6", role="discipline")
    only_member.groups.add(body_group(org["discipline"]))
    record = submit(interferer=only_member.person, interferer_name=only_member.person.name)
    with django_capture_on_commit_callbacks(execute=True):
        complaint = accountability.retaliation_complaint_file(
            record=record, respondent=None, respondent_name="某领导", occurred_on=timezone.localdate(), description="打压。", actor=officer, now=timezone.now()
        )
    told = set(Notification.objects.filter(kind=AccountabilityNotice.RETALIATION_COMPLAINT).values_list("recipient_id", flat=True))
    assert told == {city["staff"].pk}
    with pytest.raises(ValidationError):
        accountability.retaliation_complaint_conclude(complaint=complaint, conclusion="unfounded", findings="x", actor=only_member, now=timezone.now())
    concluded = accountability.retaliation_complaint_conclude(
        complaint=complaint, conclusion="unfounded", findings="有法定事由。", actor=city["staff"], now=timezone.now()
    )
    assert concluded.concluded_by == city["staff"]


def test_a_party_can_neither_link_a_failure_to_the_record_nor_decide_one(org, city, officer, jj, submit):
    """The services refuse what the pages hide: a staff member who is party to a record cannot link a
    recording failure to it (the record is "not found", as for a record that does not exist) nor
    decide a failure linked to it; a higher-level body deciding enters the sanction in its own register."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from discipline.accountability import services as accountability

    party = make_officer(org["discipline"], "jj5", role="discipline")
    party.groups.add(body_group(org["discipline"]))
    record = submit(interferer=party.person, interferer_name=party.person.name)
    failure_data = {
        "officer": officer.person, "body": org["discipline"], "kind": "untruthful", "source": "petition", "source_detail": "举报。",
        "facts": "不如实。", "confirmed_on": timezone.localdate(), "interferer_kind": "insider", "matter": "某事项", "record": record, "now": timezone.now(),
    }  # fmt: skip
    with pytest.raises(ValidationError, match="所选记录不存在"):
        accountability.recording_failure_register(**failure_data, actor=party)
    failure = accountability.recording_failure_register(**failure_data, actor=jj)
    decision = {"subject": "officer", "kind": failure.suggested_kinds[0], "decided_on": timezone.localdate(), "now": timezone.now()}
    with pytest.raises(ValidationError):
        accountability.recording_failure_decide(failure=failure, **decision, actor=party)
    sanction = accountability.recording_failure_decide(failure=failure, **decision, actor=city["staff"])
    assert sanction.body == city["body"]
