"""What the store says about one IRI: its statements with the graphs that hold them, the
links to it, its machine-readable description, whether it is deprecated, labels in a chosen
language, and the evidence of claims.

The description served to machines is the concise bounded description (CBD) of the IRI
over the asserted graphs (its triples, and recursively those of the blank nodes they
reach) plus the labels of every IRI it links to. Inferred triples are left out of it; the
HTML page shows them apart. All of that reads the store by triple pattern; the page
queries (queries/pages/*.rq, run by `page_query`) answer the questions of the pages, and
`evidence` asks the evidence of many claims at once.
"""

import re
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import pyoxigraph

from smartcity_kg.iris import INFERRED_GRAPH, PREFIXES, curie
from smartcity_kg.queries import find, library
from smartcity_kg.query import QueryResult, query
from smartcity_kg.report import LANGUAGES
from smartcity_kg.resources import data_dir
from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.store.dataset import DEFAULT_GRAPH

Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal
RDF_TYPE = pyoxigraph.NamedNode(PREFIXES["rdf"] + "type")
LABEL_PREDICATES = tuple(
    pyoxigraph.NamedNode(PREFIXES[prefix] + local)
    for prefix, local in (("skos", "prefLabel"), ("rdfs", "label"), ("dcterms", "title"))
)
_INFERRED = pyoxigraph.NamedNode(INFERRED_GRAPH)
OWL_DEPRECATED = pyoxigraph.NamedNode(PREFIXES["owl"] + "deprecated")
IS_REPLACED_BY = pyoxigraph.NamedNode(PREFIXES["dcterms"] + "isReplacedBy")


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


def deprecation(kg: KnowledgeGraph, iri: str) -> tuple[bool, list[str]]:
    """Whether an asserted graph says `iri` is `owl:deprecated true`, and the IRIs it is
    `dcterms:isReplacedBy` (sorted; 0005 section 9)."""
    node = pyoxigraph.NamedNode(iri)
    flagged = any(
        isinstance(t.object, pyoxigraph.Literal) and t.object.value in ("true", "1")
        for t in _asserted(kg, node, OWL_DEPRECATED)
    )
    if not flagged:
        return False, []
    replacements = {
        t.object.value
        for t in _asserted(kg, node, IS_REPLACED_BY)
        if isinstance(t.object, pyoxigraph.NamedNode)
    }
    return True, sorted(replacements)


def graph_triples(kg: KnowledgeGraph, graphs: list[str]) -> list[pyoxigraph.Triple]:
    """The distinct triples of the named `graphs`."""
    seen: dict[pyoxigraph.Triple, None] = {}
    for graph in graphs:
        for quad in kg.store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(graph)):
            seen.setdefault(quad.triple)
    return list(seen)


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


@cache
def page_queries() -> dict:
    """The queries only the pages (and the timeline chart) use, queries/pages/*.rq."""
    return library(data_dir("queries") / "pages")


_WHERE = re.compile(r"\bWHERE\s*\{")


def page_query(kg: KnowledgeGraph, name: str, params=None, *, asserted=False) -> QueryResult:
    """Run the page query `name` with `params` bound as typed terms; over the asserted
    graphs only when `asserted`.

    The values of a multi-valued parameter go into a VALUES block at the start of the
    query's WHERE group rather than after the query (as named queries take them): the page
    queries use such a parameter in the group's required patterns, where both mean the same,
    and Oxigraph joins an inner VALUES first - ten times faster for a page's hundreds of
    claims than filtering every solution at the end."""
    named = find(name, page_queries())
    given = dict(params or {})
    inner = []
    for param in named.params:
        if param.multiple and param.name in given:
            values = given.pop(param.name)
            values = values if isinstance(values, list) else [values]
            if values:
                terms = " ".join(str(param.term(str(value))) for value in values)
                inner.append(f"VALUES ?{param.name} {{ {terms} }}")
    bindings, text = named.bind(given)
    if inner:
        text = _WHERE.sub(lambda m: m.group(0) + "\n  " + "\n  ".join(inner), text, count=1)
    graphs = kg.asserted_graphs() if asserted else None
    return query(kg, text, bindings=bindings, default_graphs=graphs)


class Evidence(NamedTuple):
    """One piece of evidence of a claim: its IRI, its locator in the source ("C.1") and the
    source it is part of, when the graph gives them."""

    iri: str
    locator: str | None = None
    source: str | None = None


def evidence(kg: KnowledgeGraph, claims) -> dict[str, list[Evidence]]:
    """For each claim IRI, its evidence (as CQ13 answers it), in one query for all of them;
    a claim without evidence maps to []."""
    wanted = list(dict.fromkeys(c for c in claims if c))
    found: dict[str, dict[Evidence, None]] = {claim: {} for claim in wanted}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for row in page_query(kg, "evidence", {"claim": chunk}).records():
            found[row["claim"].value][
                Evidence(
                    row["evidence"].value,
                    row["locator"].value if "locator" in row else None,
                    row["source"].value if "source" in row else None,
                )
            ] = None
    return {claim: list(items) for claim, items in found.items()}


def gathered(rows, key: str) -> dict[str, list[Evidence]]:
    """The evidence columns (`evidence`, `locator`) of query rows, gathered by the value of
    column `key` (the claim, which may be a blank node: keyed by its `.value` too)."""
    found: dict[str, dict[Evidence, None]] = {}
    for row in rows:
        if key not in row:
            continue
        items = found.setdefault(row[key].value, {})
        if "evidence" in row and isinstance(row["evidence"], pyoxigraph.NamedNode):
            locator = row["locator"].value if "locator" in row else None
            items[Evidence(row["evidence"].value, locator)] = None
    return {claim: list(items) for claim, items in found.items()}
