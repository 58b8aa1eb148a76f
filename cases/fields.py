"""Form fields shared by the apps."""

import datetime as dt

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from cases.roles import PICKER_ROLE_ORDER, Role, person_roles
from cases.widgets import FastSelect

# Dates outside this range mean a typing error here, and near the ends of Python's date range
# arithmetic (a day added, a time zone applied) would overflow.
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)


def check_date_range(value: dt.date | dt.datetime | None) -> None:
    if value is None:
        return
    day = value.date() if isinstance(value, dt.datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise forms.ValidationError(_("日期应在2000年1月1日至2099年12月31日之间。"), code="out_of_range")


class BoundedDateField(forms.DateField):
    """A date field that refuses dates outside 2000–2099 with a Chinese message."""

    default_validators = [check_date_range]


# The largest id a row can have: BigAutoField is a signed 64-bit integer on PostgreSQL and SQLite. A
# larger number typed into a URL or a form would overflow the query (a 500), so it is refused first.
MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """An id from a request (URL, query or form value): ASCII digits within 1..MAX_ID, else None.
    Unicode digits ("²", "١٢") are refused although int() accepts some of them."""
    text = str(value)
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text) if len(text) <= len(str(MAX_ID)) else 0
    return number if 1 <= number <= MAX_ID else None


def parse_ids(values) -> list[int]:
    """The valid ids among `values` (e.g. request.POST.getlist("id")); the others are dropped."""
    return [number for number in map(parse_id, values) if number is not None]


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows by id that refuses a number beyond the database's integer range as
    an invalid choice: Django's own check sends it to the database, where it overflows (a 500)."""

    default_error_messages = {"invalid_pk_value": _("“%(pk)s”不是有效的选项。")}

    def _check_values(self, value):
        for pk in value:
            try:
                out_of_range = abs(int(pk)) > MAX_ID
            except (TypeError, ValueError):
                continue  # not a number at all: Django's check refuses it
            if out_of_range:
                raise forms.ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk})
        return super()._check_values(value)


class _PeopleByRole(ModelChoiceIterator):
    """The people of a picker grouped by the role their account holds (执法人员 first), then those
    without an account or role ("人员库其他人员")."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[Role | None, list] = {}
        for person in self.queryset:
            roles = person_roles(self.field.group_names(person))
            groups.setdefault(roles[0] if roles else None, []).append(self.choice(person))
        for role in [*PICKER_ROLE_ORDER, None]:
            if role in groups:
                yield (str(role.label) if role else str(_("人员库其他人员（无系统角色）")), groups[role])


class PersonRoleChoiceField(forms.ModelChoiceField):
    """A person of the registry named by name, unit, position and the role their account actually
    holds — "张伟（执法一大队·执法人员）", "赵磊（驻局纪检监察组·纪检监察干部·纪检监察）" — and grouped by
    that role, so an administrator or a discipline officer is never offered as 执法人员 (issue 19).
    The queryset is read with the unit, the account and its groups (two queries in all)."""

    iterator = _PeopleByRole
    widget = FastSelect
    default_error_messages = {"invalid_choice": _("所选人员不在可选范围内，请重新选择。")}

    def _set_queryset(self, queryset):
        if queryset is not None:
            queryset = queryset.select_related("unit", "user").prefetch_related("user__groups")
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    @staticmethod
    def group_names(person) -> list[str]:
        user = person.user
        return [g.name for g in user.groups.all()] if user is not None and user.is_active else []

    def label_from_instance(self, obj):
        roles = "、".join(str(role.label) for role in person_roles(self.group_names(obj)))
        unit = obj.unit.name if obj.unit_id else ""
        # A position that already names the unit ("执法一大队大队长") is shown alone.
        parts = [p for p in ("" if unit and unit in obj.position else unit, obj.position, roles) if p]
        return f"{obj.name}（{'·'.join(parts)}）" if parts else obj.name
