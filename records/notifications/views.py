"""The notification centre: a list of the user's notices and marking them read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cases.fields import parse_ids

from .services import notices_of, notifications_mark_read


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notices_of(request.user, unread_only=request.GET.get("unread") == "1"), 20).get_page(request.GET.get("page"))
    return render(request, "records/notification_list.html", {"page": page, "unread_only": request.GET.get("unread") == "1"})


@login_required
@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    """Mark one notice (`id`) or all (`all=1`) read, then go to the notice's link or back."""
    ids = None if request.POST.get("all") == "1" else parse_ids(request.POST.getlist("id"))
    notifications_mark_read(user=request.user, ids=ids, now=timezone.now())
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("notifications:list")
