"""Admin for the behaviour catalogue. Interference records and their evidence are deliberately not
registered: administrators do not read record content (DESIGN §1), and submitted records are never
edited."""

from django.contrib import admin

from .models import BehaviourCategory


@admin.register(BehaviourCategory)
class BehaviourCategoryAdmin(admin.ModelAdmin):
    """Items are deactivated, never deleted: old records point at them (R-CAT)."""

    list_display = ["code", "name", "sources", "is_active", "order"]
    list_editable = ["is_active", "order"]
    search_fields = ["name", "sources"]

    def has_delete_permission(self, request, obj=None):
        return False
