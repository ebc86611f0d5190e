"""A real `smartcity-kg serve` on a free port: time limit, body and row caps, CORS,
errors without tracebacks, and real SPARQL clients."""

import contextlib
import threading
import time

import httpx
import psutil
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

from .conftest import CITY, ENDLESS, GRAPH, fixture_server_args

AWARDED = "https://w3id.org/smartcity-kg/ontology#awardedTo"
CITIES = (
    "SELECT ?city WHERE { ?city a <https://w3id.org/smartcity-kg/ontology#City> } ORDER BY ?city"
)


@pytest.fixture(scope="module")
def server(serve):
    return serve(
        *fixture_server_args(
            "--timeout", "2", "--workers", "2", "--max-body", "2000", "--max-rows", "2"
        )
    )


def workers(server, pool: str = "query") -> set[int]:
    """The worker processes of one pool (each pool names its processes `sck-POOL`)."""
    found = set()
    for child in psutil.Process(server.process.pid).children():
        with contextlib.suppress(psutil.NoSuchProcess):
            if child.name() == f"sck-{pool}" and child.status() != psutil.STATUS_ZOMBIE:
                found.add(child.pid)
    return found


def test_a_query_past_the_time_limit_is_stopped_while_a_simple_one_is_answered(server):
    before = workers(server)
    assert len(before) == 2
    slow: dict = {}

    def endless():
        started = time.monotonic()
        slow["response"] = httpx.get(server.url + "/sparql", params={"query": ENDLESS}, timeout=30)
        slow["seconds"] = time.monotonic() - started
        slow["done"] = time.monotonic()

    cpu = {pid: psutil.Process(pid).cpu_times().user for pid in before}
    thread = threading.Thread(target=endless)
    thread.start()
    deadline = time.monotonic() + 10
    while not any(  # wait until a worker is busy with the slow query
        psutil.Process(pid).cpu_times().user > used + 0.05 for pid, used in cpu.items()
    ):
        assert time.monotonic() < deadline and "done" not in slow
        time.sleep(0.01)
    quick = httpx.get(server.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=5)
    quick_done = time.monotonic()
    thread.join(timeout=30)
    assert (quick.status_code, quick.json()["boolean"]) == (200, True)
    assert quick_done < slow["done"]  # answered while the slow query held the other worker
    response = slow["response"]
    assert (response.status_code, response.json()) == (
        503,
        {"detail": "the query ran longer than the time limit of 2 s and was stopped"},
    )
    assert 2.0 <= slow["seconds"] < 2.0 + 10  # stopped at the limit, not run to its end
    deadline = time.monotonic() + 10
    while (
        len(after := workers(server)) != 2
        or len(before - after) != 1
        or any(psutil.pid_exists(pid) for pid in before - after)
    ) and time.monotonic() < deadline:
        time.sleep(0.05)  # the killed worker is reaped and replaced without blocking the server
    assert len(after) == 2 and len(before - after) == 1
    assert not any(psutil.pid_exists(pid) for pid in before - after)
    assert "smartcity_kg_query_timeouts_total 1" in httpx.get(server.url + "/metrics").text


def test_a_body_over_the_limit_is_413(server):
    query = "ASK {}" + " " * 3000
    response = httpx.post(
        server.url + "/sparql", content=query, headers={"content-type": "application/sparql-query"}
    )
    assert (response.status_code, response.json()) == (
        413,
        {"detail": "the request body is larger than this server's limit of 2000 bytes"},
    )

    def chunks():
        yield b"ASK {}"
        yield b" " * 3000

    response = httpx.post(
        server.url + "/sparql",
        content=chunks(),
        headers={"content-type": "application/sparql-query"},
    )
    assert response.status_code == 413


