"""Project-level views: the landing page, which composes the apps' pages by role."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from cases.roles import Role, roles_of

# Each role lands on its work queue (issue 19), the first role held in this order deciding: discipline
# staff on their inbox (受理核实), the principal on 待批示, the officer on their records (overdue drafts
# first), the section head on their notices (overdue escalations come only as notices), the
# administrator on the holiday calendar (what the product owes them: next year's schedule; the Django
# admin is one link away in the bar).
LANDING: tuple[tuple[Role, str], ...] = (
    (Role.DISCIPLINE, "discipline:inbox"),
    (Role.PRINCIPAL, "discipline:principal_inbox"),
    (Role.OFFICER, "records:list"),
    (Role.SECTION_HEAD, "notifications:list"),
    (Role.ADMIN, "calendar:index"),
    (Role.SECURITY_ADMIN, "accounts:role_requests"),
    (Role.AUDITOR, "audit:trail"),
)


def landing_page(roles: frozenset[str]) -> str:
    """The URL name a user with `roles` lands on after signing in."""
    for role, url_name in LANDING:
        if role.value in roles:
            return url_name
    return "records:list"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect(landing_page(roles_of(request.user)))
