"""A store on a remote SPARQL 1.1 server (Oxigraph server, Virtuoso, Fuseki, GraphDB, ...),
reached over the SPARQL 1.1 Protocol: the scale-out backend (docs/decisions/0004).

`RemoteStore` offers the part of pyoxigraph's `Store` interface that the knowledge graph
uses, and the same view of the dataset as the embedded store: its named graphs are the
project's graphs only (those its manifest lists, `store/manifest.py`), and its default
graph is the merge of them, kept in the named graph `DEFAULT` (no server needs a writable
default graph, and the server's other graphs stay out of sight). So:

- a query goes with `default-graph-uri` `DEFAULT` and `named-graph-uri` the project's
  graphs (unless it names its own with FROM), an update with `WITH` and `USING`
  (`store/rewrite.py`);
- each query form is asked for in a format of its kind (SPARQL results for SELECT and ASK,
  N-Triples for CONSTRUCT and DESCRIBE); ASK answered as a one-row table (Virtuoso) and
  booleans written 1/0 are read as booleans;
- answers are never cut silently: the store learns the server's row cap (Virtuoso's
  `X-SPARQL-MaxRows`, or by counting a probe's rows), reads whole graphs in pages below it
  (checked against a count), and a query whose answer reached the cap raises
  `TruncatedAnswer`;
- data goes in `INSERT DATA` batches of `batch` triples, halved when the server says a
  batch is too big;
- blank nodes cannot keep their identity from one request to the next, so they go to the
  server as skolem IRIs under `GENID` (RDF 1.1 Concepts, 3.5), which dereference on the
  project's server (`/id/genid/...`), and come back as blank nodes of the same label;
- bindings are joined at the start of the query's WHERE group as a VALUES block
  (`sparql_text.prebind`): the server takes no pre-bound variables;
- what a rewrite keeping the meaning gets round is rewritten (`store/rewrite.py`): calls
  in ORDER BY bracketed, isBlank/isIRI aware of skolem IRIs, and for Virtuoso `sameTerm`
  spelt out and a trailing VALUES moved into the WHERE group;
- a server's refusal or failure is a `RemoteRefused` or `RemoteError` (user errors, so the
  CLI and the web app show their message) naming the server and what it said.

The spec is `QUERY_URL[;UPDATE_URL][;batch=N][;page=N][;timeout=SECONDS]`; a URL may carry
`user:password@` for servers that want HTTP Basic or Digest authentication on updates
(Virtuoso's `/sparql-auth`).
"""

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.etree import ElementTree

import pyoxigraph

from smartcity_kg.errors import TooManyRows, UserError
from smartcity_kg.iris import ID
from smartcity_kg.sparql_text import prebind
from smartcity_kg.store.manifest import DEFAULT, MANIFEST, NOTHING, RESERVED, Manifest
from smartcity_kg.store.rewrite import (
    bracket_order_calls,
    dataset_update,
    graph_targets,
    has_dataset_clause,
    inline_trailing_values,
    query_form,
    skolem_aware,
    spell_out_same_term,
    top_limit,
    uses_graph,
)

GENID = ID + "genid/"
DEFAULT_GRAPH = pyoxigraph.DefaultGraph()
# Triples per INSERT DATA. Virtuoso 7 compiles an INSERT DATA to SQL in a time that grows
# faster than its size (0.1 ms a triple in batches of 250, 0.3 in batches of 1,000) and
# refuses one of about 1,200 triples or more.
BATCH = 1_000
BATCHES = {"Virtuoso": 250}
PAGE = 10_000  # rows per page when a whole graph is read
PROBE = 100_000  # rows of the query that finds a server's row cap
TIMEOUT = 300.0

