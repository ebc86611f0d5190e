"""load(): one named graph per file, every RDF format, all or nothing, located errors."""

from pathlib import Path

import pytest

from smartcity_kg.errors import LoadError
from smartcity_kg.iris import graph_iri
from smartcity_kg.store import default_sources, load
from smartcity_kg.store.load import ontology_files

FIXTURES = Path(__file__).parent / "fixtures"


def test_each_file_becomes_its_own_named_graph():
    kg = load([FIXTURES / "city.ttl", FIXTURES / "stage.nt"])
    assert {(g.iri, g.triples) for g in kg.graphs()} == {
        (graph_iri("city"), 4),
        (graph_iri("stage"), 1),
    }
    assert kg.sources[graph_iri("city")] == FIXTURES / "city.ttl"


def test_trig_default_graph_goes_to_the_file_graph_and_named_graphs_are_kept():
    kg = load([FIXTURES / "awards.trig"])
    assert {(g.iri, g.triples) for g in kg.graphs()} == {
        (graph_iri("awards"), 1),
        ("http://example.org/extra", 1),
    }


def test_a_syntax_error_names_file_line_and_column_and_loads_nothing():
    kg = load([FIXTURES / "city.ttl"])
    with pytest.raises(LoadError) as caught:
        load([FIXTURES / "stage.nt", FIXTURES / "city-broken.ttl"], into=kg)
    message = str(caught.value)
    assert message.startswith(f"{FIXTURES / 'city-broken.ttl'}:6:")
    assert "Unexpected end of file" in message or "unterminated" in message.lower()
    assert [g.iri for g in kg.graphs()] == [graph_iri("city")]
    assert len(kg) == 4


def test_remote_jsonld_context_is_refused_not_fetched():
    with pytest.raises(LoadError, match="remote-context.jsonld.*remote context"):
        load([FIXTURES / "remote-context.jsonld"])


def test_invalid_utf8_is_a_located_error():
    with pytest.raises(LoadError, match=r"not-utf8\.ttl:1:"):
        load([FIXTURES / "not-utf8.ttl"])


def test_unknown_suffix_and_missing_file_are_clear_errors(tmp_path):
    sheet = tmp_path / "city.docx"
    sheet.write_text("not rdf")
    with pytest.raises(LoadError, match=r"city\.docx: unknown RDF file type '\.docx'"):
        load([sheet])
    with pytest.raises(LoadError, match=r"nowhere\.ttl: no such file or folder"):
        load([tmp_path / "nowhere.ttl"])


def test_two_files_with_one_stem_clash(tmp_path):
    (tmp_path / "stage.ttl").write_text("<http://example.org/a> <http://example.org/b> 1 .")
    with pytest.raises(LoadError, match=r"graph <.*/graph/stage> is already loaded from"):
        load([FIXTURES / "stage.nt", tmp_path / "stage.ttl"])


def test_a_folder_contributes_its_rdf_files(tmp_path):
    (tmp_path / "a.ttl").write_text("<http://example.org/a> <http://example.org/b> 1 .")
    (tmp_path / "notes.txt").write_text("ignored")
    kg = load([tmp_path])
    assert [g.iri for g in kg.graphs()] == [graph_iri("a")]


def test_on_disk_store_keeps_the_graphs(tmp_path):
    location = tmp_path / "store"
    kg = load([FIXTURES / "city.ttl"], store=location)
    assert len(kg) == 4
    del kg
    again = load([FIXTURES / "stage.nt"], store=location)
    assert {g.iri for g in again.graphs()} == {graph_iri("city"), graph_iri("stage")}


def test_ontology_imports_resolve_to_local_files_only():
    files = ontology_files()
    assert files[0].name == "smartcity-kg.ttl"
    assert all(f.is_file() for f in files)
    assert len(files) > 1


def test_an_import_with_no_local_copy_is_refused(tmp_path):
    (tmp_path / "onto.ttl").write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "<https://w3id.org/smartcity-kg/ontology> a owl:Ontology ;\n"
        "    owl:imports <http://example.org/elsewhere> .\n"
    )
    with pytest.raises(LoadError, match=r"<http://example.org/elsewhere> has no local copy"):
        ontology_files(tmp_path)


def test_default_sources_are_the_ontology_closure_and_the_curated_graphs():
    sources = default_sources()
    assert sources[: len(ontology_files())] == ontology_files()
    curated = [p.name for p in sources if p.parent.name == "graphs"]
    assert "tangerang-selatan.ttl" in curated
    assert "surabaya.ttl" in curated


def test_xml_entities_are_refused_before_parsing(tmp_path):
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY a "aaaaaaaaaa">\n'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:ex="http://example.org/">\n<rdf:Description rdf:about="http://example.org/x">'
        "<ex:p>&b;</ex:p></rdf:Description>\n</rdf:RDF>\n"
    )
    with pytest.raises(LoadError, match=r"bomb\.rdf:3: XML entity declarations are not accepted"):
        load([bomb])


def test_a_dataset_file_cannot_write_into_graphs_it_does_not_own(tmp_path):
    kg = load([FIXTURES / "city.ttl"])
    intruder = tmp_path / "intruder.trig"
    intruder.write_text(
        "<https://w3id.org/smartcity-kg/graph/city> { <http://example.org/x> "
        "<http://example.org/y> <http://example.org/z> . }\n"
    )
    with pytest.raises(LoadError, match=r"intruder\.trig: writes into graph <.*/graph/city>"):
        load([intruder], into=kg)
    inferred = tmp_path / "fake-inferences.trig"
    inferred.write_text(
        "<https://w3id.org/smartcity-kg/graph/inferred> { <http://example.org/x> "
        "<http://example.org/y> <http://example.org/z> . }\n"
    )
    with pytest.raises(LoadError, match=r"writes into graph <.*/graph/inferred>"):
        load([inferred], into=kg)
    assert [g.iri for g in kg.graphs()] == [graph_iri("city")]


NO_BASE = (
    "relative IRI <#x> and no base IRI to resolve it against; give one (--data-base with "
    "--data; --base with validate, add and update; base_iri= in Python) or declare @base in "
    "the file"
)
SEE_ALSO = "http://www.w3.org/2000/01/rdf-schema#seeAlso"


@pytest.mark.parametrize("name", ["relative.ttl", "relative.jsonld"])
def test_relative_iris_resolve_against_the_base_given(name):
    kg = load([FIXTURES / name], base_iri="https://example.org/data/")
    rows = kg.store.query(f"SELECT ?s ?o WHERE {{ ?s <{SEE_ALSO}> ?o }}")
    assert [(r["s"].value, r["o"].value) for r in rows] == [
        ("https://example.org/data/#x", "https://example.org/data/city/foo")
    ]


@pytest.mark.parametrize("name, where", [("relative.ttl", ":4:1"), ("relative.jsonld", "")])
def test_without_a_base_relative_iris_are_refused_never_made_file_iris(name, where):
    with pytest.raises(LoadError) as refused:
        load([FIXTURES / name])
    assert str(refused.value) == f"{FIXTURES / name}{where}: {NO_BASE}"


def test_a_base_that_is_not_an_absolute_iri_is_refused():
    with pytest.raises(LoadError) as refused:
        load([FIXTURES / "relative.ttl"], base_iri="city/")
    assert str(refused.value) == (
        "<city/> is not an absolute base IRI: No scheme found in an absolute IRI"
    )
