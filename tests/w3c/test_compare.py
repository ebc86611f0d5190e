"""The answer comparison of the W3C harness tells apart what the suite tells apart."""

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from smartcity_kg.query import QueryResult

from .compare import difference

XSD = "http://www.w3.org/2001/XMLSchema#"
A, B = NamedNode("http://example.org/a"), NamedNode("http://example.org/b")
P = NamedNode("http://example.org/p")


def _number(lexical: str, datatype: str) -> Literal:
    return Literal(lexical, datatype=NamedNode(XSD + datatype))


def _select(*rows, variables=("x", "y")) -> QueryResult:
    return QueryResult("SELECT", list(variables), list(rows))


SAME = {
    "blank nodes renamed": (
        _select((BlankNode("a"), BlankNode("b")), (BlankNode("a"), A)),
        _select((BlankNode("x"), BlankNode("y")), (BlankNode("x"), A)),
        [],
    ),
    "variables in another order": (
        _select((A, B)),
        _select((B, A), variables=("y", "x")),
        [],
    ),
    "rows in another order without ORDER BY": (
        _select((A, B), (B, A)),
        _select((B, A), (A, B)),
        [],
    ),
    "ties of the ORDER BY variable in another order": (
        _select((A, A), (A, B)),
        _select((A, B), (A, A)),
        ["x"],
    ),
    "decimal written two ways": (
        _select((_number("1.0", "decimal"), None)),
        _select((_number("1", "decimal"), None)),
        [],
    ),
    "boolean written two ways": (
        _select((_number("0", "boolean"), None)),
        _select((_number("false", "boolean"), None)),
        [],
    ),
}

DIFFERENT = {
    "one blank node in two rows against two": (
        _select((BlankNode("a"), A), (BlankNode("a"), B)),
        _select((BlankNode("x"), A), (BlankNode("y"), B)),
        [],
    ),
    "two blank nodes against one": (
        _select((BlankNode("a"), A), (BlankNode("b"), B)),
        _select((BlankNode("x"), A), (BlankNode("x"), B)),
        [],
    ),
    "a row twice against once": (_select((A, B), (A, B)), _select((A, B)), []),
    "unbound against bound": (_select((A, None)), _select((A, B)), []),
    "ORDER BY order reversed": (_select((A, B), (B, A)), _select((B, A), (A, B)), ["x"]),
    "integer against decimal": (
        _select((_number("1", "integer"), None)),
        _select((_number("1", "decimal"), None)),
        [],
    ),
    "strings with other lexical forms": (
        _select((Literal("01"), None)),
        _select((Literal("1"), None)),
        [],
    ),
    "other variables": (_select((A, B)), _select((A, B), variables=("x", "z")), []),
    "ASK true against false": (
        QueryResult("ASK", boolean=True),
        QueryResult("ASK", boolean=False),
        [],
    ),
    "SELECT against ASK": (_select(), QueryResult("ASK", boolean=False), []),
}


@pytest.mark.parametrize(("expected", "actual", "ordered_by"), SAME.values(), ids=SAME)
def test_same_answers(expected, actual, ordered_by):
    assert difference(expected, actual, ordered_by) is None


@pytest.mark.parametrize(("expected", "actual", "ordered_by"), DIFFERENT.values(), ids=DIFFERENT)
def test_different_answers(expected, actual, ordered_by):
    assert difference(expected, actual, ordered_by) is not None


def test_graphs_compare_up_to_blank_node_renaming():
    def graph(*triples):
        return QueryResult("GRAPH", triples=list(triples))

    expected = graph(Triple(BlankNode("a"), P, A), Triple(BlankNode("a"), P, B))
    assert (
        difference(expected, graph(Triple(BlankNode("z"), P, A), Triple(BlankNode("z"), P, B)))
        is None
    )
    split = graph(Triple(BlankNode("y"), P, A), Triple(BlankNode("z"), P, B))
    assert "not isomorphic" in difference(expected, split)
