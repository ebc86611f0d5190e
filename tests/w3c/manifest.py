"""Read the W3C SPARQL 1.1 query evaluation tests from their manifests.

A test names a query, the files of its dataset (`qt:data` for the default graph,
`qt:graphData` for named graphs, each named by its file IRI) and the expected result.
"""

import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from urllib.parse import unquote, urlsplit

import rdflib

# The W3C test data, vendored in tests/data/w3c (its SOURCES.md says where it is from).
SUITE = Path(__file__).resolve().parents[1] / "data/w3c/rdf-tests/sparql/sparql11"

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
EVALUATION_TYPES = {MF.QueryEvaluationTest, MF.CSVResultFormatTest}

# Evaluation tests each category held when this harness was written: fewer means the
# manifests were not found or not read.
CATEGORIES = {
    "aggregates": 42,
    "bind": 10,
    "bindings": 11,
    "cast": 6,
    "construct": 5,
    "csv-tsv-res": 6,
    "exists": 6,
    "functions": 75,
    "grouping": 4,
    "json-res": 4,
    "negation": 12,
    "project-expression": 7,
    "property-path": 33,
    "subquery": 14,
}

# The outer query's solution modifiers follow its last closing brace.
_ORDER_BY = re.compile(r"\bORDER\s+BY\b(.*?)(?:\bLIMIT\b|\bOFFSET\b|$)", re.I | re.S)
# FROM <...> or FROM NAMED <...>: the query describes its own dataset.
_FROM = re.compile(r"\bFROM\s+(?:NAMED\s+)?<", re.IGNORECASE)


@dataclass(frozen=True)
class EvaluationTest:
    """One query evaluation test: query, dataset files and expected result, as local paths."""

    category: str
    name: str
    query: Path
    data: tuple[Path, ...]
    graph_data: tuple[Path, ...]
    result: Path

    @property
    def id(self) -> str:
        return f"{self.category}/{self.name}"

    @cached_property
    def text(self) -> str:
        return self.query.read_text(encoding="utf-8")

    @property
    def base_iri(self) -> str:
        return self.query.as_uri()

    @property
    def ordered_by(self) -> list[str]:
        """The variables the outer ORDER BY sorts on, in order; empty when it is unordered."""
        match = _ORDER_BY.search(self.text.rpartition("}")[2])
        return re.findall(r"\?(\w+)", match.group(1)) if match else []

    @property
    def names_own_dataset(self) -> bool:
        """Whether the query has FROM or FROM NAMED, which replace the test's dataset."""
        return bool(_FROM.search(self.text))


def _path(iri: rdflib.term.Node) -> Path:
    return Path(unquote(urlsplit(str(iri)).path))


@cache
def read_manifest(category: str) -> tuple[EvaluationTest, ...]:
    """The evaluation tests listed in `category`'s manifest (syntax tests left out)."""
    path = (SUITE / category / "manifest.ttl").resolve()
    graph = rdflib.Graph().parse(path, format="turtle", publicID=path.as_uri())
    tests = []
    for entries in graph.objects(None, MF.entries):
        for test in graph.items(entries):
            if graph.value(test, rdflib.RDF.type) not in EVALUATION_TYPES:
                continue
            action = graph.value(test, MF.action)
            tests.append(
                EvaluationTest(
                    category=category,
                    name=str(test).rpartition("#")[2],
                    query=_path(graph.value(action, QT.query)),
                    data=tuple(sorted(map(_path, graph.objects(action, QT.data)))),
                    graph_data=tuple(sorted(map(_path, graph.objects(action, QT.graphData)))),
                    result=_path(graph.value(test, MF.result)),
                )
            )
    return tuple(tests)


def all_tests() -> list[EvaluationTest]:
    """Every evaluation test of every category, manifest order."""
    return [test for category in CATEGORIES for test in read_manifest(category)]
