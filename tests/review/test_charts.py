"""hub/charts.py: small SVG charts that are well-formed, named for screen readers, escape
every label, and draw in colours with enough contrast."""

import xml.etree.ElementTree as ET

import pytest

from hub import charts

SVG = "{http://www.w3.org/2000/svg}"
EVIL = "<script>alert(\"x\")</script> & 'quotes'"


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))  # raises on anything that is not well-formed XML


def assert_named_image(root):
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    labelled_by = root.get("aria-labelledby").split()
    assert labelled_by and set(labelled_by) <= ids
    title = root.find(f"{SVG}title")
    assert title is not None and title.get("id") == labelled_by[0] and title.text


def test_a_sparkline_is_a_named_image_with_a_point_per_value():
    root = parse(charts.sparkline([0, 1, 1, 3, 7], title="Votes: 0 to 7", ident="trend-1"))
    assert_named_image(root)
    assert root.find(f"{SVG}title").text == "Votes: 0 to 7"
    points = root.find(f"{SVG}polyline").get("points").split()
    assert len(points) == 5
    # Higher values sit higher (smaller y); the last one carries a dot.
    ys = [float(point.split(",")[1]) for point in points]
    assert ys[0] > ys[-1] and ys[1] == ys[2]
    dot = root.find(f"{SVG}circle")
    assert (dot.get("cx"), dot.get("cy")) == tuple(points[-1].split(","))


@pytest.mark.parametrize("values", [[], [0], [5], [0, 0, 0], [2.5, 1.25]])
def test_a_sparkline_copes_with_few_or_flat_values(values):
    root = parse(charts.sparkline(values, title="t", ident="s"))
    assert len(root.find(f"{SVG}polyline").get("points").split()) >= 2


def test_labels_are_escaped_never_markup():
    bars = charts.bar_chart(
        [(EVIL, 3), ("Gewoon", 1)],
        title=EVIL,
        ident="bars",
        label_heading=EVIL,
        value_heading="n",
    )
    line = charts.line_chart([EVIL, "b"], [1, 2], title=EVIL, ident="line")
    spark = charts.sparkline([1, 2], title=EVIL, description=EVIL, ident="spark")
    for markup in (bars.svg, line, spark):
        assert "<script" not in str(markup)
        root = parse(markup)
        assert not [element for element in root.iter() if "script" in element.tag]
        assert root.find(f"{SVG}title").text == EVIL  # the reader hears the text as written
    texts = [element.text for element in parse(bars.svg).iter(f"{SVG}text")]
    assert EVIL in texts


def test_an_ident_cannot_break_out_of_its_attribute():
    markup = str(charts.sparkline([1], title="t", ident='x" onload="alert(1)'))
    root = parse(markup)
    assert "onload" not in root.attrib
    assert all("onload" not in element.attrib for element in root.iter())


def test_a_bar_chart_shows_every_value_as_text_and_gives_the_table():
    chart = charts.bar_chart(
        [("Nieuw", 12), ("Gepland", 3), ("Afgewezen", 0)],
        title="Ideeën per status",
        ident="status",
        label_heading="Status",
        value_heading="Ideeën",
    )
    root = parse(chart.svg)
    assert_named_image(root)
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert texts == ["Nieuw", "12", "Gepland", "3", "Afgewezen", "0"]
    widths = [float(rect.get("width")) for rect in root.iter(f"{SVG}rect")]
    assert widths[0] > widths[1] > widths[2] == 0
    assert "Nieuw: 12" in root.find(f"{SVG}desc").text
    assert chart.table.caption == "Ideeën per status"
    assert list(chart.table.columns) == ["Status", "Ideeën"]
    assert list(chart.table.rows) == [("Nieuw", 12), ("Gepland", 3), ("Afgewezen", 0)]


def test_a_line_chart_marks_each_point_and_labels_its_axes():
    labels = ["7 sep", "14 sep", "21 sep"]
    root = parse(charts.line_chart(labels, [4, 0, 9], title="Fietsers", ident="g-1"))
    assert_named_image(root)
    assert len(root.findall(f"{SVG}circle")) == 3
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert {"9", "0", "7 sep", "21 sep"} <= set(texts)
    assert root.find(f"{SVG}desc").text == "7 sep: 4; 14 sep: 0; 21 sep: 9"


def test_an_empty_line_chart_is_still_valid():
    root = parse(charts.line_chart([], [], title="Leeg", ident="leeg"))
    assert_named_image(root)


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast_on_white(hex_colour: str) -> float:
    return 1.05 / (_luminance(hex_colour) + 0.05)


def test_colours_have_enough_contrast_on_white():
    assert _contrast_on_white(charts.INK) >= 4.5  # text
    assert _contrast_on_white(charts.MARK) >= 3  # graphics (WCAG 1.4.11)
    assert _contrast_on_white(charts.AXIS) >= 3
