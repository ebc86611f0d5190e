"""The remote store's client against a scripted server (no real one): what it asks for,
and how it reads what a server like Virtuoso answers - refusals and failures as messages
naming the server, ASK as a one-row table, booleans as 1/0, caps said or silent, partial
answers, batches too big."""

import json
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph
import pytest

from smartcity_kg.cli.main import main
from smartcity_kg.errors import UserError
from smartcity_kg.store.manifest import DEFAULT, MANIFEST, VOCAB
from smartcity_kg.store.remote import (
    GENID,
    RemoteError,
    RemoteRefused,
    RemoteStore,
    TruncatedAnswer,
)

VIRTUOSO = "Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu"
GRAPH = "https://w3id.org/smartcity-kg/graph/sources"
XSD = "http://www.w3.org/2001/XMLSchema#"


def results(variables: list[str], rows: list[dict]) -> tuple[int, dict, bytes]:
    document = {"head": {"vars": variables}, "results": {"bindings": rows}}
    return 200, {"Content-Type": "application/sparql-results+json"}, json.dumps(document).encode()


def manifest_rows(state: str = "ready") -> list[dict]:
    def uri(value):
        return {"type": "uri", "value": value}

    def lit(value, datatype=None):
        return {"type": "literal", "value": value, **({"datatype": datatype} if datatype else {})}

    return [
        {"s": uri(MANIFEST), "p": uri(VOCAB + "layout"), "o": lit("1", XSD + "integer")},
        {"s": uri(MANIFEST), "p": uri(VOCAB + "state"), "o": lit(state)},
        {"s": uri(MANIFEST), "p": uri(VOCAB + "graph"), "o": uri(GRAPH)},
        {"s": uri(GRAPH), "p": uri(VOCAB + "complete"), "o": lit("1", XSD + "boolean")},
    ]


@dataclass
class Scripted:
    """A server whose answer to each request `answer(kind, text, form)` decides; `kind` is
    `query` or `update`, `form` the decoded query form. Manifest reads and the cap probe
    are answered as a ready dataset with no cap, unless `answer` says otherwise."""

    url: str = ""
    answer: Callable = lambda kind, text, form: results([], [])
    cap: int | None = None
    requests: list = field(default_factory=list)

    def respond(self, kind: str, text: str, form: dict, accept: str):
        self.requests.append((kind, text, form, accept))
        if kind == "query" and "store/manifest" in text:
            return results(["s", "p", "o"], manifest_rows())
        if kind == "query" and "VALUES ?a" in text:  # the probe for a row cap
            count = self.cap if self.cap is not None else 100_000
            body = "?a\n" + "0\n" * count
            return 200, {"Content-Type": "text/tab-separated-values"}, body.encode()
        return self.answer(kind, text, form)


@pytest.fixture
def scripted() -> Iterator[Scripted]:
    script = Scripted()

    class Handler(BaseHTTPRequestHandler):
        server_version, sys_version = VIRTUOSO, ""

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.headers.get_content_type() == "application/x-www-form-urlencoded":
                form = urllib.parse.parse_qs(body.decode())
                kind, text = "query", form["query"][0]
            else:
                form, kind, text = {}, "update", body.decode()
            status, headers, data = script.respond(kind, text, form, self.headers["Accept"])
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    script.url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    yield script
    server.shutdown()
    server.server_close()


def test_the_spec_takes_two_urls_credentials_and_options():
    store = RemoteStore("http://a/q", "http://user:secret@b/u;batch=5;page=7;timeout=3")
    assert (store.query_url, store.update_url) == ("http://a/q", "http://b/u")
    assert (store.batch, store.page, store.timeout) == (5, 7, 3.0)
    assert "secret" not in repr(store)
    assert RemoteStore("http://a/q", "batch=9").update_url == "http://a/q"
    with pytest.raises(UserError, match="expected QUERY_URL"):
        RemoteStore("http://a/q", "size=3")


def test_each_query_form_asks_for_a_format_of_its_kind(scripted):
    scripted.answer = lambda kind, text, form: results(["s"], [])
    store = RemoteStore(scripted.url)
    store.query("SELECT ?s WHERE { ?s ?p ?o }")
    scripted.answer = lambda *_: (200, {"Content-Type": "application/n-triples"}, b"")
    store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(true) }")
    accepts = [accept for kind, text, _, accept in scripted.requests if "WHERE { ?s ?p" in text]
    assert accepts[0].startswith("application/sparql-results+xml")
    assert accepts[1].startswith("application/n-triples")


def test_a_graph_answered_as_a_table_is_an_error_not_a_traceback(scripted):
    scripted.answer = lambda *_: results(["s", "p", "o"], [])
    with pytest.raises(RemoteError, match="answered a graph query with application/sparql"):
        RemoteStore(scripted.url).query("CONSTRUCT WHERE { ?s ?p ?o FILTER(true) }")


def test_queries_see_the_project_graphs_unless_they_name_theirs(scripted):
    scripted.answer = lambda kind, text, form: results(["g"], [])
    store = RemoteStore(scripted.url)
    store.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    store.query("SELECT * WHERE { ?s ?p ?o }")
    store.query("SELECT * FROM <http://x/> WHERE { ?s ?p ?o }")
    asked = [(t, f) for _, t, f, _ in scripted.requests if "manifest" not in t]
    forms = [form for text, form in asked if "VALUES ?a" not in text]
    assert forms[0]["default-graph-uri"] == [DEFAULT] and forms[0]["named-graph-uri"] == [GRAPH]
    assert forms[1]["default-graph-uri"] == [DEFAULT] and "named-graph-uri" not in forms[1]
    assert "default-graph-uri" not in forms[2]


