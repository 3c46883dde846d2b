"""Small server-rendered SVG charts: horizontal (stacked) bars and a line chart.

No JavaScript and nothing loaded from elsewhere. Each chart is ``<svg role="img">`` named by
its ``<title>`` and ``<desc>``; the table printed beside it carries the numbers and the
links, so the links inside the drawing are a shortcut for the mouse and are kept out of the
keyboard order (``tabindex="-1"``). Every series has its own fill pattern as well as its
colour, so colour is never the only cue, and each colour has at least 3:1 contrast on
white. All text is escaped: a department called ``<script>`` is drawn as text.
"""

import math
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Colours with at least 3:1 contrast against white (WCAG 1.4.11 for graphics).
COLOURS = {
    "red": "#b42318",
    "blue": "#0b4f9c",
    "green": "#1a7f37",
    "amber": "#9a6700",
    "purple": "#6639ba",
    "grey": "#57606a",
    "teal": "#0e6f73",
}
DEFAULT_ORDER = ("blue", "green", "amber", "purple", "red", "teal", "grey")
PATTERNS = ("solid", "stripes", "dots", "cross", "lines", "vlines", "checks")
INK, MUTED, GRID = "#1f2328", "#57606a", "#d0d7de"
FONT = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif"
_ID = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True)
class Series:
    """One kind of figure: its legend label, its colour name and its fill pattern."""

    label: str
    colour: str = ""
    pattern: str = ""


