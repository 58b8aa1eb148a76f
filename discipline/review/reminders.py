"""Who learns what waits for them along the review chain (R-ROUTE "every recipient is told"; issue 19):

- on submission, the principal routed for 批示 (002 第五条) and the staff of a higher-level body the
  record was routed to, through records' ``submission_notices`` hook, in the same sweep step that tells
  the recorder's discipline body (so a broker outage loses nothing);
- the recorder, when their record is received, verified, handled and instructed on: the step and
  its conclusion only, never the findings, the decision's text, or the 批示's text;
- before submitting, the recorder sees who the record will go to (``submission_preview``).

Each notice is sent once (``notification_send`` is unique per recipient, kind and key). Nobody party
to the record (the interferer, the leader behind them) is told: routing leaves them out, and every
send checks ``is_party`` again.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cases.formats import cn_date
from cases.models import Person
from cases.selectors import discipline_staff
from discipline.review.models import Handling, Review, Routing
from discipline.review.routing import route_plan
from discipline.review.vocabulary import ReviewNotice
from records.calendar.dates import local_date
from records.hooks import Addressee
from records.models import InterferenceRecord
from records.notifications.services import notification_send
from records.record.access import is_party
from records.record.reminders import display_name, notify_submission_to, record_link

Kind = ReviewNotice


def notify_submission_addressees(*, record: InterferenceRecord) -> int:
    """The notices of a submission beyond the recorder's own discipline body: each principal routed
    for 批示 (kind ``instruction_requested``) and the staff of a higher-level body (kind ``submitted``,
    so a member of both bodies is told once)."""
    sent = 0
    own_body = record.recorder_unit.effective_discipline_body()  # told by records' own step
    routings = Routing.objects.filter(record=record).exclude(role=Routing.Role.DISCIPLINE, body=own_body).select_related("user__person", "body")
    for routing in routings:
        if routing.role == Routing.Role.PRINCIPAL:
            if is_party(routing.user, record):
                continue
            sent += notification_send(
                recipient=routing.user, kind=Kind.INSTRUCTION_REQUESTED, key=str(record.pk),
                title=_("请阅批：记录 %(serial)s") % {"serial": record.serial},
                body=_("%(unit)s %(officer)s 报送了一条干预过问记录，呈报您批示（赤峰002第五条）。") % {
                    "unit": record.recorder_unit.name, "officer": display_name(record.recorder)},
                link=reverse("discipline:principal_instruct", args=[record.pk]), record=record,
            ) is not None  # fmt: skip
        elif routing.body_id is not None:
            sent += notify_submission_to(record, discipline_staff(routing.body))
    return sent


def tell_after_commit(notify: Callable[..., None], **kwargs) -> None:
    """Send a notice once the service's transaction has committed, worded in the site's language
    (not the language of whoever triggered it)."""

    def send() -> None:
        with translation.override(settings.LANGUAGE_CODE):
            notify(**kwargs)

    transaction.on_commit(send)


def _recorder_notice(record_id: int, *, kind: str, key: str, title: str, body: str) -> None:
    record = InterferenceRecord.objects.select_related("recorder__person").get(pk=record_id)
    if is_party(record.recorder, record):
        return
    notification_send(recipient=record.recorder, kind=kind, key=key, title=title, body=body, link=record_link(record), record=record)


def notify_recorder_received(*, record: InterferenceRecord, body_name: str, received_at) -> None:
    _recorder_notice(
        record.pk, kind=Kind.RECORD_RECEIVED, key=str(record.pk),
        title=_("您报送的记录 %(serial)s 已签收") % {"serial": record.serial},
        body=_("%(body)s已于%(date)s签收，将进行核实。") % {"body": body_name, "date": cn_date(local_date(received_at))},
    )  # fmt: skip


def notify_recorder_verified(*, record: InterferenceRecord, conclusion: str) -> None:
    label = Review.Conclusion(conclusion).label
    # The conclusion only: the findings may name people and facts the recorder was not party to.
    _recorder_notice(
        record.pk, kind=Kind.RECORD_VERIFIED, key=str(record.pk),
        title=_("您报送的记录 %(serial)s 已核实") % {"serial": record.serial},
        body=_("核实结论：%(conclusion)s。") % {"conclusion": label},
    )  # fmt: skip


def notify_recorder_handled(*, record: InterferenceRecord, kind: str) -> None:
    # How it was handled, not the decision's text nor any sanction.
    _recorder_notice(
        record.pk, kind=Kind.RECORD_HANDLED, key=str(record.pk),
        title=_("您报送的记录 %(serial)s 已作出处理决定") % {"serial": record.serial},
        body=_("处理方式：%(kind)s。") % {"kind": Handling.Kind(kind).label},
    )  # fmt: skip


def notify_recorder_instructed(*, record: InterferenceRecord, instruction_id: int, given_at) -> None:
    # That a 批示 was given and when; its text goes to the discipline body that carries it out.
    _recorder_notice(
        record.pk, kind=Kind.INSTRUCTION_GIVEN, key=str(instruction_id),
        title=_("主要领导已对记录 %(serial)s 作出批示") % {"serial": record.serial},
        body=_("主要领导已于%(date)s作出批示，由纪检监察机构依批示办理。") % {"date": cn_date(local_date(given_at))},
    )  # fmt: skip


def submission_preview(*, record: InterferenceRecord) -> list[Addressee]:
    """Who `record` goes to if submitted now, by name (the confirmation page, before 确认报送). The
    higher-level body appears when it receives the record whatever the officer ticks (a principal
    withheld, a body member implicated); the optional report to it is offered by the form."""
    body, higher, addressees = route_plan(record, also_report_higher=False)
    if body is None:
        return []
    shown = [Addressee(_("受理、核实"), body.name)]
    leaders = Person.objects.filter(user_id__in=addressees.principal_user_ids).order_by("name").values_list("position", "name")
    shown += [Addressee(_("批示"), f"{position} {name}".strip()) for position, name in leaders]
    if addressees.principal_excluded:
        shown.append(Addressee(_("批示"), _("不呈报主要领导（其本人或其背后领导干部是本记录的过问人）")))
    if higher is not None:
        required = addressees.higher_body_id is not None
        shown.append(Addressee(_("同时报送") if required else _("勾选后同时报送"), higher.name, optional=not required))
    return shown

