"""Server-side charts: deterministic, accessible, allowed by the page's CSP, and one spec for the
SVG, the data table and the text alternative."""

from __future__ import annotations

import re

import pytest

from vagval.common.charts import Cell, ChartSpec, Series, chart, count_cell, number_cell, share_cell


def _spec(key: str = "test") -> ChartSpec:
    return ChartSpec(
        key=key,
        title="Deltagare per kommun",
        category_label="Kommun",
        value_label="Antal",
        categories=("Ludvika", "Smedjebacken <b>"),
        series=(Series("Deltagare", (count_cell(12), count_cell(3))), Series("Nådda", (count_cell(7), count_cell(0)))),
    )


def test_the_same_spec_gives_the_same_svg_byte_for_byte():
    assert chart(_spec()).svg == chart(_spec()).svg


def test_the_svg_names_itself_by_its_title_and_text_alternative():
    drawn = chart(_spec())
    assert drawn.svg.startswith("<svg")
    assert 'role="img"' in drawn.svg
    assert 'aria-labelledby="test-title test-desc"' in drawn.svg
    assert '<title id="test-title">Deltagare per kommun</title>' in drawn.svg
    assert "Smedjebacken &lt;b&gt;" in drawn.svg


def test_the_svg_has_no_inline_style_the_csp_would_refuse():
    svg = chart(_spec()).svg
    assert "<style" not in svg
    assert "style=" not in svg


def test_two_charts_on_one_page_share_no_element_id():
    first, second = chart(_spec("a")).svg, chart(_spec("b")).svg
    ids_a = set(re.findall(r'\sid="([^"]+)"', first))
    ids_b = set(re.findall(r'\sid="([^"]+)"', second))
    assert ids_a
    assert not ids_a & ids_b
    assert all(name.startswith("a-") for name in ids_a)
    for reference in re.findall(r'(?:url\(#|href="#)([^")]+)', first):
        assert reference in ids_a


def test_a_small_cell_is_no_bar_and_under_5_in_the_table_and_the_text():
    drawn = chart(_spec())
    assert drawn.table.columns == ("Kommun", "Deltagare", "Nådda")
    assert drawn.table.rows == (("Ludvika", "12", "7"), ("Smedjebacken <b>", "<5", "<5"))
    assert "Smedjebacken <b>: Deltagare <5, Nådda <5" in drawn.text
    assert count_cell(3) == Cell(None, "<5")


@pytest.mark.parametrize(
    ("part", "whole", "text"),
    [(5, 6, "83 %"), (4, 10, "–"), (6, 4, "–"), (0, 20, "–"), (10, 20, "50 %")],
)
def test_a_share_is_withheld_when_part_or_whole_is_a_small_cell(part, whole, text):
    assert share_cell(part, whole).text == text


def test_a_number_that_is_not_a_count_is_drawn_as_it_is():
    assert number_cell(2.5) == Cell(2.5, "2,5")
    assert number_cell(None) == Cell(None, "–")


def test_a_series_must_have_a_cell_per_category():
    with pytest.raises(ValueError, match="cells"):
        ChartSpec(key="x", title="t", category_label="c", value_label="v", categories=("a",), series=(Series("s", ()),))


LABELS = ["x", "Ludvika", "Second Chance School / Smedjebacken", "Ingen metod angiven / Rättvik"]


@pytest.mark.parametrize("label", LABELS)
def test_the_fixed_layout_keeps_every_label_inside_the_figure(label):
    from matplotlib import pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from vagval.common.charts import _fixed_layout

    spec = ChartSpec(
        key="k",
        title="T",
        category_label="Kommun",
        value_label="Antal deltagare",
        categories=(label, "Ludvika"),
        series=(Series("Deltagare", (count_cell(150_000), count_cell(20))),),
    )
    figure, axes = plt.subplots(figsize=(6.4, 1.74))
    try:
        axes.barh([0, 1], [150_000, 20])
        axes.set_yticks([0, 1], labels=list(spec.categories))
        axes.set_xlabel(spec.value_label)
        _fixed_layout(figure, spec, width=6.4, height=1.74)
        canvas = FigureCanvasAgg(figure)
        canvas.draw()  # places the labels
        renderer = canvas.get_renderer()
        low, high = axes.get_xlim()
        shown = [t for t, at in zip(axes.get_xticklabels(), axes.get_xticks(), strict=True) if low <= at <= high]
        texts = [*axes.get_yticklabels(), *shown, axes.xaxis.label]
        for text in texts:
            box = text.get_window_extent(renderer)
            assert box.x0 >= 0, text.get_text()
            assert box.y0 >= 0, text.get_text()
            assert box.x1 <= figure.bbox.width, text.get_text()
    finally:
        plt.close(figure)
