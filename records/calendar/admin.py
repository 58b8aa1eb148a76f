"""Admin for the working-day calendar: overrides change through the calendar services (audited,
deadlines recomputed); a year's schedule is entered on the calendar page only."""

from django.contrib import admin

from cases.admin import ReadOnlyAdminMixin

from . import services
from .models import CalendarYear, HolidayOverride


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "note", "source", "entered_by", "entered_at"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
    exclude = ["entered_by"]

    def save_model(self, request, obj, form, change):
        previous = HolidayOverride.objects.filter(pk=obj.pk).values_list("date", flat=True).first() if change else None
        services.holiday_override_save(override=obj, actor=request.user, previous_date=previous)

    def delete_model(self, request, obj):
        services.holiday_override_delete(override=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.holiday_override_delete(override=obj, actor=request.user)


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only here: a year's schedule is entered on the calendar page (节假日安排) with all its
    holidays at once, so a year can never be marked official without them."""

    list_display = ["year", "source", "entered_by", "entered_at"]
    readonly_fields = ["year", "source", "entered_by", "entered_at"]