_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
# XML first for tables: Virtuoso writes it four times faster than JSON (and its TSV drops
# datatypes). JSON first for ASK, which Virtuoso answers as a one-row table.
_TABLES = "application/sparql-results+xml, application/sparql-results+json;q=0.9"
_BOOLEANS = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
_GRAPHS = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
ACCEPT = {"SELECT": _TABLES, "ASK": _BOOLEANS, "CONSTRUCT": _GRAPHS, "DESCRIBE": _GRAPHS}
_GRAPH_TYPES = {
    "application/n-triples": pyoxigraph.RdfFormat.N_TRIPLES,
    "text/plain": pyoxigraph.RdfFormat.N_TRIPLES,
    "text/turtle": pyoxigraph.RdfFormat.TURTLE,
    "application/x-turtle": pyoxigraph.RdfFormat.TURTLE,
    "application/rdf+xml": pyoxigraph.RdfFormat.RDF_XML,
}
_JSON_TYPES = ("application/sparql-results+json", "application/json")
_XML_TYPES = ("application/sparql-results+xml", "application/xml")
_RESULT_TYPES = {
    "application/sparql-results+xml": pyoxigraph.QueryResultsFormat.XML,
    "application/xml": pyoxigraph.QueryResultsFormat.XML,
    "text/tab-separated-values": pyoxigraph.QueryResultsFormat.TSV,
}
# pyoxigraph 0.5's XML results parser trims the spaces around a literal's text: an answer
# with such a literal is read here instead (slower).
_EDGE_SPACE = re.compile(rb"<literal[^>]*>\s|\s</literal>")
_SR = "{http://www.w3.org/2005/sparql-results#}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# What servers say when one request holds too much; the batch is then halved.
_TOO_BIG = ("length of generated SQL text has exceeded", "too large", "too big")
_UNKNOWN = object()
# `CONSTRUCT WHERE { ?s ?p ?o }` (a Graph Store read): read in pages like `dump`.
_WHOLE = re.compile(
    r"\s*CONSTRUCT\s*(?:\{\s*(\?\w+)\s+(\?\w+)\s+(\?\w+)\s*\.?\s*\}\s*)?"
    r"WHERE\s*\{\s*(\?\w+)\s+(\?\w+)\s+(\?\w+)\s*\.?\s*\}\s*",
    re.I,
)


class RemoteError(UserError, OSError):
    """The SPARQL server cannot be reached, failed, or answered what cannot be read."""


class RemoteRefused(UserError, SyntaxError):
    """The SPARQL server refused a request as malformed (HTTP 400), often a syntax error."""


class TruncatedAnswer(TooManyRows):
    """The server stopped an answer at its row cap: the whole answer is longer."""


