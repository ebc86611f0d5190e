"""`update`: the library function and the verb replace a city's own graph, show what changes
and validate the city as it will be; read errors in the chosen language and as JSON."""

import json
import shutil

import pyoxigraph
import pytest

from smartcity_kg.add import add, update
from smartcity_kg.cli.main import main
from smartcity_kg.iris import graph_iri
from smartcity_kg.store import load

from .support import EXAMPLE, ROOT

CONTOH = graph_iri("contoh")


@pytest.fixture
def graphs(tmp_path):
    """A copy of the curated graphs with the example city added."""
    copy = tmp_path / "graphs"
    shutil.copytree(ROOT / "graphs", copy)
    assert add(EXAMPLE, graphs_dir=copy).added
    return copy


def renamed(tmp_path, label: str = "Example City"):
    """The example with another English label for the city."""
    data = tmp_path / "contoh-v2.ttl"
    data.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace('"Contoh City"@en', f'"{label}"@en'),
        encoding="utf-8",
    )
    return data


def _labels(folder) -> set[str]:
    kg = load(sorted(folder.glob("*.ttl")))
    city = pyoxigraph.NamedNode("https://w3id.org/smartcity-kg/id/city/contoh")
    label = pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    return {q.object.value for q in kg.store.quads_for_pattern(city, label, None)}


def test_update_replaces_the_city_and_shows_the_difference(graphs, tmp_path, capsys):
    assert main(["update", str(renamed(tmp_path)), "--graphs-dir", str(graphs)]) == 0
    written = graphs / "contoh.ttl"
    assert capsys.readouterr().out == (
        "1 triple(s) added, 1 removed\n"
        '+ city/contoh rdfs:label "Example City"@en\n'
        '- city/contoh rdfs:label "Contoh City"@en\n'
        f"updated <{CONTOH}> in {written}: 357 triples\n"
    )
    assert written.read_text(encoding="utf-8").startswith(
        "# contoh.ttl\n# Named graph: https://w3id.org/smartcity-kg/graph/contoh\n"
        "# Updated with `smartcity-kg update` from contoh-v2.ttl, validated against the shapes.\n"
    )
    assert _labels(graphs) == {"Example City", "Kota Contoh"}
    assert not list(graphs.glob(".*.tmp"))


def test_update_as_a_library_function(graphs, tmp_path):
    done = update(renamed(tmp_path), graphs_dir=graphs)
    assert (done.graph, done.triples, done.where) == (CONTOH, 357, str(graphs / "contoh.ttl"))
    assert done.diff.lines() == [
        '+ city/contoh rdfs:label "Example City"@en',
        '- city/contoh rdfs:label "Contoh City"@en',
    ]


def test_a_dry_run_shows_the_difference_and_writes_nothing(graphs, tmp_path, capsys):
    before = (graphs / "contoh.ttl").read_bytes()
    argv = ["update", str(renamed(tmp_path)), "--graphs-dir", str(graphs), "--dry-run"]
    assert main(argv) == 0
    assert capsys.readouterr().out == (
        "1 triple(s) added, 1 removed\n"
        '+ city/contoh rdfs:label "Example City"@en\n'
        '- city/contoh rdfs:label "Contoh City"@en\n'
    )
    assert (graphs / "contoh.ttl").read_bytes() == before


def test_an_update_that_does_not_conform_changes_nothing(graphs, tmp_path, capsys):
    data = tmp_path / "contoh-broken.ttl"
    data.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace(
            'time:inXSDgYear "2019"^^xsd:gYear .\ninstant:contoh-masterplan',
            'time:inXSDgYear "20l9"^^xsd:gYear .\ninstant:contoh-masterplan',
        ),
        encoding="utf-8",
    )
    before = (graphs / "contoh.ttl").read_bytes()
    assert main(["update", str(data), "--graphs-dir", str(graphs), "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["report"]["conforms"] is False
    assert out["diff"]["added"] == out["diff"]["removed"] == 1
    assert (graphs / "contoh.ttl").read_bytes() == before


def test_update_of_a_city_without_a_graph_is_refused(tmp_path, capsys):
    copy = tmp_path / "graphs"
    shutil.copytree(ROOT / "graphs", copy)
    assert main(["update", str(EXAMPLE), "--graphs-dir", str(copy)]) == 2
    assert capsys.readouterr().err == (
        f"smartcity-kg: error: there is no graph <{CONTOH}> ({copy / 'contoh.ttl'}) to update: "
        "`smartcity-kg add` adds a new city\n"
    )


def test_update_in_a_store(tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["add", str(EXAMPLE), "--store", str(store)]) == 0
    assert main(["update", str(renamed(tmp_path)), "--store", str(store)]) == 0
    assert capsys.readouterr().out.endswith(
        f"updated <{CONTOH}> in the store {store}: 357 triples\n"
    )
    sparql = (
        "SELECT ?l WHERE { <https://w3id.org/smartcity-kg/id/city/contoh> "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(LANG(?l) = 'en') }"
    )
    assert main(["query", "--sparql", sparql, "--store", str(store), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["l", "Example City"]


# ---------------------------------------------------------------------------------------
# Read errors in the chosen language and form
# ---------------------------------------------------------------------------------------


def test_a_parse_error_in_indonesian_and_as_json(tmp_path, capsys):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c ex:d .\n", encoding="utf-8")
    assert main(["validate", str(bad), "--lang", "id"]) == 2
    assert capsys.readouterr().err == (
        f"smartcity-kg: kesalahan: {bad}:2:16: kesalahan sintaks RDF: Parser error at line 2 "
        "between columns 16 and 20: A dot is expected at the end of statements\n"
    )
    assert main(["validate", str(bad), "--format", "json"]) == 2
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {
        "error": f"{bad}:2:16: Parser error at line 2 between columns 16 and 20: A dot is "
        "expected at the end of statements",
        "problems": [],
    }
    assert captured.err == ""


def test_template_problems_in_indonesian_and_as_json(tmp_path, capsys):
    folder = tmp_path / "kota"
    assert main(["template", "--format", "csv", "-o", str(folder)]) == 0
    (folder / "city.csv").write_text(
        "official_name,label_en,label_id\nKota Sukamaju,Sukamaju City,Kota Sukamaju\n",
        encoding="utf-8",
    )
    (folder / "stages.csv").write_text(
        "kind,label_en,label_id,begin,status\npreparation,P,P,20l6,\nplanning,Q,Q,2017,maybe\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["validate", str(folder), "--lang", "id", "--format", "json"]) == 2
    assert json.loads(capsys.readouterr().out) == {
        "error": f"{folder}: 2 masalah dalam templat:\n"
        "  stages, baris 2, begin: '20l6' bukan tahun atau tanggal (2017 atau 2017-03-01)\n"
        "  stages, baris 3, status: 'maybe' bukan salah satu dari: recorded, skipped, ongoing",
        "problems": [
            "stages, baris 2, begin: '20l6' bukan tahun atau tanggal (2017 atau 2017-03-01)",
            "stages, baris 3, status: 'maybe' bukan salah satu dari: recorded, skipped, ongoing",
        ],
    }
    assert main(["import", str(folder), "-o", str(tmp_path / "x.ttl"), "--lang", "id"]) == 2
    assert capsys.readouterr().err.startswith(
        f"smartcity-kg: kesalahan: {folder}: 2 masalah dalam templat:\n"
    )
