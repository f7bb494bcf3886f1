"""Charts drawn on the server with matplotlib, to SVG: the same SVG on the page and in the PDF.

A chart is made from one `ChartSpec` (title, categories, series of `Cell`s). The SVG, the data
table and the text alternative are all read from that spec, so the three cannot disagree: a cell
suppressed under the small-cell rule is drawn as no bar, shown as "<5" in the table and named as
"<5" in the text. Use `count_cell` and `share_cell` to make cells; they apply `common.smallcell`.

Deterministic output: the Agg-free SVG backend, a fixed `svg.hashsalt` per chart (the key), no
date in the metadata, text kept as text (`svg.fonttype = "none"`, so screen readers and the PDF
see words, not glyph paths). Accessibility: the root `<svg>` gets role="img" and
aria-labelledby pointing at its own `<title>` and `<desc>` (the text alternative).
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from threading import Lock

import matplotlib
from django.utils.translation import gettext as _

matplotlib.use("svg")  # no display, no Agg: vector output only

from matplotlib import pyplot as plt
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path

from vagval.common.smallcell import NOT_SHOWN, SMALL_CELL_TEXT, is_small, share_withheld

# matplotlib's pyplot state is global: one chart at a time per process (threads of gunicorn).
_LOCK = Lock()
COLOURS = ("#004b87", "#c75000", "#2e7d32", "#6a1b9a", "#4a4a55")  # AA contrast on white


@dataclass(frozen=True)
class Cell:
    """One value: `value` is what is drawn (None: nothing), `text` what the table and text say."""

    value: float | None
    text: str


def count_cell(count: int) -> Cell:
    """A count under the small-cell rule: "<5" and no bar when small."""
    if is_small(count):
        return Cell(None, SMALL_CELL_TEXT)
    return Cell(float(count), str(count))


def share_cell(part: int, whole: int) -> Cell:
    """A share in per cent, withheld ("–") when the whole or the part is a small cell."""
    if share_withheld(part, whole):
        return Cell(None, NOT_SHOWN)
    percent = 100 * part / whole
    return Cell(round(percent, 1), f"{round(percent)} %")


def number_cell(value: float | None, *, decimals: int = 1) -> Cell:
    """A figure that is not a count of persons (a median of days): drawn as it is."""
    if value is None:
        return Cell(None, NOT_SHOWN)
    text = f"{value:.{decimals}f}".replace(".", ",") if decimals else str(round(value))
    return Cell(float(value), text)


@dataclass(frozen=True)
class Series:
    name: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class ChartSpec:
    """A horizontal bar chart (grouped when there are several series): categories down the side."""

    key: str  # unique on the page: ids and the SVG hash salt
    title: str
    category_label: str
    value_label: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    percent: bool = False  # the value axis runs 0–100

    def __post_init__(self) -> None:
        for series in self.series:
            if len(series.cells) != len(self.categories):
                raise ValueError(f"series {series.name!r} has {len(series.cells)} cells for {len(self.categories)}")


@dataclass(frozen=True)
class DataTable:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Chart:
    spec: ChartSpec
    svg: str
    table: DataTable
    text: str
    ids: dict[str, str] = field(default_factory=dict)

    @property
    def data_uri(self) -> str:
        """The same SVG as an image address (the PDF: WeasyPrint draws an image's SVG without
        running the HTML style cascade over each of its nodes, several times faster)."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode("utf-8")).decode("ascii")


def data_table(spec: ChartSpec) -> DataTable:
    """The chart's numbers as a table: one row per category, one column per series."""
    return DataTable(
        caption=spec.title,
        columns=(spec.category_label, *(s.name for s in spec.series)),
        rows=tuple(
            (category, *(s.cells[index].text for s in spec.series)) for index, category in enumerate(spec.categories)
        ),
    )


def text_alternative(spec: ChartSpec) -> str:
    """One sentence per category, read from the same cells as the bars and the table."""
    if not spec.categories:
        return _("%(title)s: inga uppgifter.") % {"title": spec.title}
    parts = []
    for index, category in enumerate(spec.categories):
        values = ", ".join(f"{s.name} {s.cells[index].text}" for s in spec.series)
        parts.append(f"{category}: {values}")
    return f"{spec.title} ({spec.value_label}). " + "; ".join(parts) + "."


# The margins around the axes, in points: below, the tick labels and the value label; on the left,
# the longest category label is measured and added.
_BOTTOM, _TOP, _RIGHT, _LEFT = 40.0, 6.0, 14.0, 14.0


def _fixed_layout(figure: Figure, spec: ChartSpec, *, width: float, height: float) -> None:
    """Margins computed from the labels' measured widths instead of `tight_layout`, which draws the
    whole figure once more to find them (half of a chart's cost). The labels are measured with the
    font the ticks use; a label wider than half the figure is given half (as tight_layout would
    crowd the bars out otherwise)."""
    font = FontProperties(size=plt.rcParams["ytick.labelsize"])
    widest = max(
        (text_to_path.get_text_width_height_descent(c, font, ismath=False)[0] for c in spec.categories), default=0.0
    )
    left = min((widest + _LEFT) / (width * 72), 0.5)
    figure.subplots_adjust(
        left=left, right=1 - _RIGHT / (width * 72), bottom=_BOTTOM / (height * 72), top=1 - _TOP / (height * 72)
    )