class RemoteStore:
    """The project's dataset on a SPARQL server: queries go to `query_url`, updates to
    `update_url` (default: the same URL, as Fuseki's dataset endpoint and Virtuoso's
    `/sparql` take both); `batch` triples per INSERT DATA (default: what suits the
    server, `BATCHES`), `page` rows per page."""

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        *,
        batch: int | None = None,
        page: int = PAGE,
        timeout: float = TIMEOUT,
    ):
        parts = [query_url, *(update_url.split(";") if update_url else [])]
        urls = [p for p in parts if not _is_option(p)]
        options = dict(p.split("=", 1) for p in parts if _is_option(p))
        unknown = set(options) - {"batch", "page", "timeout"}
        if unknown or not urls or len(urls) > 2:
            raise UserError(
                f"remote store {';'.join(parts)!r}: expected QUERY_URL[;UPDATE_URL]"
                "[;batch=N][;page=N][;timeout=SECONDS]"
            )
        try:
            chosen = options.get("batch", batch)
            self._batch = None if chosen is None else max(1, int(chosen))
            self.page = max(1, int(options.get("page", page)))
            self.timeout = float(options.get("timeout", timeout))
        except ValueError as error:
            raise UserError(f"remote store option: {error}") from None
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        self.query_url = _without_userinfo(urls[0], passwords)
        self.update_url = _without_userinfo(urls[-1], passwords)
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPDigestAuthHandler(passwords),
            urllib.request.HTTPBasicAuthHandler(passwords),
        )
        self.server: str | None = None  # the Server header, once known
        self._cap = _UNKNOWN  # the server's row cap: int, None (none found) or unknown
        self._manifest: Manifest | None = None

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r}, {self.update_url!r})"

    @property
    def product(self) -> str:
        """The server's software (`Virtuoso`, `Oxigraph`, ...) once it has answered."""
        return (self.server or "").split("/")[0]

    @property
    def batch(self) -> int:
        """Triples per INSERT DATA: as chosen, else what suits the server (`BATCHES`)."""
        return self._batch if self._batch is not None else BATCHES.get(self.product, BATCH)

    def _dialect(self, text: str) -> str:
        """`text` as the server reads it right (same meaning): Virtuoso evaluates
        `sameTerm` inside `||` wrongly, so it gets it spelt out, and does not join a
        trailing VALUES with a group that has a BIND, so it gets it inside the group."""
        if self.product == "Virtuoso":
            return inline_trailing_values(spell_out_same_term(text))
        return text

    # --- the protocol -----------------------------------------------------------------

    def _name(self, headers=None) -> str:
        server = (headers or {}).get("Server") or self.server
        return f"the SPARQL server {server.split()[0]}" if server else "the SPARQL server"

    def _post(self, url: str, body: bytes, content_type: str, accept: str, what: str):
        """POST `body`; (headers, body) of the answer. RemoteRefused for a 400, RemoteError
        for any other failure, each with the server's name and message."""
        request = urllib.request.Request(
            url, data=body, headers={"Content-Type": content_type, "Accept": accept}
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                self.server = response.headers.get("Server") or self.server
                return response.headers, response.read()
        except urllib.error.HTTPError as error:
            message = _server_message(error.read())
            who = f"{self._name(error.headers)} at {url}"
            if error.code == 400:
                raise RemoteRefused(f"{who} refused the {what}: {message}") from None
            raise RemoteError(f"{who} answered {error.code} to the {what}: {message}") from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise RemoteError(
                    f"{self._name()} at {url} did not answer the {what} within {self.timeout:g} s"
                ) from None
            raise RemoteError(f"cannot reach the SPARQL server at {url}: {error.reason}") from None
        except TimeoutError:
            raise RemoteError(
                f"{self._name()} at {url} did not answer the {what} within {self.timeout:g} s"
            ) from None
        except OSError as error:
            raise RemoteError(f"cannot reach the SPARQL server at {url}: {error}") from None

    def _ask_server(self, text: str, accept: str, dataset: list[tuple[str, str]]):
        form = urllib.parse.urlencode([("query", text), *dataset]).encode()
        headers, body = self._post(
            self.query_url, form, "application/x-www-form-urlencoded", accept, "query"
        )
        if headers.get("X-SQL-State") == "S1TAT":  # Virtuoso's "anytime" partial answer
            raise RemoteError(
                f"{self._name(headers)} at {self.query_url} stopped the query at its time "
                f"limit and sent a partial answer ({headers.get('X-SQL-Message', '').strip()})"
            )
        return headers, body

    def _send(self, update: str) -> None:
        """Run an update as it is, halving nothing; RemoteRefused/RemoteError on failure."""
        self._post(
            self.update_url,
            update.encode("utf-8"),
            "application/sparql-update; charset=utf-8",
            "*/*",
            "update",
        )

    # --- the dataset's view -----------------------------------------------------------

    @property
    def manifest(self) -> Manifest:
        """The project's manifest on the server (read on first use)."""
        if self._manifest is None:
            self._manifest = Manifest.read(self._send, self._plain_rows, self.query_url)
        return self._manifest

    def _graphs(self) -> list[str]:
        return sorted(self.manifest.graphs)

    def _dataset(self, text, default_graph=None, named_graphs=None, union=False):
        """The protocol's dataset parameters that give `text` the project's view."""
        named = [g.value for g in named_graphs] if named_graphs is not None else None
        if default_graph is None and named is None and not union:
            if has_dataset_clause(text):
                return []
            default = [DEFAULT]
        elif union:
            default = self._graphs() or [NOTHING]
        elif default_graph is None:
            default = [DEFAULT]
        else:
            graphs = default_graph if isinstance(default_graph, list) else [default_graph]
            default = [DEFAULT if g == DEFAULT_GRAPH else g.value for g in graphs] or [NOTHING]
        if named is None:
            named = self._graphs() if uses_graph(text) else []
            named = named or ([NOTHING] if uses_graph(text) else [])
        elif not named:
            named = [NOTHING]
        return [("default-graph-uri", g) for g in default] + [("named-graph-uri", g) for g in named]

    # --- reading ----------------------------------------------------------------------

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
        text = self._dialect(skolem_aware(bracket_order_calls(text), GENID))
        if base_iri:
            text = f"BASE <{base_iri}>\n{text}"
        form = query_form(text)
        dataset = self._dataset(text, default_graph, named_graphs, use_default_graph_as_union)
        whole = _WHOLE.fullmatch(text)
        if whole and (whole.group(1) is None or whole.groups()[:3] == whole.groups()[3:]):
            rows = self._paged("?s ?p ?o", "?s ?p ?o", dataset)
            return list(dict.fromkeys(pyoxigraph.Triple(r["s"], r["p"], r["o"]) for r in rows))
        headers, body = self._ask_server(text, ACCEPT[form], dataset)
        kind = headers.get_content_type()
        limit = top_limit(text)
        if form in ("CONSTRUCT", "DESCRIBE"):
            triples = self._triples(kind, body, headers)
            cap = self._row_cap()
            if cap is not None and len(triples) >= cap and not (limit and limit <= cap):
                raise self._truncated(cap, "triples")
            return triples
        answer = self._table(kind, body, headers)
        if form == "ASK":
            return _boolean(answer)
        if isinstance(answer, bool):
            raise RemoteError(
                f"{self._name(headers)} at {self.query_url} answered a SELECT query with a boolean"
            )
        variables, rows = answer
        cap = _header_cap(headers)
        if cap is None and self._cap not in (_UNKNOWN, None):
            cap = self._cap
        if cap is not None and len(rows) >= cap and not (limit and limit <= cap):
            raise self._truncated(cap, "rows")
        return _solutions(variables, rows)

    def _truncated(self, cap: int, unit: str) -> TruncatedAnswer:
        return TruncatedAnswer(
            f"{self._name()} at {self.query_url} stops every answer at {cap:,} {unit} and "
            f"this one reached it, so it is cut short; ask in parts with LIMIT and OFFSET "
            f"(or raise the server's cap, e.g. Virtuoso's ResultSetMaxRows)"
        )

    def _table(self, kind: str, body: bytes, headers):
        """A SELECT or ASK answer: True/False, or (variables, rows of terms or None) with
        skolem IRIs as blank nodes and booleans written 1/0 as true/false."""
        if kind in _JSON_TYPES:
            try:
                document = json.loads(body)
                if "boolean" in document:
                    return bool(document["boolean"])
                variables = list(document["head"]["vars"])
                rows = [
                    [_json_term(row.get(v)) for v in variables]
                    for row in document["results"]["bindings"]
                ]
            except (ValueError, KeyError, TypeError) as error:
                raise self._unreadable(kind, error) from None
            return variables, rows
        if kind in _XML_TYPES and _EDGE_SPACE.search(body):
            try:
                return _xml_table(body)
            except (ElementTree.ParseError, ValueError, KeyError) as error:
                raise self._unreadable(kind, error) from None
        if kind not in _RESULT_TYPES:
            raise RemoteError(
                f"{self._name(headers)} at {self.query_url} answered a query with {kind}, "
                "not SPARQL results"
            )
        try:
            parsed = pyoxigraph.parse_query_results(body, format=_RESULT_TYPES[kind])
            if isinstance(parsed, pyoxigraph.QueryBoolean):
                return bool(parsed)
            variables = [v.value for v in parsed.variables]
            rows = [[_unskolem(solution[v]) for v in variables] for solution in parsed]
        except (SyntaxError, ValueError) as error:
            raise self._unreadable(kind, error) from None
        return variables, rows

    def _triples(self, kind: str, body: bytes, headers) -> list[pyoxigraph.Triple]:
        if kind not in _GRAPH_TYPES:
            raise RemoteError(
                f"{self._name(headers)} at {self.query_url} answered a graph query with "
                f"{kind}, not an RDF graph"
            )
        try:
            quads = pyoxigraph.parse(body, format=_GRAPH_TYPES[kind])
            return [
                pyoxigraph.Triple(_unskolem(q.subject), q.predicate, _unskolem(q.object))
                for q in quads
            ]
        except (SyntaxError, ValueError) as error:
            raise self._unreadable(kind, error) from None

    def _unreadable(self, kind, error) -> RemoteError:
        return RemoteError(f"{self._name()} at {self.query_url} sent unreadable {kind}: {error}")

    def _row_cap(self) -> int | None:
        """The most rows the server gives in one answer (None: none below `PROBE`),
        learned once by counting the rows of a query that has `PROBE` of them."""
        if self._cap is _UNKNOWN:
            digits = " ".join(map(str, range(10)))
            blocks = " ".join(f"VALUES ?{v} {{ {digits} }}" for v in "abcde")
            headers, body = self._ask_server(
                f"SELECT ?a WHERE {{ {blocks} }}", "text/tab-separated-values", []
            )
            rows = max(0, len(body.strip().splitlines()) - 1)
            header = _header_cap(headers)
            if header is not None and header < PROBE:
                self._cap = header
            else:
                self._cap = rows if rows < PROBE else None
        return self._cap

    def _select(self, text: str, dataset) -> tuple[list[dict], int | None]:
        """A SELECT's rows as dicts of terms, with the cap the server said it applied."""
        headers, body = self._ask_server(text, ACCEPT["SELECT"], dataset)
        answer = self._table(headers.get_content_type(), body, headers)
        if isinstance(answer, bool):
            raise self._unreadable("a boolean", "a SELECT query was answered yes or no")
        variables, rows = answer
        table = [
            {v: t for v, t in zip(variables, row, strict=True) if t is not None} for row in rows
        ]
        return table, _header_cap(headers)

    def _paged(self, variables: str, where: str, dataset) -> Iterator[dict]:
        """Every solution of `SELECT variables WHERE { where }`, read in pages below the
        server's cap; RemoteError if the pages do not add up to the count of solutions."""
        cap = self._row_cap()
        page = min(self.page, cap) if cap else self.page
        offset, seen = 0, 0
        while True:
            rows, capped = self._select(
                f"SELECT {variables} WHERE {{ {where} }} LIMIT {page} OFFSET {offset}", dataset
            )
            if capped is not None and capped < page and len(rows) >= capped:
                page = self._cap = capped  # a lower cap than learned: read this page again
                continue
            yield from rows
            seen += len(rows)
            if len(rows) < page:
                break
            offset += page
        if offset:  # more than one page: they must add up
            counted, _ = self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}", dataset)
            total = int(counted[0]["n"].value) if counted else -1
            if total != seen:
                raise RemoteError(
                    f"{self._name()} at {self.query_url} gave {seen:,} rows in pages of "
                    f"{page:,} where a count says {total:,}; the answer cannot be read whole"
                )

    def _plain_rows(self, variables: str, where: str) -> list[dict]:
        """The rows of `SELECT variables WHERE { where }` on the server's own dataset."""
        return list(self._paged(variables, where, []))

    def named_graphs(self) -> Iterator[pyoxigraph.NamedNode]:
        """The dataset's named graphs: the project's, as its manifest lists them."""
        return iter([pyoxigraph.NamedNode(g) for g in self._graphs()])

    def contains_named_graph(self, graph) -> bool:
        """Whether `graph` is one of the dataset's graphs and holds triples (a server such
        as Virtuoso keeps no empty graph, so an empty one counts as absent everywhere)."""
        if not isinstance(graph, pyoxigraph.NamedNode) or graph.value not in self.manifest.graphs:
            return False
        headers, body = self._ask_server(
            f"ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}", ACCEPT["ASK"], []
        )
        return bool(_boolean(self._table(headers.get_content_type(), body, headers)))

    def quads_for_pattern(self, subject, predicate, object, graph_name=None):
        """The quads matching a pattern (None matches anything; a DefaultGraph graph name
        matches the default graph only)."""
        terms = {"s": subject, "p": predicate, "o": object}
        pattern = " ".join(str(_skolem(t)) if t is not None else f"?{v}" for v, t in terms.items())
        if graph_name == DEFAULT_GRAPH:
            where = f"{pattern} BIND(false AS ?g)"
        elif graph_name is not None:
            if graph_name.value not in self.manifest.graphs:
                return iter(())
            where = f"GRAPH {graph_name} {{ {pattern} }} BIND({graph_name} AS ?g)"
        else:
            where = f"{{ {pattern} BIND(false AS ?g) }} UNION {{ GRAPH ?g {{ {pattern} }} }}"
        unbound = [f"?{v}" for v, t in terms.items() if t is None]
        dataset = self._dataset(where, default_graph=DEFAULT_GRAPH, named_graphs=None)
        return self._quads(" ".join([*unbound, "?g"]), where, dataset, terms)

    def _quads(self, variables, where, dataset, terms) -> Iterator[pyoxigraph.Quad]:
        for row in self._paged(variables, where, dataset):
            found = {v: row.get(v) if t is None else t for v, t in terms.items()}
            g = row.get("g")
            yield pyoxigraph.Quad(
                found["s"],
                found["p"],
                found["o"],
                g if isinstance(g, pyoxigraph.NamedNode) else DEFAULT_GRAPH,
            )

    def named_quads(self) -> Iterator[pyoxigraph.Quad]:
        """Every quad of the named graphs (the merged default graph left out)."""
        terms = {"s": None, "p": None, "o": None}
        where = "GRAPH ?g { ?s ?p ?o }"
        dataset = self._dataset(where, default_graph=DEFAULT_GRAPH, named_graphs=None)
        return self._quads("?s ?p ?o ?g", where, dataset, terms)

    def __iter__(self) -> Iterator[pyoxigraph.Quad]:
        return self.quads_for_pattern(None, None, None)

    def __len__(self) -> int:
        rows = self.query(
            "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
        )
        return next((int(row["n"].value) for row in rows), 0)

    def dump(self, output=None, format=None, *, from_graph=None) -> bytes | None:
        """The triples of one graph (the default graph by default) in `format`, written
        to `output` (a path or a binary file) if given, else returned. Read in pages,
        never cut short."""
        graph = from_graph or DEFAULT_GRAPH
        quads = (
            pyoxigraph.Quad(q.subject, q.predicate, q.object)
            for q in self.quads_for_pattern(None, None, None, graph)
        )
        data = pyoxigraph.serialize(quads, format=format) or b""
        if output is None:
            return data
        if hasattr(output, "write"):
            output.write(data)
        else:
            Path(output).write_bytes(data)
        return None

    # --- writing ----------------------------------------------------------------------

    def update(self, update: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL Update on the dataset's view: DEFAULT means the merge graph, ALL
        and NAMED the project's graphs; graphs it creates or drops join or leave the list."""
        text = self._dialect(skolem_aware(dataset_update(update, DEFAULT, self._graphs()), GENID))
        if base_iri:
            text = f"BASE <{base_iri}>\n{text}"
        self._send(text)
        targets = graph_targets(update, base_iri) - RESERVED
        if targets:
            self._follow(targets)

    def _follow(self, graphs: set[str]) -> None:
        """List the `graphs` that exist on the server now, unlist those that do not."""
        values = " ".join(f"<{g}>" for g in sorted(graphs))
        rows = self._plain_rows(
            "?g", f"VALUES ?g {{ {values} }} FILTER EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }}"
        )
        existing = {row["g"].value for row in rows}
        known = set(self.manifest.graphs)
        self.manifest.register(sorted(existing - known))
        self.manifest.unregister(sorted((graphs & known) - existing))

    def extend(self, quads: Iterable[pyoxigraph.Quad]) -> None:
        """Add quads, in batches of INSERT DATA; a new named graph joins the dataset."""
        batch = []
        for quad in quads:
            batch.append(quad)
            if len(batch) == self.batch:
                self._insert(batch)
                batch = []
        if batch:
            self._insert(batch)

    def _insert(self, quads: list[pyoxigraph.Quad]) -> None:
        graphs = {q.graph_name.value for q in quads if q.graph_name != DEFAULT_GRAPH}
        self.manifest.register(sorted(graphs - set(self.manifest.graphs)))
        by_graph: dict = {}
        for q in quads:
            triple = f"{_skolem(q.subject)} {q.predicate} {_skolem(q.object)} ."
            graph = DEFAULT if q.graph_name == DEFAULT_GRAPH else q.graph_name.value
            by_graph.setdefault(graph, []).append(triple)
        blocks = "\n".join(
            f"GRAPH <{graph}> {{\n" + "\n".join(triples) + "\n}"
            for graph, triples in by_graph.items()
        )
        try:
            self._send(f"INSERT DATA {{\n{blocks}\n}}")
        except (RemoteRefused, RemoteError) as error:
            if len(quads) == 1 or not any(m.lower() in str(error).lower() for m in _TOO_BIG):
                raise
            half = len(quads) // 2
            self._insert(quads[:half])
            self._insert(quads[half:])

    def publish(self, graphs: list[pyoxigraph.NamedNode]) -> None:
        """Merge the triples of `graphs` into the default graph (a set: no duplicates)."""
        for graph in graphs:
            self._send(
                f"INSERT {{ GRAPH <{DEFAULT}> {{ ?s ?p ?o }} }} "
                f"WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
            )

    def load(self, *, path: str, format, base_iri: str | None = None, to_graph=None) -> None:
        """Parse a file here (so errors keep their line and column), then send its quads."""
        graph = to_graph or DEFAULT_GRAPH
        quads = pyoxigraph.parse(path=path, format=format, base_iri=base_iri)
        self.extend(
            pyoxigraph.Quad(q.subject, q.predicate, q.object, graph)
            if q.graph_name == DEFAULT_GRAPH
            else q
            for q in quads
        )

    def remove_graph(self, graph) -> None:
        if graph == DEFAULT_GRAPH:
            self._send(f"CLEAR SILENT GRAPH <{DEFAULT}>")
            return
        self._send(f"DROP SILENT GRAPH {graph}")
        self.manifest.unregister([graph.value])

    def drop_dataset(self) -> None:
        """Drop the project's dataset from the server: every graph its manifest lists, the
        merged default graph and the manifest (the server's other graphs stay). The next
        `prepare` loads it again."""
        graphs = [*self._graphs(), DEFAULT, MANIFEST]
        self._send(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))
        self._manifest = None

    def clear_graph(self, graph) -> None:
        target = f"<{DEFAULT}>" if graph == DEFAULT_GRAPH else str(graph)
        self._send(f"CLEAR SILENT GRAPH {target}")


