"""Officer pages. Thin: objects come through access helpers, changes go through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.decorators import role_required
from cases.downloads import private_file_response
from cases.fields import parse_ids
from cases.idempotency import accepted, submit_once
from cases.roles import Role
from records.calendar.deadlines import deadline_state
from records.calendar.workdays import WorkCalendar
from records.hooks import recorder_panels, submission_preview

from . import services
from .access import access_evidence, access_record
from .forms import AmendmentForm, QuickCaptureForm, RecordFilterForm, RecordForm, SubmitForm
from .models import InterferenceRecord
from .rules import incomplete_fields, missing_evidence
from .selectors import list_rows, overdue_page, own_records_page


@login_required
def record_list(request: HttpRequest) -> HttpResponse:
    """我的记录: the officer's own records with their deadline state."""
    form = RecordFilterForm(request.GET or None)
    page = own_records_page(request.user, form, request.GET.get("page"))
    rows = list_rows(page.object_list, timezone.now())
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
    calendar = WorkCalendar.covering([timezone.localdate(record.due_at), timezone.localdate(now)])
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
        # Parts of the page the apps above records add for the recorder (discipline: complaints).
        context["recorder_panels"] = [panel for panel in recorder_panels.run(user=request.user, record=record) if panel is not None]
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
            "evidence": evidence,
            # Who it goes to, by name, before the officer confirms (discipline: R-ROUTE).
            "addressees": [addressee for shown in submission_preview.run(record=record) for addressee in shown],
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
    return private_file_response(request, evidence.file, filename=evidence.original_name, content_type=evidence.content_type)


@role_required(Role.DISCIPLINE)
def overdue_list(request: HttpRequest) -> HttpResponse:
    """Overdue unsubmitted records of the units this discipline body supervises: metadata only (a draft
    is the officer's until submitted), never shown to a staff member who is party to it."""
    bodies, rows = overdue_page(request.user, timezone.now())
    return render(request, "records/overdue_list.html", {"rows": rows, "bodies": bodies})
