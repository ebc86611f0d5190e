"""OWL 2 RL closure of a knowledge graph into its own named graph.

Three reasoners (docs/decisions/0007-reasoning-in-the-store.md):

- `rules` (the default): the OWL 2 RL rules that the ontology's axioms trigger, compiled
  into SPARQL updates and run inside the store, whichever it is (`smartcity_kg.rules`);
  after new graphs are loaded, only what they can entail is added (`reason(..., added=)`).
- `reasonable` (Rust) and `owlrl` (pure Python), the references: the asserted triples (the
  merged default graph without the inferences) go to the engine as an N-Triples file; what
  it derives that no asserted graph holds, less the noise `_drop_noise` lists, is written
  to `graph/inferred` and merged into the default graph. `reasonable` 0.4 does not
  implement rule prp-spo2 (`owl:propertyChainAxiom`), on which the model's shortcuts rest
  (`sck:enabledBy`, `sck:drivenByFactor`, `sck:includesMunicipality`): `_complete_chains`
  applies the chain axioms in the store, and the engine runs again until nothing new comes.

Every closure is marked with the state of the asserted graphs it was computed from, so a
store reopened with a current closure needs no reasoning (`closure_is_current`).
"""

import functools
import hashlib
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
from smartcity_kg.rules import compile_rules, saturate, touches_schema
from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.store.dataset import DEFAULT_GRAPH
from smartcity_kg.store.remote import GENID
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


