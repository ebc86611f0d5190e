"""Differential test: every query of the library gives the same rows on oxigraph and rdflib,
on the curated graphs with each query's defaults, and on the curated graphs with the invented
cities of fixtures/ (skipped and repeated stages, disagreeing sources) with its examples."""

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
    assert len(QUERIES) >= 21 + 13


def answer(kg, named, engine, params=None):
    bindings, text = named.bind(params or {})
    result = query(kg, text, bindings=bindings, engine=engine)
    rows = [tuple(map(str, row)) for row in result.rows]
    return rows if "ORDER BY" in text.upper() else sorted(rows)


def examples(named):
    """The query's parameters at their examples (or defaults where none is given)."""
    params = {}
    for param in named.params:
        value = param.example or param.default
        if value is not None:
            params[param.name] = [value] if param.multiple else value
    return params


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_same_rows_on_both_engines(curated_kg, name):
    named = QUERIES[name]
    assert answer(curated_kg, named, "oxigraph") == answer(curated_kg, named, "rdflib")


@pytest.mark.parametrize("name", sorted(library()))
def test_same_rows_on_both_engines_for_the_examples(trajectories_kg_reasoned, name):
    named, kg = library()[name], trajectories_kg_reasoned
    params = examples(named)
    assert answer(kg, named, "oxigraph", params) == answer(kg, named, "rdflib", params)
