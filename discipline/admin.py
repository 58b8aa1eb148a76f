"""Admin of the self-inspection checklist (R-CAMPAIGN): the six areas of 003 §三 and their
questions, seeded by a migration and editable here. Every change is audited. A question that has
answers cannot be deleted (PROTECT); it is deactivated instead."""

from django.contrib import admin

from cases.audit import audit
from cases.models import AuditEvent

from .models import CampaignArea, CampaignQuestion


class _AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit(
            type=AuditEvent.Type.CAMPAIGN_CHECKLIST_CHANGED,
            actor=request.user,
            obj=obj,
            data={"action": "changed" if change else "added", "fields": sorted(form.changed_data)},
        )

    def delete_model(self, request, obj):
        audit(type=AuditEvent.Type.CAMPAIGN_CHECKLIST_CHANGED, actor=request.user, obj=obj, data={"action": "deleted", "text": str(obj)})
        super().delete_model(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Bulk deletion would bypass delete_model (and its audit); delete one at a time.
        return super().has_delete_permission(request, obj) and obj is not None


@admin.register(CampaignArea)
class CampaignAreaAdmin(_AuditedAdmin):
    list_display = ["number", "title"]


@admin.register(CampaignQuestion)
class CampaignQuestionAdmin(_AuditedAdmin):
    list_display = ["area", "number", "text", "active"]
    list_filter = ["area", "active"]
    list_editable = ["active"]
    list_select_related = ["area"]
    search_fields = ["text"]
