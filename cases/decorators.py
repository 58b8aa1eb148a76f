"""View decorators for role checks. A user without the role gets 404, like a missing object, so a
URL does not reveal what exists behind it."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from .roles import Role, roles_of


def role_required(*roles: Role):
    names = {r.value for r in roles}

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not names & roles_of(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
