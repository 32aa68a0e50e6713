"""Charts drawn on the server as SVG markup: they show without JavaScript, print, and pass the
content security policy (presentation attributes such as fill and stroke, no style attribute,
no script). Pure functions: numbers and labels in, markup out."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

Number = int | float | Decimal


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Number | None]  # one per axis; None: no value (drawn at the centre)
    stroke: str
    fill: str
    dashed: bool = False


def _fmt(x: float) -> str:
    return f"{x:.1f}"


def _percent(value: Number | None, maximum: Number) -> float:
    if value is None or not maximum:
        return 0.0
    return max(0.0, min(100.0, float(value) * 100.0 / float(maximum)))


def radar_svg(
    *,
    labels: Sequence[str],
    maxima: Sequence[Number],
    series: Sequence[Series],
    title: str,
    size: int = 420,
    rings: int = 4,
) -> str:
    """A radar chart: one axis per label, each scaled to its own maximum (percent of the
    maximum, so 400 points of results and 80 of measurement weigh alike), one closed polygon per
    series, and a legend. Text is escaped here."""
    if len(labels) != len(maxima) or len(labels) < 3:
        raise ValueError("A radar needs three axes or more, each with its maximum.")
    for one in series:
        if len(one.values) != len(labels):
            raise ValueError(
                f"Series {one.name!r} has {len(one.values)} values for {len(labels)} axes."
            )
    n = len(labels)
    centre_x, centre_y = size / 2, size / 2 - 10
    radius = size * 0.30
    legend_y = size - 24

    def point(axis: int, percent: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * axis / n  # the first axis points up
        r = radius * percent / 100.0
        return centre_x + r * math.cos(angle), centre_y + r * math.sin(angle)

    def polygon(percents: Sequence[float]) -> str:
        return " ".join(
            f"{_fmt(x)},{_fmt(y)}" for x, y in (point(i, p) for i, p in enumerate(percents))
        )

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="100%" role="img" aria-labelledby="radar-title" class="radar" '
        f'font-family="sans-serif" font-size="12">',
        f'<title id="radar-title">{escape(title)}</title>',
        '<g class="grid" fill="none" stroke="#c8c8c8" stroke-width="1">',
    ]
    for ring in range(1, rings + 1):
        parts.append(f'<polygon points="{polygon([100.0 * ring / rings] * n)}"/>')
    parts.append("</g>")
    parts.append('<g class="axes" stroke="#9a9a9a" stroke-width="1">')
    for axis in range(n):
        x, y = point(axis, 100.0)
        parts.append(
            f'<line class="axis" x1="{_fmt(centre_x)}" y1="{_fmt(centre_y)}" x2="{_fmt(x)}" y2="{_fmt(y)}"/>'
        )
    parts.append("</g>")
    parts.append('<g class="labels" fill="#333333">')
    for axis, label in enumerate(labels):
        x, y = point(axis, 118.0)
        anchor = "middle" if abs(x - centre_x) < 1 else ("start" if x > centre_x else "end")
        parts.append(
            f'<text x="{_fmt(x)}" y="{_fmt(y)}" text-anchor="{anchor}" '
            f'dominant-baseline="middle">{escape(str(label))}</text>'
        )
    parts.append("</g>")
    for index, one in enumerate(series):
        percents = [_percent(v, m) for v, m in zip(one.values, maxima, strict=True)]
        dash = ' stroke-dasharray="6 4"' if one.dashed else ""
        parts.append(
            f'<polygon class="series series-{index}" points="{polygon(percents)}" '
            f'fill={quoteattr(one.fill)} fill-opacity="0.25" stroke={quoteattr(one.stroke)} '
            f'stroke-width="2"{dash}><title>{escape(one.name)}</title></polygon>'
        )
    for index, one in enumerate(series):
        x = 16 + index * (size / max(1, len(series)))
        dash = ' stroke-dasharray="6 4"' if one.dashed else ""
        parts.append(
            f'<g class="legend"><line x1="{_fmt(x)}" y1="{legend_y}" x2="{_fmt(x + 22)}" '
            f'y2="{legend_y}" stroke={quoteattr(one.stroke)} stroke-width="3"{dash}/>'
            f'<text x="{_fmt(x + 28)}" y="{legend_y}" dominant-baseline="middle" '
            f'fill="#333333">{escape(one.name)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
