"""Form fields shared by the apps."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

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
