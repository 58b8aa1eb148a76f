"""Officer pages. Thin: objects come through access helpers, changes go through services."""

import math
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.decorators import role_required
from cases.fields import MAX_ID, parse_ids
from cases.formats import date_formatter
from cases.idempotency import accepted, submit_once
from cases.models import Unit
from cases.roles import Role, discipline_body_codes
from cases.selectors import supervised_unit_ids

from . import services
from .access import access_evidence, access_record
from .deadlines import deadline_state
from .forms import AmendmentForm, QuickCaptureForm, RecordFilterForm, RecordForm, SubmitForm
from .models import InterferenceRecord
from .reminders import working_days_overdue
from .rules import incomplete_fields, is_party_to, missing_evidence
from .workdays import WorkCalendar

PAGE_SIZE = 20


def _calendar_for(due_dates: list, today) -> WorkCalendar:
    """One calendar covering today and every due date on the page: two queries, whatever the rows."""
    return WorkCalendar.covering([*due_dates, today])


@dataclass
class OpenEndedPage:
    """A page of a list that is not counted: whether there is a next page is known from one row
    more than the page shows (上一页 / 第 N 页 / 下一页)."""

    object_list: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


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
    qs = _filtered(InterferenceRecord.objects.own(user).for_list(), form)
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


@login_required
def record_list(request: HttpRequest) -> HttpResponse:
    """我的记录: the officer's own records with their deadline state."""
    form = RecordFilterForm(request.GET or None)
    page = own_records_page(request.user, form, request.GET.get("page"))
    now = timezone.now()
    rows = page.object_list
    if rows:
        calendar = _calendar_for([timezone.localdate(r.due_at) for r in rows], timezone.localdate(now))
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
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "records/record_list.html", {"page": page, "rows": rows, "form": form, "query": query.urlencode()})


def _save_record(request: HttpRequest, record: InterferenceRecord | None) -> HttpResponse:
    """Create or edit a draft. Uploaded files are stored before validation, so a form with errors
    keeps them (shown as already uploaded) along with everything typed."""
    unit = services.unit_of(request.user)
    intent = request.POST.get("intent", "draft") if request.method == "POST" else "draft"
    if request.method != "POST":
        form = RecordForm(user=request.user, unit=unit, record=record)
        return render(request, "records/record_form.html", {"form": form, "record": record})

    first = RecordForm(request.POST, request.FILES, user=request.user, unit=unit, record=record, intent=intent)
    first.is_valid()
    staged_ids = parse_ids(request.POST.getlist("staged"))
    file_errors = {f"file_{i}": first.errors[f"file_{i}"] for i in range(1, 4) if f"file_{i}" in first.errors}
    for field, upload, kind in first.uploads():
        try:
            evidence = services.evidence_stage(upload=upload, kind=kind, actor=request.user)
        except ValidationError as error:
            # A refused file keeps the form open with the reason next to its input.
            file_errors[field] = error.messages
            continue
        staged_ids.append(evidence.pk)

    data = request.POST.copy()
    data.setlist("staged", [str(i) for i in staged_ids])
    form = RecordForm(data, user=request.user, unit=unit, record=record, intent=intent)
    valid = form.is_valid()
    for field, errors in file_errors.items():
        form.add_error(field, errors)
        valid = False
    if not valid:
        if staged_ids:
            messages.info(request, _("已选择的文件已保存，显示在“已上传的材料”中，无需重新选择。"))
        return render(request, "records/record_form.html", {"form": form, "record": record}, status=200)

    fields = {k: v for k, v in form.cleaned_data.items() if k in services.RECORD_FIELDS}
    try:
        if record is None:
            record = services.record_create(
                data=fields, categories=form.cleaned_data["categories"], evidence=form.cleaned_data["staged"], actor=request.user
            )
            messages.success(request, _("记录已保存为草稿，编号 %(serial)s。") % {"serial": record.serial})
        else:
            record = services.record_update_draft(
                record=record, data=fields, categories=form.cleaned_data["categories"], evidence=form.cleaned_data["staged"], actor=request.user
            )
            messages.success(request, _("草稿已更新。"))
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "records/record_form.html", {"form": form, "record": record})
    if intent == "submit":
        return accepted(redirect("records:submit", pk=record.pk))
    return accepted(redirect("records:detail", pk=record.pk))


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def record_create(request: HttpRequest) -> HttpResponse:
    if services.unit_of(request.user) is None:
        messages.error(request, _("您的账号尚未关联所在单位，请联系管理员。"))
        return redirect("records:list")
    return _save_record(request, None)


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def quick_capture(request: HttpRequest) -> HttpResponse:
    """快速登记: a short form that saves a draft at once, usable on a phone. A file refused (type or
    size) never costs the record: the draft is saved with the files that were accepted."""
    if services.unit_of(request.user) is None:
        messages.error(request, _("您的账号尚未关联所在单位，请联系管理员。"))
        return redirect("records:list")
    form = QuickCaptureForm(request.POST, request.FILES) if request.method == "POST" else QuickCaptureForm()
    if request.method != "POST" or not form.is_valid():
        return render(request, "records/quick_capture.html", {"form": form})
    staged = []
    for name in ("photo", "audio"):
        upload = form.cleaned_data.get(name)
        if upload:
            try:
                staged.append(services.evidence_stage(upload=upload, kind="", actor=request.user))
            except ValidationError as error:
                messages.warning(request, " ".join(error.messages))
    data = form.cleaned_data
    try:
        record = services.record_quick_capture(
            interferer_name=data["interferer_name"],
            interferer_position=data["interferer_position"],
            occurred_at=data["occurred_at"],
            channel=data["channel"],
            content=data["content"],
            evidence=staged,
            actor=request.user,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "records/quick_capture.html", {"form": form})
    messages.success(
        request,
        _("已保存为草稿，编号 %(serial)s。请在 %(due)s 前补全登记表并报送。")
        % {"serial": record.serial, "due": formats.date_format(timezone.localtime(record.due_at), "DATE_FORMAT")},
    )
    return accepted(redirect("records:detail", pk=record.pk))