def _is_option(part: str) -> bool:
    return "=" in part and "://" not in part


def _without_userinfo(url: str, passwords) -> str:
    """`url` without `user:password@`, which goes to the password manager instead."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    plain = urllib.parse.urlunsplit(parts._replace(netloc=host))
    passwords.add_password(
        None,
        plain,
        urllib.parse.unquote(parts.username),
        urllib.parse.unquote(parts.password or ""),
    )
    return plain


def _server_message(body: bytes) -> str:
    """The server's error text, without the query it echoes, on one line."""
    text = body.decode("utf-8", "replace")
    text = re.split(r"\n\s*SPARQL query:", text, maxsplit=1)[0]
    text = re.sub(r"<[^>]+>", " ", text) if text.lstrip().startswith("<") else text
    text = " ".join(text.split())
    return text[:500] + (" ..." if len(text) > 500 else "") or "(no message)"


def _header_cap(headers) -> int | None:
    value = headers.get("X-SPARQL-MaxRows")
    return int(value) if value and value.strip().isdigit() else None


def _json_term(value: dict | None):
    """A bound value of SPARQL-results JSON as a term (Virtuoso writes `typed-literal`)."""
    if value is None:
        return None
    kind, text = value.get("type"), value.get("value", "")
    if kind == "uri":
        return _unskolem(pyoxigraph.NamedNode(text))
    if kind == "bnode":
        return pyoxigraph.BlankNode(text if _LABEL.fullmatch(text) else re.sub(r"\W", "_", text))
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return pyoxigraph.Literal(text, language=value["xml:lang"])
        if "datatype" in value:
            return _unskolem(
                pyoxigraph.Literal(text, datatype=pyoxigraph.NamedNode(value["datatype"]))
            )
        return pyoxigraph.Literal(text)
    raise ValueError(f"a value of type {kind!r}")


