"""What the store says about one IRI: its statements with the graphs that hold them, the
links to it, its machine-readable description, and labels in a chosen language.

The description served to machines is the concise bounded description (CBD) of the IRI
over the asserted graphs (its triples, and recursively those of the blank nodes they
reach) plus the labels of every IRI it links to. Inferred triples are left out of it; the
HTML page shows them apart. Everything here reads the store by triple pattern.
"""

from dataclasses import dataclass

import pyoxigraph

from smartcity_kg.iris import INFERRED_GRAPH, PREFIXES
from smartcity_kg.report import LANGUAGES
from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.store.dataset import DEFAULT_GRAPH

Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal
RDF_TYPE = pyoxigraph.NamedNode(PREFIXES["rdf"] + "type")
LABEL_PREDICATES = tuple(
    pyoxigraph.NamedNode(PREFIXES[prefix] + local)
    for prefix, local in (("skos", "prefLabel"), ("rdfs", "label"), ("dcterms", "title"))
)
_INFERRED = pyoxigraph.NamedNode(INFERRED_GRAPH)


@dataclass(frozen=True)
class Statement:
    """One triple about (or pointing at) a resource: the other end and the named graphs
    that hold it. `inferred` when only the reasoner's graph holds it."""

    predicate: pyoxigraph.NamedNode
    term: Term
    graphs: tuple[str, ...]

    @property
    def inferred(self) -> bool:
        return self.graphs == (INFERRED_GRAPH,)


def known(kg: KnowledgeGraph, iri: str) -> bool:
    """Whether any graph mentions `iri` as a subject or an object."""
    node = pyoxigraph.NamedNode(iri)
    store = kg.store
    return any(
        next(iter(pattern), None) is not None
        for pattern in (
            store.quads_for_pattern(node, None, None, DEFAULT_GRAPH),
            store.quads_for_pattern(None, None, node, DEFAULT_GRAPH),
        )
    )


def statements(kg: KnowledgeGraph, iri: str, *, inverse: bool = False) -> list[Statement]:
    """The triples with `iri` as subject (or, when `inverse`, as object), each once, with
    the named graphs holding it; in the store's order."""
    node = pyoxigraph.NamedNode(iri)
    pattern = (None, None, node) if inverse else (node, None, None)
    graphs: dict[tuple, list[str]] = {}
    for quad in kg.store.quads_for_pattern(*pattern):
        if quad.graph_name == DEFAULT_GRAPH:
            continue
        other = quad.subject if inverse else quad.object
        graphs.setdefault((quad.predicate, other), []).append(quad.graph_name.value)
    return [Statement(p, t, tuple(sorted(g))) for (p, t), g in graphs.items()]


def _asserted(kg: KnowledgeGraph, subject, predicate=None):
    """Distinct asserted triples matching the pattern (the inferred graph left out)."""
    seen = set()
    for quad in kg.store.quads_for_pattern(subject, predicate, None):
        if quad.graph_name in (DEFAULT_GRAPH, _INFERRED) or quad.triple in seen:
            continue
        seen.add(quad.triple)
        yield quad.triple


def description(kg: KnowledgeGraph, iri: str) -> list[pyoxigraph.Triple]:
    """The CBD of `iri` over the asserted graphs plus the labels of the IRIs it links to."""
    triples, pending, visited = [], [pyoxigraph.NamedNode(iri)], set()
    while pending:
        subject = pending.pop()
        if subject in visited:
            continue
        visited.add(subject)
        for triple in _asserted(kg, subject):
            triples.append(triple)
            if isinstance(triple.object, pyoxigraph.BlankNode):
                pending.append(triple.object)
    linked = {t.object for t in triples if isinstance(t.object, pyoxigraph.NamedNode)}
    for node in sorted(linked - visited, key=str):
        for predicate in LABEL_PREDICATES:
            triples.extend(_asserted(kg, node, predicate))
    return triples


def graph_triples(kg: KnowledgeGraph, graphs: list[str]) -> list[pyoxigraph.Triple]:
    """The distinct triples of the named `graphs`."""
    seen: dict[pyoxigraph.Triple, None] = {}
    for graph in graphs:
        for quad in kg.store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(graph)):
            seen.setdefault(quad.triple)
    return list(seen)


def curie(iri: str) -> str:
    """`prefix:local` for an IRI in one of the project's namespaces, else the IRI."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def best(literals: list[pyoxigraph.Literal], lang: str) -> pyoxigraph.Literal | None:
    """The literal in `lang`, else in the other project language, else one without one."""
    by_lang = {}
    for literal in literals:
        by_lang.setdefault(literal.language or "", literal)
    for choice in (lang, *LANGUAGES, ""):
        if choice in by_lang:
            return by_lang[choice]
    return next(iter(by_lang.values()), None)


class Labels:
    """Names of terms in one language, read from the asserted graphs and remembered (the
    reasoner turns every skos:altLabel into an rdfs:label, so inferred ones are no names)."""

    def __init__(self, kg: KnowledgeGraph, lang: str):
        self.kg, self.lang, self._cache = kg, lang, {}

    def text(self, term: Term, predicate: pyoxigraph.NamedNode) -> str | None:
        """The value of `predicate` on `term` in the language (see `best`), or None."""
        key = (term, predicate)
        if key not in self._cache:
            literals = [
                t.object
                for t in _asserted(self.kg, term, predicate)
                if isinstance(t.object, pyoxigraph.Literal)
            ]
            chosen = best(literals, self.lang)
            self._cache[key] = chosen.value if chosen else None
        return self._cache[key]

    def __call__(self, term: Term | None) -> str:
        """A name for `term`: its label, else a CURIE; a literal's own text."""
        if term is None:
            return ""
        if isinstance(term, pyoxigraph.Literal):
            return term.value
        if isinstance(term, pyoxigraph.NamedNode):
            for predicate in LABEL_PREDICATES:
                found = self.text(term, predicate)
                if found:
                    return found
            return curie(term.value)
        return f"_:{term.value}"