@login_required
@require_http_methods(["GET", "POST"])
def record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = access_record(request.user, pk)
    if not record.is_draft or record.recorder_id != request.user.pk:
        # Also refuses a crafted POST: nothing is read from it.
        messages.error(request, _("记录已报送，不能再修改；如需更正，请添加补充说明。"))
        return redirect("records:detail", pk=record.pk)
    return _save_record(request, record)


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = access_record(request.user, pk, audit_read=True)
    now = timezone.now()
    calendar = _calendar_for([timezone.localdate(record.due_at)], timezone.localdate(now))
    evidence = list(record.evidence.all())
    context = {
        "record": record,
        "deadline": deadline_state(due_at=record.due_at, now=now, submitted_at=record.submitted_at, calendar=calendar),
        "evidence": evidence,
        "amendments": record.amendments.select_related("author__person"),
        "categories": record.categories.all(),
        "missing": missing_evidence(record.channel, [e.kind for e in evidence], record.missing_evidence_reason) if record.is_draft else None,
        "gaps": incomplete_fields(services.completeness_values(record)) if record.is_draft else {},
        "amend_form": AmendmentForm(),
        "is_recorder": record.recorder_id == request.user.pk,
    }
    if context["is_recorder"]:
        from discipline.accountability.access import complaints_filed_by  # discipline depends on records

        context["complaints"] = complaints_filed_by(request.user, record)
    return render(request, "records/record_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def record_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm and submit (报送). After this the record cannot be edited."""
    record = access_record(request.user, pk)
    if not record.is_draft or record.recorder_id != request.user.pk:
        messages.error(request, _("该记录已经报送，无需重复报送。"))
        return redirect("records:detail", pk=record.pk)
    now = timezone.now()
    late = now > record.due_at
    form = SubmitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_submit(
                record=record,
                late_reason=form.cleaned_data["late_reason"],
                also_report_higher=form.cleaned_data["also_report_higher"],
                actor=request.user,
                now=now,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("记录 %(serial)s 已报送。") % {"serial": record.serial})
            return accepted(redirect("records:detail", pk=record.pk))
    evidence = list(record.evidence.all())
    return render(
        request,
        "records/record_submit.html",
        {
            "record": record,
            "form": form,
            "late": late,
            "missing": missing_evidence(record.channel, [e.kind for e in evidence], record.missing_evidence_reason),
            "gaps": incomplete_fields(services.completeness_values(record)),
        },
    )


@login_required
@require_POST
@submit_once
def amendment_add(request: HttpRequest, pk: int) -> HttpResponse:
    record = access_record(request.user, pk)
    form = AmendmentForm(request.POST)
    if form.is_valid():
        try:
            services.record_amend(record=record, text=form.cleaned_data["text"], reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            messages.success(request, _("补充说明已添加。"))
            return accepted(redirect("records:detail", pk=record.pk))
    else:
        messages.error(request, _("补充内容和补充原因都必须填写。"))
    return redirect("records:detail", pk=record.pk)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Serve an evidence file after a permission check; never from a public URL."""
    evidence = access_evidence(request.user, pk)
    response = FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(Role.DISCIPLINE)
def overdue_list(request: HttpRequest) -> HttpResponse:
    """Overdue unsubmitted records of the units this discipline body supervises: metadata only (a draft
    is the officer's until submitted), never shown to a staff member who is party to it."""
    bodies = list(Unit.objects.filter(code__in=discipline_body_codes(request.user)).order_by("code"))
    now = timezone.now()
    rows = []
    if bodies:
        unit_ids = supervised_unit_ids(bodies)
        qs = (
            InterferenceRecord.objects.filter(status=InterferenceRecord.Status.DRAFT, due_at__lt=now, recorder_unit_id__in=unit_ids)
            .select_related("recorder__person", "recorder_unit")
            .only("id", "serial", "due_at", "occurred_at", "interferer_id", "interferer_name", "behind_person_id", "behind_name",
                  "recorder__username", "recorder__person__name", "recorder_unit__name")  # fmt: skip
            .order_by("due_at")
        )
        person = getattr(request.user, "person", None)
        rows = [
            r for r in qs
            if not is_party_to(person_id=person.pk if person else None, person_name=person.name if person else "", interferer_id=r.interferer_id,
                               interferer_name=r.interferer_name, behind_id=r.behind_person_id, behind_name=r.behind_name)
        ]  # fmt: skip
        if rows:
            calendar = _calendar_for([timezone.localdate(r.due_at) for r in rows], timezone.localdate(now))
            for r in rows:
                r.days_overdue = working_days_overdue(due_at=r.due_at, now=now, calendar=calendar)
    return render(request, "records/overdue_list.html", {"rows": rows, "bodies": bodies})
