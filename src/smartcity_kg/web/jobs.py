"""The work done in a worker process: answer a query in the negotiated format, count what
each graph holds for VoID. Each job is `func(kg, ...)`, run by the worker pool."""

from dataclasses import dataclass

from smartcity_kg.iris import PREFIXES
from smartcity_kg.query import Term, query
from smartcity_kg.results import serialize
from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.web.negotiation import answer_format

_STATISTICS = (
    """SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects)
      (COUNT(DISTINCT ?p) AS ?properties) (COUNT(DISTINCT ?o) AS ?objects)
    WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }""",
    "SELECT (COUNT(DISTINCT ?s) AS ?entities) WHERE { ?s ?p ?o FILTER isIRI(?s) }",
    "SELECT (COUNT(DISTINCT ?c) AS ?classes) WHERE { ?s a ?c }",
)


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
    """The answer to `job` as (media type, body)."""
    result = query(
        kg,
        job.text,
        bindings=job.bindings,
        default_graphs=job.default_graphs,
        named_graphs=job.named_graphs,
        base_iri=job.base_iri,
        max_rows=job.max_rows,
    )
    media, key = answer_format(result.form, job.accept, job.fmt)
    return media, serialize(result, key, prefixes=PREFIXES)


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
