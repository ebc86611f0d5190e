"""The HTML pages: valid HTML5 with a language, a title and text alternatives, nothing
loaded from elsewhere, and the content each page must show."""

import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import html5lib
import pytest

from smartcity_kg.queries import library, run_named
from smartcity_kg.query import query

from .conftest import ID

XHTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"
PAGES = (
    "/",
    "/id/city/tangerang-selatan",
    "/id/city/surabaya",
    "/id/city/kota-contoh",
    "/id/stage/tangerang-selatan-implementation",
    "/id/factor/leadership",
    "/id/source-part/azmi-djunaedi-2021-tabel-3",
    "/ontology",
    "/ontology/0.1.0",
    "/graph/tangerang-selatan",
    "/graph/inferred",
    "/compare",
    "/compare?city=tangerang-selatan&city=surabaya&city=kota-contoh",
    "/compare?city=kota-contoh-dua&city=kabupaten-aceh-barat",
    "/overview",
    "/overview?province=banten&cohort=gerakan-menuju-100-smart-city-2017",
    "/id/city/kota-contoh-dua",
    "/id/city/kabupaten-aceh-barat",
    "/id/province/banten",
    "/id/instant/contoh-1999",
    "/sparql",
    "/validation",
    "/id/city/atlantis",
)


def parse(html: str) -> ET.Element:
    """The document tree; html5lib's strict parser raises on any HTML5 parse error."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(html)


def text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def cell(element: ET.Element) -> str:
    """A table cell's text; the items of a list in it joined by " | "."""
    items = list(element.iter(XHTML + "li"))
    return " | ".join(map(text, items)) if items else text(element)


def rows(table: ET.Element) -> list[list[str]]:
    return [[cell(c) for c in row] for row in table.iter(XHTML + "tr")][1:]


def table_after(tree: ET.Element, heading_id: str) -> ET.Element:
    sections = [s for s in tree.iter(XHTML + "section") if s.get("aria-labelledby") == heading_id]
    assert len(sections) == 1, heading_id
    return next(sections[0].iter(XHTML + "table"))


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["en", "id"])
def test_every_page_is_accessible_html5_loading_nothing_from_elsewhere(client, path, lang):
    answer = client.get(path, headers={"Accept": "text/html", "Accept-Language": lang})
    assert answer.status_code == (404 if "atlantis" in path else 200)
    assert answer.headers["content-language"] == lang
    assert answer.headers["content-security-policy"].startswith("default-src 'self'")
    tree = parse(answer.text)
    assert tree.get("lang") == lang
    title = tree.find(f"{XHTML}head/{XHTML}title")
    assert title is not None and title.text.endswith(" · smartcity-kg") and len(title.text) > 16
    for svg in tree.iter(SVG + "svg"):
        assert svg.get("role") == "img"
        label_ids = svg.get("aria-labelledby").split()
        names = {child.tag: child for child in svg if child.tag in (SVG + "title", SVG + "desc")}
        assert [names[SVG + "title"].get("id"), names[SVG + "desc"].get("id")] == label_ids
        assert text(names[SVG + "desc"])
    for image in tree.iter(XHTML + "img"):
        assert image.get("alt")
    loaded = [e.get("src") for e in tree.iter() if e.get("src")]
    loaded += [e.get("href") for e in tree.iter(XHTML + "link")]
    assert loaded, "every page loads at least its style sheet"
    for address in loaded:
        parts = urlsplit(address)
        assert (parts.scheme, parts.netloc) in (("", ""), ("data", "")), address
    switch = [a for a in tree.iter(XHTML + "a") if a.get("hreflang")]
    assert [(a.get("hreflang"), a.get("aria-current")) for a in switch] == [
        ("en", "true" if lang == "en" else None),
        ("id", "true" if lang == "id" else None),
    ]


