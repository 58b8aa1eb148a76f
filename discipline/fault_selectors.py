"""The fault-accountability part of a person's integrity file (R-FILE with R-FAULT, R-TOL,
R-PETITION): enforcement errors they answer for (tolerated ones excluded, 004 第二十一条), tolerated
errors shown as such, and names cleared after false accusations (004 第二十五条). Only what the
user's discipline bodies handle."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from cases.models import Person

from . import fault_access as acc
from . import fault_rules as fr
from .models import FaultParticipant, ToleranceApplication


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
        FaultParticipant.objects.filter(person=person, case__in=acc.fault_cases_visible_to(user))
        .exclude(confirmed_share=fr.NONE)
        .exclude(confirmed_share="", suggested_share=fr.NONE)
        .select_related("case")
        .prefetch_related(Prefetch("case__tolerance_applications", queryset=granted, to_attr="granted"))
        .order_by("-case__occurred_on", "-id")
    )
    errors = [p for p in rows if not p.case.granted]
    tolerated = list(
        acc.tolerance_visible_to(user).filter(person=person, status=ToleranceApplication.Status.GRANTED).order_by("-decided_on", "-id")
    )
    cleared = list(acc.petitions_visible_to(user).filter(subject=person, cleared_on__isnull=False).order_by("-cleared_on", "-id"))
    return FaultFile(errors=errors, tolerated=tolerated, cleared=cleared)