# What an OWL 2 RL closure adds that helps nobody; see `_drop_noise`.
_OWL = "http://www.w3.org/2002/07/owl#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_NOISE = f"""DELETE {{ GRAPH {INFERRED} {{ ?s ?p ?o }} }} WHERE {{
  GRAPH {INFERRED} {{ ?s ?p ?o }}
  FILTER(
    ?o IN (<{_OWL}Thing>, <{_RDFS}Resource>)
    || ?s IN (<{_OWL}Thing>, <{_OWL}Nothing>)
    || (sameTerm(?s, ?o) && ?p IN (<{_OWL}sameAs>, <{_RDFS}subClassOf>, <{_OWL}equivalentClass>,
                                   <{_RDFS}subPropertyOf>, <{_OWL}equivalentProperty>))
    || (?p = <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>
        && (isBlank(?o) || STRSTARTS(STR(?o), "{GENID}")))
    || (?p = <{_RDFS}label> && EXISTS {{
          GRAPH ?g {{ ?s <{_SKOS}altLabel>|<{_SKOS}hiddenLabel> ?o }} FILTER(?g != {INFERRED})
        }})
  )
}}"""


def _drop_noise(kg: KnowledgeGraph) -> None:
    """Remove from the inferred graph what OWL 2 RL derives but helps no query or page.

    Both reasoners apply the OWL 2 RL rules literally, and these rules also state what holds
    of everything, or repeat the input in a useless form. Dropped (inferred triples only;
    an asserted triple of the same form stays):

    * `?x rdf:type owl:Thing` and `rdf:type rdfs:Resource` (rule cls-thing, RDFS): true of
      every resource; also every other triple with object `owl:Thing` (`rdfs:subClassOf`,
      `rdfs:domain`, `rdfs:range owl:Thing`: scm-cls, scm-dom1, scm-rng1 tautologies);
    * triples about `owl:Thing` or `owl:Nothing` themselves (`owl:Nothing rdfs:subClassOf
      ?c`, `owl:Thing a owl:Class`, ...). A resource of type `owl:Nothing` is NOT dropped:
      it means the data is inconsistent;
    * reflexive `owl:sameAs` (eq-ref: every resource is the same as itself) and reflexive
      `rdfs:subClassOf`, `owl:equivalentClass`, `rdfs:subPropertyOf`,
      `owl:equivalentProperty` (scm-cls, scm-op, scm-dp);
    * `rdf:type` with a blank-node object (in a remote store: a skolem IRI under `GENID`):
      class expressions (restrictions, unions) as types of data, which a query cannot name
      and a page cannot show;
    * `rdfs:label` values that are an asserted `skos:altLabel` or `skos:hiddenLabel` of the
      resource (the SKOS extract makes both sub-properties of `rdfs:label`): pages and
      results show `rdfs:label` as the name, and an alternative or hidden (misspelt,
      search-only) label is not a name. Labels from `skos:prefLabel` are kept, and a value
      asserted as `rdfs:label` is never in the inferred graph in the first place.
    """
    kg.store.update(_NOISE)


_CHAIN_AXIOMS = """
SELECT ?property ?list WHERE { ?property <http://www.w3.org/2002/07/owl#propertyChainAxiom> ?list }
"""
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _members(kg: KnowledgeGraph, head) -> list[str]:
    """The steps of an RDF list of properties, as SPARQL path elements (`^<p>` for an
    `owl:inverseOf` expression)."""
    steps = []
    while head != pyoxigraph.NamedNode(_RDF + "nil"):
        first = next(kg.store.quads_for_pattern(head, pyoxigraph.NamedNode(_RDF + "first"), None))
        member = first.object
        inverse = list(
            kg.store.quads_for_pattern(member, pyoxigraph.NamedNode(_OWL + "inverseOf"), None)
        )
        steps.append(f"^{inverse[0].object}" if inverse else str(member))
        head = next(kg.store.quads_for_pattern(head, pyoxigraph.NamedNode(_RDF + "rest"), None))
        head = head.object
    return steps


def _complete_chains(kg: KnowledgeGraph) -> int:
    """Add to the inferred graph what the property chain axioms entail (OWL 2 RL prp-spo2),
    reading asserted and inferred triples alike; the number of triples added."""
    before = len(list(kg.store.quads_for_pattern(None, None, None, INFERRED)))
    axioms = list(kg.store.query(_CHAIN_AXIOMS, default_graph=DEFAULT_GRAPH))
    for axiom in axioms:
        steps = _members(kg, axiom["list"])
        hops = " . ".join(
            f"GRAPH ?g{i} {{ ?x{i} {step} ?x{i + 1} }}" for i, step in enumerate(steps)
        )
        last = f"?x{len(steps)}"
        entailed = f"?x0 {axiom['property']} {last}"
        kg.store.update(
            f"INSERT {{ GRAPH {INFERRED} {{ {entailed} }} }} "
            f"WHERE {{ {hops} FILTER NOT EXISTS {{ GRAPH ?h {{ {entailed} }} }} }}"
        )
    return len(list(kg.store.quads_for_pattern(None, None, None, INFERRED))) - before


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


_MAX_ROUNDS = 10  # reasoner + chain rounds; the model's chains settle in two


def _by_engine(engine: Callable[[Path], Iterable[Triple]], kg: KnowledgeGraph, _added=None) -> int:
    """The whole closure by an engine that reads a file: the asserted triples (and what is
    inferred so far) go out as N-Triples, the new triples come back; repeated with
    `_complete_chains` to a fixpoint. Returns the number of rounds."""
    kg.store.update(_UNMERGE)
    kg.store.remove_graph(INFERRED)
    term = functools.cache(from_rdflib)  # the closure repeats its terms many times
    with tempfile.TemporaryDirectory() as folder:
        given = Path(folder) / "given.ttl"  # N-Triples is Turtle; reasonable wants .ttl
        for rounds in range(1, _MAX_ROUNDS + 1):  # noqa: B007 (the count is returned)
            with given.open("wb") as out:  # the asserted triples and what is inferred so far
                for graph in (DEFAULT_GRAPH, INFERRED):
                    kg.store.dump(out, format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=graph)
            closure = [
                pyoxigraph.Quad(term(s), term(p), term(o), INFERRED)
                for s, p, o in engine(given)
                if not isinstance(s, rdflib.Literal)
            ]
            kg.store.remove_graph(INFERRED)
            kg.store.extend(closure)
            kg.store.update(_KEEP_NEW)
            if not _complete_chains(kg):
                break
    _drop_noise(kg)
    kg.publish([INFERRED])
    return rounds


_ASSERTED_AGAIN = f"""DELETE {{ GRAPH {INFERRED} {{ ?s ?p ?o }} }} WHERE {{
  GRAPH ?g {{ ?s ?p ?o }} GRAPH {INFERRED} {{ ?s ?p ?o }} VALUES ?g {{ %s }}
}}"""


def _by_rules(kg: KnowledgeGraph, added: list[str] | None = None) -> int:
    """The closure by the compiled rules, inside the store (see `smartcity_kg.rules`).

    With `added` (IRIs of graphs loaded since the last closure), when that closure is
    current for the other graphs and the new ones bring no schema axiom, only what they
    can entail is added: the first pass starts from their triples. Otherwise the inferred
    graph is rebuilt. Returns the number of passes over the rules."""
    graphs = [pyoxigraph.NamedNode(iri) for iri in added or ()]
    if (
        added is None
        or _marker(kg) != closure_state(kg, leaving_out=added)
        or touches_schema(kg.store, graphs)
    ):
        kg.store.update(_UNMERGE)
        kg.store.remove_graph(INFERRED)
        return saturate(kg.store, compile_rules(kg.store))
    if not graphs:
        return 0
    rounds = saturate(kg.store, compile_rules(kg.store), graphs)
    kg.store.update(_ASSERTED_AGAIN % " ".join(map(str, graphs)))
    return rounds


# The marker of a closure: the state of the asserted graphs it was computed from.
_IDENTIFIER = pyoxigraph.NamedNode("http://purl.org/dc/terms/identifier")
_UNMARK = f"""DELETE {{ GRAPH {INFERRED} {{ {INFERRED} {_IDENTIFIER} ?state }}
  {INFERRED} {_IDENTIFIER} ?state }}
WHERE {{ GRAPH {INFERRED} {{ {INFERRED} {_IDENTIFIER} ?state }} }}"""


def closure_state(kg: KnowledgeGraph, *, leaving_out: Iterable[str] = ()) -> str:
    """A digest of the asserted graphs (each graph's IRI and size), less `leaving_out`:
    what a closure is marked with (`dcterms:identifier` of graph/inferred)."""
    skip = {INFERRED_GRAPH, *leaving_out}
    lines = sorted(f"{g.iri} {g.triples}" for g in kg.graphs() if g.iri not in skip and g.triples)
    return "sha256:" + hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _marker(kg: KnowledgeGraph) -> str | None:
    found = list(kg.store.quads_for_pattern(INFERRED, _IDENTIFIER, None, INFERRED))
    return found[0].object.value if found else None


def closure_is_current(kg: KnowledgeGraph) -> bool:
    """Whether the inferred graph is the closure of the asserted graphs as they are: a
    store reopened with a current closure serves without reasoning. (Graph sizes stand
    for their content: a change that keeps every graph's size goes unnoticed.)"""
    return _marker(kg) == closure_state(kg)


def _mark(kg: KnowledgeGraph) -> None:
    state = pyoxigraph.Literal(closure_state(kg))
    kg.store.update(_UNMARK)
    kg.store.update(
        f"INSERT DATA {{ GRAPH {INFERRED} {{ {INFERRED} {_IDENTIFIER} {state} }} "
        f"{INFERRED} {_IDENTIFIER} {state} }}"
    )


REASONERS: dict[str, Callable[[KnowledgeGraph, list[str] | None], int]] = {
    "rules": _by_rules,
    "reasonable": functools.partial(_by_engine, _reasonable),
    "owlrl": functools.partial(_by_engine, _owlrl),
}
DEFAULT_REASONER = "rules"


@dataclass(frozen=True)
class ReasoningReport:
    """What `reason` did: which reasoner, how many new triples, in how many seconds and
    rounds (engine and chain rounds, or passes over the compiled rules)."""

    reasoner: str
    asserted: int
    inferred: int
    seconds: float
    rounds: int = 0


def reason(
    kg: KnowledgeGraph, reasoner: str = DEFAULT_REASONER, *, added: list[str] | None = None
) -> ReasoningReport:
    """Compute the OWL 2 RL closure of all asserted graphs and store what is new in
    `graph/inferred`, with a marker of the asserted graphs it was computed from
    (`closure_is_current`).

    The inferred graph is replaced, so reasoning again after a change is safe. With the
    `rules` reasoner, `added` names the graphs loaded since the last closure: only what
    they can entail is added, unless they bring schema axioms or the closure was not
    current before them (then, and with the other reasoners, all is reasoned again). A
    change that removes triples needs a whole run (`added` None).
    """
    if reasoner not in REASONERS:
        raise UserError(f"unknown reasoner {reasoner!r}; choose one of {', '.join(REASONERS)}")
    started = perf_counter()
    rounds = REASONERS[reasoner](kg, added)
    _mark(kg)
    seconds = perf_counter() - started
    kg.timings["reason"] = seconds
    kg.refresh_rdflib()
    counts = {g.iri: g.triples for g in kg.graphs()}
    inferred = counts.get(INFERRED_GRAPH, 0)
    return ReasoningReport(reasoner, len(kg) - inferred, inferred, seconds, rounds)
