"""The stage-timeline chart: its data, its SVG, its PNG, and `smartcity-kg timeline`."""

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from smartcity_kg import timeline
from smartcity_kg.errors import ParameterError

from .conftest import ACEH_BARAT, ID, SECOND_CITY, TANGSEL, V2, V2_CITY

SVG = "{http://www.w3.org/2000/svg}"
SCRIPT = Path(sys.executable).with_name("smartcity-kg")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_timelines_of_two_cities(pages_kg):
    lines = timeline.timelines(pages_kg, ["tangerang-selatan", ID + "city/kota-contoh"], "en")
    assert [(line.city, line.name) for line in lines] == [
        (TANGSEL, "South Tangerang City"),
        (ID + "city/kota-contoh", "Example City"),
    ]
    assert [(s.name, s.begin, s.end, s.ongoing) for s in lines[0].spans] == [
        ("preparation", 2016, 2017, False),
        ("planning", 2017, 2018, False),
        ("implementation", 2018, 2021, True),
    ]
    assert [(s.stage, s.years) for s in lines[1].spans] == [
        (ID + "stage/kota-contoh-preparation", "2019–2020")
    ]


def test_a_city_without_stages_says_so(pages_kg):
    lines = timeline.timelines(pages_kg, ["kabupaten-aceh-barat"], "id")
    assert lines == [timeline.Timeline(ACEH_BARAT, "Kabupaten Aceh Barat", ())]
    assert timeline.describe(lines[0], "id") == "Kabupaten Aceh Barat: belum ada tahap tercatat."


def test_all_cities_with_stages_when_none_is_named(pages_kg):
    cities = [line.city for line in timeline.timelines(pages_kg, [], "en")]
    assert {ID + "city/kota-contoh", ID + "city/kota-contoh-dua", TANGSEL} <= set(cities)
    assert len(cities) == len(set(cities))


def test_a_city_that_is_not_a_slug_or_iri():
    with pytest.raises(ParameterError, match="'Kota Tangerang' is not a city slug"):
        timeline.city_iris(["Kota Tangerang"])


def test_svg_has_one_axis_and_text_alternatives(pages_kg):
    lines = timeline.timelines(pages_kg, ["tangerang-selatan", "kota-contoh"], "en")
    svg = ET.fromstring(timeline.svg(lines, "en", link=lambda iri: "#" + iri, ident="t1"))
    assert svg.get("aria-labelledby") == "t1-title t1-desc"
    assert svg.find(SVG + "title").text == "Stage timeline: South Tangerang City, Example City"
    assert svg.find(SVG + "desc").text == (
        "South Tangerang City: preparation 2016–2017; planning 2017–2018; "
        "implementation 2018–2021 (ongoing, ≥ 3 years). Example City: preparation 2019–2020."
    )
    years = [t.text for t in svg.iter(SVG + "text") if t.get("class") == "year"]
    assert years == [str(y) for y in range(2016, 2022)]
    links = [a.get("href") for a in svg.iter(SVG + "a")]
    assert links == [
        "#" + ID + "stage/tangerang-selatan-" + k
        for k in ("preparation", "planning", "implementation")
    ] + ["#" + ID + "stage/kota-contoh-preparation"]
    bars = {
        g.get("data-stage").rsplit("/", 1)[-1]: float(g.find(SVG + "rect").get("x"))
        for g in svg.iter(SVG + "g")
        if g.get("data-stage")
    }
    # one axis: planning (2017) starts one column after preparation (2016), Kota Contoh's
    # preparation (2019) three
    column = bars["tangerang-selatan-planning"] - bars["tangerang-selatan-preparation"]
    assert bars["kota-contoh-preparation"] - bars["tangerang-selatan-preparation"] == (
        pytest.approx(3 * column, abs=0.2)
    )


def test_png_is_rendered_without_network(pages_kg):
    chart = timeline.svg(timeline.timelines(pages_kg, ["tangerang-selatan"], "en"), "en")
    image = timeline.png(chart)
    assert image.startswith(PNG_SIGNATURE)
    width, height = int.from_bytes(image[16:20], "big"), int.from_bytes(image[20:24], "big")
    assert (width, height) == (2 * timeline.WIDTH, 2 * int(ET.fromstring(chart).get("height")))


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPT), "timeline", *args], capture_output=True, text=True, timeout=300
    )


