"""The validation context is the asserted graph: inferred triples never make a wrong value
look right, even though the store's default graph holds them (decision 0002)."""

import pyoxigraph

from smartcity_kg.iris import ID, INFERRED_GRAPH, PREFIXES
from smartcity_kg.report import compact, path_text
from smartcity_kg.store import load
from smartcity_kg.store.dataset import DEFAULT_GRAPH
from smartcity_kg.validate import validate

from .support import expected, patched

_STAGE = pyoxigraph.NamedNode(ID + "stage/tangerang-selatan-preparation")
_TYPE = pyoxigraph.NamedNode(PREFIXES["rdf"] + "type")
_MUNICIPALITY = pyoxigraph.NamedNode(PREFIXES["sck"] + "Municipality")


def test_an_inferred_type_in_the_default_graph_does_not_make_a_wrong_value_pass(tmp_path):
    fixture = tmp_path / "actor-of-a-stage.ru"
    fixture.write_text(
        "# expect: Violation org/contoh-universitas-contoh shape:Actor-actorOf sck:actorOf\n"
        "DELETE DATA { orgid:contoh-universitas-contoh sck:actorOf city:contoh } ;\n"
        "INSERT DATA { orgid:contoh-universitas-contoh sck:actorOf "
        "stage:tangerang-selatan-preparation }\n",
        encoding="utf-8",
    )
    context = load()
    # As `reason()` leaves an inference: in graph/inferred and merged into the default graph
    # (here as if a range axiom had typed the stage a municipality).
    for graph in (pyoxigraph.NamedNode(INFERRED_GRAPH), DEFAULT_GRAPH):
        context.store.add(pyoxigraph.Quad(_STAGE, _TYPE, _MUNICIPALITY, graph))
    assert list(context.store.quads_for_pattern(_STAGE, _TYPE, _MUNICIPALITY, DEFAULT_GRAPH))

    report = validate([patched(fixture, tmp_path)], context=context)

    found = sorted(
        (r.severity, compact(r.focus), compact(r.source_shape), path_text(r.path) or "-")
        for r in report.results
    )
    assert found == expected(fixture)
