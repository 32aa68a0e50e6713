"""A dashboard Chart drawn as a PNG for the Word report (python-docx cannot embed SVG).

matplotlib's object API with the Agg canvas only (no pyplot: no global figure state, safe in a
worker thread), labels in the CJK font `core.documents.cjk_font_path()` finds, so Chinese
category names and titles are drawn and not boxes.
"""

import functools
import io
import logging
import math

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from qualitymonth.core.documents import cjk_font_path
from qualitymonth.core.figures import Chart

log = logging.getLogger(__name__)

WIDTH_IN = 6.3  # the text width of an A4 page with 2.5 cm margins, in inches
DPI = 150
MAX_CATEGORIES = 30  # a bar chart past this is unreadable on paper: the rest go to "others"
COLOURS = ["#c0392b", "#2e86c1", "#f39c12", "#27ae60", "#8e44ad", "#16a085", "#7f8c8d"]


@functools.cache
def font_families() -> tuple[str, ...]:
    """The CJK family first (registered with matplotlib once per process), then a Latin one."""
    path = cjk_font_path()
    if path is None:
        log.warning("No CJK font found: chart labels in Chinese will show as boxes.")
        return ("DejaVu Sans",)
    try:
        font_manager.fontManager.addfont(str(path))
        name = font_manager.FontProperties(fname=str(path)).get_name()
    except Exception:  # a font matplotlib cannot read must not stop the report
        log.exception("The CJK font %s cannot be used for charts", path)
        return ("DejaVu Sans",)
    return (name, "DejaVu Sans")


def cjk_family() -> str | None:
    """The CJK font's family name ("WenQuanYi Micro Hei"), None when there is none."""
    families = font_families()
    return families[0] if len(families) > 1 else None


def _numbers(data) -> list[float]:
    return [float(value) if value is not None else 0.0 for value in data]


def _trimmed(chart: Chart) -> tuple[list[str], list[list[float]]]:
    categories = [str(c) for c in chart.categories]
    series = [_numbers(s.data) for s in chart.series]
    if chart.kind in {"bar", "hbar", "pie"} and len(categories) > MAX_CATEGORIES:
        keep = MAX_CATEGORIES - 1
        categories = [*categories[:keep], "…"]
        series = [[*data[:keep], sum(data[keep:])] for data in series]
    return categories, series


def chart_png(chart: Chart, *, with_title: bool = True) -> bytes:
    """The chart as PNG bytes: bar, hbar, line or pie from its categories and series (the
    report leaves the title out: its caption names the chart)."""
    categories, series = _trimmed(chart)
    height = 3.4
    if chart.kind == "hbar":
        height = max(2.4, min(9.0, 0.9 + 0.32 * len(categories)))
    figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
    FigureCanvasAgg(figure)
    font = {"family": list(font_families())}
    axes = figure.add_subplot()
    names = [s.name for s in chart.series]
    if chart.kind == "pie":
        _pie(axes, categories, series[0] if series else [], font)
    elif chart.kind == "line":
        for number, data in enumerate(series):
            axes.plot(
                range(len(categories)),
                data,
                marker="o" if len(categories) <= 31 else None,
                markersize=3,
                color=COLOURS[number % len(COLOURS)],
                label=names[number],
            )
        _category_axis(axes.set_xticks, axes.set_xticklabels, categories, font, rotate=True)
    else:
        horizontal = chart.kind == "hbar"
        count = max(len(series), 1)
        width = 0.8 / count
        for number, data in enumerate(series):
            offsets = [i - 0.4 + width * (number + 0.5) for i in range(len(categories))]
            draw = axes.barh if horizontal else axes.bar
            draw(offsets, data, width, color=COLOURS[number % len(COLOURS)], label=names[number])
        if horizontal:
            _category_axis(axes.set_yticks, axes.set_yticklabels, categories, font)
            axes.invert_yaxis()  # the first category at the top, as the dashboard shows it
        else:
            _category_axis(
                axes.set_xticks, axes.set_xticklabels, categories, font, rotate=len(categories) > 6
            )
    if chart.kind != "pie":
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="x" if chart.kind == "hbar" else "y", alpha=0.3)
        for label in axes.get_xticklabels() + axes.get_yticklabels():
            label.set_fontfamily(font["family"])
        if len(series) > 1:
            axes.legend(prop={"family": font["family"], "size": 8}, frameon=False)
        if chart.unit:
            (axes.set_xlabel if chart.kind == "hbar" else axes.set_ylabel)(
                chart.unit, fontdict={**font, "size": 8}
            )
    if with_title:
        axes.set_title(chart.title, fontdict={**font, "size": 11})
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _category_axis(set_ticks, set_labels, categories, font, *, rotate: bool = False) -> None:
    set_ticks(range(len(categories)))
    step = max(1, math.ceil(len(categories) / 16)) if rotate else 1
    labels = [c if i % step == 0 else "" for i, c in enumerate(categories)]
    extra = {"rotation": 45, "ha": "right"} if rotate else {}
    set_labels(labels, fontdict={**font, "size": 8}, **extra)


def _pie(axes, categories, data, font) -> None:
    pairs = [(c, v) for c, v in zip(categories, data, strict=False) if v > 0]
    if not pairs:
        axes.axis("off")
        return
    labels, values = zip(*pairs, strict=True)
    axes.pie(
        values,
        labels=labels,
        colors=[COLOURS[i % len(COLOURS)] for i in range(len(values))],
        autopct="%1.1f%%",
        startangle=90,
        counterclock=False,
        textprops={**font, "size": 8},
    )
    axes.axis("equal")
