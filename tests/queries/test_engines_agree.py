"""Differential test: every query of the library gives the same rows on oxigraph and rdflib."""

import pytest

from smartcity_kg.queries import library
from smartcity_kg.query import query
from smartcity_kg.resources import data_dir

QUERIES = {
    **library(),
    **{f"checks/{k}": v for k, v in library(data_dir("queries") / "checks").items()},
    **{f"quality/{k}": v for k, v in library(data_dir("queries") / "quality").items()},
}


def test_there_are_queries_to_compare():
    assert len(QUERIES) >= 14 + 13


def answer(kg, named, engine):
    bindings, text = named.bind({})
    result = query(kg, text, bindings=bindings, engine=engine)
    rows = [tuple(map(str, row)) for row in result.rows]
    return rows if "ORDER BY" in text.upper() else sorted(rows)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_same_rows_on_both_engines(curated_kg, name):
    named = QUERIES[name]
    assert answer(curated_kg, named, "oxigraph") == answer(curated_kg, named, "rdflib")
