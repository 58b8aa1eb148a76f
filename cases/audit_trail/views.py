"""The 安全审计员's audit trail page and its export (thin: the form, the services, the template)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from cases.decorators import role_required
from cases.roles import Role

from .forms import TrailFilterForm
from .selectors import TrailFilter, actor_label, summary
from .services import audit_trail_export, audit_trail_read, seal_key_problem


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "1")
    return int(value) if value.isdigit() and 0 < int(value) < 1_000_000 else 1


def _render(request: HttpRequest, form: TrailFilterForm, *, status: int = 200, **context) -> HttpResponse:
    context = {"form": form, "page": None, "rows": [], "seal_problem": seal_key_problem(), "retention_days": settings.AUDIT_RETENTION_DAYS, **context}
    return render(request, "cases/audit_trail.html", context, status=status)


@role_required(Role.AUDITOR)
@require_safe
def trail(request: HttpRequest) -> HttpResponse:
    query = request.GET.copy()
    query.pop("page", None)
    form = TrailFilterForm(query or None)
    if form.is_bound and not form.is_valid():
        return _render(request, form)
    trail_filter = form.trail_filter() if form.is_bound else TrailFilter()
    page = audit_trail_read(trail_filter=trail_filter, page=_page_number(request), actor=request.user)
    rows = [(event, actor_label(event), summary(event)) for event in page.object_list]
    return _render(request, form, page=page, rows=rows, query=query.urlencode())


@role_required(Role.AUDITOR)
@require_safe
def trail_export(request: HttpRequest) -> HttpResponse:
    form = TrailFilterForm(request.GET)
    if not form.is_valid():
        return _render(request, form, status=400)
    try:
        export = audit_trail_export(trail_filter=form.trail_filter(), actor=request.user, now=timezone.now())
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _render(request, form, status=400)
    response = HttpResponse(export.content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["X-Content-SM3"] = export.sm3
    return response
