"""The records app's models, for Django (which imports only ``<app>.models``), migrations and other
apps. Code inside a subpackage imports its own ``models`` module, never this one."""

from .calendar.models import CalendarRecompute, CalendarYear, HolidayOverride
from .notifications.models import Notification
from .record.models import Amendment, BehaviourCategory, Evidence, InterferenceRecord, evidence_path, evidence_storage
from .record.permissions import RecordGroupObjectPermission, RecordUserObjectPermission
from .zero_report.models import ZeroReport

__all__ = [
    "Amendment",
    "BehaviourCategory",
    "CalendarRecompute",
    "CalendarYear",
    "Evidence",
    "HolidayOverride",
    "InterferenceRecord",
    "Notification",
    "RecordGroupObjectPermission",
    "RecordUserObjectPermission",
    "ZeroReport",
    "evidence_path",
    "evidence_storage",
]
