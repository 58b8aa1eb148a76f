"""The audit chain's state for discipline staff and the 安全审计员: the last verification, the head, and exporting the
head so it can be kept outside the database; the background side's state for the administrator; the
health endpoints for load balancers and monitors."""

import logging

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from . import signing
from .audit import AnchorError, chain_head, read_anchor, seal_chain
from .decorators import role_required
from .formats import cn_date
from .health import readiness, system_checks
from .models import AuditEvent, AuditVerification
from .roles import Role
from .worker import background_status

log = logging.getLogger(__name__)


@role_required(Role.DISCIPLINE, Role.AUDITOR)
def audit_status(request: HttpRequest) -> HttpResponse:
    context = {
        "latest": AuditVerification.objects.order_by("-ran_at").first(),
        "history": AuditVerification.objects.order_by("-ran_at")[:10],
        "head": chain_head(),
        "unsealed": AuditEvent.objects.filter(seq__isnull=True).count(),
    }
    return render(request, "cases/audit_status.html", context)


@role_required(Role.DISCIPLINE, Role.AUDITOR)
@require_POST
def audit_verify_now(request: HttpRequest) -> HttpResponse:
    from .tasks import verify_audit_chain

    try:
        verify_audit_chain.apply_async(retry=False)
    except Exception:  # noqa: BLE001 - broker down: say so; the nightly run still happens
        log.warning("could not queue an audit verification", exc_info=True)
        messages.error(request, _("任务队列暂不可用，请稍后再试；系统每晚仍会自动校验。"))
    else:
        messages.success(request, _("已开始校验，完成后刷新本页查看结果。"))
    return redirect("audit:status")


@role_required(Role.DISCIPLINE, Role.AUDITOR)
def audit_head_export(request: HttpRequest) -> HttpResponse:
    """The chain head as a small text file, to be printed or kept outside the database, with its
    HMAC-SM3 seal (sealed first, so the anchored head is the head exported) and the system's SM2
    signature on its last line."""
    seal_chain()
    head = chain_head()
    now = timezone.localtime()
    try:
        anchor = read_anchor()
    except AnchorError:
        anchor = None
    lines = [
        _("干预过问记录系统 审计链链头"),
        _("导出时间：%(t)s") % {"t": f"{cn_date(now)} {now:%H:%M:%S}"},
        _("链头序号：%(seq)s") % {"seq": head[0] if head else "—"},
        _("链头哈希：%(hash)s") % {"hash": head[1] if head else "—"},
    ]
    if anchor is not None and anchor.mac and head and anchor.seq == head[0]:
        lines.append(_("链头封印（HMAC-SM3）：%(line)s") % {"line": anchor.as_line()})
    # Signed with the system's SM2 key (cases.signing): `manage.py verify_document` checks the file.
    content = signing.sign_document(("\n".join(lines) + "\n").encode("utf-8"))
    response = HttpResponse(content, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-head-{now:%Y%m%d-%H%M%S}.txt"'
    return response


@role_required(Role.ADMIN)
def system_status(request: HttpRequest) -> HttpResponse:
    """后台运行状态: the health checks (the same as /health/ready), the worker's last answer, the beat's
    last sweeps, the broker's queue length."""
    now = timezone.now()
    return render(request, "cases/system_status.html", {**background_status(now=now), "checks": system_checks(now=now)})


# Health (issue 22): no sign-in (load balancers and monitors call these), no audit event, nothing of a
# record, no path or URL in the answer.
@never_cache
@require_safe
def health_live(request: HttpRequest) -> HttpResponse:
    """The process answers: nothing else is checked, and no database query is made."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def health_ready(request: HttpRequest) -> JsonResponse:
    """Whether this deployment can do its work: 200 when every check passes, else 503 (cases.health)."""
    answer = readiness(now=timezone.now())
    return JsonResponse(answer, status=200 if answer["status"] == "ok" else 503, json_dumps_params={"ensure_ascii": False})
