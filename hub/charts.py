"""Small charts drawn on the server as SVG: no script, no build step, no external library.

Every chart is an image with a name (``role="img"``, a ``<title>`` and a ``<desc>`` it is
labelled by) and comes with the numbers for a text table, which the page shows next to
it: the table is the accessible version, the drawing is for people who would rather look.
Meaning never rests on colour: bars and lines carry their values as text, and one colour
(the brand blue, 10.4:1 on white) draws everything, with dark grey (4.6:1) for axes.

All text goes through ``format_html``/``format_html_join``, so labels are escaped and
the markup is well-formed XML.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

INK = "#1b1b1b"  # text: 16.9:1 on white
MARK = "#154273"  # bars, lines and dots: 10.4:1 on white
AXIS = "#6b7785"  # axes and grid: 4.6:1 on white
_IDENT = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class Table:
    """The numbers behind a chart. ``rows`` start with their label (a row header)."""

    caption: str
    columns: Sequence[str]
    rows: Sequence[Sequence] = field(default_factory=list)


@dataclass(frozen=True)
class Chart:
    svg: SafeString
    table: Table


def _num(value: float) -> str:
    """Coordinates with at most one decimal, never in the locale's notation."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _ident(ident: str) -> str:
    cleaned = _IDENT.sub("-", str(ident))
    return cleaned if cleaned[:1].isalpha() else f"chart-{cleaned}"


def _svg(ident, css_class, width, height, title, description, body) -> SafeString:
    """The outer element: an image named by its title (and described by the values)."""
    ident = _ident(ident)
    labelled_by = f"{ident}-title {ident}-desc" if description else f"{ident}-title"
    desc = format_html('<desc id="{}-desc">{}</desc>', ident, description) if description else ""
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart {}" viewBox="0 0 {} {}" '
        'width="{}" height="{}" role="img" aria-labelledby="{}" focusable="false">'
        '<title id="{}-title">{}</title>{}{}</svg>',
        css_class,
        width,
        height,
        width,
        height,
        labelled_by,
        ident,
        title,
        desc,
        body,
    )


def _points(values: Sequence[float], left, top, width, height) -> list[tuple[float, float]]:
    """Where each value sits in the box (left, top, width, height); 0 at the bottom."""
    highest = max(max(values, default=0), 1)
    step = width / (len(values) - 1) if len(values) > 1 else 0
    return [
        (left + index * step, top + height - (value / highest) * height)
        for index, value in enumerate(values)
    ]


def sparkline(
    values: Sequence[float], *, title: str, description: str = "", ident: str, width=120, height=28
) -> SafeString:
    """A word-sized line of a series (e.g. an idea's votes per day), its last value dotted."""
    values = list(values) or [0]
    if len(values) == 1:
        values = values * 2
    pad = 3
    points = _points(values, pad, pad, width - 2 * pad, height - 2 * pad)
    last_x, last_y = points[-1]
    body = format_html(
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2" '
        'stroke-linejoin="round" stroke-linecap="round"/>'
        '<circle cx="{}" cy="{}" r="2.5" fill="{}"/>',
        " ".join(f"{_num(x)},{_num(y)}" for x, y in points),
        MARK,
        _num(last_x),
        _num(last_y),
        MARK,
    )
    return _svg(ident, "sparkline", width, height, title, description, body)


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    ident: str,
    label_heading: str,
    value_heading: str,
    width=560,
    label_width=170,
    bar_height=22,
    gap=10,
) -> Chart:
    """Horizontal bars, one per (label, value), each with its label and value as text."""
    items = list(items)
    highest = max([value for _label, value in items] + [1])
    room = width - label_width - 60  # space to the right of the bars for the value
    height = max(len(items), 1) * (bar_height + gap) + gap
    rows = []
    for index, (label, value) in enumerate(items):
        y = gap + index * (bar_height + gap)
        length = room * value / highest
        rows.append(
            (
                _num(label_width - 8),
                _num(y + bar_height * 0.7),
                INK,
                label,
                label_width,
                _num(y),
                _num(max(length, 1 if value else 0)),
                bar_height,
                MARK,
                _num(label_width + length + 6),
                _num(y + bar_height * 0.7),
                INK,
                value,
            )
        )
    body = format_html(
        '<line x1="{}" y1="0" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>{}',
        label_width,
        label_width,
        height,
        AXIS,
        format_html_join(
            "",
            '<text x="{}" y="{}" text-anchor="end" fill="{}" font-size="13">{}</text>'
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
            '<text x="{}" y="{}" fill="{}" font-size="13" font-weight="600">{}</text>',
            rows,
        ),
    )
    description = "; ".join(f"{label}: {value}" for label, value in items)
    svg = _svg(ident, "chart-bars", width, height, title, description, body)
    table = Table(caption=title, columns=[label_heading, value_heading], rows=items)
    return Chart(svg=svg, table=table)


def line_chart(
    x_labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    ident: str,
    width=320,
    height=130,
) -> SafeString:
    """One series over time, small enough to repeat (small multiples): a line with a dot
    per point, the highest value and zero on the left, the first and last label below."""
    values = list(values) or [0]
    left, right, top, bottom = 34, 10, 10, 22
    plot_w, plot_h = width - left - right, height - top - bottom
    points = _points(values, left, top, plot_w, plot_h)
    highest = max(values)  # the top line; the scale is at least 0 to 1
    first_label = x_labels[0] if x_labels else ""
    last_label = x_labels[-1] if x_labels else ""
    body = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1" '
        'stroke-dasharray="3 3"/>'
        '<text x="{}" y="{}" text-anchor="end" fill="{}" font-size="11">{}</text>'
        '<text x="{}" y="{}" text-anchor="end" fill="{}" font-size="11">0</text>'
        '<text x="{}" y="{}" fill="{}" font-size="11">{}</text>'
        '<text x="{}" y="{}" text-anchor="end" fill="{}" font-size="11">{}</text>'
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2" '
        'stroke-linejoin="round"/>{}',
        left,
        top + plot_h,
        left + plot_w,
        top + plot_h,
        AXIS,
        left,
        top,
        left + plot_w,
        top,
        AXIS,
        left - 4,
        top + 4,
        INK,
        max(highest, 1),
        left - 4,
        top + plot_h + 4,
        INK,
        left,
        height - 6,
        INK,
        first_label,
        left + plot_w,
        height - 6,
        INK,
        last_label,
        " ".join(f"{_num(x)},{_num(y)}" for x, y in points),
        MARK,
        format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="2.5" fill="{}"/>',
            ((_num(x), _num(y), MARK) for x, y in points),
        ),
    )
    description = "; ".join(
        f"{label}: {value}" for label, value in zip(x_labels, values, strict=False)
    )
    return _svg(ident, "chart-line", width, height, title, description, body)