def _xml_table(body: bytes):
    """SPARQL-results XML as True/False or (variables, rows of terms)."""
    root = ElementTree.fromstring(body)
    boolean = root.find(f"{_SR}boolean")
    if boolean is not None:
        return (boolean.text or "").strip() in ("true", "1")
    variables = [v.attrib["name"] for v in root.iter(f"{_SR}variable")]
    position = {v: i for i, v in enumerate(variables)}
    terms: dict = {}  # the same term comes back many times: make it once
    rows = []
    for result in root.iter(f"{_SR}result"):
        row = [None] * len(variables)
        for binding in result:
            (value,) = binding
            key = (value.tag, value.text or "", *sorted(value.attrib.items()))
            term = terms.get(key)
            if term is None:
                term = terms[key] = _xml_term(value)
            row[position[binding.attrib["name"]]] = term
        rows.append(row)
    return variables, rows


def _xml_term(value):
    tag, text = value.tag.removeprefix(_SR), value.text or ""
    if tag == "uri":
        return _json_term({"type": "uri", "value": text})
    if tag == "bnode":
        return _json_term({"type": "bnode", "value": text})
    if tag == "literal":
        literal = {"type": "literal", "value": text}
        if _XML_LANG in value.attrib:
            literal["xml:lang"] = value.attrib[_XML_LANG]
        elif "datatype" in value.attrib:
            literal["datatype"] = value.attrib["datatype"]
        return _json_term(literal)
    raise ValueError(f"a value of kind {tag!r}")


