"""OWL 2 RL closure of a knowledge graph into its own named graph.

`reasonable` (Rust) is the default; `owlrl` is the pure-Python reference. The asserted
triples (the merged default graph without the inferences) go to the reasoner as an
N-Triples file; what it derives that no asserted graph holds is written to
`graph/inferred` and merged into the default graph.
"""

import functools
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter

import owlrl
import pyoxigraph
import rdflib
import reasonable

from smartcity_kg.errors import UserError
from smartcity_kg.iris import INFERRED_GRAPH
from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.store.dataset import DEFAULT_GRAPH
from smartcity_kg.terms import from_rdflib, to_rdflib

Triple = tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]
INFERRED = pyoxigraph.NamedNode(INFERRED_GRAPH)
# Tiny internal updates on the inferred graph (rule 1 allows these).
_UNMERGE = f"""DELETE {{ ?s ?p ?o }} WHERE {{
  GRAPH {INFERRED} {{ ?s ?p ?o }}
  FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != {INFERRED}) }}
}}"""
_KEEP_NEW = f"""DELETE {{ GRAPH {INFERRED} {{ ?s ?p ?o }} }} WHERE {{
  GRAPH {INFERRED} {{ ?s ?p ?o }}
  GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != {INFERRED})
}}"""


def _reasonable(asserted: Path) -> Iterable[Triple]:
    reasoner = reasonable.PyReasoner()
    reasoner.load_file(str(asserted))
    return reasoner.reason()


def _owlrl(asserted: Path) -> Iterable[Triple]:
    graph = rdflib.Graph()  # filled term by term: rdflib's parsers would relabel blank nodes
    for quad in pyoxigraph.parse(path=str(asserted), format=pyoxigraph.RdfFormat.N_TRIPLES):
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(graph)
    return graph


REASONERS: dict[str, Callable[[Path], Iterable[Triple]]] = {
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


def reason(kg: KnowledgeGraph, reasoner: str = "reasonable") -> ReasoningReport:
    """Compute the OWL 2 RL closure of all asserted graphs and store what is new.

    The inferred graph is replaced, so reasoning again after a change is safe.
    """
    if reasoner not in REASONERS:
        raise UserError(f"unknown reasoner {reasoner!r}; choose one of {', '.join(REASONERS)}")
    started = perf_counter()
    kg.store.update(_UNMERGE)
    kg.store.remove_graph(INFERRED)
    term = functools.cache(from_rdflib)  # the closure repeats its terms many times
    with tempfile.TemporaryDirectory() as folder:
        asserted = Path(folder) / "asserted.ttl"  # N-Triples is Turtle; reasonable wants .ttl
        kg.store.dump(
            str(asserted), format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=DEFAULT_GRAPH
        )
        kg.store.extend(
            pyoxigraph.Quad(term(s), term(p), term(o), INFERRED)
            for s, p, o in REASONERS[reasoner](asserted)
            if not isinstance(s, rdflib.Literal)
        )
    kg.store.update(_KEEP_NEW)
    kg.publish([INFERRED])
    seconds = perf_counter() - started
    kg.timings["reason"] = seconds
    kg.refresh_rdflib()
    counts = {g.iri: g.triples for g in kg.graphs()}
    inferred = counts.get(INFERRED_GRAPH, 0)
    return ReasoningReport(reasoner, len(kg) - inferred, inferred, seconds)
