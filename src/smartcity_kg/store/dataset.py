"""The knowledge graph: a store holding one named graph per source, plus inferred triples."""

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph
import rdflib

from smartcity_kg.iris import INFERRED_GRAPH
from smartcity_kg.terms import to_rdflib

_COUNT_PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
_COUNT_DEFAULT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
_PUBLISH = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } VALUES ?g { %s } }"
DEFAULT_GRAPH = pyoxigraph.DefaultGraph()


@dataclass(frozen=True)
class GraphInfo:
    """One named graph: its IRI, the file it came from (if any) and its size."""

    iri: str
    triples: int
    source: Path | None = None

    @property
    def inferred(self) -> bool:
        return self.iri == INFERRED_GRAPH


@dataclass
class KnowledgeGraph:
    """A dataset of named graphs in a pyoxigraph store.

    `sources` maps graph IRIs to the files they were loaded from; `timings` records how
    long loading and reasoning took, in seconds. The store's default graph is kept equal to
    the RDF merge (a set: no duplicates) of all named graphs, asserted and inferred; it is
    what a query sees unless it names graphs. (Oxigraph's own union view is a bag.)
    """

    store: pyoxigraph.Store
    sources: dict[str, Path] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        manifest = self.manifest  # a remote store knows the files its graphs came from
        if manifest is not None:
            for iri, entry in manifest.graphs.items():
                if entry.source is not None:
                    self.sources.setdefault(iri, Path(entry.source))

    @property
    def manifest(self):
        """The manifest of the project's dataset on a remote store (store/manifest.py), or
        None for an embedded store, which holds nothing but the project's graphs."""
        return getattr(self.store, "manifest", None)

    def prepared(self) -> bool:
        """Whether the store holds the project's dataset ready to use: a remote store's
        manifest says loading (and reasoning) finished; an embedded store holds graphs."""
        manifest = self.manifest
        return manifest.ready if manifest is not None else len(self.store) > 0

    def finish(self, reasoner: str) -> None:
        """Record that loading and reasoning (by `reasoner`, or `none`) have finished."""
        if self.manifest is not None:
            self.manifest.set_state("ready", reasoner)

    def graphs(self) -> list[GraphInfo]:
        """Every named graph with its triple count, sorted by IRI."""
        counts = {row["g"].value: int(row["n"].value) for row in self.store.query(_COUNT_PER_GRAPH)}
        return [
            GraphInfo(iri, counts.get(iri, 0), self.sources.get(iri))
            for iri in sorted(set(counts) | set(self.sources))
        ]

    def asserted_graphs(self) -> list[str]:
        """IRIs of the named graphs that hold asserted (not inferred) triples."""
        return [g.value for g in self.store.named_graphs() if g.value != INFERRED_GRAPH]

    def __len__(self) -> int:
        """The number of distinct triples in the merged default graph."""
        return int(next(iter(self.store.query(_COUNT_DEFAULT)))["n"].value)

    def publish(self, graphs: list[pyoxigraph.NamedNode]) -> None:
        """Merge the triples of `graphs` into the default graph."""
        if hasattr(self.store, "publish"):  # a remote store merges into its own graph
            self.store.publish(graphs)
        elif graphs:
            self.store.update(_PUBLISH % " ".join(map(str, graphs)))

    def named_quads(self):
        """Every quad of the named graphs (the merged default graph left out)."""
        if hasattr(self.store, "named_quads"):  # a remote store reads them alone
            return self.store.named_quads()
        return (q for q in self.store if q.graph_name != DEFAULT_GRAPH)

    @cached_property
    def rdflib_dataset(self) -> rdflib.Dataset:
        """A copy of the whole dataset in rdflib, for the reference query engine.

        Made on first use; call `refresh_rdflib()` after changing the store.
        """
        dataset = rdflib.Dataset(default_union=True)  # term by term, so blank nodes keep labels
        graphs: dict = {}
        for q in self.named_quads():
            graph = graphs.get(q.graph_name)
            if graph is None:
                graph = graphs[q.graph_name] = dataset.graph(to_rdflib(q.graph_name))
            graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        return dataset

    def refresh_rdflib(self) -> None:
        """Forget the rdflib copy so that the next use reflects the store."""
        self.__dict__.pop("rdflib_dataset", None)
