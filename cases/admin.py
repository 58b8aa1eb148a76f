from django.contrib import admin

from .models import AuditEvent, Case, Person, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "discipline_body"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "discipline_body"]
    list_select_related = ["parent", "discipline_body"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "level", "unit", "is_leading_cadre", "user"]
    list_filter = ["is_leading_cadre", "level"]
    search_fields = ["name", "position"]
    autocomplete_fields = ["unit", "user"]
    list_select_related = ["unit", "user"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "unit", "stage", "opened_on", "closed_on"]
    list_filter = ["stage"]
    search_fields = ["number", "title", "party"]
    autocomplete_fields = ["unit", "handling_officers"]
    list_select_related = ["unit"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit events are never edited or deleted. Only the event type and object are listed;
    `data` may hold record fields, which administrators do not read."""

    list_display = ["occurred_at", "type", "actor", "object_type", "object_id"]
    list_filter = ["type"]
    fields = ["occurred_at", "type", "actor", "object_type", "object_id"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
