"""The 安全保密管理员's pages: the role requests waiting for a decision (their landing page) and the
decision itself (三员分立, issue 23)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .access import access_role_request
from .accounts import AccountChangeRefused, role_request_decide
from .decorators import role_required
from .models import Unit
from .roles import Role, group_label
from .selectors import role_requests_for


@role_required(Role.SECURITY_ADMIN)
def role_request_list(request: HttpRequest) -> HttpResponse:
    pending, decided = role_requests_for(request.user)
    body_names = dict(Unit.objects.values_list("code", "name"))
    for item in (*pending, *decided):
        item.labels = [group_label(name, body_names) for name in item.group_names]
    return render(request, "cases/role_requests.html", {"pending": pending, "decided": decided})


@role_required(Role.SECURITY_ADMIN)
@require_POST
def role_request_decide_view(request: HttpRequest, role_request_id: int) -> HttpResponse:
    role_request = access_role_request(request.user, role_request_id)
    approve = request.POST.get("decision") == "approve"
    if request.POST.get("decision") not in ("approve", "refuse"):
        messages.error(request, _("请选择批准或拒绝。"))
        return redirect("accounts:role_requests")
    try:
        role_request_decide(role_request=role_request, approve=approve, note=request.POST.get("note", "")[:200], actor=request.user)
    except AccountChangeRefused as refusal:
        messages.error(request, refusal.message)
    else:
        account = role_request.user.get_username()
        messages.success(request, (_("已批准 %s 的角色申请。") if approve else _("已拒绝 %s 的角色申请。")) % account)
    return redirect("accounts:role_requests")
