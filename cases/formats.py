"""Dates as Chinese users read them (DESIGN §7): 2026年11月24日, without zero padding, in notices,
exports and anything else rendered outside a template (templates use the date filter "Y年n月j日")."""

import datetime as dt


def cn_date(day: dt.date) -> str:
    """2026年1月5日 for date(2026, 1, 5)."""
    return f"{day.year}年{day.month}月{day.day}日"
