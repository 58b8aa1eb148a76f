"""Server-side SVG charts (no JavaScript, no CDN): pure geometry from figures, rendered by templates
so labels are escaped. Horizontal bars for categories, grouped bars for the monthly trend."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.translation import gettext as _

BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 190
CHART_WIDTH = 640
# A dashboard chart draws at most this many bars (the largest); the .xlsx export lists every row.
DASHBOARD_BARS = 30


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    href: str
    y: int
    width: int
    text_y: int


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    label_width: int
    width: int
    title: str


def bar_chart(title: str, figures, base_url: str, base_params: dict[str, str], limit: int | None = None) -> BarChart:
    """Bars scaled to the largest count; each links to the ledger filtered by the base filters plus
    the figure's own. With `limit`, at most that many bars, the largest, and the title says so (a
    national chart by unit would otherwise draw thousands of bars)."""
    if limit is not None and len(figures) > limit:
        top_n = _("前%(n)s项") % {"n": limit}
        title = f"{title}（{top_n}）"
        figures = sorted(figures, key=lambda f: -f.count)[:limit]
    top = max((f.count for f in figures), default=0) or 1
    span = CHART_WIDTH - LABEL_WIDTH - 60
    bars = []
    for i, f in enumerate(figures):
        y = i * (BAR_HEIGHT + BAR_GAP)
        params = {**base_params, **f.params}
        bars.append(Bar(f.label, f.count, f"{base_url}?{urlencode(params)}", y, max(2, round(span * f.count / top)), y + BAR_HEIGHT - 6))
    return BarChart(bars, max(len(bars), 1) * (BAR_HEIGHT + BAR_GAP), LABEL_WIDTH, CHART_WIDTH, title)


@dataclass(frozen=True)
class MonthBars:
    month: int
    x: int
    this_h: int
    prev_h: int
    this_count: int
    prev_count: int
    href: str


@dataclass(frozen=True)
class TrendChart:
    months: list[MonthBars]
    height: int
    width: int
    baseline: int
    year: int


def trend_chart(year: int, trend: list[tuple[int, int, int]], base_url: str, base_params: dict[str, str]) -> TrendChart:
    """Twelve pairs of bars: this year (dark) against the previous year (light)."""
    plot = 160
    top = max((max(a, b) for _m, a, b in trend), default=0) or 1
    step = (CHART_WIDTH - 40) // 12
    months = []
    for i, (month, this, prev) in enumerate(trend):
        params = {k: v for k, v in base_params.items() if k not in ("date_from", "date_to")}
        params["month"] = f"{year}-{month:02d}"
        months.append(
            MonthBars(month, 30 + i * step, round(plot * this / top), round(plot * prev / top), this, prev, f"{base_url}?{urlencode(params)}")
        )
    return TrendChart(months, plot + 40, CHART_WIDTH, plot + 10, year)