@dataclass(frozen=True)
class Segment:
    value: int
    url: str = ""


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart: a label and one segment per series."""

    label: str
    segments: list[Segment]
    note: str = ""  # shown after the bar instead of the total
    url: str = ""

    @property
    def total(self) -> int:
        return sum(segment.value for segment in self.segments)


@dataclass(frozen=True)
class Point:
    value: int
    url: str = ""


@dataclass(frozen=True)
class Line:
    label: str
    points: list[Point]
    colour: str = ""


@dataclass
class _Style:
    """Resolved colour and pattern of each series."""

    fills: list[tuple[str, str]] = field(default_factory=list)


def text_width(text: str, size: float) -> float:
    """Rough width of ``text`` in pixels: CJK glyphs are square, Latin about half."""
    return sum(size if ord(char) > 0x2E7F else size * 0.6 for char in text)


def _fit(text: str, width: float, size: float) -> str:
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def scale(value: float) -> tuple[int, int]:
    """A whole-number axis for values up to ``value``: (its maximum, its step), the step a
    1, 2 or 5 × 10ⁿ giving at most five intervals, so ticks are never fractions."""
    if value <= 1:
        return 1, 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor * 5 >= value:
                size = step * factor
                return size * math.ceil(value / size), size
        step *= 10


def _check_id(chart_id: str) -> None:
    if not _ID.match(chart_id):
        raise ValueError(f"chart ids are lowercase slugs, not {chart_id!r}")


def _resolve(series: list[Series]) -> _Style:
    style = _Style()
    for n, item in enumerate(series):
        colour = COLOURS[item.colour or DEFAULT_ORDER[n % len(DEFAULT_ORDER)]]
        pattern = item.pattern or PATTERNS[n % len(PATTERNS)]
        style.fills.append((colour, pattern))
    return style


def _pattern(pattern_id: str, colour: str, pattern: str) -> str:
    """A fill that is the colour with a white texture (or plain, for "solid")."""
    texture = {
        "solid": "",
        "stripes": '<path d="M0 0V6" stroke="#fff" stroke-width="2"/>',
        "dots": '<circle cx="3" cy="3" r="1.3" fill="#fff"/>',
        "cross": '<path d="M0 0V6M0 0H6" stroke="#fff" stroke-width="1.4"/>',
        "lines": '<path d="M0 3H6" stroke="#fff" stroke-width="1.4"/>',
        "vlines": '<path d="M3 0V6" stroke="#fff" stroke-width="1.4"/>',
        "checks": '<rect width="3" height="3" fill="#fff" fill-opacity=".45"/>',
    }[pattern]
    rotate = ' patternTransform="rotate(45)"' if pattern in ("stripes", "cross") else ""
    return (
        f'<pattern id="{pattern_id}" width="6" height="6" patternUnits="userSpaceOnUse"'
        f'{rotate}><rect width="6" height="6" fill="{colour}"/>{texture}</pattern>'
    )


def _open(chart_id: str, width: int, height: int, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="{escape(FONT)}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def _link(url: str, inner: str) -> str:
    if not url:
        return inner
    return f'<a href="{escape(url)}" tabindex="-1">{inner}</a>'


def _legend(chart_id: str, series: list[Series], style: _Style, *, x: float, y: float, width):
    """Swatches with labels, wrapping to new lines; returns the parts and the height used."""
    parts, cursor, line = [], x, 0
    for n, item in enumerate(series):
        needed = 18 + text_width(item.label, 13) + 18
        if cursor + needed > x + width and cursor > x:
            cursor, line = x, line + 1
        top = y + line * 22
        parts.append(
            f'<rect x="{cursor:.1f}" y="{top:.1f}" width="14" height="14" '
            f'fill="url(#{chart_id}-p{n})" stroke="{INK}" stroke-width=".5"/>'
            f'<text x="{cursor + 19:.1f}" y="{top + 12:.1f}" font-size="13" fill="{INK}">'
            f"{escape(item.label)}</text>"
        )
        cursor += needed
    return parts, (line + 1) * 22 if series else 0


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    series: list[Series],
    bars: list[Bar],
    unit: str = "",
    width: int = 720,
) -> SafeString:
    """Horizontal bars, one per ``bars`` item, each stacked from its segments in series
    order, with the total (or ``note``) after the bar."""
    _check_id(chart_id)
    style = _resolve(series)
    label_width, value_width, row = 150, 110, 26
    plot = width - label_width - value_width
    legend_parts, legend_height = (
        _legend(chart_id, series, style, x=label_width, y=8, width=plot + value_width)
        if len(series) > 1
        else ([], 0)
    )
    top = 8 + legend_height + 6
    scale_max, tick = scale(max((bar.total for bar in bars), default=0))
    height = top + row * len(bars) + 28
    parts = _open(chart_id, width, height, title, description)
    parts.append(
        "<defs>"
        + "".join(
            _pattern(f"{chart_id}-p{n}", colour, pattern)
            for n, (colour, pattern) in enumerate(style.fills)
        )
        + "</defs>"
    )
    parts.extend(legend_parts)
    bottom = top + row * len(bars)
    for value in range(0, scale_max + 1, tick):  # grid lines and the scale underneath
        x = label_width + plot * value / scale_max
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 2}" x2="{x:.1f}" y2="{bottom}" stroke="{GRID}"/>'
            f'<text x="{x:.1f}" y="{bottom + 16}" font-size="12" fill="{MUTED}" '
            f'text-anchor="middle">{value}</text>'
        )
    for n, bar in enumerate(bars):
        y = top + n * row
        label = _fit(bar.label, label_width - 10, 13)
        label_svg = (
            f'<text x="{label_width - 8}" y="{y + 17}" font-size="13" fill="{INK}" '
            f'text-anchor="end">{escape(label)}<title>{escape(bar.label)}</title></text>'
        )
        parts.append(_link(bar.url, label_svg))
        x = float(label_width)
        for index, segment in enumerate(bar.segments):
            if segment.value <= 0:
                continue
            length = plot * segment.value / scale_max
            name = series[index].label if index < len(series) else ""
            tip = (
                f"{bar.label} · {name}：{segment.value}{unit}"
                if name
                else (f"{bar.label}：{segment.value}{unit}")
            )
            rect = (
                f'<rect x="{x:.1f}" y="{y + 4}" width="{max(length, 1):.1f}" height="18" '
                f'fill="url(#{chart_id}-p{index})" stroke="#fff" stroke-width="1">'
                f"<title>{escape(tip)}</title></rect>"
            )
            parts.append(_link(segment.url, rect))
            x += length
        note = bar.note or f"{bar.total}{unit}"
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + 17}" font-size="13" fill="{INK}">{escape(note)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: list[str],
    lines: list[Line],
    unit: str = "",
    width: int = 720,
    height: int = 260,
) -> SafeString:
    """One polyline per ``lines`` item over the ``labels`` (e.g. the months), with each
    point marked (a circle, a square, a diamond, ...) and its value written above it."""
    _check_id(chart_id)
    series = [Series(label=line.label, colour=line.colour) for line in lines]
    style = _resolve(series)
    left, right = 44, 16
    legend_parts, legend_height = _legend(
        chart_id, series, style, x=left, y=8, width=width - left - right
    )
    top = 8 + legend_height + 14
    bottom = height - 30
    plot_width, plot_height = width - left - right, bottom - top
    scale_max, tick = scale(max((p.value for line in lines for p in line.points), default=0))
    count = max(len(labels), 1)

    def x_at(index: int) -> float:
        return left + plot_width * (index + 0.5) / count

    def y_at(value: float) -> float:
        return bottom - plot_height * value / scale_max

    parts = _open(chart_id, width, height, title, description)
    parts.append(
        "<defs>"
        + "".join(
            _pattern(f"{chart_id}-p{n}", colour, "solid")
            for n, (colour, _pattern_name) in enumerate(style.fills)
        )
        + "</defs>"
    )
    parts.extend(legend_parts)
    for value in range(0, scale_max + 1, tick):
        y = y_at(value)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="12" fill="{MUTED}" '
            f'text-anchor="end">{value}</text>'
        )
    for index, label in enumerate(labels):
        parts.append(
            f'<text x="{x_at(index):.1f}" y="{bottom + 18}" font-size="12" fill="{MUTED}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    for n, line in enumerate(lines):
        colour = style.fills[n][0]
        coords = " ".join(
            f"{x_at(i):.1f},{y_at(point.value):.1f}" for i, point in enumerate(line.points)
        )
        dash = "" if n == 0 else ' stroke-dasharray="6 3"'
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
        )
        for i, point in enumerate(line.points):
            x, y = x_at(i), y_at(point.value)
            tip = f"{labels[i] if i < len(labels) else ''} · {line.label}：{point.value}{unit}"
            marker = _marker(n, x, y, colour, tip)
            value = (
                f'<text x="{x:.1f}" y="{y - 9:.1f}" font-size="12" fill="{INK}" '
                f'text-anchor="middle">{point.value}</text>'
            )
            parts.append(_link(point.url, marker + value))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


def _marker(n: int, x: float, y: float, colour: str, tip: str) -> str:
    tip = f"<title>{escape(tip)}</title>"
    shape = n % 3
    if shape == 0:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}">{tip}</circle>'
    if shape == 1:
        return (
            f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}">'
            f"{tip}</rect>"
        )
    return (
        f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y:.1f}L{x:.1f} {y + 5:.1f}'
        f'L{x - 5:.1f} {y:.1f}Z" fill="{colour}">{tip}</path>'
    )
