"""A store on a remote SPARQL 1.1 server (Oxigraph server, Fuseki, GraphDB, ...), reached
over the SPARQL 1.1 Protocol: the scale-out backend.

`RemoteStore` offers the part of pyoxigraph's `Store` interface that the knowledge graph
uses, so loading, reasoning and querying work the same on it. Two things differ, both
because every request is its own document to the server:

- Blank nodes cannot keep their identity from one request to the next, so they are
  skolemised (RDF 1.1 Concepts, 3.5) into IRIs under `GENID` on their way in.
- Bindings are joined at the start of the query's WHERE group as a VALUES block
  (`sparql_text.prebind`): the server takes no pre-bound variables.
"""

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph

from smartcity_kg.iris import BASE
from smartcity_kg.sparql_text import prebind

GENID = BASE + ".well-known/genid/"
DEFAULT = pyoxigraph.DefaultGraph()
_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
_BATCH = 20_000


class RemoteStore:
    """The dataset of a SPARQL server: queries go to `query_url`, updates to `update_url`
    (default: the same URL, as a Fuseki dataset endpoint takes both)."""

    def __init__(self, query_url: str, update_url: str | None = None, timeout: float = 300):
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r}, {self.update_url!r})"

    # --- the protocol -----------------------------------------------------------------

    def _post(self, url: str, body: bytes, content_type: str, accept: str = "*/*"):
        request = urllib.request.Request(
            url, data=body, headers={"Content-Type": content_type, "Accept": accept}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as error:
            message = error.read().decode("utf-8", "replace").strip()
            if error.code == 400:
                raise SyntaxError(f"the SPARQL server refused the request: {message}") from None
            raise OSError(f"the SPARQL server at {url} answered {error.code}: {message}") from None
        except urllib.error.URLError as error:
            raise OSError(f"cannot reach the SPARQL server at {url}: {error.reason}") from None

    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        substitutions: dict | None = None,
        default_graph=None,
        named_graphs=None,
        use_default_graph_as_union: bool = False,
    ):
        """Evaluate a query on the server; the answer has the types pyoxigraph's has."""
        text = prebind(query, {v.value: _skolem(t) for v, t in (substitutions or {}).items()})
        if base_iri:
            text = f"BASE <{base_iri}>\n{text}"
        form = [("query", text)]
        form += [("default-graph-uri", g.value) for g in _graphs(default_graph)]
        form += [("named-graph-uri", g.value) for g in named_graphs or ()]
        kind, body = self._post(
            self.query_url,
            urllib.parse.urlencode(form).encode(),
            "application/x-www-form-urlencoded",
            _ACCEPT,
        )
        if kind == "application/n-triples":
            return [q.triple for q in pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.N_TRIPLES)]
        return pyoxigraph.parse_query_results(body, format=pyoxigraph.QueryResultsFormat.JSON)

    def update(self, update: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL Update on the server."""
        text = f"BASE <{base_iri}>\n{update}" if base_iri else update
        self._post(self.update_url, text.encode(), "application/sparql-update")

    # --- writing ----------------------------------------------------------------------

    def extend(self, quads: Iterable[pyoxigraph.Quad]) -> None:
        """Add quads, in batches of INSERT DATA."""
        batch = []
        for quad in quads:
            batch.append(quad)
            if len(batch) == _BATCH:
                self._data("INSERT", batch)
                batch = []
        if batch:
            self._data("INSERT", batch)

    def _data(self, verb: str, quads: list[pyoxigraph.Quad]) -> None:
        by_graph: dict = {}
        for q in quads:
            triple = f"{_skolem(q.subject)} {q.predicate} {_skolem(q.object)} ."
            by_graph.setdefault(q.graph_name, []).append(triple)
        blocks = [
            "\n".join(triples)
            if graph == DEFAULT
            else f"GRAPH {graph} {{\n{chr(10).join(triples)}\n}}"
            for graph, triples in by_graph.items()
        ]
        self.update(f"{verb} DATA {{\n" + "\n".join(blocks) + "\n}")

    def load(self, *, path: str, format, base_iri: str | None = None, to_graph=None) -> None:
        """Parse a file here (so errors keep their line and column), then send its quads."""
        graph = to_graph or DEFAULT
        quads = pyoxigraph.parse(path=path, format=format, base_iri=base_iri)
        self.extend(
            pyoxigraph.Quad(q.subject, q.predicate, q.object, graph)
            if q.graph_name == DEFAULT
            else q
            for q in quads
        )

    def remove_graph(self, graph) -> None:
        self.update(f"DROP SILENT GRAPH {graph}")

    def clear_graph(self, graph) -> None:
        self.update("CLEAR SILENT DEFAULT" if graph == DEFAULT else f"CLEAR SILENT GRAPH {graph}")

    # --- reading ----------------------------------------------------------------------

    def named_graphs(self) -> Iterator[pyoxigraph.NamedNode]:
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return (row["g"] for row in rows)

    def contains_named_graph(self, graph) -> bool:
        return bool(self.query(f"ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}"))

    def quads_for_pattern(self, subject, predicate, object, graph_name=None):
        """The quads matching a pattern (None matches anything; a DefaultGraph graph name
        matches the default graph only)."""
        terms = {"s": subject, "p": predicate, "o": object}
        pattern = " ".join(str(_skolem(t)) if t is not None else f"?{v}" for v, t in terms.items())
        if graph_name == DEFAULT:
            where = f"{pattern} BIND(false AS ?g)"
        elif graph_name is not None:
            where = f"GRAPH {graph_name} {{ {pattern} }} BIND({graph_name} AS ?g)"
        else:
            where = f"{{ {pattern} BIND(false AS ?g) }} UNION {{ GRAPH ?g {{ {pattern} }} }}"
        for row in self.query(f"SELECT * WHERE {{ {where} }}"):
            found = {v: row[v] if t is None else t for v, t in terms.items()}
            g = row["g"]
            yield pyoxigraph.Quad(
                found["s"],
                found["p"],
                found["o"],
                g if isinstance(g, pyoxigraph.NamedNode) else DEFAULT,
            )

    def __iter__(self) -> Iterator[pyoxigraph.Quad]:
        return self.quads_for_pattern(None, None, None)

    def __len__(self) -> int:
        rows = self.query(
            "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
        )
        return int(next(iter(rows))["n"].value)

    def dump(self, output=None, format=None, *, from_graph=None) -> bytes | None:
        """The triples of one graph (the default graph by default) in `format`, written
        to the file `output` if given, else returned."""
        graph = from_graph or DEFAULT
        where = "?s ?p ?o" if graph == DEFAULT else f"GRAPH {graph} {{ ?s ?p ?o }}"
        triples = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}")
        quads = (pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples)
        data = pyoxigraph.serialize(quads, format=format) or b""
        if output is None:
            return data
        Path(output).write_bytes(data)
        return None


def _graphs(default_graph) -> list:
    if default_graph is None:
        return []
    return default_graph if isinstance(default_graph, list) else [default_graph]


def _skolem(term):
    """A blank node as its skolem IRI; any other term as it is."""
    if isinstance(term, pyoxigraph.BlankNode):
        return pyoxigraph.NamedNode(GENID + term.value)
    return term
