"""The fault-accountability part of a person's integrity file (R-FILE with R-FAULT, R-TOL,
R-PETITION): enforcement errors they answer for (tolerated ones excluded, 004 第二十一条), tolerated
errors shown as such, and names cleared after false accusations (004 第二十五条). Only what the
user's discipline bodies handle."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from cases.models import Person, Unit
from discipline.faults import access, rules
from discipline.faults.models import FaultCase, FaultParticipant, ToleranceApplication


@dataclass
class FaultFile:
    errors: list  # FaultParticipant rows of fault cases counted as enforcement errors
    tolerated: list  # granted ToleranceApplication rows
    cleared: list  # Petition rows with the name cleared

    @property
    def error_count(self) -> int:
        return len(self.errors)


def fault_file(user, person: Person) -> FaultFile:
    granted = ToleranceApplication.objects.filter(status=ToleranceApplication.Status.GRANTED).only("id", "fault_case_id", "status")
    rows = list(
        FaultParticipant.objects.filter(person=person, case__in=access.fault_cases_visible_to(user))
        .exclude(confirmed_share=rules.NONE)
        .exclude(confirmed_share="", suggested_share=rules.NONE)
        .select_related("case")
        .prefetch_related(Prefetch("case__tolerance_applications", queryset=granted, to_attr="granted"))
        .order_by("-case__occurred_on", "-id")
    )
    errors = [p for p in rows if not p.case.granted]
    tolerated = list(
        access.tolerance_visible_to(user).filter(person=person, status=ToleranceApplication.Status.GRANTED).order_by("-decided_on", "-id")
    )
    cleared = list(access.petitions_visible_to(user).filter(subject=person, cleared_on__isnull=False).order_by("-cleared_on", "-id"))
    return FaultFile(errors=errors, tolerated=tolerated, cleared=cleared)


def enforcement_errors(qs: QuerySet | None = None) -> QuerySet:
    """Fault cases counted as enforcement errors: every fault case except those linked to a granted
    tolerance application (004 第二十一条 "不作为执法错误认定")."""
    qs = FaultCase.objects.all() if qs is None else qs
    granted = ToleranceApplication.objects.filter(status=ToleranceApplication.Status.GRANTED, fault_case__isnull=False)
    return qs.exclude(pk__in=granted.values("fault_case_id"))



def error_count_of(person: Person) -> int:
    """Enforcement errors a person is responsible for (a share other than none), tolerated excluded."""
    involved = FaultParticipant.objects.filter(person=person).exclude(confirmed_share=rules.NONE)
    involved = involved.exclude(confirmed_share="", suggested_share=rules.NONE)
    return enforcement_errors().filter(pk__in=involved.values("case_id")).count()



def recurring_for_body(body: Unit, *, today: dt.date, threshold: int | None = None) -> dict:
    """004 第二十四条: kinds and fields of enforcement errors recurring in the units of `body` within
    12 months (tolerated errors excluded), with the cases behind each flag."""
    cases = list(
        enforcement_errors(FaultCase.objects.filter(body=body, occurred_on__gt=today - rules.RECURRENCE_WINDOW, occurred_on__lte=today))
        .only("pk", "occurred_on", "fault_types", "error_field", "act")
        .order_by("occurred_on", "pk")
    )
    # 004 第二十四条 names no number: the threshold is a setting (RECURRING_ERROR_THRESHOLD, default 3).
    threshold = threshold or settings.RECURRING_ERROR_THRESHOLD
    flags = rules.recurring_errors(((c.occurred_on, c.error_kind, c.error_field) for c in cases), today=today, threshold=threshold)
    out = {}
    for (dim, value), n in sorted(flags.items()):
        label = rules.FAULT_TYPES.get(value, value) if dim == "kind" else _("执法领域：%(f)s") % {"f": value}
        listed = [c for c in cases if (c.error_kind if dim == "kind" else c.error_field) == value]
        out[(dim, value)] = {"label": label, "count": n, "cases": listed}
    return out