def test_city_page_sections(client):
    tree = parse(client.get("/id/city/tangerang-selatan?lang=en").text)
    stages = [g for g in tree.iter(SVG + "g") if "stage" in (g.get("class") or "").split()]
    assert [
        (g.get("data-kind"), g.get("data-begin"), g.get("data-end"), g.get("data-ongoing"))
        for g in stages
    ] == [
        ("preparation", "2016", "2017", "false"),
        ("planning", "2017", "2018", "false"),
        ("implementation", "2018", "2021", "true"),
    ]
    assert [g.get("class") for g in stages] == ["stage", "stage", "stage ongoing"]
    transitions = rows(table_after(tree, "transitions"))
    assert [(r[0], r[1]) for r in transitions] == [
        ("2016", "e-government → preparation"),
        ("2017", "preparation → planning"),
        ("2018", "planning → implementation"),
    ]
    # every enabler with the evidence of its own attribution
    assert transitions[1][2] == (
        "Studies, redefinition and readiness analysis of potentials and problems C.2 | "
        "Movement Towards 100 Smart Cities C.2"
    )
    assert transitions[0][3] == "leadership C.2"
    assert all(r[4] for r in transitions)
    policies = rows(table_after(tree, "policies"))
    assert [
        "planning",
        "issued in",
        "mayoral decree",
        "134",
        "2017",
        "Mayoral Decree of South Tangerang No. 134 of 2017 (smart-city implementation team)",
        "C.1",
    ] in policies
    assert [(r[0], r[1], r[3], r[4]) for r in policies if r[3] == "12"] == [
        ("implementation", "issued in", "12", "2019")
    ]
    factors = rows(table_after(tree, "factors"))
    assert {r[1] for r in factors if "(dominant)" in r[1]} == {
        "leadership (dominant)",
        "active community participation (dominant)",
    }
    groups = [r[0] for r in factors]
    assert groups == sorted(groups, key=["internal factor", "external factor", "not grouped"].index)
    assert [
        "internal factor",
        "leadership (dominant)",
        "",
        "finding",
        "preparation",
        "enabling",
        "C.1",
    ] in (factors)
    actors = rows(table_after(tree, "actors"))
    assert [r[0] for r in actors if r[0]] == [
        "academia",
        "business",
        "community",
        "government",
        "media",
    ]
    awards = rows(table_after(tree, "awards"))
    assert ("2018", "Best Smart Society") in [(r[0], r[2]) for r in awards]
    assert ("2020", "special mention") in [(r[0], r[2]) for r in awards]
    cohorts = rows(table_after(tree, "cohorts"))
    assert [r[:3] for r in cohorts] == [
        [
            "Movement Towards 100 Smart Cities, 2017 cohort (25 cities and regencies)",
            "Movement Towards 100 Smart Cities",
            "2017",
        ]
    ]
    assert cohorts[0][3].startswith("C.1")
    funding = rows(table_after(tree, "funding"))
    assert [r[:3] for r in funding] == [["regional budget (APBD)", "100%", "yes"]]
    criteria = rows(table_after(tree, "criteria"))
    assert ["smart-city council or team decreed", "planning", "2017"] in [r[:3] for r in criteria]
    programmes = [text(h) for h in tree.iter(XHTML + "h3")]
    assert programmes[-1] == "dimension not stated"
    assert {"smart governance", "smart living", "smart environment"} <= set(programmes)


def test_resource_page_shows_claims_with_their_graph_and_evidence(client):
    tree = parse(client.get("/id/stage/tangerang-selatan-planning?lang=en").text)
    assert text(next(tree.iter(XHTML + "h1"))) == "Planning stage of South Tangerang (2017-2018)"
    own = next(p for p in tree.iter(XHTML + "p") if p.get("class") == "own-evidence")
    assert text(own) == "Evidence for this resource: C.1, D, Gambar 1"
    properties = rows(table_after(tree, "properties"))
    next_stage = [
        r
        for r in properties
        if r[1] == "Implementation stage of South Tangerang (2018-2021, ongoing)"
    ]
    assert next_stage == [
        [
            "next stage",
            "Implementation stage of South Tangerang (2018-2021, ongoing)",
            "tangerang-selatan",
            "C.1, D, Gambar 1",
        ]
    ]
    incoming = rows(table_after(tree, "incoming"))
    assert [
        "issued in stage",
        "Mayoral Decree of South Tangerang No. 134 of 2017 (smart-city implementation team)",
        "tangerang-selatan",
        "C.1",
    ] in incoming


def test_comparison_factor_table_is_tabel_3(client):
    tree = parse(
        client.get("/compare?city=surabaya&city=tangerang-selatan&city=kota-contoh&lang=id").text
    )
    table = table_after(tree, "factors")
    header = [text(th) for th in next(table.iter(XHTML + "tr"))]
    assert header == [
        "Kelompok",
        "Faktor",
        "Kota Surabaya",
        "Kota Tangerang Selatan",
        "Kota Contoh",
    ]
    by_factor = {r[1]: r[2:] for r in rows(table)}
    assert len(by_factor) >= 8
    surabaya, tangsel, example = by_factor["kolaborasi berbagai pihak"]
    assert surabaya.split(" | ")[0] == "Kolaborasi Berbagai Pihak proposisi Tabel 3"
    assert (tangsel, example) == ("Kerja Sama Berbagai Pihak temuan C.3, Tabel 3", "tidak tercatat")
    # a city with two influences of one factor: both, each with its evidence
    assert by_factor["anggaran biaya"][1].split(" | ")[0] == "Anggaran Biaya temuan C.3, Tabel 3"
    stages = [g for g in tree.iter(SVG + "g") if "stage" in (g.get("class") or "").split()]
    assert [
        (g.get("data-city"), g.get("data-begin"), g.get("data-end"))
        for g in stages
        if g.get("data-city") != ID + "city/surabaya"
    ] == [
        (ID + "city/tangerang-selatan", "2016", "2017"),
        (ID + "city/tangerang-selatan", "2017", "2018"),
        (ID + "city/tangerang-selatan", "2018", "2021"),
        (ID + "city/kota-contoh", "2019", "2020"),
    ]
    cities = [text(t) for t in tree.iter(SVG + "text") if t.get("class") == "city"]
    assert cities == ["Kota Surabaya", "Kota Tangerang Selatan", "Kota Contoh"]


