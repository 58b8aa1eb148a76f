"""Built-in help (使用说明): one short page per role, in Chinese, explaining the rules with their
articles. Public rules, so any signed-in user may read any role's page; their own come first."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cases.roles import Role, roles_of


@login_required
def help_index(request: HttpRequest) -> HttpResponse:
    mine = roles_of(request.user)
    roles = sorted(Role, key=lambda r: (r.value not in mine, list(Role).index(r)))
    return render(request, "help/index.html", {"roles": [(r, r.value in mine) for r in roles]})


@login_required
def help_role(request: HttpRequest, role: str) -> HttpResponse:
    if role not in Role.values:
        raise Http404
    return render(request, f"help/{role}.html", {"role": Role(role), "roles": list(Role)})
