"""Reusable record selection. `visible_to` is the one visibility rule: every list, count and access
helper goes through it, so nothing counts what its reader may not open."""

from django.db import models

from .permissions import RecordGroupObjectPermission, RecordUserObjectPermission
from .rules import norm_name

VIEW_PERMISSION = "view_interferencerecord"


def person_of(user):
    """The user's Person (with its unit), or None: read once per user object and kept in Django's
    own cache of ``user.person``, so the visibility rule and the page header share one query."""
    from cases.models import Person

    relation = Person._meta.get_field("user").remote_field  # user.person
    if not relation.is_cached(user):
        relation.set_cached_value(user, Person.objects.select_related("unit").filter(user=user).first())
    return relation.get_cached_value(user)


def _view_permission():
    """The id of the record view permission, as a subquery the database runs once per query
    (cheaper to plan than a join to auth_permission in every existence check)."""
    from django.contrib.auth.models import Permission

    return models.Subquery(
        Permission.objects.filter(content_type__app_label="records", codename=VIEW_PERMISSION).order_by().values("pk")[:1]
    )


def _party_q(user) -> models.Q | None:
    """The records about `user`'s Person, or None when the user has no Person (then there are none).
    Names are compared in their stored form without white space (rules.norm_name, set by the services
    as `interferer_norm` / `behind_norm`), so "王 刚" and "王　刚" match the person 王刚."""
    person = person_of(user)
    if person is None:
        return None
    party = models.Q(interferer_id=person.pk) | models.Q(behind_person_id=person.pk)
    name = norm_name(person.name)
    if name:
        party |= models.Q(interferer_id__isnull=True, interferer_norm=name) | models.Q(behind_person_id__isnull=True, behind_norm=name)
    return party


class RecordQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RecordQuerySet":
        """Records `user` recorded or on which they hold the view grant, directly or through a group,
        less those about them (`exclude_parties`).

        Grants are made by services (the recorder on creation; discipline's routing, run through
        `records.hooks.record_submitted`, adds the principal and the discipline body). The recorder's own grant is made with the record and never revoked, so
        naming the recorder here changes no set; it makes `own` provably this rule restricted to the
        recorder. Global model permissions are deliberately ignored (guardian's
        accept_global_perms=False): holding `records.view_interferencerecord` on the model does not
        open every record.
        """
        if not getattr(user, "is_authenticated", False):
            return self.none()
        from django.contrib.auth import get_user_model

        permission = _view_permission()
        by_user = RecordUserObjectPermission.objects.filter(content_object=models.OuterRef("pk"), user_id=user.pk, permission_id=permission)
        groups = get_user_model().groups.through.objects.filter(user_id=user.pk).values("group_id")
        by_group = RecordGroupObjectPermission.objects.filter(
            content_object=models.OuterRef("pk"), group_id__in=groups, permission_id=permission
        )
        visible = self.filter(models.Q(recorder_id=user.pk) | models.Exists(by_user) | models.Exists(by_group))
        return visible.exclude_parties(user)

    def own(self, user) -> "RecordQuerySet":
        """The records `user` made, as the one visibility rule shows them to them: exactly
        `visible_to(user).recorded_by(user)` (there the recorder clause holds, so the grant checks
        add nothing), without the two permission subqueries that cost more to plan than the
        officer's own rows take to read (issue 10). The conflict-of-interest exclusion stays."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.recorded_by(user).exclude_parties(user)

    def exclude_parties(self, user) -> "RecordQuerySet":
        """Conflict of interest (000 第七条, 001 第六条: recorders are protected from the people they
        record): a user linked to the interferer, or to the leader behind an aide, relative or letter,
        never sees the record, its existence or its counts, whatever roles they hold (superusers
        included). Matched by registry link, and by written name where the record has no link."""
        party = _party_q(user)
        return self if party is None else self.exclude(party)

    def of_party(self, user) -> "RecordQuerySet":
        """Exactly the records `exclude_parties(user)` leaves out: those about `user` (as the
        interferer or the leader behind), by registry link or by written name."""
        party = _party_q(user)
        return self.none() if party is None else self.filter(party)

    def recorded_by(self, user) -> "RecordQuerySet":
        return self.filter(recorder_id=user.pk)

    def open(self) -> "RecordQuerySet":
        return self.filter(status="draft")

    def for_list(self) -> "RecordQuerySet":
        """What the officer's list shows (records/record_list.html), as plain values in one query:
        building a record and its case for each row would cost more than reading it (issue 10)."""
        return self.values(
            "id", "serial", "occurred_at", "channel", "interferer_name", "interferer_position", "status",
            "due_at", "submitted_at", "calendar_provisional", "matter", "case__number",
        )
