"""Answers as QueryResults: the expected one from a test's result file, the actual one as tested.

Result files are SPARQL results in XML, JSON or TSV, CSV, or RDF: a result set in the
`rs:` vocabulary (with `rs:index` when ordered) or, for CONSTRUCT, the graph itself.
"""

import csv
import io
from collections import defaultdict

import pyoxigraph

from smartcity_kg.query import QueryResult
from smartcity_kg.results import serialize
from smartcity_kg.store.load import parse

from .manifest import EvaluationTest

RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"
RDF_TYPE = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def expected_answer(test: EvaluationTest) -> QueryResult:
    """The answer the test's result file holds."""
    path = test.result
    if path.suffix == ".csv":
        return _from_csv(path.read_text(encoding="utf-8"))
    results_format = pyoxigraph.QueryResultsFormat.from_extension(path.suffix[1:])
    if results_format is not None:
        return _from_results(pyoxigraph.parse_query_results(path=path, format=results_format))
    return _from_rdf([quad.triple for quad in parse(path, path.as_uri())])


def as_tested(test: EvaluationTest, actual: QueryResult) -> QueryResult:
    """`actual` as the test compares it: CSV result files are met with the project's CSV."""
    if test.result.suffix == ".csv":
        return _from_csv(serialize(actual, "csv").decode("utf-8"))
    return actual


def _from_results(parsed) -> QueryResult:
    if isinstance(parsed, pyoxigraph.QueryBoolean):
        return QueryResult("ASK", boolean=bool(parsed))
    return QueryResult("SELECT", [v.value for v in parsed.variables], [tuple(s) for s in parsed])


def _from_csv(text: str) -> QueryResult:
    """CSV keeps only lexical forms: `_:x` cells become blank nodes, other cells plain literals."""
    header, *rows = csv.reader(io.StringIO(text))
    return QueryResult("SELECT", header, [tuple(map(_csv_cell, row)) for row in rows])


def _csv_cell(cell: str):
    if not cell:
        return None
    if cell.startswith("_:"):
        return pyoxigraph.BlankNode(cell[2:])
    return pyoxigraph.Literal(cell)


def _from_rdf(triples: list[pyoxigraph.Triple]) -> QueryResult:
    """A result set written in the `rs:` vocabulary, or else a CONSTRUCT graph."""
    about = defaultdict(lambda: defaultdict(list))
    for t in triples:
        about[t.subject][t.predicate.value].append(t.object)
    result_set = pyoxigraph.NamedNode(RS + "ResultSet")
    heads = [t.subject for t in triples if t.predicate == RDF_TYPE and t.object == result_set]
    if not heads:
        return QueryResult("GRAPH", triples=triples)
    (head,) = heads
    if about[head][RS + "boolean"]:
        return QueryResult("ASK", boolean=about[head][RS + "boolean"][0].value == "true")
    variables = [v.value for v in about[head][RS + "resultVariable"]]
    solutions = []
    for solution in about[head][RS + "solution"]:
        values = {}
        for binding in about[solution][RS + "binding"]:
            (name,) = about[binding][RS + "variable"]
            (values[name.value],) = about[binding][RS + "value"]
        index = about[solution][RS + "index"]
        solutions.append((int(index[0].value) if index else 0, values))
    solutions.sort(key=lambda pair: pair[0])
    rows = [tuple(values.get(v) for v in variables) for _, values in solutions]
    return QueryResult("SELECT", variables, rows)
