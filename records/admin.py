"""Admin entry point: Django imports ``<app>.admin``; each subdomain registers its own models."""

from .calendar import admin as calendar_admin  # noqa: F401 - registers HolidayOverride, CalendarYear
from .record import admin as record_admin  # noqa: F401 - registers BehaviourCategory
