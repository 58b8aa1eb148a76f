"""批量导入 (issue 21), for administrators: upload, a dry run's preview, confirm, then follow the import
job. Thin: the dry run is ``services.org_import``, the confirmed import a background job
(``jobs.import_job_create``, run by the worker). The uploaded files wait between preview and
confirmation in private storage under a one-time token bound to the uploader (``uploads``), so the
import confirmed is the file previewed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.decorators import role_required
from cases.models import ImportJob
from cases.onboarding import services
from cases.onboarding.access import access_import_job
from cases.onboarding.forms import ImportForm
from cases.onboarding.jobs import ImportProgress, import_job_create, progress_text, ring_if_stale
from cases.onboarding.resources import LABELS, RESOURCES
from cases.onboarding.uploads import upload_keep
from cases.roles import Role
from cases.worker import worker_silence_notice

RECENT_JOBS = 10


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """Upload the files; a dry run shows what would change and every row's problems."""
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        files = {kind: (form.cleaned_data[kind].name, form.cleaned_data[kind].read()) for kind in RESOURCES if form.cleaned_data.get(kind)}
        try:
            result = services.org_import(files=files, dry_run=True, actor=request.user)
        except ValidationError as error:
            form.add_error(None, "；".join(error.messages))
        else:
            token = upload_keep(files, request.user) if result.ok else ""
            return render(request, "cases/onboarding_preview.html", {"result": result, "token": token})
    jobs = ImportJob.objects.filter(requested_by=request.user)[:RECENT_JOBS]
    return render(request, "cases/onboarding.html", {"form": form, "kinds": [(kind, LABELS[kind]) for kind in RESOURCES], "jobs": jobs})


@role_required(Role.ADMIN)
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    """Start the import of the previewed files as a background job and follow it on its page; the
    same upload confirmed twice is the same job."""
    try:
        job, created = import_job_create(token=request.POST.get("token", ""), actor=request.user, now=timezone.now())
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("onboarding:index")
    if not created:
        messages.info(request, _("该文件已确认导入，以下是这次导入的进度。"))
    return redirect("onboarding:job", job.pk)


def _tables(job: ImportJob) -> list[dict]:
    """The job's files with their counts (once done), in import order."""
    return [
        {"kind": kind, "label": LABELS[kind], "name": job.files[kind]["name"], "sha256": job.files[kind]["sha256"], **job.counts.get(kind, {})}
        for kind in RESOURCES
        if kind in job.files
    ]


@role_required(Role.ADMIN)
@require_GET
def job(request: HttpRequest, pk: int) -> HttpResponse:
    """An import job: its progress (moved on by static/js/report-progress.js), then its counts per
    table, or why it failed (nothing written)."""
    import_job = access_import_job(request.user, pk)
    progress = ImportProgress.read(import_job.token) if import_job.status == ImportJob.Status.RUNNING else None
    problems = [{**problem, "label": LABELS.get(problem["table"], "")} for problem in import_job.problems]
    context = {
        "job": import_job, "tables": _tables(import_job), "problems": problems,
        "percent": progress["percent"] if progress else (100 if import_job.finished else 0),
        "progress_text": progress_text(progress), "worker_notice": _worker_notice(import_job),
    }  # fmt: skip
    return render(request, "cases/onboarding_job.html", context)


def _worker_notice(job: ImportJob) -> str:
    if job.status != ImportJob.Status.QUEUED:
        return ""
    return worker_silence_notice(waiting_since=job.created_at, now=timezone.now())


@role_required(Role.ADMIN)
@require_GET
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """An import job's state for static/js/report-progress.js (which reloads the page once it ends)."""
    import_job = access_import_job(request.user, pk)
    if ring_if_stale(import_job, now=timezone.now()):
        import_job.refresh_from_db()
    progress = ImportProgress.read(import_job.token) if import_job.status == ImportJob.Status.RUNNING else None
    return JsonResponse(
        {
            "status": import_job.status,
            "status_display": import_job.get_status_display(),
            "progress": progress["percent"] if progress else (100 if import_job.finished else 0),
            "notice": progress_text(progress),
            "worker_notice": _worker_notice(import_job),
            "download": "",
            "error": import_job.error if import_job.status == ImportJob.Status.FAILED else "",
        }
    )


@role_required(Role.ADMIN)
def template(request: HttpRequest, filename: str) -> HttpResponse:
    """The empty template of a table (``units.xlsx``, ``cases.csv``…), headed in Chinese."""
    kind, _dot, fmt = filename.partition(".")
    if kind not in RESOURCES or fmt not in ("xlsx", "csv"):
        raise Http404
    dataset = services.template_dataset(kind)
    if fmt == "csv":
        # With a BOM, so that Excel in China opens it as UTF-8.
        response = HttpResponse("\ufeff" + dataset.export("csv"), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(dataset.export("xlsx"), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="import-{kind}.{fmt}"'
    return response
