import datetime as dt

import pytest

from cases.formats import cn_date


@pytest.mark.parametrize(
    ("day", "text"),
    [(dt.date(2026, 11, 24), "2026年11月24日"), (dt.date(2027, 1, 6), "2027年1月6日"), (dt.date(2026, 10, 8), "2026年10月8日")],
)
def test_cn_date_has_no_zero_padding(day, text):
    assert cn_date(day) == text
