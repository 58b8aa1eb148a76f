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
