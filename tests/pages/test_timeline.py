"""The stage-timeline chart: its data, its SVG, its PNG, and `smartcity-kg timeline`."""

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from smartcity_kg import timeline
from smartcity_kg.errors import ParameterError

from .conftest import ID, SECOND_CITY, TANGSEL

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
    lines = timeline.timelines(pages_kg, ["surabaya"], "id")
    assert lines == [timeline.Timeline(ID + "city/surabaya", "Kota Surabaya", ())]
    assert timeline.describe(lines[0], "id") == "Kota Surabaya: belum ada tahap tercatat."


def test_all_cities_with_stages_when_none_is_named(pages_kg):
    cities = [line.city for line in timeline.timelines(pages_kg, [], "en")]
    assert sorted(cities) == [ID + "city/kota-contoh", TANGSEL]


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
        "implementation 2018–2021 (ongoing). Example City: preparation 2019–2020."
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
    }
    # one axis: planning (2017) starts one column after preparation (2016), Kota Contoh's
    # preparation (2019) three
    column = bars["tangerang-selatan-planning"] - bars["tangerang-selatan-preparation"]
    assert bars["kota-contoh-preparation"] - bars["tangerang-selatan-preparation"] == 3 * column


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
    assert len([g for g in svg.iter(SVG + "g") if g.get("class") == "stage"]) == 4
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
    assert (done.returncode, done.stderr) == (2, f"smartcity-kg: error: {message}\n")
    assert list(tmp_path.iterdir()) == []
