"""接口接入 (issue 21), for administrators: the calling systems, their scope and keys. A key is shown
once, on the page that issued it, and never again (only its hash is kept). Thin: the services write."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.decorators import role_required
from cases.models import ApiKey, ApiSystem
from cases.roles import Role

from . import services
from .forms import SystemForm


def _page(request: HttpRequest, *, form: SystemForm | None = None, issued: services.IssuedKey | None = None, status: int = 200) -> HttpResponse:
    systems = ApiSystem.objects.prefetch_related("units", "keys").order_by("code")
    return render(
        request,
        "cases/api_systems.html",
        {"systems": systems, "form": form or SystemForm(), "issued": issued, "now": timezone.now()},
        status=status,
    )


def _system(code: str) -> ApiSystem:
    system = ApiSystem.objects.filter(code=code).first()
    if system is None:
        raise Http404
    return system


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def api_systems(request: HttpRequest) -> HttpResponse:
    """The list, and the form that creates a system or changes one's name and units."""
    if request.method != "POST":
        return _page(request)
    form = SystemForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form)
    data = form.cleaned_data
    existing = ApiSystem.objects.filter(code=data["code"]).first()
    try:
        _system_saved, issued = services.api_system_save(
            code=data["code"], name=data["name"], units=data["units"], is_active=existing.is_active if existing else True, actor=request.user
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _page(request, form=form)
    messages.success(request, _("接入系统 %(code)s 已保存。") % {"code": data["code"]})
    if issued:
        return _page(request, issued=issued)
    return redirect("api_systems:index")


@role_required(Role.ADMIN)
@require_POST
def api_key_rotate(request: HttpRequest, code: str) -> HttpResponse:
    issued = services.api_key_rotate(system=_system(code), actor=request.user, now=timezone.now())
    return _page(request, issued=issued)


@role_required(Role.ADMIN)
@require_POST
def api_key_revoke(request: HttpRequest, prefix: str) -> HttpResponse:
    key = ApiKey.objects.filter(prefix=prefix).first()
    if key is None:
        raise Http404
    services.api_key_revoke(key=key, actor=request.user)
    messages.success(request, _("密钥 %(prefix)s 已吊销，立即失效。") % {"prefix": prefix})
    return redirect("api_systems:index")


@role_required(Role.ADMIN)
@require_POST
def api_system_toggle(request: HttpRequest, code: str) -> HttpResponse:
    system = _system(code)
    services.api_system_save(code=system.code, name=system.name, units=list(system.units.all()), is_active=not system.is_active, actor=request.user)
    messages.success(request, (_("接入系统 %(code)s 已启用。") if not system.is_active else _("接入系统 %(code)s 已停用。")) % {"code": code})
    return redirect("api_systems:index")
