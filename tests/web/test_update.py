"""SPARQL Update: only with `enable_update` and the bearer token; LOAD and SERVICE still
refused; the workers see the change at once."""

import pytest

from smartcity_kg.iris import INFERRED_GRAPH as INFERRED
from smartcity_kg.settings import Settings

from .conftest import CITY, GRAPH, QUERIES, client_for

UPDATE = {"content-type": "application/sparql-update"}
TOKEN = "s3cret-token"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
INSERT = f'INSERT DATA {{ GRAPH <{GRAPH}cities> {{ <{CITY}delta> <{LABEL}> "Delta"@en }} }}'


@pytest.fixture
def writable():
    settings = Settings(
        queries=str(QUERIES), reasoner="none", enable_update=True, update_token=TOKEN
    )
    with client_for(settings) as started:
        yield started


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", f"Basic {TOKEN}", "Bearer"])
def test_an_update_without_the_token_is_401(writable, authorization):
    headers = {**UPDATE, **({"authorization": authorization} if authorization else {})}
    response = writable.post("/sparql", content=INSERT, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {
        "detail": "SPARQL Update needs the header Authorization: Bearer <token>"
    }
    assert writable.get("/health").json()["triples"] == 13


def test_an_update_with_the_token_is_applied_and_seen_by_every_worker(writable):
    auth = {"authorization": f"Bearer {TOKEN}"}
    response = writable.post("/sparql", content=INSERT, headers={**UPDATE, **auth})
    assert (response.status_code, response.content) == (204, b"")
    ask = f"ASK {{ <{CITY}delta> ?p ?o }}"
    for _ in range(4):  # more queries than workers: every worker sees the new triple
        assert writable.get("/sparql", params={"query": ask}).json()["boolean"] is True
    assert writable.get("/health").json()["graphs"][1] == {
        "iri": GRAPH + "cities",
        "triples": 11,
        "inferred": False,
    }
    response = writable.post(
        "/sparql", data={"update": f"DROP GRAPH <{GRAPH}awards>"}, headers=auth
    )
    assert response.status_code == 204
    graphs = writable.get("/health").json()["graphs"]
    assert [(g["iri"], g["triples"]) for g in graphs] == [
        (GRAPH + "awards", 0),
        (GRAPH + "cities", 11),
    ]
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    answer = writable.get("/sparql", params={"query": count}).json()
    assert answer["results"]["bindings"][0]["n"]["value"] == "11"


def test_after_an_update_the_inferences_are_redone():
    settings = Settings(queries=str(QUERIES), enable_update=True, update_token=TOKEN)
    sck = "https://w3id.org/smartcity-kg/ontology#"
    update = f"""INSERT DATA {{ GRAPH <{GRAPH}cities> {{
      <{CITY}delta> a <{sck}City> .
      <{sck}City> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{sck}Municipality> }} }}"""
    ask = f"ASK {{ GRAPH <{INFERRED}> {{ <{CITY}delta> a <{sck}Municipality> }} }}"
    with client_for(settings) as reasoning:
        assert reasoning.get("/sparql", params={"query": ask}).json()["boolean"] is False
        headers = {**UPDATE, "authorization": f"Bearer {TOKEN}"}
        assert reasoning.post("/sparql", content=update, headers=headers).status_code == 204
        assert reasoning.get("/sparql", params={"query": ask}).json()["boolean"] is True


@pytest.mark.parametrize(
    ("update", "message"),
    [
        (
            "LOAD <http://127.0.0.1:1/data.ttl>",
            "LOAD <http://127.0.0.1:1/data.ttl> is refused: this endpoint does not contact "
            "other servers unless its allow-list names them",
        ),
        (
            "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
            "SERVICE <http://127.0.0.1:1/sparql> is refused: this endpoint does not contact "
            "other servers unless its allow-list names them",
        ),
        ("CLEAR XYZ", "SPARQL syntax error at line 1, column 10: "),
    ],
)
def test_refused_and_malformed_updates_are_400(writable, update, message):
    headers = {**UPDATE, "authorization": f"Bearer {TOKEN}"}
    response = writable.post("/sparql", content=update, headers=headers)
    assert response.status_code == 400
    assert response.json()["detail"].startswith(message)
    assert writable.get("/health").json()["triples"] == 13


def test_protocol_dataset_and_using_in_the_text_conflict(writable):
    update = f"WITH <{GRAPH}cities> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}"
    response = writable.post(
        f"/sparql?using-named-graph-uri={GRAPH}awards",
        content=update,
        headers={**UPDATE, "authorization": f"Bearer {TOKEN}"},
    )
    assert (response.status_code, response.json()) == (
        400,
        {
            "detail": "the update names its dataset with USING or WITH and the request with "
            "using-graph-uri or using-named-graph-uri; give one or the other"
        },
    )