def test_cli_writes_svg_and_png(tmp_path):
    svg_file, png_file = tmp_path / "tl.svg", tmp_path / "tl.png"
    done = run_cli(
        "tangerang-selatan",
        "kota-contoh",
        "--data",
        str(SECOND_CITY),
        "--lang",
        "id",
        "-o",
        str(svg_file),
    )
    assert (done.returncode, done.stdout) == (0, f"wrote {svg_file}\n")
    svg = ET.parse(svg_file).getroot()
    assert svg.find(SVG + "title").text == "Linimasa tahap: Kota Tangerang Selatan, Kota Contoh"
    stages = [g for g in svg.iter(SVG + "g") if "stage" in (g.get("class") or "").split()]
    assert len(stages) == 4
    done = run_cli("tangerang-selatan", "-o", str(png_file))
    assert done.returncode == 0
    assert png_file.read_bytes().startswith(PNG_SIGNATURE)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["tangerang-selatan", "-o", "tl.pdf"], "tl.pdf: write the chart to a .svg or a .png file"),
        (["atlantis", "-o", "tl.svg"], "no city atlantis in the knowledge graph"),
        (
            ["Kota X", "-o", "tl.svg"],
            "parameter city: 'Kota X' is not a city slug (like tangerang-selatan) or an IRI",
        ),
    ],
)
def test_cli_bad_input_exits_2(tmp_path, args, message):
    done = subprocess.run(
        [str(SCRIPT), "timeline", *args], capture_output=True, text=True, cwd=tmp_path, timeout=300
    )
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == f"smartcity-kg: error: {message}"
    assert list(tmp_path.iterdir()) == []


def test_ongoing_stage_is_drawn_open_ended(pages_kg):
    lines = timeline.timelines(pages_kg, ["tangerang-selatan"], "en")
    svg = ET.fromstring(timeline.svg(lines, "en", ident="t2"))
    ongoing = [g for g in svg.iter(SVG + "g") if "ongoing" in (g.get("class") or "").split()]
    assert [g.get("data-kind") for g in ongoing] == ["implementation"]
    open_end = [g for g in ongoing[0].iter(SVG + "g") if g.get("class") == "open-end"]
    assert len(open_end) == 1
    fade = open_end[0].find(SVG + "rect")
    assert fade.get("fill") == "url(#t2-fade-implementation)"
    gradients = {g.get("id") for g in svg.iter(SVG + "linearGradient")}
    assert "t2-fade-implementation" in gradients
    # the open end reaches past the last year observed (2021), the bar stops there
    bar = ongoing[0].find(SVG + "rect")
    tip = float(bar.get("x")) + float(bar.get("width"))
    assert float(fade.get("x")) == pytest.approx(tip)
    assert float(fade.get("width")) > 0
    # closed stages have no open end
    closed = [g for g in svg.iter(SVG + "g") if g.get("class") == "stage"]
    assert closed and not [g for c in closed for g in c.iter(SVG + "g") if g is not c]


def test_qualifiers_durations_and_skips(pages_kg):
    (line,) = timeline.timelines(pages_kg, ["kota-contoh-dua"], "en")
    assert [
        (s.name, s.text("en"), s.duration(), s.duration_text("en"), s.sources) for s in line.spans
    ] == [
        ("preparation", "c. 2015–2016", (1, "approximate"), "c. 1 year", ("Bab 2",)),
        ("preparation", "2016–≤ 2017", (1, "upper"), "≤ 1 year", ("p. 4",)),
        ("implementation", "≥ 2017–2020", (None, None), None, ("Bab 2",)),
    ]
    assert [(s.name, s.sources) for s in line.skips] == [("planning", ("Bab 2",))]
    (tangsel,) = timeline.timelines(pages_kg, ["tangerang-selatan"], "id")
    assert tangsel.spans[2].duration_text("id") == "≥ 3 tahun"
    assert [timeline.point("2016", q, "en") for q in (None, "approximate", "not-before")] == [
        "2016",
        "c. 2016",
        "≥ 2016",
    ]
    assert [timeline.point("2018", q, "id") for q in ("not-after", "unknown")] == ["≤ 2018", "?"]


def test_cli_draws_qualifiers_open_ends_and_skips(tmp_path):
    svg_file, png_file = tmp_path / "v2.svg", tmp_path / "v2.png"
    done = run_cli("kota-contoh-dua", "--data", str(V2_CITY), "-o", str(svg_file))
    assert (done.returncode, done.stdout) == (0, f"wrote {svg_file}\n")
    svg = ET.parse(svg_file).getroot()
    stages = [g for g in svg.iter(SVG + "g") if "stage" in (g.get("class") or "").split()]
    assert [(g.get("data-city"), g.get("data-kind"), g.get("class")) for g in stages] == [
        (V2, "preparation", "stage uncertain"),
        (V2, "preparation", "stage uncertain"),
        (V2, "implementation", "stage ongoing uncertain"),
    ]
    assert [g.get("data-begin-qualifier") for g in stages] == ["approximate", None, "not-before"]
    assert len([g for g in svg.iter(SVG + "g") if g.get("class") == "open-end"]) == 1
    assert [g.get("data-kind") for g in svg.iter(SVG + "g") if g.get("class") == "skipped"] == [
        "planning"
    ]
    assert "≥ 2017–2020 (ongoing)" in svg.find(SVG + "desc").text
    done = run_cli("kota-contoh-dua", "--data", str(V2_CITY), "-o", str(png_file))
    assert done.returncode == 0
    assert png_file.read_bytes().startswith(PNG_SIGNATURE)
