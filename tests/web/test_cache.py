"""The answer cache: repeated GETs come from memory until an update; off with 0 bytes."""

import threading
import time

import psutil

from smartcity_kg.settings import Settings
from smartcity_kg.web.cache import AnswerCache

from .conftest import CITY, GRAPH, QUERIES, client_for

# Ten million rows to count (a few seconds), and whether <delta> has <urn:x:p>.
SLOW = (
    "SELECT (COUNT(*) AS ?n) (SAMPLE(?o) AS ?d) WHERE { "
    + " ".join(f"VALUES ?v{i} {{ 0 1 2 3 4 5 6 7 8 9 }}" for i in range(7))
    + f" OPTIONAL {{ <{CITY}delta> <urn:x:p> ?o }} }}"
)

ASK = f"ASK {{ <{CITY}delta> ?p ?o }}"
TOKEN = "cache-test-token"


def gauge(client, name: str) -> int:
    lines = client.get("/metrics").text.splitlines()
    (value,) = [line.split()[1] for line in lines if line.startswith(f"smartcity_kg_{name} ")]
    return int(value)


def test_a_repeated_get_is_answered_from_memory_until_an_update():
    settings = Settings(
        queries=str(QUERIES), enable_update=True, update_token=TOKEN, reasoner="none"
    )
    with client_for(settings) as client:
        first = client.get("/sparql", params={"query": ASK})
        assert gauge(client, "answer_cache_misses") == 1
        again = client.get("/sparql", params={"query": ASK})
        assert (again.content, again.headers["content-type"]) == (
            first.content,
            first.headers["content-type"],
        )
        assert gauge(client, "answer_cache_hits") == 1
        csv = client.get("/sparql", params={"query": ASK}, headers={"accept": "text/csv"})
        assert csv.text == "boolean\r\nfalse\r\n"
        assert gauge(client, "answer_cache_entries") == 2
        assert (
            'smartcity_kg_requests_total{method="GET",route="/sparql",status="200"} 3'
            in client.get("/metrics").text
        )
        insert = f'INSERT DATA {{ GRAPH <{GRAPH}cities> {{ <{CITY}delta> <urn:x:p> "d" }} }}'
        headers = {"content-type": "application/sparql-update", "authorization": f"Bearer {TOKEN}"}
        assert client.post("/sparql", content=insert, headers=headers).status_code == 204
        assert gauge(client, "answer_cache_entries") == 0
        assert client.get("/sparql", params={"query": ASK}).json()["boolean"] is True


def test_errors_and_html_pages_are_not_kept(client):
    entries = gauge(client, "answer_cache_entries")
    client.get("/sparql", params={"query": "ASK {"})
    client.get("/sparql", headers={"accept": "text/html"})
    assert gauge(client, "answer_cache_entries") == entries


def test_no_cache_with_zero_bytes():
    with client_for(Settings(queries=str(QUERIES), cache_bytes=0)) as client:
        for _ in range(3):
            assert client.get("/sparql", params={"query": ASK}).status_code == 200
        assert (gauge(client, "answer_cache_hits"), gauge(client, "answer_cache_entries")) == (0, 0)


def test_the_least_recently_used_answers_go_first():
    cache = AnswerCache(budget=800)
    for name in "abcdefgh":
        cache.put((name,), None, [], name.encode() * 100, cache.generation)
    assert (cache.held, len(cache)) == (800, 8)
    assert cache.get(("a",)) is not None
    cache.put(("i",), None, [], b"i" * 100, cache.generation)
    assert (cache.held, len(cache)) == (800, 8)
    assert cache.get(("b",)) is None and cache.get(("a",)) is not None
    cache.put(("big",), None, [], b"x" * 101, cache.generation)
    assert cache.get(("big",)) is None


def test_an_answer_from_before_an_update_is_not_kept_after_it():
    cache = AnswerCache(budget=800)
    started = cache.generation
    cache.clear()  # an update, while the request ran
    cache.put(("stale",), None, [], b"old", started)
    assert cache.get(("stale",)) is None
    cache.put(("fresh",), None, [], b"new", cache.generation)
    assert cache.get(("fresh",)) is not None


def test_a_get_that_began_before_an_update_does_not_fill_the_cache_with_its_answer():
    settings = Settings(
        queries=str(QUERIES),
        enable_update=True,
        update_token=TOKEN,
        reasoner="none",
        query_timeout=60,
        workers=2,
    )
    with client_for(settings) as client:
        children = psutil.Process().children()
        cpu = {child.pid: child.cpu_times().user for child in children}
        slow = {}
        thread = threading.Thread(
            target=lambda: slow.update(answer=client.get("/sparql", params={"query": SLOW}))
        )
        thread.start()
        deadline = time.monotonic() + 20
        while not any(  # until a worker is counting
            child.cpu_times().user > cpu[child.pid] + 0.05 for child in children
        ):
            assert time.monotonic() < deadline and "answer" not in slow
            time.sleep(0.01)
        insert = f'INSERT DATA {{ GRAPH <{GRAPH}cities> {{ <{CITY}delta> <urn:x:p> "d" }} }}'
        headers = {"content-type": "application/sparql-update", "authorization": f"Bearer {TOKEN}"}
        assert client.post("/sparql", content=insert, headers=headers).status_code == 204
        thread.join(timeout=60)
        (stale,) = slow["answer"].json()["results"]["bindings"]
        assert "d" not in stale  # answered from the store before the update
        (fresh,) = client.get("/sparql", params={"query": SLOW}).json()["results"]["bindings"]
        assert fresh["d"]["value"] == "d"
