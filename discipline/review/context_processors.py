"""The count on 待批示 in the navigation bar: one COUNT query, for principals only."""

from cases.roles import Role, roles_of
from discipline.review.selectors import principal_inbox


def work_counts(request):
    user = getattr(request, "user", None)
    if Role.PRINCIPAL.value not in roles_of(user):
        return {}
    # The very list 待批示 shows (pending), counted: the badge and the page cannot disagree.
    return {"pending_instructions": principal_inbox(user, show="pending").count()}
