"""The work done in a worker process: answer a query in the negotiated format, count what
each graph holds for VoID. Each job is `func(kg, ...)`, run by the worker pool."""

from dataclasses import dataclass
from functools import lru_cache

from smartcity_kg.iris import PREFIXES
from smartcity_kg.query import Term, collect, evaluate, form_of, query
from smartcity_kg.results import SOLUTION_WRITERS, serialize, write_solutions
from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.web.negotiation import answer_format

_STATISTICS = (
    """SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects)
      (COUNT(DISTINCT ?p) AS ?properties) (COUNT(DISTINCT ?o) AS ?objects)
    WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }""",
    "SELECT (COUNT(DISTINCT ?s) AS ?entities) WHERE { ?s ?p ?o FILTER isIRI(?s) }",
    "SELECT (COUNT(DISTINCT ?c) AS ?classes) WHERE { ?s a ?c }",
)


# The negotiated format of each (form, Accept, format=) seen lately, in this worker.
_answer_format = lru_cache(maxsize=256)(answer_format)


@dataclass(frozen=True)
class QueryJob:
    """A query as the protocol gives it, and how its answer should be written."""

    text: str
    bindings: dict[str, Term]
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    base_iri: str | None
    accept: str | None
    fmt: str | None
    max_rows: int


def answer(kg: KnowledgeGraph, job: QueryJob) -> tuple[str, bytes]:
    """The answer to `job` as (media type, body). SELECT answers in the SPARQL results
    formats are written by pyoxigraph straight from the engine; one too large to be sure
    it holds at most `max_rows` rows is evaluated again and read row by row."""
    found = _evaluate(kg, job)
    form = form_of(found)
    media, key = _answer_format(form, job.accept, job.fmt)
    if form == "SELECT" and key in SOLUTION_WRITERS:
        body = write_solutions(found, key, job.max_rows)
        if body is not None:
            return media, body
        found = _evaluate(kg, job)
    return media, serialize(collect(found, job.max_rows), key, prefixes=PREFIXES)


def _evaluate(kg: KnowledgeGraph, job: QueryJob):
    return evaluate(
        kg,
        job.text,
        bindings=job.bindings,
        default_graphs=job.default_graphs,
        named_graphs=job.named_graphs,
        base_iri=job.base_iri,
    )


def statistics(kg: KnowledgeGraph, graphs: tuple[str, ...] | None = None) -> dict[str, int]:
    """Counts over the union of `graphs` (None: every graph): distinct triples, subjects,
    properties and objects, entities (subjects that are IRIs) and classes (rdf:type objects)."""
    counts = {}
    for text in _STATISTICS:
        (row,) = query(kg, text, default_graphs=graphs).records()
        counts.update({name: int(term.value) for name, term in row.items()})
    return counts


def void_statistics(kg: KnowledgeGraph) -> tuple[dict, dict, dict[str, dict[str, int]]]:
    """Statistics of everything, of the asserted graphs together, and of each named graph."""
    asserted = tuple(kg.asserted_graphs())
    every = [g.value for g in kg.store.named_graphs()]
    return (
        statistics(kg),
        statistics(kg, asserted),
        {iri: statistics(kg, (iri,)) for iri in every},
    )
