"""Compare two answers the way the W3C test suite means them to be compared.

SELECT: the same variables and the same multiset of solutions, blank nodes matched by one
consistent renaming (a bijection) across the whole answer; with ORDER BY, also the same
sequence of the ordering variables (blank nodes there only have to be blank, since their
relative order is not defined). Terms compare as RDF terms: lexical form, datatype and
language, except that numeric and boolean literals compare by datatype and value: the store
canonicalises them on loading ("1.0"^^xsd:decimal comes back as "1", "0"^^xsd:boolean as
"false"), and oxigraph's and rdflib's own suite runners compare them by value too.
ASK: the same boolean. CONSTRUCT: isomorphic graphs.
"""

from collections import Counter
from decimal import Decimal, InvalidOperation

import pyoxigraph
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from smartcity_kg.query import QueryResult
from smartcity_kg.terms import to_rdflib

_BLANK = "_:*"
XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    "integer", "nonPositiveInteger", "negativeInteger", "long", "int", "short", "byte",
    "nonNegativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
    "positiveInteger",
}  # fmt: skip
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
_VALUES = {
    XSD + "decimal": Decimal,
    XSD + "float": float,
    XSD + "double": float,
    XSD + "boolean": _BOOLEANS.__getitem__,
} | {XSD + name: int for name in _INTEGERS}


def difference(expected: QueryResult, actual: QueryResult, ordered_by=()) -> str | None:
    """How `actual` differs from `expected`, or None when they are the same answer."""
    if expected.form != actual.form:
        return f"expected a {expected.form} answer, got a {actual.form} answer"
    if expected.form == "ASK":
        return None if expected.boolean == actual.boolean else f"expected {expected.boolean}"
    if expected.form == "GRAPH":
        return _graph_difference(expected.triples, actual.triples)
    if sorted(expected.variables) != sorted(actual.variables):
        return f"expected variables {expected.variables}, got {actual.variables}"
    variables = sorted(expected.variables)
    want, got = _aligned(expected, variables), _aligned(actual, variables)
    missing = Counter(map(_shape, want)) - Counter(map(_shape, got))
    extra = Counter(map(_shape, got)) - Counter(map(_shape, want))
    if missing or extra:
        return (
            f"over {variables}, expected but missing: {_show(missing)}; unexpected: {_show(extra)}"
        )
    if not _match([r for r in want if _has_blank(r)], [r for r in got if _has_blank(r)], {}):
        return "no one renaming of blank nodes maps the solutions onto the expected ones"
    keys = [variables.index(v) for v in ordered_by]
    if [_order_key(row, keys) for row in want] != [_order_key(row, keys) for row in got]:
        return f"ORDER BY {ordered_by}: the solutions are not in the expected order"
    return None


def _aligned(result: QueryResult, variables: list[str]) -> list[tuple]:
    """Rows with their values in the order of `variables`."""
    positions = [result.variables.index(v) for v in variables]
    return [tuple(row[i] for i in positions) for row in result.rows]


def _is_blank(term) -> bool:
    return isinstance(term, pyoxigraph.BlankNode)


def _has_blank(row: tuple) -> bool:
    return any(map(_is_blank, row))


def _value(term):
    """A numeric or boolean literal as (datatype, value); any other term as itself."""
    if not isinstance(term, pyoxigraph.Literal) or term.datatype.value not in _VALUES:
        return term
    try:
        value = _VALUES[term.datatype.value](term.value.strip())
    except (ValueError, KeyError, InvalidOperation):
        return term
    return term.datatype.value, "NaN" if value != value else value


def _shape(row: tuple) -> tuple:
    """The row with numbers as values and every blank node replaced by one placeholder."""
    return tuple(_BLANK if _is_blank(term) else _value(term) for term in row)


def _order_key(row: tuple, keys: list[int]) -> tuple:
    return tuple(_shape(row)[i] for i in keys)


def _match(want: list[tuple], got: list[tuple], renaming: dict) -> bool:
    """Whether some extension of `renaming` (blank node -> blank node, one to one) maps
    the rows `got` onto the rows `want`, each row used once."""
    if not want:
        return True
    first, rest = want[0], want[1:]
    for i, candidate in enumerate(got):
        extended = _unify(first, candidate, renaming)
        if extended is not None and _match(rest, got[:i] + got[i + 1 :], extended):
            return True
    return False


def _unify(wanted: tuple, row: tuple, renaming: dict) -> dict | None:
    extended = dict(renaming)
    for expected, actual in zip(wanted, row, strict=True):
        if _is_blank(expected) and _is_blank(actual):
            if extended.setdefault(expected, actual) != actual:
                return None
        elif _value(expected) != _value(actual):
            return None
    return extended if len(set(extended.values())) == len(extended) else None


def _show(rows: Counter) -> str:
    if not rows:
        return "nothing"
    return "; ".join(
        f"{count} x ({', '.join('UNDEF' if t is None else str(t) for t in row)})"
        for row, count in sorted(rows.items(), key=str)
    )


def _graph(triples: list[pyoxigraph.Triple]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for triple in triples:
        graph.add(tuple(map(to_rdflib, (triple.subject, triple.predicate, triple.object))))
    return graph


def _graph_difference(expected: list, actual: list) -> str | None:
    want, got = _graph(expected), _graph(actual)
    if isomorphic(want, got):
        return None
    _, missing, extra = graph_diff(to_isomorphic(want), to_isomorphic(got))
    return (
        f"graphs not isomorphic; expected but missing:\n{missing.serialize(format='nt')}"
        f"unexpected:\n{extra.serialize(format='nt')}"
    )
