"""Admin of the self-inspection checklist (R-CAMPAIGN): the six areas of 003 §三 and their
questions, seeded by a migration and editable here. Every change is audited. A question that has
answers cannot be deleted (PROTECT); it is deactivated instead."""

from django.contrib import admin

from cases.audit import audit
from cases.models import AuditEvent
from discipline.campaigns.models import CampaignArea, CampaignQuestion


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


# --- People: a change of level or of the linked user changes the figures of their records. --------

from cases.admin import PersonAdmin as _CasesPersonAdmin  # noqa: E402
from cases.models import Person  # noqa: E402
from discipline.reports.figures.cells import refresh_person  # noqa: E402

admin.site.unregister(Person)


@admin.register(Person)
class PersonAdmin(_CasesPersonAdmin):
    """The people registry's admin (cases) with the figure cells kept true: the dashboard and the
    reports count records by the interferer's and the recorder's level (discipline.reports.figures), so
    saving a person whose level or user changed refreshes the cells of their records."""

    def save_model(self, request, obj, form, change):
        before = Person.objects.filter(pk=obj.pk).values("level", "user_id").first() if change else None
        super().save_model(request, obj, form, change)
        if before is None or before["level"] != obj.level or before["user_id"] != obj.user_id:
            refresh_person(person_id=obj.pk, user_ids={before["user_id"] if before else None, obj.user_id})

    def delete_model(self, request, obj):
        person_id, user_id = obj.pk, obj.user_id
        super().delete_model(request, obj)
        refresh_person(person_id=person_id, user_ids={user_id})

    def delete_queryset(self, request, queryset):
        people = list(queryset.values_list("pk", "user_id"))
        super().delete_queryset(request, queryset)
        for person_id, user_id in people:
            refresh_person(person_id=person_id, user_ids={user_id})
