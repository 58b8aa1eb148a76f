"""The role checks of the discipline pages, built on ``cases.decorators.role_required`` (404 for a user
without the role, the login page for anonymous users)."""

from cases.decorators import role_required
from cases.roles import Role

principal_required = role_required(Role.PRINCIPAL)
discipline_required = role_required(Role.DISCIPLINE)
officer_required = role_required(Role.OFFICER)
admin_required = role_required(Role.ADMIN)
admin_or_discipline_required = role_required(Role.ADMIN, Role.DISCIPLINE)
