"""Admin for the calendar and the catalogue. Interference records and their evidence are deliberately
not registered: administrators do not read record content (DESIGN §1), and submitted records are
never edited."""

from django.contrib import admin

from . import services
from .models import BehaviourCategory, CalendarYear, HolidayOverride


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "note", "source", "entered_by", "entered_at"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
    exclude = ["entered_by"]

    def save_model(self, request, obj, form, change):
        services.holiday_override_save(override=obj, actor=request.user)

    def delete_model(self, request, obj):
        services.holiday_override_delete(override=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.holiday_override_delete(override=obj, actor=request.user)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "entered_by", "entered_at"]
    exclude = ["entered_by"]

    def save_model(self, request, obj, form, change):
        services.calendar_year_save(calendar_year=obj, actor=request.user)


@admin.register(BehaviourCategory)
class BehaviourCategoryAdmin(admin.ModelAdmin):
    """Items are deactivated, never deleted: old records point at them (R-CAT)."""

    list_display = ["code", "name", "sources", "is_active", "order"]
    list_editable = ["is_active", "order"]
    search_fields = ["name", "sources"]

    def has_delete_permission(self, request, obj=None):
        return False
