"""The W3C SHACL core test suite through `validate()`, compared with the expected reports and
with pySHACL run directly on the same files.

The suite is `tests/data/w3c/data-shapes`, vendored from the shared W3C copy (only its
`core/` part is there; the SHACL-SPARQL manifest it also includes was not copied). A report
matches when its conformance and its results - focus node, path, value, severity, source
shape and constraint component, with blank nodes matched by isomorphism - equal the expected
ones; messages are not compared.
"""

from pathlib import Path
from urllib.parse import unquote, urlparse

import pyoxigraph
import pyshacl
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SH

from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.validate import validate

# pySHACL and rdflib warn about their own deprecations, and rdflib about the suite's
# deliberately ill-formed booleans: neither is about the project.
pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Parsing weird boolean:UserWarning"),
]
SUITE = Path(__file__).resolve().parents[1] / "data" / "w3c" / "data-shapes"
CORE = SUITE / "data-shapes-test-suite" / "tests" / "core" / "manifest.ttl"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = rdflib.Namespace("http://www.w3.org/ns/shacl-test#")
RESULT_KEYS = (
    SH.focusNode,
    SH.resultPath,
    SH.value,
    SH.resultSeverity,
    SH.sourceShape,
    SH.sourceConstraintComponent,
)

# Tests whose outcome through validate() differs from the expected report, with the reason.
KNOWN_FAILURES: dict[str, str] = {}


def _path(uri: rdflib.URIRef) -> Path:
    return Path(unquote(urlparse(str(uri)).path))


def _tests(manifest: Path):
    """(name, data file, shapes file, manifest graph, expected report node) of every
    sht:Validate entry under `manifest`, following mf:include."""
    graph = rdflib.Graph().parse(manifest, publicID=manifest.as_uri())
    for node in graph.subjects(RDF.type, MF.Manifest):
        for include in graph.objects(node, MF.include):
            yield from _tests(_path(include))
        for entries in graph.objects(node, MF.entries):
            for entry in graph.items(entries):
                if (entry, RDF.type, SHT.Validate) not in graph:
                    continue
                action = graph.value(entry, MF.action)
                name = str(entry).split("/tests/core/")[-1]
                yield (
                    name,
                    _path(graph.value(action, SHT.dataGraph)),
                    _path(graph.value(action, SHT.shapesGraph)),
                    graph,
                    graph.value(entry, MF.result),
                )


TESTS = list(_tests(CORE)) if CORE.exists() else []


def _report(graph: rdflib.Graph, report: rdflib.term.Node) -> rdflib.Graph:
    """The comparable part of a report: conformance and the result keys, each result with
    its own copy of its path, literals in rdflib's normal form (as the manifest is read)."""
    out = rdflib.Graph()
    out.add((rdflib.BNode(), SH.conforms, _normal(graph.value(report, SH.conforms))))
    for result in graph.objects(report, SH.result):
        node = rdflib.BNode()
        for key in RESULT_KEYS:
            for value in graph.objects(result, key):
                value = _copy_path(graph, value, out) if key == SH.resultPath else value
                out.add((node, key, _normal(value)))
    return out


def _copy_path(graph: rdflib.Graph, node: rdflib.term.Node, out: rdflib.Graph):
    if not isinstance(node, rdflib.BNode):
        return node
    copy = rdflib.BNode()
    for p, o in graph.predicate_objects(node):
        out.add((copy, p, _copy_path(graph, o, out)))
    return copy


def _normal(term):
    if isinstance(term, rdflib.Literal):
        return rdflib.Literal(str(term), lang=term.language, datatype=term.datatype)
    return term


def _single_report(graph: rdflib.Graph) -> rdflib.term.Node:
    return next(graph.subjects(RDF.type, SH.ValidationReport))


def test_the_suite_is_found():
    assert len(TESTS) >= 90, f"expected the W3C SHACL core tests under {CORE}"


@pytest.mark.parametrize("name, data, shapes, manifest, expected", TESTS, ids=[t[0] for t in TESTS])
def test_core_test_through_validate(name, data, shapes, manifest, expected):
    empty = KnowledgeGraph(pyoxigraph.Store())
    ours = validate(
        [data], context=empty, shapes=[shapes], checks=[], base_iri=data.as_uri()
    ).to_graph()
    _conforms, direct, _text = pyshacl.validate(
        str(data), shacl_graph=str(shapes), inference="none", allow_warnings=False
    )
    want = _report(manifest, expected)
    got = _report(ours, _single_report(ours))
    by_pyshacl = _report(direct, _single_report(direct))
    assert isomorphic(by_pyshacl, want), f"{name}: pySHACL itself disagrees with the suite"
    if name in KNOWN_FAILURES:
        assert not isomorphic(got, want), f"{name} now passes: remove it from KNOWN_FAILURES"
        return
    assert isomorphic(got, want), (
        f"{name}\nexpected:\n{want.serialize(format='turtle')}\n"
        f"validate() gave:\n{got.serialize(format='turtle')}"
    )
