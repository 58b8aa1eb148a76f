"""Reading the audit trail: every event, whoever's (the three administrators' and the auditor's own
included), filtered by time, type, actor and object. Never record content: an event's `data` is
shown only for the types cases itself declares (organisation, accounts, the system, this trail),
which cannot hold record fields since cases knows nothing of records; other apps' events show their
type, actor and object only, as the admin's AuditEventAdmin does."""

import datetime as dt
import json
from dataclasses import asdict, dataclass

from django.db.models import QuerySet
from django.utils import timezone

from cases.models import AuditEvent
from cases.vocabulary import audit_event_types

# Longest `data` summary shown or exported for one event.
SUMMARY_CHARS = 300


@dataclass(frozen=True)
class TrailFilter:
    """What the auditor searched for; every part optional. `end` is inclusive (a calendar day)."""

    start: dt.date | None = None
    end: dt.date | None = None
    type: str = ""
    actor: str = ""
    object_type: str = ""
    object_id: str = ""

    def described(self) -> dict[str, str]:
        """The filter as it goes into the audit event and the export's header (only the parts set)."""
        return {name: value.isoformat() if isinstance(value, dt.date) else value for name, value in asdict(self).items() if value}


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def trail_events(trail_filter: TrailFilter) -> QuerySet[AuditEvent]:
    """The events matching `trail_filter`, newest first, with their actors."""
    events = AuditEvent.objects.select_related("actor").order_by("-id")
    if trail_filter.start:
        events = events.filter(occurred_at__gte=_day_start(trail_filter.start))
    if trail_filter.end:
        events = events.filter(occurred_at__lt=_day_start(trail_filter.end + dt.timedelta(days=1)))
    if trail_filter.type:
        events = events.filter(type=trail_filter.type)
    if trail_filter.actor:
        events = events.filter(actor__username__icontains=trail_filter.actor)
    if trail_filter.object_type:
        events = events.filter(object_type=trail_filter.object_type)
    if trail_filter.object_id:
        events = events.filter(object_id=trail_filter.object_id)
    return events


def data_shown(event_type: str) -> bool:
    """Whether an event's `data` may be shown: only for the types declared by cases itself."""
    owner = audit_event_types.owner(event_type) or ""
    return owner.startswith("cases.")


def summary(event: AuditEvent) -> str:
    """The event's `data` as one line when it may be shown (see data_shown), else empty."""
    if not event.data or not data_shown(event.type):
        return ""
    text = json.dumps(event.data, ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1] + "…"


def actor_label(event: AuditEvent) -> str:
    if event.actor is None:
        return ""
    full_name = event.actor.get_full_name()
    return f"{event.actor.get_username()}（{full_name}）" if full_name else event.actor.get_username()
