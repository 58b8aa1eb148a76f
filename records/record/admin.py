"""Admin for the behaviour catalogue. Interference records and their evidence are deliberately not
registered: administrators do not read record content (DESIGN §1), and submitted records are never
edited."""

from django.contrib import admin

from cases.admin import AuditedAdmin

from .models import BehaviourCategory
from .services import behaviour_category_save


@admin.register(BehaviourCategory)
class BehaviourCategoryAdmin(AuditedAdmin):
    """Items are deactivated, never deleted: old records point at them (R-CAT). Edited one at a time
    (no list editing: each change is one audited service call)."""

    list_display = ["code", "name", "sources", "is_active", "order"]
    list_filter = ["is_active"]
    search_fields = ["name", "sources"]

    def save_with_service(self, request, obj, form, change):
        behaviour_category_save(category=obj, changed=list(form.changed_data), actor=request.user)

    def has_delete_permission(self, request, obj=None):
        return False
