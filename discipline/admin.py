"""Admin of the self-inspection checklist (R-CAMPAIGN): the six areas of 003 §三 and their
questions, seeded by a migration and editable here. Every change goes through the campaigns
services (audited). A question that has answers cannot be deleted (PROTECT); it is deactivated
instead."""

from django.contrib import admin

from cases.admin import AuditedAdmin
from discipline.campaigns.models import CampaignArea, CampaignQuestion
from discipline.campaigns.services import campaign_checklist_delete, campaign_checklist_save


class _ChecklistAdmin(AuditedAdmin):
    def save_with_service(self, request, obj, form, change):
        campaign_checklist_save(item=obj, changed=list(form.changed_data), actor=request.user)

    def delete_with_service(self, request, obj):
        campaign_checklist_delete(item=obj, actor=request.user)


@admin.register(CampaignArea)
class CampaignAreaAdmin(_ChecklistAdmin):
    list_display = ["number", "title"]


@admin.register(CampaignQuestion)
class CampaignQuestionAdmin(_ChecklistAdmin):
    list_display = ["area", "number", "text", "active"]
    list_filter = ["area", "active"]
    list_select_related = ["area"]
    search_fields = ["text"]
