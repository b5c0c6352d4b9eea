"""Small daily bar charts drawn on the server as inline SVG: the admin needs no script and no internet for them.

`daily_bars(days, series)` stacks each day's counts of the series (e.g. syncs that worked and that failed);
every bar names its day and counts on hover, and the chart says its totals in words for screen readers.
"""
from dataclasses import dataclass

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

WIDTH, HEIGHT, GAP = 300, 60, 1


@dataclass(frozen=True)
class Series:
    label: str
    css_class: str  # colours live in the stylesheet (light and dark themes)
    counts: dict  # date → count


def daily_bars(days, series, title):
    """An SVG of one stacked bar per day in `days` (oldest first)."""
    highest = max([sum(s.counts.get(day, 0) for s in series) for day in days] + [1])
    step = WIDTH / len(days)
    bars = [_day_bars(index * step, step - GAP, day, series, highest) for index, day in enumerate(days)]
    totals = "，".join(f"{s.label} {sum(s.counts.get(day, 0) for day in days)}" for s in series)
    legend = format_html_join("", '<span class="key {}">{}</span>', ((s.css_class, s.label) for s in series))
    return format_html(
        '<figure class="chart"><svg viewBox="0 0 {} {}" width="100%" height="{}" role="img" aria-label="{}">'
        "{}</svg><figcaption>{}（{}）{}</figcaption></figure>",
        WIDTH, HEIGHT, HEIGHT, f"{title}：{totals}", format_html_join("", "{}", ((bar,) for bar in bars)),
        title, totals, legend,
    )


def _day_bars(x, width, day, series, highest):
    parts, top, width = [], HEIGHT, max(width, 1)
    hover = f"{day:%m-%d} " + "，".join(f"{s.label} {s.counts.get(day, 0)}" for s in series)
    for one in series:
        height = HEIGHT * one.counts.get(day, 0) / highest
        if height:
            top -= height
            parts.append(f'<rect class="{escape(one.css_class)}" x="{x:.1f}" y="{top:.1f}" width="{width:.1f}" '
                         f'height="{height:.1f}"/>')
    # A transparent full-height bar carries the hover text, so empty days have one too.
    parts.append(f'<rect class="hover" x="{x:.1f}" y="0" width="{width:.1f}" height="{HEIGHT}">'
                 f"<title>{escape(hover)}</title></rect>")
    return mark_safe("".join(parts))
