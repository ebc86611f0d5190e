"""Run a W3C evaluation test through the project's own load and query functions.

`qt:data` files are loaded with `smartcity_kg.store.load` (graph `graph/<stem>`) and
merged as the default graph. `qt:graphData` files must keep their file IRI, which the
tests' queries and results name; `load` cannot choose a graph IRI, so these go through
the store directly.
"""

from functools import cache

import pyoxigraph

from smartcity_kg.iris import graph_iri
from smartcity_kg.query import QueryResult, query
from smartcity_kg.store import KnowledgeGraph, load
from smartcity_kg.store.load import rdf_format

from .manifest import EvaluationTest


@cache
def dataset(test: EvaluationTest) -> KnowledgeGraph:
    """The test's dataset: one graph per `qt:data` file, plus its named graphs."""
    kg = KnowledgeGraph(pyoxigraph.Store())
    for path in test.data:  # the suite's base is each file's location
        load([path], into=kg, base_iri=path.as_uri())
    for path in test.graph_data:
        kg.store.load(
            path=str(path),
            format=rdf_format(path),
            base_iri=path.as_uri(),
            to_graph=pyoxigraph.NamedNode(path.as_uri()),
        )
    kg.refresh_rdflib()
    return kg


@cache
def evaluate(test: EvaluationTest, engine: str) -> QueryResult:
    """The answer of `engine` to the test's query over the test's dataset.

    A query with FROM / FROM NAMED describes its own dataset, so none is imposed.
    """
    if test.names_own_dataset:
        graphs = {}
    else:
        graphs = {
            "default_graphs": [graph_iri(path.stem) for path in test.data],
            "named_graphs": [path.as_uri() for path in test.graph_data],
        }
    return query(dataset(test), test.text, engine=engine, base_iri=test.base_iri, **graphs)
