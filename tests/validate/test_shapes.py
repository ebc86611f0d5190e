"""The shapes and checks, one valid/invalid fixture pair each, on the example city; the
example and the curated graphs conform; the sh:in lists are the schemes' concepts."""

import re

import pytest
import rdflib
from rdflib.namespace import RDF, RDFS, SH, SKOS

from smartcity_kg.report import SHAPES, compact, path_text
from smartcity_kg.resources import data_dir
from smartcity_kg.terms import from_rdflib
from smartcity_kg.validate import load_checks, load_shapes, validate

from .support import EXAMPLE, FIXTURES, ROOT, expected, findings, owned, patched

PAIRS = sorted({path.name.split(".")[0] for path in FIXTURES.glob("*.ru")})
# What a shape does beyond grouping: a shape with one of these can be a result's source.
_GROUPING = {
    SH.targetClass,
    SH.targetNode,
    SH.targetObjectsOf,
    SH.targetSubjectsOf,
    SH.property,
    SH.message,
    SH.severity,
    SH.name,
    SH.description,
    SH.order,
    SH.path,
}


def found_unsorted(report) -> list[tuple[str, str, str, str]]:
    return [
        (r.severity, compact(r.focus), compact(r.source_shape), path_text(r.path) or "-")
        for r in report.results
    ]


def found(report) -> list[tuple[str, str, str, str]]:
    return sorted(found_unsorted(report))


def test_fixture_pairs_are_found_and_complete():
    assert len(PAIRS) >= 100
    for name in PAIRS:
        assert (FIXTURES / f"{name}.valid.ru").exists(), name
        assert (FIXTURES / f"{name}.invalid.ru").exists(), name


@pytest.mark.parametrize("name", PAIRS)
def test_valid_fixture_has_no_result(name, context, tmp_path):
    fixture = FIXTURES / f"{name}.valid.ru"
    report = validate([patched(fixture, tmp_path)], context=context, ownership=owned(fixture))
    assert report.results == []


@pytest.mark.parametrize("name", PAIRS)
def test_invalid_fixture_has_exactly_the_expected_results(name, context, tmp_path):
    """The exact findings: severity, focus node, source shape, path, and the message in
    English and in Indonesian."""
    fixture = FIXTURES / f"{name}.invalid.ru"
    wanted = findings(fixture)
    assert wanted, f"{fixture.name} has no `# expect:` line"
    assert all(en and id_ for *_key, en, id_ in wanted), f"{fixture.name}: a message is missing"
    data = patched(fixture, tmp_path)
    for index, lang in ((4, "en"), (5, "id")):
        report = validate([data], context=context, lang=lang, ownership=owned(fixture))
        assert found(report) == expected(fixture)
        assert sorted(
            (*key, r.message) for key, r in zip(found_unsorted(report), report.results, strict=True)
        ) == sorted((*finding[:4], finding[index]) for finding in wanted), lang


def _constraining_shapes(graph: rdflib.Graph) -> set[str]:
    shapes = set()
    for shape in set(graph.subjects(RDF.type, SH.NodeShape)) | set(
        graph.subjects(RDF.type, SH.PropertyShape)
    ):
        own = {p for p in graph.predicates(shape) if str(p).startswith(str(SH))} - _GROUPING
        if own and isinstance(shape, rdflib.URIRef):
            shapes.add(compact(from_rdflib(shape)))
    return shapes


def test_every_shape_and_check_has_an_invalid_fixture():
    graph = load_shapes()
    wanted = _constraining_shapes(graph) | {f"shape:{check.name}" for check in load_checks()}
    covered = {e[2] for name in PAIRS for e in expected(FIXTURES / f"{name}.invalid.ru")}
    assert len(wanted) > 90
    assert wanted - covered == set()


def test_every_shape_has_an_iri_a_severity_and_messages_in_english_and_indonesian():
    graph = load_shapes()
    for shape in _constraining_shapes(graph):
        node = rdflib.URIRef(SHAPES + shape.removeprefix("shape:"))
        assert graph.value(node, SH.severity) in (SH.Violation, SH.Warning), shape
        languages = sorted(m.language for m in graph.objects(node, SH.message))
        assert languages == ["en", "id"], shape
    blank = [o for o in graph.objects(None, SH.property) if isinstance(o, rdflib.BNode)]
    assert blank == [], "every property shape has an IRI, so results name their source"


def test_every_check_is_a_query_with_severity_and_both_messages():
    checks = load_checks()
    assert len(checks) >= 9
    for check in checks:
        assert check.severity in ("Violation", "Warning")
        assert sorted(check.messages) == ["en", "id"]
        assert re.search(r"SELECT\s+(DISTINCT\s+)?\?focus\b", check.text), check.name


def _scheme_leaves(ontology: rdflib.Graph, scheme_name: str) -> set[str]:
    scheme = rdflib.URIRef(f"https://w3id.org/smartcity-kg/id/scheme/{scheme_name}")
    members = set(ontology.subjects(SKOS.inScheme, scheme))
    return {str(c) for c in members if not set(ontology.objects(c, SKOS.narrower))}


def test_every_sh_in_list_of_concepts_is_the_leaves_of_its_scheme():
    ontology = rdflib.Graph().parse(data_dir("ontology") / "modules" / "schemes.ttl")
    shapes = load_shapes()
    lists = [list(shapes.items(node)) for node in shapes.objects(None, SH["in"])]
    concept_lists = [
        items
        for items in lists
        if all(str(i).startswith("https://w3id.org/smartcity-kg/id/") for i in items)
    ]
    assert len(concept_lists) >= 10
    for items in concept_lists:
        scheme = {str(i).split("/id/")[1].split("/")[0] for i in items}
        assert len(scheme) == 1, items
        assert {str(i) for i in items} == _scheme_leaves(ontology, scheme.pop())


def test_stage_kinds_are_listed_in_the_order_of_their_notation():
    ontology = rdflib.Graph().parse(data_dir("ontology") / "modules" / "schemes.ttl")
    shapes = load_shapes()
    kinds = list(shapes.items(shapes.value(rdflib.URIRef(SHAPES + "Stage-kind"), SH["in"])))
    notations = [int(ontology.value(kind, SKOS.notation)) for kind in kinds]
    assert notations == sorted(notations) == [0, 1, 2, 3]


def test_the_example_city_conforms_without_any_warning(context):
    report = validate([EXAMPLE], context=context)
    assert report.results == []
    assert report.conforms


def test_the_curated_graphs_and_the_schemes_conform(context):
    graphs = sorted((ROOT / "graphs").glob("*.ttl"))
    assert len(graphs) >= 5
    report = validate(
        [*graphs, data_dir("ontology") / "modules" / "schemes.ttl"],
        context=context,
        ownership=False,
    )
    assert report.count("Violation") == 0, report.to_text()
    assert report.conforms


def test_one_shapes_file_per_ontology_module():
    modules = {p.stem for p in (data_dir("ontology") / "modules").glob("*.ttl")}
    assert len(modules) >= 9
    assert {p.stem for p in (ROOT / "shapes").glob("*.ttl")} == modules


def test_shapes_are_commented():
    for path in sorted((ROOT / "shapes").glob("*.ttl")):
        text = path.read_text(encoding="utf-8")
        graph = rdflib.Graph().parse(path)
        for shape in graph.subjects(RDF.type, SH.NodeShape):
            assert graph.value(shape, RDFS.comment), f"{path.name}: {shape} has no rdfs:comment"
        assert text.startswith("# SHACL shapes for"), path.name