def _json_value(term) -> dict:
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    value = {"type": "literal", "value": term.value}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        value["datatype"] = term.datatype.value
    return value


def _solutions(variables: list[str], rows: list[list]) -> pyoxigraph.QuerySolutions:
    """Rows of terms as pyoxigraph's solutions, the type the embedded store answers with."""
    document = {
        "head": {"vars": variables},
        "results": {
            "bindings": [
                {v: _json_value(t) for v, t in zip(variables, row, strict=True) if t is not None}
                for row in rows
            ]
        },
    }
    return pyoxigraph.parse_query_results(
        json.dumps(document).encode(), format=pyoxigraph.QueryResultsFormat.JSON
    )


def _boolean(answer) -> pyoxigraph.QueryBoolean:
    """An ASK answer as pyoxigraph's boolean, also when the server wrote it as a one-row
    table (Virtuoso: `__ASK_RETVAL` 1 or 0)."""
    if isinstance(answer, bool):
        value = answer
    else:
        _, rows = answer
        first = rows[0][0] if rows and rows[0] else None
        value = first is not None and first.value not in ("0", "false")
    text = b'{"head":{},"boolean":' + (b"true" if value else b"false") + b"}"
    return pyoxigraph.parse_query_results(text, format=pyoxigraph.QueryResultsFormat.JSON)


def _skolem(term):
    """A blank node as its skolem IRI; any other term as it is."""
    if isinstance(term, pyoxigraph.BlankNode):
        return pyoxigraph.NamedNode(GENID + term.value)
    return term


def _unskolem(term):
    """A skolem IRI as its blank node; a boolean 1/0 as true/false; any other term as it is."""
    if isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(GENID):
        label = term.value[len(GENID) :]
        if _LABEL.fullmatch(label):
            return pyoxigraph.BlankNode(label)
    if (
        isinstance(term, pyoxigraph.Literal)
        and term.datatype.value == _XSD_BOOLEAN
        and term.value in ("1", "0")
    ):
        return pyoxigraph.Literal("true" if term.value == "1" else "false", datatype=term.datatype)
    return term


__all__ = [
    "DEFAULT",
    "GENID",
    "MANIFEST",
    "RemoteError",
    "RemoteRefused",
    "RemoteStore",
    "TruncatedAnswer",
]
