"""R-REMIND: the reminder schedule (pure) and the sweep over the database at chosen instants.

Dates checked by hand against the State Council schedule in chinese_calendar's data:
- 2026-11-23 is a Monday; no holiday until 2027-01-01. 3 working days after Mon 11-23 → Thu 11-26.
- 2026 National Day: Oct 1–7 off, make-up working days Sun Sep 20 and Sat Oct 10.
  Event Mon 2026-09-28: Tue 29 = 1, Wed 30 = 2, Thu Oct 8 = 3 → due Oct 8; the working day
  before Oct 8 is Wed Sep 30.
- 2027 is provisional: Jan 1 (Fri) 元旦. Event Wed 2026-12-30: Thu 31 = 1, Mon Jan 4 = 2,
  Tue Jan 5 = 3 → due 2027-01-05; the working day before is Mon Jan 4.
"""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from conftest import local, record_data
from records.calendar.workdays import WorkCalendar
from records.models import Notification
from records.notifications.sweep import reminder_sweep
from records.record import services
from records.record.rules import digest_owed, next_check, owed_reminder, schedule_for, working_days_overdue
from tests.threads import run_at_once

CAL = WorkCalendar()  # package + statute, no administrator data


def due(y, m, d):
    return local(y, m, d, 23, 59, 59)


# --- the pure schedule ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due_at", "tomorrow_at", "today_at"),
    [
        (due(2026, 11, 26), local(2026, 11, 25, 9), local(2026, 11, 26, 9)),
        (due(2026, 10, 8), local(2026, 9, 30, 9), local(2026, 10, 8, 9)),  # across National Day
        (due(2026, 10, 10), local(2026, 10, 9, 9), local(2026, 10, 10, 9)),  # a make-up Saturday
        (due(2027, 1, 5), local(2027, 1, 4, 9), local(2027, 1, 5, 9)),  # provisional 2027
        (due(2026, 2, 25), local(2026, 2, 24, 9), local(2026, 2, 25, 9)),  # after Spring Festival (Feb 15–23 off)
    ],
)
def test_schedule(due_at, tomorrow_at, today_at):
    s = schedule_for(due_at, CAL)
    assert (s.due_tomorrow_at, s.due_today_at) == (tomorrow_at, today_at)
    assert s.overdue_at == due_at + dt.timedelta(seconds=1)


@pytest.mark.parametrize(
    ("now", "owed", "following"),
    [
        (local(2026, 11, 24, 12), None, local(2026, 11, 25, 9)),
        (local(2026, 11, 25, 8, 59), None, local(2026, 11, 25, 9)),
        (local(2026, 11, 25, 9), "due_tomorrow", local(2026, 11, 26, 9)),
        (local(2026, 11, 26, 9), "due_today", due(2026, 11, 26) + dt.timedelta(seconds=1)),
        (local(2026, 11, 26, 23, 59, 59), "due_today", due(2026, 11, 26) + dt.timedelta(seconds=1)),
        (local(2026, 11, 27, 0, 1), "overdue", None),
    ],
)
def test_owed_and_next(now, owed, following):
    assert owed_reminder(due_at=due(2026, 11, 26), now=now, calendar=CAL) == owed
    assert next_check(due_at=due(2026, 11, 26), now=now, calendar=CAL) == following


def test_digest_only_on_working_days_from_nine():
    assert digest_owed(now=local(2026, 11, 27, 9), calendar=CAL)  # Friday
    assert not digest_owed(now=local(2026, 11, 27, 8, 59), calendar=CAL)
    assert not digest_owed(now=local(2026, 11, 28, 10), calendar=CAL)  # Saturday
    assert not digest_owed(now=local(2026, 10, 5, 10), calendar=CAL)  # National Day
    assert digest_owed(now=local(2026, 10, 10, 10), calendar=CAL)  # make-up Saturday


def test_working_days_overdue():
    # Due Thu 11-26; on Mon 11-30 it is two working days late (Fri 27, Mon 30).
    assert working_days_overdue(due_at=due(2026, 11, 26), now=local(2026, 11, 30, 10), calendar=CAL) == 2
    assert working_days_overdue(due_at=due(2026, 11, 26), now=local(2026, 11, 27, 0, 1), calendar=CAL) == 1
    assert working_days_overdue(due_at=due(2026, 11, 26), now=local(2026, 11, 26, 10), calendar=CAL) == 0


# --- the sweep over the database --------------------------------------------------------------


