"""Answers as plain Python values and as a pandas DataFrame, for researchers' analyses."""

import datetime
from decimal import Decimal

import pyoxigraph
import pytest

from smartcity_kg.query import QueryResult, query
from smartcity_kg.store import load
from smartcity_kg.terms import to_python

XSD = "http://www.w3.org/2001/XMLSchema#"


def literal(value: str, datatype: str | None = None, language: str | None = None):
    if language:
        return pyoxigraph.Literal(value, language=language)
    if datatype:
        return pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(XSD + datatype))
    return pyoxigraph.Literal(value)


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        (
            pyoxigraph.NamedNode("https://w3id.org/smartcity-kg/id/city/x"),
            "https://w3id.org/smartcity-kg/id/city/x",
        ),
        (pyoxigraph.BlankNode("b0"), "_:b0"),
        (literal("Kota X", language="id"), "Kota X"),
        (literal("plain"), "plain"),
        (literal("2017", "gYear"), 2017),
        (literal("-0044", "gYear"), -44),
        (literal("12", "integer"), 12),
        (literal("1.0", "decimal"), Decimal("1.0")),
        (literal("true", "boolean"), True),
        (literal("2017-05-22", "date"), datetime.date(2017, 5, 22)),
        (literal("not a number", "integer"), "not a number"),
        (None, None),
    ],
)
def test_terms_become_python_values(term, expected):
    value = to_python(term)
    assert value == expected
    assert type(value) is type(expected)


def test_records_and_dataframe_of_a_select():
    kg = load([])
    kg.store.add(
        pyoxigraph.Quad(
            pyoxigraph.NamedNode("https://example.org/s"),
            pyoxigraph.NamedNode("https://example.org/year"),
            literal("2018", "gYear"),
            pyoxigraph.NamedNode("https://example.org/g"),
        )
    )
    result = query(
        kg,
        "SELECT ?s ?year ?none WHERE { GRAPH ?g { ?s <https://example.org/year> ?year } }",
    )
    assert result.records(python=True) == [{"s": "https://example.org/s", "year": 2018}]
    frame = result.to_dataframe()
    assert list(frame.columns) == ["s", "year", "none"]
    assert frame.to_dict("records") == [{"s": "https://example.org/s", "year": 2018, "none": None}]
    assert result.to_dataframe(python=False).iloc[0]["year"] == literal("2018", "gYear")


def test_only_a_select_is_a_table():
    with pytest.raises(ValueError, match="ASK result"):
        QueryResult(form="ASK", boolean=True).to_dataframe()
