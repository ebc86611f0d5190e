"""SERVICE, LOAD, FROM and named-graph-uri: what the scan finds and what the endpoint refuses.

pyoxigraph really contacts SERVICE endpoints, so a listening server stands ready to record
any request; it must receive none.
"""

import http.server
import threading

import pytest

from smartcity_kg.settings import Settings
from smartcity_kg.web.scan import Mention, mentions

from .conftest import GRAPH, QUERIES, client_for


@pytest.fixture(scope="module")
def listener():
    """A SPARQL-looking server on 127.0.0.1 recording every request it receives."""
    received = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self._record()

        def do_POST(self):
            self._record()

        def _record(self):
            received.append(self.path)
            body = b'{"head": {"vars": []}, "results": {"bindings": [{}]}}'
            self.send_response(200)
            self.send_header("content-type", "application/sparql-results+json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", received
    server.shutdown()


SNEAKY = [
    "SELECT * WHERE {{ SERVICE <{u}plain> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{u}lower> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE<{u}tight>{{?s ?p ?o}} }}",
    "PREFIX : <{u}> SELECT * WHERE {{ SERVICE:colon {{ ?s ?p ?o }} }}",
    "PREFIX r: <{u}> SELECT * WHERE {{ ?s ?p ?o SERVICE r:pname {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p 1SERVICE <{u}after-number> {{ ?s ?p ?o }} }}",
    "PREFIX : <{u}> SELECT * WHERE {{ ?s ?p trueSERVICE :after-true {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o ; SERVICE <{u}after-semicolon> {{ ?s ?p ?o }} }}",
    "BASE <{u}> SELECT * WHERE {{ SERVICE <relative> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE <{u}\\u0065scaped> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ # a comment\nSERVICE <{u}after-comment> {{ ?s ?p ?o }} }}",
    'SELECT * WHERE {{ ?s ?p "a string" SERVICE <{u}after-string> {{ ?s ?p ?o }} }}',
    "PREFIX x: <http://x/> SELECT * WHERE {{ ?s x:a\\#b ?o SERVICE <{u}after-escape> {{}} }}",
    "SELECT * WHERE {{ VALUES ?where {{ <{u}variable> }} SERVICE ?where {{ ?s ?p ?o }} }}",
    # `<` as less-than, lexed as the start of an IRI that hides the SERVICE
    "PREFIX : <{u}> SELECT * WHERE {{ BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a<?b)SERVICE:x#>\n"
    "{{ ?s ?p ?o }} }}",
    "PREFIX : <{u}> SELECT * WHERE {{ FILTER(1<2)SERVICE:number#>\n{{ ?s ?p ?o }} }}",
    "PREFIX : <{u}> SELECT * WHERE {{ BIND(1 AS ?a) FILTER(str(?a)<?a)SERVICE:paren#>\n"
    "{{ ?s ?p ?o }} }}",
    'PREFIX : <{u}> SELECT * WHERE {{ BIND("a" AS ?a) FILTER("a"<?a).SERVICE:string#>\n'
    "{{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("template", SNEAKY)
def test_service_is_refused_however_it_is_written_and_nothing_is_contacted(
    client, listener, template
):
    url, received = listener
    response = client.get("/sparql", params={"query": template.format(u=url)})
    assert response.status_code == 400, response.text
    detail = response.json()["detail"]
    if "trueSERVICE" in template:  # oxigraph reads `true SERVICE`, the grammar a prefix name
        assert detail.startswith("the request spells SERVICE or LOAD at line 1, column ")
        assert detail.endswith("; write keywords apart from names")
    else:
        assert detail.startswith("SERVICE ")
        assert detail.endswith(
            "is refused: this endpoint does not contact other servers unless its allow-list "
            "names them"
        )
    assert received == []


def test_the_refusal_names_the_resolved_target(client, listener):
    url, _ = listener
    query = f"PREFIX r: <{url}> SELECT * WHERE {{ SERVICE r:sparql {{ ?s ?p ?o }} }}"
    assert client.get("/sparql", params={"query": query}).json()["detail"] == (
        f"SERVICE <{url}sparql> is refused: this endpoint does not contact other servers "
        "unless its allow-list names them"
    )
    query = "SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }"
    assert client.get("/sparql", params={"query": query}).json()["detail"] == (
        "SERVICE a target that is not a fixed IRI is refused: this endpoint does not contact "
        "other servers unless its allow-list names them"
    )


def test_words_that_only_look_like_keywords_are_not_refused(client):
    query = """PREFIX ex: <http://example.org/>
    SELECT ?service ?from WHERE {
      VALUES (?service ?from) { ("SERVICE <http://x/> {}" ex:loadFrom) }
      # SERVICE <http://127.0.0.1:1/> { }
      BIND(<http://example.org/SERVICE> AS ?iri)
    }"""
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"][0]["service"]["value"] == "SERVICE <http://x/> {}"


def test_from_outside_the_dataset_and_named_graph_uri_outside_it_are_refused(client, listener):
    url, received = listener
    response = client.get(
        "/sparql", params={"query": f"SELECT * FROM <{url}data.ttl> {{ ?s ?p ?o }}"}
    )
    assert (response.status_code, response.json()) == (
        400,
        {"detail": f"FROM <{url}data.ttl> is not a graph of this dataset"},
    )
    query = f"SELECT * FROM NAMED <{url}data.ttl> {{ ?s ?p ?o }}"
    assert client.get("/sparql", params={"query": query}).json() == {
        "detail": f"FROM NAMED <{url}data.ttl> is not a graph of this dataset"
    }
    response = client.get(
        "/sparql", params={"query": "ASK { GRAPH ?g { } }", "named-graph-uri": url + "g"}
    )
    assert (response.status_code, response.json()) == (
        400,
        {"detail": f"named-graph-uri <{url}g> is not a graph of this dataset"},
    )
    assert received == []
    metrics = client.get("/metrics").text
    assert 'smartcity_kg_refusals_total{rule="FROM"} 2' in metrics
    assert 'smartcity_kg_refusals_total{rule="named-graph-uri"} 1' in metrics


def test_an_allow_listed_service_is_contacted(listener):
    url, received = listener
    settings = Settings(queries=str(QUERIES), allowed_remote=(url,))
    with client_for(settings) as allowing:
        query = f"SELECT * WHERE {{ SERVICE <{url}allowed> {{ ?s ?p ?o }} }}"
        response = allowing.get("/sparql", params={"query": query})
        assert response.status_code == 200, response.text
        assert received == ["/allowed"]
        query = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/other> { ?s ?p ?o } }"
        assert allowing.get("/sparql", params={"query": query}).status_code == 400
        health = allowing.get("/health").json()
        # only the one worker that runs allowed remote calls may reach the network
        assert health["network_isolated"] is allowing.app.state.service.pool.isolated
        assert health["workers"]["remote"] == {"size": 1, "live": 1, "busy": 0, "waiting": 0}
    received.clear()


def test_without_an_allow_list_the_workers_are_cut_off_the_network(client):
    isolated = client.get("/health").json()["network_isolated"]
    if not isolated:
        pytest.skip("this kernel refuses network namespaces: the scan is the only guard")
    assert isolated is True


def test_a_less_than_is_read_both_ways():
    smuggled = "PREFIX : <http://evil/> SELECT * WHERE { FILTER(?a<?b)SERVICE:x#>\n{} }"
    assert mentions(smuggled) == [Mention("SERVICE", "http://evil/x")]
    plain = (
        "SELECT * WHERE { ?s <http://schema.org/service> ?o "
        "FILTER(?o = <http://x/load> || ?o IN (<http://x/service>)) }"
    )
    assert mentions(plain) == []


def test_the_scan_finds_keywords_and_resolves_their_targets():
    text = """BASE <http://base.example/>
    PREFIX g: <http://graphs.example/>
    SELECT * FROM <one> FROM NAMED g:two WHERE { SERVICE SILENT <three> {} }"""
    assert mentions(text) == [
        Mention("FROM", "http://base.example/one"),
        Mention("FROM NAMED", "http://graphs.example/two"),
        Mention("SERVICE", "http://base.example/three"),
    ]
    update = "LOAD SILENT <http://x/y> INTO GRAPH <http://g/> ; WITH <http://w/> DELETE {} WHERE {}"
    assert mentions(update) == [Mention("LOAD", "http://x/y"), Mention("WITH", "http://w/")]
    assert mentions(f"SELECT * WHERE {{ ?s <{GRAPH}fromStage> ?service }}") == []
