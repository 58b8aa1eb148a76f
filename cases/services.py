"""Services over the organisation: units, people and cases as administrators edit them.

A unit's discipline body decides where records are routed, a person's user link decides conflict of
interest, a case's unit decides who may pick it: each save and delete is one transaction with one
audit event naming the fields changed and their new values (never record content: these models hold
none). Upper apps that keep derived data (discipline's figure cells count records by people's
levels) listen on `person_changed`."""

from django.db import models, transaction

from .audit import audit
from .hooks import Hook
from .models import Case, Person, Unit
from .vocabulary import OrganisationEvent

# Called as listener(person_id=..., user_ids={...}) inside the transaction, after a person is saved
# or deleted (user_ids: the linked accounts before and after).
person_changed = Hook("person_changed")


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set, models.QuerySet)):
        return sorted(_plain(item) for item in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def changed_values(obj: models.Model, changed: list[str], m2m: dict | None = None) -> dict:
    """The new values of `changed` fields (foreign keys and many-to-many by id), for an audit event."""
    m2m = m2m or {}
    model_fields = {field.name for field in obj._meta.get_fields()}
    values = {}
    for name in changed:
        if name not in model_fields:  # form-only fields (password1, usable_password)
            continue
        if name in m2m:
            values[name] = _plain(m2m[name])
        else:
            field = obj._meta.get_field(name)
            values[name] = _plain(getattr(obj, field.attname, None))
    return values


def _save(obj: models.Model, *, changed: list[str], actor, event: str, m2m: dict | None = None) -> models.Model:
    created = obj.pk is None
    obj.save()
    for name, value in (m2m or {}).items():
        getattr(obj, name).set(value)
    audit(type=event, actor=actor, obj=obj, data={"created": created, "changed": changed_values(obj, changed, m2m)})
    return obj


def _delete(obj: models.Model, *, actor, event: str) -> None:
    audit(type=event, actor=actor, obj=obj, data={"name": str(obj)})
    obj.delete()


@transaction.atomic
def unit_save(*, unit: Unit, changed: list[str], actor) -> Unit:
    return _save(unit, changed=changed, actor=actor, event=OrganisationEvent.UNIT_SAVED)


@transaction.atomic
def unit_delete(*, unit: Unit, actor) -> None:
    _delete(unit, actor=actor, event=OrganisationEvent.UNIT_DELETED)


@transaction.atomic
def person_save(*, person: Person, changed: list[str], actor) -> Person:
    before = Person.objects.filter(pk=person.pk).values_list("user_id", flat=True).first() if person.pk else None
    _save(person, changed=changed, actor=actor, event=OrganisationEvent.PERSON_SAVED)
    if {"level", "user"} & set(changed) or before != person.user_id:
        person_changed.run(person_id=person.pk, user_ids={before, person.user_id} - {None})
    return person


@transaction.atomic
def person_delete(*, person: Person, actor) -> None:
    person_id, user_id = person.pk, person.user_id
    _delete(person, actor=actor, event=OrganisationEvent.PERSON_DELETED)
    person_changed.run(person_id=person_id, user_ids={user_id} - {None})


@transaction.atomic
def case_save(*, case: Case, changed: list[str], handling_officers=None, actor) -> Case:
    m2m = {"handling_officers": handling_officers} if handling_officers is not None else None
    return _save(case, changed=changed, actor=actor, event=OrganisationEvent.CASE_SAVED, m2m=m2m)


@transaction.atomic
def case_delete(*, case: Case, actor) -> None:
    _delete(case, actor=actor, event=OrganisationEvent.CASE_DELETED)
