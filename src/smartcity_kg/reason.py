"""OWL 2 RL closure of a knowledge graph into its own named graph.

`reasonable` (Rust) is the default; `owlrl` is the pure-Python reference. Only triples
that no asserted graph already holds are written, to `graph/inferred`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from time import perf_counter

import owlrl
import pyoxigraph
import rdflib
import reasonable

from smartcity_kg.errors import UserError
from smartcity_kg.iris import INFERRED_GRAPH
from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.terms import from_rdflib, to_rdflib

Triple = tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]


def _reasonable(triples: list[Triple]) -> Iterable[Triple]:
    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(triples)
    return reasoner.reason()


def _owlrl(triples: list[Triple]) -> Iterable[Triple]:
    graph = rdflib.Graph()
    for triple in triples:
        graph.add(triple)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(graph)
    return graph


REASONERS: dict[str, Callable[[list[Triple]], Iterable[Triple]]] = {
    "reasonable": _reasonable,
    "owlrl": _owlrl,
}


@dataclass(frozen=True)
class ReasoningReport:
    """What `reason` did: which reasoner, how many new triples, in how many seconds."""

    reasoner: str
    asserted: int
    inferred: int
    seconds: float


def _forget(kg: KnowledgeGraph, inferred_graph: pyoxigraph.NamedNode, asserted: set) -> None:
    """Drop the previous inferences, from their graph and from the merged default graph."""
    for quad in list(kg.store.quads_for_pattern(None, None, None, inferred_graph)):
        if (quad.subject, quad.predicate, quad.object) not in asserted:
            kg.store.remove(pyoxigraph.Quad(quad.subject, quad.predicate, quad.object))
    kg.store.remove_graph(inferred_graph)


def reason(kg: KnowledgeGraph, reasoner: str = "reasonable") -> ReasoningReport:
    """Compute the OWL 2 RL closure of all asserted graphs and store what is new.

    The inferred graph is replaced, so reasoning again after a change is safe.
    """
    if reasoner not in REASONERS:
        raise UserError(f"unknown reasoner {reasoner!r}; choose one of {', '.join(REASONERS)}")
    started = perf_counter()
    inferred_graph = pyoxigraph.NamedNode(INFERRED_GRAPH)
    asserted = {
        (q.subject, q.predicate, q.object)
        for q in kg.named_quads()
        if q.graph_name != inferred_graph
    }
    _forget(kg, inferred_graph, asserted)
    closure = REASONERS[reasoner]([tuple(map(to_rdflib, triple)) for triple in asserted])
    new = {
        triple
        for triple in (
            tuple(map(from_rdflib, t)) for t in closure if not isinstance(t[0], rdflib.Literal)
        )
        if triple not in asserted
    }
    kg.store.extend(pyoxigraph.Quad(s, p, o, inferred_graph) for s, p, o in new)
    kg.publish([inferred_graph])
    seconds = perf_counter() - started
    kg.timings["reason"] = seconds
    kg.refresh_rdflib()
    return ReasoningReport(reasoner, len(asserted), len(new), seconds)
