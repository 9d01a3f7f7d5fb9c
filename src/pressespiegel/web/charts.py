"""Charts as SVG drawn on the server: nothing to download, nothing to run in the browser.

Every label is escaped (outlet names come from the articles); colours come from the stylesheet (classes ``bar``,
``axis``, ``label``), so the markup carries no inline style.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from markupsafe import Markup, escape

from ..review.report import de_date

_MONTHS_SHORT = ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."]


def _parse(day: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(day[:10])
    except (TypeError, ValueError):
        return None


def bins(points: Sequence[tuple[str, int]]) -> tuple[str, list[tuple[dt.date, int]]]:
    """Counts per day put on a gapless axis: by day for up to three months, by week up to two years, else by month.
    Returns the bin unit ("day", "week", "month") and (first day of the bin, count) pairs."""
    dated = [(d, n) for day, n in points if (d := _parse(day)) is not None]
    if not dated:
        return "day", []
    first, last = min(d for d, _ in dated), max(d for d, _ in dated)
    span = (last - first).days
    if span <= 92:
        unit, key = "day", (lambda d: d)
    elif span <= 730:
        unit, key = "week", (lambda d: d - dt.timedelta(days=d.weekday()))
    else:
        unit, key = "month", (lambda d: d.replace(day=1))
    counts: dict[dt.date, int] = {}
    for d, n in dated:
        counts[key(d)] = counts.get(key(d), 0) + n
    out, cur, end = [], key(first), key(last)
    while cur <= end:
        out.append((cur, counts.get(cur, 0)))
        if unit == "day":
            cur += dt.timedelta(days=1)
        elif unit == "week":
            cur += dt.timedelta(days=7)
        else:
            cur = (cur.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return unit, out


def _bin_label(unit: str, d: dt.date) -> str:
    if unit == "day":
        return de_date(d.isoformat())
    if unit == "week":
        return f"Woche ab {de_date(d.isoformat())}"
    return f"{_MONTHS_SHORT[d.month - 1]} {d.year}"


def _tick(unit: str, d: dt.date) -> str:
    if unit == "month":
        return f"{_MONTHS_SHORT[d.month - 1]} {d.year % 100:02d}"
    return f"{d.day}.{d.month}."


def over_time(points: Sequence[tuple[str, int]], *, title: str, what: tuple[str, str] = ("Artikel", "Artikel"),
              width: int = 640, height: int = 150) -> Markup:
    """A bar chart of counts over time (articles per day of a story, mentions per day of an entity).
    ``what``: the counted thing in singular and plural, for the tooltips."""
    unit, data = bins(points)
    if not data:
        return Markup('<p class="muted">Keine datierten Artikel.</p>')
    left, right, top, bottom = 34, 8, 12, 26
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(n for _, n in data) or 1
    slot = plot_w / len(data)
    bar_w = min(max(1.0, slot * 0.8 if slot > 3 else slot), 48.0)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
             f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}"/>',
             f'<text class="label" x="{left - 4}" y="{top + 4}" text-anchor="end">{peak}</text>',
             f'<text class="label" x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>',
             f'<line class="grid" x1="{left}" y1="{top}" x2="{width - right}" y2="{top}"/>']
    for i, (d, n) in enumerate(data):
        h = plot_h * n / peak
        x = left + i * slot + (slot - bar_w) / 2
        parts.append(f'<rect class="bar" x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" '
                     f'height="{max(h, 0):.1f}"><title>{escape(_bin_label(unit, d))}: {n} '
                     f'{escape(what[0] if n == 1 else what[1])}</title></rect>')
    ticks = len(data) if len(data) <= 16 else 6
    for k in range(ticks):
        i = round(k * (len(data) - 1) / max(1, ticks - 1))
        x = left + i * slot + slot / 2
        parts.append(f'<text class="label" x="{x:.1f}" y="{height - 8}" text-anchor="middle">'
                     f'{escape(_tick(unit, data[i][0]))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bars(items: Sequence[tuple[str, int]], *, title: str, what: tuple[str, str] = ("Artikel", "Artikel"),
         width: int = 640, row: int = 22, limit: int = 12) -> Markup:
    """Horizontal bars, one per item (outlets of a story and their articles), the largest first."""
    items = sorted(items, key=lambda kv: (-kv[1], kv[0]))[:limit]
    if not items:
        return Markup("")
    label_w, count_w = 200, 40
    plot_w = width - label_w - count_w
    peak = max(n for _, n in items) or 1
    height = row * len(items) + 4
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for i, (name, n) in enumerate(items):
        y = 2 + i * row
        shown = name if len(name) <= 30 else name[:29] + "…"
        w = max(2.0, plot_w * n / peak)
        parts.append(f'<text class="label" x="{label_w - 8}" y="{y + row * 0.68:.1f}" text-anchor="end">'
                     f'{escape(shown)}</text>'
                     f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 7}">'
                     f'<title>{escape(name)}: {n} {escape(what[0] if n == 1 else what[1])}</title></rect>'
                     f'<text class="label" x="{label_w + w + 6:.1f}" y="{y + row * 0.68:.1f}">{n}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def sparkline(points: Sequence[tuple[str, int]], *, title: str, width: int = 120, height: int = 28) -> Markup:
    """A small bar strip of counts over time, for lists."""
    unit, data = bins(points)
    if not data:
        return Markup("")
    peak = max(n for _, n in data) or 1
    slot = min(width / len(data), 12.0)  # few days: narrow bars, centred, not blocks
    bar_w = max(1.0, slot * 0.75 if slot > 3 else slot)
    shift = (width - slot * len(data)) / 2
    parts = [f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for i, (d, n) in enumerate(data):
        h = max(1.0, (height - 2) * n / peak) if n else 0
        parts.append(f'<rect class="bar" x="{shift + i * slot + (slot - bar_w) / 2:.1f}" y="{height - h:.1f}" '
                     f'width="{bar_w:.1f}" height="{h:.1f}"><title>{escape(_bin_label(unit, d))}: {n}</title></rect>')
    parts.append("</svg>")
    return Markup("".join(parts))
