"""Routing of a submitted record (R-ROUTE, 000 第六条, 001 第四条): who receives it, and the acting body of a user.
``record_route`` is called by records' ``record_submit`` inside its transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from cases.audit import audit
from cases.models import Person, Unit
from cases.roles import Role
from cases.selectors import bureau_of, discipline_staff
from discipline.common.bodies import body_codes_of, body_group, higher_body_of
from discipline.review import rules
from discipline.review.hooks import counted_record_changed
from discipline.review.models import Routing
from discipline.review.vocabulary import ReviewEvent
from records.models import InterferenceRecord

VIEW = "records.view_interferencerecord"



def _parties(record: InterferenceRecord) -> rules.RecordParties:
    return rules.RecordParties(record.interferer_id, record.interferer_name, record.behind_person_id, record.behind_name)



def principals_for(unit: Unit) -> list[tuple[int, rules.PrincipalFacts]]:
    """Active users in the principal group whose Person belongs to the bureau of `unit`."""
    rows = Person.objects.filter(
        unit=bureau_of(unit), user__is_active=True, user__groups__name=Role.PRINCIPAL.value
    ).values_list("user_id", "pk", "name")
    return [(user_id, rules.PrincipalFacts(person_id, name)) for user_id, person_id, name in rows]



def route_plan(record: InterferenceRecord, *, also_report_higher: bool) -> tuple[Unit | None, Unit | None, rules.Addressees | None]:
    """Who `record` goes to if submitted now (R-ROUTE, ``rules.route_addressees``): the recorder's
    discipline body, the higher-level body and the addressees; (None, None, None) without a body.
    Reads only: ``record_route`` acts on it, the confirmation page shows it."""
    unit = record.recorder_unit
    body = unit.effective_discipline_body()
    if body is None:
        return None, None, None
    higher = higher_body_of(unit)
    addressees = rules.route_addressees(
        discipline_body_id=body.pk,
        higher_body_id=higher.pk if higher else None,
        principals=principals_for(unit),
        parties=_parties(record),
        also_report_higher=also_report_higher,
        body_staff=[rules.PrincipalFacts(u.person.pk, u.person.name) for u in discipline_staff(body) if getattr(u, "person", None)],
    )
    return body, higher, addressees


@transaction.atomic
def record_route(*, record: InterferenceRecord, actor) -> list[Routing]:
    """Route a record that has just been submitted (R-ROUTE, see ``rules.route_addressees``): to the
    discipline body of the recorder's unit, to the principal leader for instruction unless they are
    implicated, and to the higher-level body when asked for or when the principal was withheld.
    Grants the view permission to each addressee. Called by ``records.services.record_submit``
    inside its transaction; running it twice adds nothing."""
    body, higher, addressees = route_plan(record, also_report_higher=record.also_report_higher)
    if body is None:
        raise ValidationError(_("您所在单位尚未设置受理纪检监察机构，无法报送，请联系管理员。"))
    routings: list[Routing] = []
    targets: list[tuple[str, Unit | None, Any]] = [(Routing.Role.DISCIPLINE, body, None)]
    if addressees.higher_body_id is not None:
        targets.append((Routing.Role.DISCIPLINE if addressees.higher_handles else Routing.Role.HIGHER, higher, None))
    users = get_user_model().objects.in_bulk(list(addressees.principal_user_ids))
    targets.extend((Routing.Role.PRINCIPAL, None, users[uid]) for uid in addressees.principal_user_ids)
    for role, target_body, user in targets:
        routing, _created = Routing.objects.get_or_create(record=record, role=role, body=target_body, user=user)
        assign_perm(VIEW, body_group(target_body) if target_body is not None else user, record)
        routings.append(routing)
    counted_record_changed.run(record=record)
    audit(
        type=ReviewEvent.RECORD_ROUTED,
        actor=actor,
        obj=record,
        data={
            "discipline_body": body.code,
            "higher_body": higher.code if addressees.higher_body_id else None,
            "principals": list(addressees.principal_user_ids),
            "principal_withheld": addressees.principal_excluded,
            "higher_handles": addressees.higher_handles,
            "also_report_higher": record.also_report_higher,
            "higher_unavailable": bool((record.also_report_higher or addressees.principal_excluded) and higher is None),
        },
    )
    return routings



def acting_body(record: InterferenceRecord, actor) -> Unit:
    """The discipline body through which `actor` handles `record`: the body it was routed to (role
    discipline) whose staff group `actor` is in. Higher-level bodies read, they do not handle."""
    codes = body_codes_of(actor)
    routing = (
        Routing.objects.filter(record=record, role=Routing.Role.DISCIPLINE, body__code__in=codes).select_related("body").first()
        if codes
        else None
    )
    if routing is None:
        raise ValidationError(_("您不是该记录受理纪检监察机构的工作人员。"))
    return routing.body
