"""The reminder-sweep step of self-inspection campaigns (R-CAMPAIGN, R-REMIND): rectification
deadlines (003 §三 "落实整改责任和整改时限").

- before: the person responsible is reminded at 09:00 of the third-last working day up to the
  deadline (``campaign_rules.reminder_at``);
- after: once the deadline day has ended with the item open, the head of the unit (its section
  heads, ``cases.selectors.section_heads_for``) and the campaign's lead group are told.

Each notice is sent once (``notification_send`` is unique per recipient, kind and key). A failed
verification reopens the item and starts a new round: the sweep reminds and escalates it again,
with the person responsible among those told. The sweep
reads only open items whose deadline is near and that have not been escalated yet (partial index
``rectification_notice_idx``), and records the step sent in ``Rectification.notice_step``."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from cases.formats import cn_date
from cases.selectors import section_heads_for
from discipline.campaigns import rules
from discipline.campaigns.models import Rectification
from discipline.campaigns.vocabulary import CampaignNotice
from records.calendar.dates import local_date
from records.calendar.workdays import WorkCalendar
from records.notifications.services import notification_send

# Reminders start at most this many calendar days before a deadline (three working days never span more).
LOOKAHEAD_DAYS = 14
_STEP_ORDER = {"": 0, "soon": 1, "overdue": 2}



def campaign_reminders(*, now: dt.datetime) -> int:
    today = local_date(now)
    items = list(
        Rectification.objects.filter(completed_on__isnull=True, deadline__lte=today + dt.timedelta(days=LOOKAHEAD_DAYS))
        .exclude(notice_step="overdue")
        .select_related("responsible__user", "finding__part__campaign", "finding__part__unit")
        .order_by("deadline", "id")
    )
    if not items:
        return 0
    cal = WorkCalendar.covering([i.deadline for i in items], before=30, after=1)
    heads: dict[int, list] = {}
    leads: dict[int, list] = {}
    sent = 0
    for item in items:
        step = rules.notice_step(deadline=item.deadline, completed=False, now=now, cal=cal)
        if step is None or _STEP_ORDER[step] <= _STEP_ORDER[item.notice_step]:
            continue
        part = item.finding.part
        campaign = part.campaign
        link = reverse("discipline:rectification", args=[item.pk])
        failed = item.verification == Rectification.Verification.FAILED
        key = f"rect:{item.pk}:{item.deadline.isoformat()}:{step}"
        if failed:
            # Each failed verification opens a new round of notices (the earlier round's keys are spent).
            key += f":v{item.verified_at:%Y%m%d%H%M%S}"
        if step == "soon":
            recipients = [item.responsible.user] if item.responsible.user_id else []
            title = _("专项行动整改事项应于%(due)s前完成") % {"due": cn_date(item.deadline)}
            kind = CampaignNotice.CAMPAIGN_DEADLINE
        else:
            if part.unit_id not in heads:
                heads[part.unit_id] = section_heads_for(part.unit)
            if campaign.pk not in leads:
                leads[campaign.pk] = list(campaign.leads.filter(is_active=True))
            recipients = list({u.pk: u for u in heads[part.unit_id] + leads[campaign.pk]}.values())
            if failed and item.responsible.user_id:
                # The person responsible must redo the work, so they are told as well.
                recipients = list({u.pk: u for u in [item.responsible.user, *recipients]}.values())
            title = (
                _("%(unit)s的专项行动整改事项验收未通过，逾期未完成（时限%(due)s，责任人%(who)s）") if failed
                else _("%(unit)s的专项行动整改事项逾期未完成（时限%(due)s，责任人%(who)s）")
            ) % {"unit": part.unit.name, "due": cn_date(item.deadline), "who": item.responsible.name}  # fmt: skip
            kind = CampaignNotice.CAMPAIGN_OVERDUE
        for user in recipients:
            if notification_send(recipient=user, kind=kind, key=key, title=title, body=item.measure[:500], link=link):
                sent += 1
        # Only the round read above: if the item was completed and failed verification again meanwhile,
        # its reset notice_step stands and the next sweep escalates the new round.
        Rectification.objects.filter(
            pk=item.pk, completed_on__isnull=True, verification=item.verification, verified_at=item.verified_at
        ).update(notice_step=step)
    return sent