def _draw(spec: ChartSpec) -> str:
    rows = max(len(spec.categories), 1)
    height = 1.1 + 0.32 * rows * max(len(spec.series), 1)
    figure, axes = plt.subplots(figsize=(6.4, height))
    try:
        count = len(spec.series)
        band = 0.8 / max(count, 1)
        for number, series in enumerate(spec.series):
            positions = [i - 0.4 + band * (number + 0.5) for i in range(len(spec.categories))]
            values = [cell.value or 0.0 for cell in series.cells]
            axes.barh(positions, values, height=band * 0.9, color=COLOURS[number % len(COLOURS)], label=series.name)
        axes.set_yticks(range(len(spec.categories)), labels=list(spec.categories))
        axes.invert_yaxis()
        axes.set_xlabel(spec.value_label)
        if spec.percent:
            axes.set_xlim(0, 100)
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="x", color="#c9ced6", linewidth=0.8)
        axes.set_axisbelow(True)
        if count > 1:
            axes.legend(loc="lower right", frameon=False)
        _fixed_layout(figure, spec, width=6.4, height=height)
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
        return out.getvalue()
    finally:
        plt.close(figure)


_PROLOGUE = re.compile(r"\A.*?(?=<svg)", re.DOTALL)
_STYLE_ELEMENT = re.compile(r"<style[^>]*>.*?</style>\s*", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
# What matplotlib's <style> element sets for every shape, as attributes on the root.
_ROOT_PRESENTATION = ' stroke-linejoin="round" stroke-linecap="butt"'


def _presentation(match: re.Match[str]) -> str:
    """style="fill: #fff; stroke: none" -> fill="#fff" stroke="none": the page's Content-Security-
    Policy (style-src 'self') refuses inline styles, while presentation attributes are markup."""
    pairs = (part.split(":", 1) for part in match.group(1).split(";") if ":" in part)
    return "".join(f' {name.strip()}="{escape(value.strip(), quote=True)}"' for name, value in pairs)


_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")
_SIZE = re.compile(r'\s(width|height)="[^"]*"')


_ID = re.compile(r'\sid="([^"]+)"')
_REFERENCE = re.compile(r'(url\(#|href="#)([^")]+)')


def _own_ids(svg: str, key: str) -> str:
    """Ids unique on a page with many charts: matplotlib numbers its groups per figure
    ("figure_1", "text_1"), so those nothing refers to go, and the rest get the chart's key."""
    referenced = {name for _prefix, name in _REFERENCE.findall(svg)}
    svg = _ID.sub(lambda m: f' id="{key}-{m.group(1)}"' if m.group(1) in referenced else "", svg)
    return _REFERENCE.sub(lambda m: f"{m.group(1)}{key}-{m.group(2)}", svg)


def _accessible(svg: str, *, key: str, title: str, text: str) -> str:
    """The root gets role="img" and names itself by its <title> and <desc>; the fixed pt size goes,
    so CSS scales it (it keeps its viewBox)."""
    svg = _PROLOGUE.sub("", svg, count=1)
    svg = _METADATA.sub("", _STYLE_ELEMENT.sub("", svg))
    svg = _own_ids(_STYLE_ATTRIBUTE.sub(_presentation, svg), key)
    match = _SVG_OPEN.search(svg)
    assert match is not None
    attributes = _SIZE.sub("", match.group(1))
    opening = (
        f'<svg{attributes}{_ROOT_PRESENTATION} role="img" aria-labelledby="{key}-title {key}-desc" class="chart-svg">'
        f'<title id="{key}-title">{escape(title)}</title><desc id="{key}-desc">{escape(text)}</desc>'
    )
    return svg[: match.start()] + opening + svg[match.end() :]


def render_svg(spec: ChartSpec) -> str:
    with (
        _LOCK,
        matplotlib.rc_context(
            {
                "svg.hashsalt": f"vagval-{spec.key}",
                "svg.fonttype": "none",
                "font.family": "sans-serif",
                # One family, not matplotlib's list of ten: each text element names it, and every
                # reader (browser, WeasyPrint) looks the list up per element.
                "font.sans-serif": ["DejaVu Sans"],
                "font.size": 10,
            }
        ),
    ):
        raw = _draw(spec)
    return _accessible(raw, key=spec.key, title=spec.title, text=text_alternative(spec))


def chart(spec: ChartSpec) -> Chart:
    """The SVG, the data table and the text alternative of one spec."""
    return Chart(spec=spec, svg=render_svg(spec), table=data_table(spec), text=text_alternative(spec))


def categories_of(rows: Sequence[tuple[str, Sequence[Cell]]]) -> tuple[tuple[str, ...], list[tuple[Cell, ...]]]:
    """Split (category, cells) rows into the categories and one cell tuple per series."""
    categories = tuple(label for label, _cells in rows)
    width = len(rows[0][1]) if rows else 0
    return categories, [tuple(cells[i] for _label, cells in rows) for i in range(width)]
