"""Reads of self-inspection campaigns (R-CAMPAIGN): the figures of the dashboard and of the summary
report, from one function, in a constant number of queries whatever the number of units, findings
and items."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from discipline.campaigns import rules
from discipline.campaigns.models import Campaign, CampaignAnswer, CampaignArea, CampaignFinding, CampaignQuestion, Rectification


@dataclass
class Row:
    """Counts of one unit or one area."""

    label: str
    pk: int = 0
    answered: int = 0
    problems: int = 0
    findings: int = 0
    items: int = 0
    completed: int = 0
    verified: int = 0
    overdue: int = 0
    submitted: bool = False
    checker: str = ""
    expected: int = 0  # answers due: questions (for a unit), or units × the area's questions (for an area)

    @property
    def completion_rate(self) -> str:
        return rules.format_rate(rules.rate(self.completed, self.items))


@dataclass
class CampaignFigures:
    campaign: Campaign
    today: dt.date
    questions: int
    units: list[Row]
    areas: list[Row]
    total: Row
    overdue_items: list[Rectification]
    mechanisms: list = field(default_factory=list)

    @property
    def participating(self) -> int:
        return len(self.units)

    @property
    def submitted(self) -> int:
        return sum(1 for r in self.units if r.submitted)

    @property
    def fully_answered(self) -> int:
        return sum(1 for r in self.units if self.questions and r.answered >= self.questions)

    @property
    def established(self) -> int:
        return sum(1 for m in self.mechanisms if m.established)


def _item_counts(today: dt.date) -> dict:
    return {
        "items": Count("id"),
        "completed": Count("id", filter=Q(completed_on__isnull=False)),
        "verified": Count("id", filter=Q(verification=Rectification.Verification.PASSED)),
        "overdue": Count("id", filter=Q(completed_on__isnull=True, deadline__lt=today)),
    }


def campaign_figures(campaign: Campaign, *, today: dt.date, overdue_limit: int | None = None) -> CampaignFigures:
    """Participation, answers, findings and rectification by unit and by area, totals, the overdue
    items (open past their deadline, oldest first) and the §四 mechanisms. Eight queries."""
    parts = list(campaign.units.select_related("unit", "checker").order_by("unit__code"))
    per_area = dict(CampaignQuestion.objects.filter(active=True).values("area_id").annotate(n=Count("id")).values_list("area_id", "n"))
    questions = sum(per_area.values())
    areas = list(CampaignArea.objects.order_by("number"))
    units = {
        p.pk: Row(p.unit.name, p.pk, submitted=p.selfcheck_submitted_at is not None, checker=p.checker.name if p.checker else "", expected=questions)
        for p in parts
    }
    by_area = {a.pk: Row(f"{a.number}. {a.title}", a.pk, expected=len(parts) * per_area.get(a.pk, 0)) for a in areas}
    answers = (
        CampaignAnswer.objects.filter(part__campaign=campaign, question__active=True)
        .values("part_id", "question__area_id")
        .annotate(n=Count("id"), p=Count("id", filter=Q(result=rules.PROBLEM)))
    )
    for a in answers:
        for row in (units[a["part_id"]], by_area[a["question__area_id"]]):
            row.answered += a["n"]
            row.problems += a["p"]
    for f in CampaignFinding.objects.filter(part__campaign=campaign).values("part_id", "area_id").annotate(n=Count("id")):
        units[f["part_id"]].findings += f["n"]
        by_area[f["area_id"]].findings += f["n"]
    items = (
        Rectification.objects.filter(finding__part__campaign=campaign)
        .values("finding__part_id", "finding__area_id")
        .annotate(**_item_counts(today))
    )
    for i in items:
        for row in (units[i["finding__part_id"]], by_area[i["finding__area_id"]]):
            for key in ("items", "completed", "verified", "overdue"):
                setattr(row, key, getattr(row, key) + i[key])
    total = Row(_("合计"))
    for row in units.values():
        for key in ("answered", "problems", "findings", "items", "completed", "verified", "overdue"):
            setattr(total, key, getattr(total, key) + getattr(row, key))
    overdue = (
        Rectification.objects.filter(finding__part__campaign=campaign, completed_on__isnull=True, deadline__lt=today)
        .select_related("finding__part__unit", "finding__area", "responsible")
        .order_by("deadline", "id")
    )
    return CampaignFigures(
        campaign=campaign,
        today=today,
        questions=questions,
        units=list(units.values()),
        areas=list(by_area.values()),
        total=total,
        overdue_items=list(overdue[:overdue_limit] if overdue_limit else overdue),
        mechanisms=list(campaign.mechanisms.order_by("key")),
    )


def checklist_for(part, *, questions=None) -> list[dict]:
    """The checklist grouped by area with this unit's answers and their findings (two queries; one
    when the caller already holds the active questions, in area and number order)."""
    answers = {a.question_id: a for a in CampaignAnswer.objects.filter(part=part).select_related("finding")}
    if questions is None:
        questions = CampaignQuestion.objects.filter(active=True).select_related("area").order_by("area__number", "number")
    groups: dict[int, dict] = {}
    for q in questions:
        group = groups.setdefault(q.area_id, {"area": q.area, "rows": []})
        group["rows"].append({"question": q, "answer": answers.get(q.pk)})
    return list(groups.values())
