"""The answer cache: repeated GETs come from memory until an update; off with 0 bytes."""

from smartcity_kg.settings import Settings
from smartcity_kg.web.cache import AnswerCache

from .conftest import CITY, GRAPH, QUERIES, client_for

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
        cache.put((name,), None, [], name.encode() * 100)
    assert (cache.held, len(cache)) == (800, 8)
    assert cache.get(("a",)) is not None
    cache.put(("i",), None, [], b"i" * 100)
    assert (cache.held, len(cache)) == (800, 8)
    assert cache.get(("b",)) is None and cache.get(("a",)) is not None
    cache.put(("big",), None, [], b"x" * 101)
    assert cache.get(("big",)) is None