def test_index_lists_cities_queries_graphs(client, pages_kg):
    tree = parse(client.get("/?lang=en").text)
    cities = rows(table_after(tree, "cities"))
    assert [r[:2] for r in cities if r[0] == "South Tangerang City"] == [
        ["South Tangerang City", "3"]
    ]
    stages = [int(r[1]) for r in cities]
    assert stages == sorted(stages, reverse=True)
    assert ["Example City", "1", "0", "0"] in cities
    # only municipalities with a smart-city record; the registry's others are not listed
    assert "Aceh Barat Regency" not in [r[0] for r in cities]
    assert "Second Example City" in [r[0] for r in cities]
    queries = rows(table_after(tree, "queries"))
    assert [r[2] for r in queries] == list(library())
    assert len(queries) >= 14
    graphs = rows(table_after(tree, "graphs"))
    assert [r[0] for r in graphs] == [g.iri.rsplit("/", 1)[-1] for g in pages_kg.graphs()]
    assert [
        "inferred",
        str(next(g.triples for g in pages_kg.graphs() if g.inferred)),
        "inferred by the OWL 2 RL reasoner",
    ] in graphs


def test_ontology_page_documents_terms_in_both_languages(client):
    tree = parse(client.get("/ontology?lang=id").text)
    row = next(r for r in tree.iter(XHTML + "tr") if r.get("id") == "PlanningStage")
    cells = [text(c) for c in row]
    assert cells[:4] == [
        "sck:PlanningStage",
        "planning stage",
        "tahap perencanaan",
        "tahap perkembangan",
    ]
    assert cells[4] == (
        "A development stage in which the municipality formulates smart-city policy, targets, "
        "indicators and implementation guidelines; the stage whose stage kind is planning."
    )
    schemes = [text(h) for h in tree.iter(XHTML + "h3")]
    assert {
        "skema jenis produk hukum",
        "skema kategori penghargaan",
        "skema dimensi kota cerdas",
        "skema faktor pengaruh",
        "skema peran faktor",
        "skema sektor pentaheliks",
        "skema jenis dokumen perencanaan",
        "skema jenis tahap",
        "skema keterangan kepastian tanggal",
        "skema kriteria tahap",
    } <= set(schemes)


def test_timeline_chart(client):
    answer = client.get("/timeline.svg?city=tangerang-selatan&lang=id")
    assert answer.headers["content-type"] == "image/svg+xml"
    svg = ET.fromstring(answer.content)
    assert svg.find(SVG + "title").text == "Linimasa tahap: Kota Tangerang Selatan"
    assert svg.find(SVG + "desc").text == (
        "Kota Tangerang Selatan: persiapan 2016–2017; perencanaan 2017–2018; "
        "implementasi 2018–2021 (berlangsung, ≥ 3 tahun)."
    )
    bad = client.get("/timeline.svg?city=Not A Slug")
    assert bad.status_code == 400
    assert "is not a city slug" in bad.json()["detail"]


def test_static_files_stay_in_their_folder(client):
    assert client.get("/static/pages.css").status_code == 200
    for path in ("/static/../pages.py", "/static/%2e%2e/pages.py", "/static/nothing.css"):
        answer = client.get(path)
        assert answer.status_code == 404, path


def test_sparql_page_has_a_tab_per_named_query(client):
    html = client.get("/sparql", headers={"Accept": "text/html"}).text
    config = re.search(
        r'<script type="application/json" id="yasgui-config">(.*?)</script>', html, re.S
    )
    tabs = json.loads(config.group(1))["tabs"]
    assert [t["name"] for t in tabs] == list(library())
    cq01 = next(t for t in tabs if t["name"] == "cq01-stages")["query"]
    assert f"VALUES (?city) {{ (<{ID}city/tangerang-selatan>) }}" in cq01


def test_every_sparql_tab_parses_and_answers_as_its_named_query(client, pages_kg):
    html = client.get("/sparql", headers={"Accept": "text/html"}).text
    config = re.search(
        r'<script type="application/json" id="yasgui-config">(.*?)</script>', html, re.S
    )
    tabs = json.loads(config.group(1))["tabs"]
    assert len(tabs) > 10 and {"cq04", "cq06", "cq12"} <= {t["name"][:4] for t in tabs}
    for tab in tabs:
        named = library()[tab["name"]]
        examples = {p.name: p.default or p.example for p in named.params if p.default or p.example}
        answer = query(pages_kg, tab["query"])  # raises on a text pyoxigraph cannot parse
        expected = run_named(pages_kg, tab["name"], examples)
        assert answer.form == expected.form, tab["name"]
        if expected.form == "SELECT":
            assert sorted(map(repr, answer.records())) == sorted(map(repr, expected.records())), (
                tab["name"]
            )


def test_a_compared_city_that_is_no_iri_is_400_naming_the_parameter(client):
    response = client.get("/compare?city=http://[x")
    assert response.status_code == 400
    assert "parameter city: 'http://[x' is not a city slug" in response.text
    assert "ValueError" not in response.text