def test_a_refusal_names_the_server_without_the_echoed_query(scripted):
    message = (
        "Virtuoso 37000 Error SP030: SPARQL compiler, line 1: syntax error at '(' before "
        "'DISTINCT'\n\nSPARQL query:\ndefine sql:big-data-const 0 SELECT ..."
    )
    scripted.answer = lambda *_: (400, {"Content-Type": "text/plain"}, message.encode())
    with pytest.raises(RemoteRefused) as refused:
        RemoteStore(scripted.url).query("SELECT * WHERE { ?s ?p ?o }")
    assert str(refused.value) == (
        f"the SPARQL server Virtuoso/07.20.3229 at {scripted.url} refused the query: Virtuoso "
        "37000 Error SP030: SPARQL compiler, line 1: syntax error at '(' before 'DISTINCT'"
    )


def test_a_server_failure_is_a_message_on_the_command_line(scripted, capsys):
    estimate = (
        "Virtuoso 42000 Error The estimated execution time 2409 (sec) exceeds the limit of "
        "400 (sec).\n\nSPARQL query:\nSELECT ..."
    )
    scripted.answer = lambda *_: (500, {"Content-Type": "text/plain"}, estimate.encode())
    store = f"remote:{scripted.url}"
    assert main(["query", "--sparql", "SELECT * WHERE { ?s ?p ?o }", "--store", store]) == 2
    assert capsys.readouterr().err == (
        f"smartcity-kg: error: the SPARQL server Virtuoso/07.20.3229 at {scripted.url} "
        "answered 500 to the query: Virtuoso 42000 Error The estimated execution time 2409 "
        "(sec) exceeds the limit of 400 (sec).\n"
    )


def test_ask_as_a_one_row_table_booleans_as_1_and_0_skolem_iris_as_blank_nodes(scripted):
    def answer(kind, text, form):
        if text.startswith("ASK"):
            one = {"type": "typed-literal", "datatype": XSD + "integer", "value": "1"}
            return results(["__ASK_RETVAL"], [{"__ASK_RETVAL": one}])
        flag = {"type": "typed-literal", "datatype": XSD + "boolean", "value": "0"}
        node = {"type": "uri", "value": GENID + "b0"}
        return results(["flag", "node"], [{"flag": flag, "node": node}])

    scripted.answer = answer
    store = RemoteStore(scripted.url)
    assert bool(store.query("ASK { ?s ?p ?o }")) is True
    (row,) = store.query("SELECT ?flag ?node WHERE { ?node ?p ?flag }")
    assert row["flag"] == pyoxigraph.Literal(
        "false", datatype=pyoxigraph.NamedNode(XSD + "boolean")
    )
    assert row["node"] == pyoxigraph.BlankNode("b0")


def test_an_answer_at_the_cap_the_server_states_fails_loudly(scripted):
    rows = [{"n": {"type": "literal", "value": str(i)}} for i in range(3)]

    def capped(kind, text, form):
        status, headers, body = results(["n"], rows)
        return status, {**headers, "X-SPARQL-MaxRows": "3"}, body

    scripted.answer = capped
    store = RemoteStore(scripted.url)
    with pytest.raises(TruncatedAnswer, match="stops every answer at 3 rows"):
        store.query("SELECT ?n WHERE { ?n ?p ?o }")
    assert len(list(store.query("SELECT ?n WHERE { ?n ?p ?o } LIMIT 3"))) == 3


def test_a_silent_cap_is_found_by_counting_a_probe(scripted):
    scripted.cap = 5
    rows = [{"n": {"type": "literal", "value": str(i)}} for i in range(5)]
    scripted.answer = lambda kind, text, form: (
        results(["n"], rows)
        if text.startswith("SELECT")
        else (
            200,
            {"Content-Type": "application/n-triples"},
            b'<http://x/a> <http://x/b> "1" .\n' * 5,
        )
    )
    store = RemoteStore(scripted.url)
    store._row_cap()
    with pytest.raises(TruncatedAnswer, match="at 5 rows"):
        store.query("SELECT ?n WHERE { ?n ?p ?o }")
    with pytest.raises(TruncatedAnswer, match="at 5 triples"):
        store.query("CONSTRUCT { ?n ?p ?o } WHERE { ?n ?p ?o FILTER(true) }")


def test_a_partial_answer_is_refused(scripted):
    def partial(kind, text, form):
        status, headers, body = results(["n"], [])
        return status, {**headers, "X-SQL-State": "S1TAT", "X-SQL-Message": "timeout"}, body

    scripted.answer = partial
    with pytest.raises(RemoteError, match="stopped the query at its time limit"):
        RemoteStore(scripted.url).query("SELECT ?n WHERE { ?n ?p ?o }")


def test_a_batch_too_big_for_the_server_is_halved(scripted):
    accepted = []
    too_big = (
        b"Virtuoso 37000 Error SP031: SPARQL: Internal error: The length of generated SQL "
        b"text has exceeded 10000 lines of code"
    )

    def answer(kind, text, form):
        if kind == "update" and "http://example.org/" in text:
            triples = text.count("<http://example.org/p>")
            if triples > 4:
                return 400, {"Content-Type": "text/plain"}, too_big
            accepted.append(triples)
        return 200, {"Content-Type": "text/plain"}, b"done"

    scripted.answer = answer
    node = pyoxigraph.NamedNode
    graph = node(GRAPH)
    RemoteStore(scripted.url, batch=10).extend(
        pyoxigraph.Quad(
            node(f"http://example.org/{i}"),
            node("http://example.org/p"),
            node("http://example.org/o"),
            graph,
        )
        for i in range(10)
    )
    assert sum(accepted) == 10 and max(accepted) <= 4
