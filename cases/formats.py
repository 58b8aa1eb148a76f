"""Dates as Chinese users read them (DESIGN §7): 2026年11月24日, without zero padding, in notices,
exports and anything else rendered outside a template (templates use the date filter "Y年n月j日")."""

import datetime as dt


def cn_date(day: dt.date) -> str:
    """2026年1月5日 for date(2026, 1, 5)."""
    return f"{day.year}年{day.month}月{day.day}日"


# The zh-hans formats of Django's locale, drawn without parsing the format on every call.
_FAST = {
    "Y年n月j日 H:i": lambda d: f"{cn_date(d)} {d.hour:02d}:{d.minute:02d}",
    "Y年n月j日": cn_date,
}


def date_formatter(name: str):
    """A function that formats a datetime exactly as the template filter ``date:name`` does in the
    active language and time zone. For a page that formats many dates: the format is looked up once,
    and the two zh-hans formats skip Django's format parser (40 dates cost ~3 ms through the filter)."""
    from django.utils import dateformat, timezone
    from django.utils.formats import get_format

    fmt = get_format(name)
    fast = _FAST.get(fmt)
    if fast is not None:
        return lambda value: fast(timezone.localtime(value))
    return lambda value: dateformat.format(timezone.localtime(value), fmt)
