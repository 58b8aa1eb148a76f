"""Template context: the signed-in user's roles, so the menu shows what they can use."""

from .roles import Role, roles_of


def roles(request):
    names = roles_of(getattr(request, "user", None))
    return {"user_roles": names, "Role": Role}
