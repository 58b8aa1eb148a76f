"""Who sees and does what in a self-inspection campaign (R-CAMPAIGN), and the access helpers every
campaign view fetches its objects through (404 for missing and forbidden alike).

- Managers of a campaign: its lead group (领导小组), its creator, and the staff of the discipline
  body of its lead unit. They see the dashboard and every unit; only the lead group reopens.
- A participating unit's people (users whose Person belongs to the unit) answer its checklist and
  handle its rectification; the people of its checking unit (互查单位) see it and verify."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q, QuerySet
from django.http import Http404

from cases.audit import audit
from cases.roles import Role, has_role
from discipline.campaigns import rules
from discipline.campaigns.models import Campaign, CampaignFinding, CampaignReopening, CampaignUnit, Rectification
from discipline.campaigns.vocabulary import CampaignEvent
from discipline.common.bodies import body_codes_of
from discipline.common.http import parse_pk
from discipline.reports.models import ReportJob


def unit_id_of(user) -> int | None:
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    return person.unit_id if person is not None else None


def managed_campaigns(user) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return Campaign.objects.none()
    q = Q(leads=user) | Q(created_by=user)
    codes = body_codes_of(user)
    if codes:
        q |= Q(body__discipline_body__code__in=codes) | Q(body__code__in=codes)
    return Campaign.objects.filter(pk__in=Campaign.objects.filter(q).values("pk"))


def visible_parts(user) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return CampaignUnit.objects.none()
    q = Q(campaign__in=managed_campaigns(user))
    uid = unit_id_of(user)
    if uid is not None:
        q |= Q(unit_id=uid) | Q(checker_id=uid)
    return CampaignUnit.objects.filter(q)


def campaigns_visible_to(user) -> QuerySet:
    return Campaign.objects.filter(Q(pk__in=managed_campaigns(user).values("pk")) | Q(pk__in=visible_parts(user).values("campaign_id")))


def is_manager(campaign: Campaign, user) -> bool:
    return managed_campaigns(user).filter(pk=campaign.pk).exists()


def is_lead(campaign: Campaign, user) -> bool:
    return getattr(user, "is_authenticated", False) and campaign.leads.filter(pk=user.pk).exists()


def is_unit_member(part: CampaignUnit, user) -> bool:
    return unit_id_of(user) == part.unit_id


def is_checker(part: CampaignUnit, user) -> bool:
    return part.checker_id is not None and unit_id_of(user) == part.checker_id


def _get(qs, pk):
    try:
        return qs.get(pk=parse_pk(pk))
    except qs.model.DoesNotExist:
        raise Http404 from None


def access_managed_campaign(user, pk) -> Campaign:
    """A campaign `user` manages (dashboard, reopening, mechanisms, report)."""
    return _get(managed_campaigns(user).select_related("body", "created_by__person"), pk)


def access_campaign_job(user, pk, *, done: bool = False) -> ReportJob:
    """A campaign report job `user` asked for while they still manage the campaign (its progress, or
    with `done` its finished PDF); 404 for any other."""
    jobs = ReportJob.objects.filter(kind=ReportJob.Kind.CAMPAIGN, requested_by=user, campaign__in=managed_campaigns(user))
    if done:
        jobs = jobs.filter(status=ReportJob.Status.DONE)
    return _get(jobs.select_related("campaign"), pk)


def access_part(user, pk) -> CampaignUnit:
    return _get(visible_parts(user).select_related("campaign__body", "unit", "checker"), pk)


def access_finding(user, pk) -> CampaignFinding:
    return _get(
        CampaignFinding.objects.filter(part__in=visible_parts(user)).select_related("part__campaign", "part__unit", "area", "answer"), pk
    )


def access_rectification(user, pk) -> Rectification:
    return _get(
        Rectification.objects.filter(finding__part__in=visible_parts(user)).select_related(
            "finding__part__campaign", "finding__part__unit", "finding__part__checker", "finding__area", "responsible__unit",
            "verified_by__person",
        ),
        pk,
    )  # fmt: skip


def access_rectification_evidence(user, pk) -> Rectification:
    """The rectification item whose evidence `user` downloads; the download is audited."""
    item = access_rectification(user, pk)
    if not item.evidence:
        raise Http404
    audit(type=CampaignEvent.RECTIFICATION_EVIDENCE_DOWNLOADED, actor=user, obj=item, data={"sha256": item.evidence_sha256})
    return item


def may_create(user) -> bool:
    """An administrator or a discipline user creates campaigns (issue 9)."""
    return has_role(user, Role.ADMIN) or has_role(user, Role.DISCIPLINE)


def reopened_until(part: CampaignUnit) -> dt.date | None:
    """The latest date to which the lead reopened the self-check for this unit (or for all)."""
    return CampaignReopening.objects.filter(Q(part=part) | Q(part__isnull=True), campaign_id=part.campaign_id).aggregate(m=Max("until"))[
        "m"
    ]


def answer_allowed(part: CampaignUnit, today: dt.date) -> bool:
    return rules.answer_allowed(part.campaign.timetable(), today, reopened_until(part))
