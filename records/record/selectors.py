"""Reads of records for pages: the officer's own list (one query a page) and the overdue list of a
discipline body. Every selection goes through the visibility rule (`RecordQuerySet`)."""

import math
from datetime import datetime, time, timedelta
from types import SimpleNamespace

from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from cases.fields import MAX_ID
from cases.formats import date_formatter
from cases.models import Unit
from cases.pagination import OpenEndedPage
from cases.roles import discipline_body_codes
from cases.selectors import supervised_unit_ids
from records.calendar.deadlines import deadline_state
from records.calendar.workdays import WorkCalendar

from .forms import RecordFilterForm
from .models import InterferenceRecord
from .rules import is_party_to, working_days_overdue

PAGE_SIZE = 20
# The officer's list puts what waits for them first (issue 19): drafts before submitted records, by
# deadline (so the overdue ones, oldest due first, lead), then the rest newest first.
_DRAFT = Q(status=InterferenceRecord.Status.DRAFT)
WORK_FIRST = (
    Case(When(_DRAFT, then=Value(0)), default=Value(1)),
    Case(When(_DRAFT, then=F("due_at"))).asc(nulls_last=True),
    "-occurred_at",
    "-id",
)


class ListRow(SimpleNamespace):
    """A row of the officer's list: the values `RecordQuerySet.for_list` reads, with the two
    properties the deadline badge asks of a record."""

    @property
    def pk(self) -> int:
        return self.id

    @property
    def is_draft(self) -> bool:
        return self.status == InterferenceRecord.Status.DRAFT


def own_records_page(user, form: RecordFilterForm, number: str | None) -> OpenEndedPage:
    """One page of the user's own records (`RecordQuerySet.own`, the visibility rule restricted to
    the recorder), filtered by `form`, in one query: PAGE_SIZE + 1 rows and no count (issue 10). A
    page number that is not a number gives the first page; one past the end the last page, as
    `Paginator.get_page` does (that rare case counts)."""
    qs = _filtered(InterferenceRecord.objects.own(user).for_list(), form).order_by(*WORK_FIRST)
    try:
        # At most the last page an OFFSET can address: a larger number overflowed the query (a 500).
        number = min(max(int(number), 1), MAX_ID // PAGE_SIZE)
    except (TypeError, ValueError):
        number = 1
    rows = list(qs[(number - 1) * PAGE_SIZE : number * PAGE_SIZE + 1])
    if not rows and number > 1:
        number = max(math.ceil(qs.count() / PAGE_SIZE), 1)
        rows = list(qs[(number - 1) * PAGE_SIZE : number * PAGE_SIZE + 1])
    return OpenEndedPage([ListRow(case_number=row.pop("case__number"), **row) for row in rows[:PAGE_SIZE]], number, len(rows) > PAGE_SIZE)


def _filtered(qs, form: RecordFilterForm):
    if not form.is_valid():
        return qs
    data = form.cleaned_data
    now = timezone.now()
    today_start = timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))
    state = data.get("state")
    if state == "open":
        qs = qs.filter(status=InterferenceRecord.Status.DRAFT)
    elif state == "due_today":
        qs = qs.filter(status=InterferenceRecord.Status.DRAFT, due_at__gte=max(now, today_start), due_at__lt=today_start + timedelta(days=1))
    elif state == "overdue":
        qs = qs.filter(status=InterferenceRecord.Status.DRAFT, due_at__lt=now)
    elif state == "submitted":
        qs = qs.exclude(status=InterferenceRecord.Status.DRAFT)
    elif state == "late":
        qs = qs.filter(submitted_at__gt=F("due_at"))
    if data.get("channel"):
        qs = qs.filter(channel=data["channel"])
    if data.get("q"):
        q = data["q"].strip()
        qs = qs.filter(Q(serial__icontains=q) | Q(interferer_name__icontains=q) | Q(matter__icontains=q) | Q(case__number__icontains=q))
    if data.get("date_from"):
        qs = qs.filter(occurred_at__gte=timezone.make_aware(datetime.combine(data["date_from"], time.min)))
    if data.get("date_to"):
        qs = qs.filter(occurred_at__lt=timezone.make_aware(datetime.combine(data["date_to"] + timedelta(days=1), time.min)))
    return qs


def list_rows(rows: list[ListRow], now: datetime) -> list[ListRow]:
    """Give each row of the officer's list its address, labels and deadline state: two queries for
    the calendar, whatever the rows."""
    if not rows:
        return rows
    calendar = WorkCalendar.covering([*(timezone.localdate(r.due_at) for r in rows), timezone.localdate(now)])
    # Labels translated once per page: get_FOO_display rebuilds and hashes the choices on every call.
    channels, statuses = ({value: str(label) for value, label in c.choices} for c in (InterferenceRecord.Channel, InterferenceRecord.Status))
    # One reverse for the page: the detail address with the row's id in place of a placeholder.
    before, after = reverse("records:detail", args=[0]).rsplit("0", 1)
    when, day = date_formatter("DATETIME_FORMAT"), date_formatter("DATE_FORMAT")
    for r in rows:
        r.url = f"{before}{r.id}{after}"
        r.occurred_label, r.due_label = when(r.occurred_at), day(r.due_at)
        r.deadline = deadline_state(due_at=r.due_at, now=now, submitted_at=r.submitted_at, calendar=calendar)
        r.channel_label, r.status_label = channels[r.channel], statuses[r.status]
    return rows


def overdue_page(user, now: datetime) -> tuple[list[Unit], list[InterferenceRecord]]:
    """The discipline bodies `user` works for, and the overdue unsubmitted records of the units they
    supervise: metadata only (a draft is the officer's until submitted), less those `user` is party
    to; each with `days_overdue`."""
    bodies = list(Unit.objects.filter(code__in=discipline_body_codes(user)).order_by("code"))
    if not bodies:
        return bodies, []
    unit_ids = supervised_unit_ids(bodies)
    qs = (
        InterferenceRecord.objects.filter(status=InterferenceRecord.Status.DRAFT, due_at__lt=now, recorder_unit_id__in=unit_ids)
        .select_related("recorder__person", "recorder_unit")
        .only("id", "serial", "due_at", "occurred_at", "interferer_id", "interferer_name", "behind_person_id", "behind_name",
              "recorder__username", "recorder__person__name", "recorder_unit__name")  # fmt: skip
        .order_by("due_at")
    )
    person = getattr(user, "person", None)
    rows = [
        r for r in qs
        if not is_party_to(person_id=person.pk if person else None, person_name=person.name if person else "", interferer_id=r.interferer_id,
                           interferer_name=r.interferer_name, behind_id=r.behind_person_id, behind_name=r.behind_name)
    ]  # fmt: skip
    if rows:
        calendar = WorkCalendar.covering([*(timezone.localdate(r.due_at) for r in rows), timezone.localdate(now)])
        for r in rows:
            r.days_overdue = working_days_overdue(due_at=r.due_at, now=now, calendar=calendar)
    return bodies, rows
