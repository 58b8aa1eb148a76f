"""Access helpers of the organisation app: one per model, answering 404 for a missing object and a
forbidden one alike (nothing tells an outsider what exists)."""

from django.http import Http404

from .accounts import may_grant_roles
from .models import RoleRequest


def access_role_request(user, role_request_id: int) -> RoleRequest:
    """A role request, for a 安全保密管理员 (the one who decides it), never for the account it names."""
    if not may_grant_roles(user):
        raise Http404
    role_request = RoleRequest.objects.select_related("user", "requested_by", "decided_by").filter(pk=role_request_id).exclude(user=user).first()
    if role_request is None:
        raise Http404
    return role_request