def test_an_answer_over_the_row_cap_is_refused_with_advice(server):
    everything = "SELECT ?city WHERE { ?city <https://w3id.org/smartcity-kg/ontology#founded> ?y }"
    response = httpx.get(server.url + "/sparql", params={"query": everything})
    assert (response.status_code, response.json()) == (
        400,
        {
            "detail": "the answer has more than 2 rows, the cap here; "
            "use LIMIT and OFFSET to take it in parts"
        },
    )
    response = httpx.get(server.url + "/sparql", params={"query": everything + " LIMIT 2"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/sparql", {"params": {"query": "SELECT * {"}}, 400),
        (
            "POST",
            "/sparql",
            {"content": b"\xff", "headers": {"content-type": "application/sparql-query"}},
            400,
        ),
        ("PUT", "/sparql", {}, 405),
        ("GET", "/nowhere", {}, 404),
        ("GET", "/queries/label-of", {"params": {"city": "not a slug"}}, 400),
        ("GET", "/store", {"params": {"graph": "urn:x"}}, 404),
        ("POST", "/sparql", {"data": {"update": "LOAD <http://127.0.0.1:1/x>"}}, 403),
        (
            "GET",
            "/sparql",
            {"params": {"query": "ASK {}"}, "headers": {"accept": "image/png"}},
            406,
        ),
    ],
)
def test_every_error_is_a_json_message_not_a_traceback(server, method, path, kwargs, status):
    response = httpx.request(method, server.url + path, **kwargs)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    (message,) = response.json().values()
    assert message and "Traceback" not in message and 'File "' not in message


def test_cors_lets_browsers_from_any_origin_read_post_and_put(server):
    origin = {"origin": "https://yasgui.example"}
    response = httpx.options(
        server.url + "/sparql",
        headers={
            **origin,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert set(response.headers["access-control-allow-methods"].split(", ")) == {
        "GET",
        "HEAD",
        "POST",
        "PUT",  # PUT /cities/{slug}: a live city update, with the server's token
    }
    response = httpx.get(server.url + "/sparql", params={"query": "ASK {}"}, headers=origin)
    assert response.headers["access-control-allow-origin"] == "*"


def test_cors_origins_are_a_setting(serve):
    server = serve(*fixture_server_args("--cors-origin", "https://allowed.example"))
    allowed = httpx.get(server.url + "/health", headers={"origin": "https://allowed.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://allowed.example"
    other = httpx.get(server.url + "/health", headers={"origin": "https://other.example"})
    assert "access-control-allow-origin" not in other.headers


def test_sparqlwrapper_select_in_json_and_xml_and_construct_in_turtle(server):
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(CITIES)
    client.setReturnFormat(JSON)
    bindings = client.query().convert()["results"]["bindings"]
    assert [b["city"]["value"] for b in bindings] == [CITY + "alpha", CITY + "beta"]
    client.setReturnFormat(XML)
    document = client.query().convert()
    uris = [node.firstChild.data for node in document.getElementsByTagName("uri")]
    assert uris == [CITY + "alpha", CITY + "beta"]
    client.setQuery(
        f"CONSTRUCT {{ ?s <{AWARDED}> ?o }} "
        f"WHERE {{ GRAPH <{GRAPH}awards> {{ ?s <{AWARDED}> ?o }} }}"
    )
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.query().convert(), format="turtle")
    assert set(graph.objects(None, rdflib.URIRef(AWARDED))) == {
        rdflib.URIRef(CITY + "alpha"),
        rdflib.URIRef(CITY + "beta"),
    }


def test_rdflib_sparqlstore_queries_the_endpoint(server):
    store = SPARQLStore(server.url + "/sparql", returnFormat="json")
    graph = rdflib.Graph(store=store)
    answer = graph.query(
        "SELECT ?label WHERE { ?city rdfs:label ?label FILTER(LANG(?label) = 'id') }"
    )
    assert [(str(row.label), row.label.language) for row in answer] == [("Alfa", "id")]
    assert graph.query(f"ASK {{ <{CITY}beta> ?p ?o }}").askAnswer is True