def kinds(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def sweep_at(*args):
    with time_machine.travel(local(*args), tick=False):
        return reminder_sweep(now=local(*args))


@pytest.fixture
def record_nov23(officer):
    with time_machine.travel(local(2026, 11, 23, 10), tick=False):
        return services.record_create(data=record_data(occurred_at=local(2026, 11, 23, 10), content="要求撤案的具体原话", interferer_name="钱某某"), actor=officer)


@pytest.mark.django_db
def test_sweep_at_chosen_instants(record_nov23, officer, section_head, discipline_user):
    assert record_nov23.due_at == due(2026, 11, 26)
    sweep_at(2026, 11, 24, 12)  # before T-1
    assert kinds(officer) == []
    sweep_at(2026, 11, 25, 9)  # T-1 09:00
    sweep_at(2026, 11, 25, 9, 5)  # again: nothing new
    assert kinds(officer) == ["due_tomorrow"]
    sweep_at(2026, 11, 26, 9)  # due day
    assert kinds(officer) == ["due_today", "due_tomorrow"]
    assert kinds(section_head) == [] and kinds(discipline_user) == []
    sweep_at(2026, 11, 27, 0, 0, 59)  # one minute after the deadline
    sweep_at(2026, 11, 27, 0, 5)
    assert kinds(section_head) == ["overdue_section_head"]
    assert kinds(discipline_user) == ["overdue_discipline"]
    # The officer is reminded of their own overdue draft, once.
    assert kinds(officer) == ["due_today", "due_tomorrow", "overdue_recorder"]
    # Daily digest to the discipline body: Friday 09:00 once, none on Saturday, again on Monday.
    sweep_at(2026, 11, 27, 9)
    sweep_at(2026, 11, 27, 15)
    sweep_at(2026, 11, 28, 9)
    assert kinds(discipline_user).count("overdue_digest") == 1
    sweep_at(2026, 11, 30, 9)
    digests = Notification.objects.filter(recipient=discipline_user, kind="overdue_digest").order_by("key")
    assert [n.key for n in digests] == ["2026-11-27", "2026-11-30"]
    assert record_nov23.serial in digests[1].body and "逾期2个工作日" in digests[1].body
    # Submitted on Monday: the discipline body is told once, and the digests stop.
    with time_machine.travel(local(2026, 11, 30, 10), tick=False):
        services.record_submit(record=record_nov23, late_reason="外出检查", actor=officer, now=local(2026, 11, 30, 10))
    sweep_at(2026, 11, 30, 10, 5)
    sweep_at(2026, 12, 1, 9)
    assert kinds(discipline_user) == ["overdue_digest", "overdue_digest", "overdue_discipline", "submitted"]
    assert kinds(section_head) == ["overdue_section_head"]


@pytest.mark.django_db
def test_section_head_escalation_carries_no_content(client, record_nov23, section_head):
    sweep_at(2026, 11, 27, 0, 5)
    notice = Notification.objects.get(recipient=section_head)
    text = notice.title + notice.body
    assert "逾期1个工作日" in text and record_nov23.serial in text
    for secret in ["要求撤案的具体原话", "钱某某", "副县长", "某企业安全隐患整改事项"]:
        assert secret not in text
    assert notice.link == ""  # nothing to open
    client.force_login(section_head)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "逾期未报送" in page
    assert "要求撤案的具体原话" not in page and "钱某某" not in page


@pytest.mark.django_db
def test_a_section_head_who_is_the_interferer_is_not_told(officer, section_head, discipline_user):
    head_person = section_head.person
    with time_machine.travel(local(2026, 11, 23, 10), tick=False):
        services.record_create(data=record_data(occurred_at=local(2026, 11, 23, 10), interferer=head_person, interferer_name=head_person.name), actor=officer)
    sweep_at(2026, 11, 27, 9)
    assert kinds(section_head) == []
    assert kinds(discipline_user) == ["overdue_digest", "overdue_discipline"]


@pytest.mark.django_db
def test_sweep_across_a_holiday(officer):
    with time_machine.travel(local(2026, 9, 28, 10), tick=False):
        record = services.record_create(data=record_data(occurred_at=local(2026, 9, 28, 10)), actor=officer)
    assert record.due_at == due(2026, 10, 8)
    sweep_at(2026, 9, 29, 12)
    assert kinds(officer) == []
    sweep_at(2026, 9, 30, 9)  # the working day before Oct 8
    notice = Notification.objects.get(recipient=officer)
    assert notice.kind == "due_tomorrow" and "2026年10月8日" in notice.title and "下一个工作日" in notice.title
    sweep_at(2026, 10, 3, 9)  # holiday: nothing new
    assert kinds(officer) == ["due_tomorrow"]
    sweep_at(2026, 10, 8, 9)
    assert kinds(officer) == ["due_today", "due_tomorrow"]


@pytest.mark.django_db
def test_sweep_across_a_provisional_year(officer):
    with time_machine.travel(local(2026, 12, 30, 10), tick=False):
        record = services.record_create(data=record_data(occurred_at=local(2026, 12, 30, 10)), actor=officer)
    assert record.due_at == due(2027, 1, 5) and record.calendar_provisional
    sweep_at(2027, 1, 1, 9)  # 元旦 (provisional holiday): not yet
    assert kinds(officer) == []
    sweep_at(2027, 1, 4, 9)
    assert kinds(officer) == ["due_tomorrow"]


@pytest.mark.django_db
def test_a_record_entered_late_is_reminded_at_once(officer, section_head):
    """Entered on its due day: the due-today reminder at the next sweep; the missed T-1 is not sent."""
    with time_machine.travel(local(2026, 11, 26, 14), tick=False):
        services.record_create(data=record_data(occurred_at=local(2026, 11, 23, 10)), actor=officer)
    sweep_at(2026, 11, 26, 14, 5)
    assert kinds(officer) == ["due_today"]


@pytest.mark.django_db
def test_emails_once_and_only_with_an_address(record_nov23, officer, section_head):
    section_head.email = ""
    section_head.save()
    sweep_at(2026, 11, 25, 9)
    sweep_at(2026, 11, 25, 9, 5)
    assert [m.to for m in mail.outbox] == [[officer.email]]
    assert record_nov23.serial in mail.outbox[0].subject
    sweep_at(2026, 11, 27, 0, 5)
    # The head has no address (in-app only); the officer's overdue reminder is mailed to them.
    assert [m.to for m in mail.outbox] == [[officer.email], [officer.email]]
    assert "逾期" in mail.outbox[1].subject
    assert kinds(section_head) == ["overdue_section_head"]


@pytest.mark.django_db
def test_send_reminders_command_runs_the_sweep(record_nov23, officer):
    out = StringIO()
    with time_machine.travel(local(2026, 11, 25, 9, 1), tick=False):
        call_command("send_reminders", stdout=out)
    assert "记录提醒 1 条" in out.getvalue()
    assert kinds(officer) == ["due_tomorrow"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (CI runs it)")
def test_concurrent_sweeps_send_each_notice_once(officer, section_head, discipline_user):
    with time_machine.travel(local(2026, 11, 23, 10), tick=False):
        records = [services.record_create(data=record_data(occurred_at=local(2026, 11, 23, 10)), actor=officer) for _ in range(5)]
    errors = run_at_once(lambda: reminder_sweep(now=local(2026, 11, 27, 9)))
    assert errors == []
    assert Notification.objects.filter(recipient=section_head, kind="overdue_section_head").count() == len(records)
    assert Notification.objects.filter(recipient=discipline_user, kind="overdue_discipline").count() == len(records)
    assert Notification.objects.filter(recipient=discipline_user, kind="overdue_digest").count() == 1


@pytest.mark.django_db
def test_an_email_claim_left_by_a_dead_sweep_is_retaken(record_nov23, officer):
    """At least once: a sweep that died between claiming and sending does not lose the mail."""
    from records.notifications.services import CLAIM_TIMEOUT, deliver_emails

    sweep_at(2026, 11, 25, 9)
    assert len(mail.outbox) == 1
    notice = Notification.objects.get(recipient=officer)
    assert notice.email_pending is False and notice.emailed_at is not None
    # Simulate a crash after the claim: pending again, claimed a moment ago.
    Notification.objects.filter(pk=notice.pk).update(email_pending=True, emailed_at=local(2026, 11, 25, 9, 1))
    assert deliver_emails(now=local(2026, 11, 25, 9, 5)) == 0  # claim still fresh: not taken
    assert deliver_emails(now=local(2026, 11, 25, 9, 1) + CLAIM_TIMEOUT + dt.timedelta(seconds=1)) == 1
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_digest_lists_each_overdue_draft_but_never_one_about_its_reader(org, officer, discipline_user):
    """R-REMIND's daily digest to the body's staff, and the conflict-of-interest rule (000 第七条): a
    staff member who is the recorded interferer, linked or only named, gets the digest without it."""
    from django.contrib.auth.models import Group

    from cases.models import Person
    from cases.roles import discipline_group_name
    from tests.factories import make_officer

    party = make_officer(org["discipline"], "jj2", role="discipline")
    party.groups.add(Group.objects.get(name=discipline_group_name(org["discipline"].code)))
    Person.objects.filter(user=party).update(name="赵纪检")
    party.person.refresh_from_db()
    with time_machine.travel(local(2026, 11, 23, 11), tick=False):
        about_party = services.record_create(
            data=record_data(occurred_at=local(2026, 11, 23, 10), interferer=party.person, interferer_name="赵纪检"), actor=officer
        )
        named_only = services.record_create(data=record_data(occurred_at=local(2026, 11, 23, 10), behind_name="赵 纪检"), actor=officer)
        plain = services.record_create(data=record_data(occurred_at=local(2026, 11, 23, 10)), actor=officer)
    # Due Thu 26 November; the digest of Mon 30 November counts Fri 27 and Mon 30: 2 working days late.
    sweep_at(2026, 11, 30, 9)
    digest = Notification.objects.get(recipient=discipline_user, kind="overdue_digest")
    lines = digest.body.splitlines()
    assert digest.title.endswith("3条") and len(lines) == 3
    assert lines[0] == f"{about_party.serial} · {org['section'].name} {officer.person.name} · 逾期2个工作日"
    theirs = Notification.objects.get(recipient=party, kind="overdue_digest")
    assert theirs.body.splitlines() == [f"{plain.serial} · {org['section'].name} {officer.person.name} · 逾期2个工作日"]
    assert about_party.serial not in theirs.body and named_only.serial not in theirs.body
