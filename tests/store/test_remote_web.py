"""The web app on a remote store, on every server: the SPARQL endpoint, the Graph Store
answers (whole past Virtuoso's row cap), the pages, and skolem IRIs that dereference."""

from collections.abc import Iterator

import pyoxigraph
import pytest
from fastapi.testclient import TestClient

from smartcity_kg.settings import Settings
from smartcity_kg.store import load
from smartcity_kg.web.app import create_app

from .test_remote import EX, shape

PAGES = (
    "/",
    "/id/city/tangerang-selatan",
    "/id/city/surabaya.ttl",
    "/graph/surabaya",
    "/graph/sources.nt",
    "/ontology",
    "/compare?city=tangerang-selatan&city=surabaya",
    "/overview",
    "/overview.csv",
    "/timeline.svg?city=tangerang-selatan",
    "/queries",
    "/queries/cq02-transitions",
    "/.well-known/void",
    "/health",
    "/id/city/no-such-city",
)


@pytest.fixture(scope="module")
def local_app(curated_kg) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(), curated_kg)) as client:
        yield client


@pytest.fixture(scope="module")
def remote_app(server, remote_kg) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store=server.spec), remote_kg)) as client:
        yield client


def test_the_endpoint_answers_as_on_the_embedded_store(remote_app, local_app):
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    accept = {"Accept": "application/sparql-results+json"}
    remote = remote_app.get("/sparql", params={"query": query}, headers=accept)
    local = local_app.get("/sparql", params={"query": query}, headers=accept)
    assert remote.status_code == local.status_code == 200
    assert remote.json()["results"] == local.json()["results"]


def test_the_graph_store_answers_whole_graphs(remote_app, curated_kg):
    """The merged default graph has more triples than Virtuoso's cap of 10,000 rows."""
    default = remote_app.get("/store?default", headers={"Accept": "application/n-triples"})
    assert default.status_code == 200
    triples = list(pyoxigraph.parse(default.content, format=pyoxigraph.RdfFormat.N_TRIPLES))
    assert len(triples) == len(curated_kg)
    iri = "https://w3id.org/smartcity-kg/graph/registry"
    one = remote_app.get("/store", params={"graph": iri}, headers={"Accept": "text/turtle"})
    node = pyoxigraph.NamedNode(iri)
    local = [q.triple for q in curated_kg.store.quads_for_pattern(None, None, None, node)]
    assert shape(pyoxigraph.parse(one.content, format=pyoxigraph.RdfFormat.TURTLE)) == shape(local)


@pytest.mark.parametrize("path", PAGES)
def test_the_pages_answer_as_on_the_embedded_store(remote_app, local_app, path):
    remote, local = remote_app.get(path), local_app.get(path)
    assert (remote.status_code, remote.headers["content-type"]) == (
        local.status_code,
        local.headers["content-type"],
    ), remote.text[:500]
    if path.endswith((".ttl", ".nt")):
        kind = (
            pyoxigraph.RdfFormat.TURTLE if path.endswith(".ttl") else pyoxigraph.RdfFormat.N_TRIPLES
        )
        assert shape(pyoxigraph.parse(remote.content, format=kind)) == shape(
            pyoxigraph.parse(local.content, format=kind)
        )


def test_a_blank_nodes_skolem_iri_dereferences_on_the_projects_server(scratch, tmp_path):
    data = tmp_path / "with-blank.ttl"
    data.write_text(f'<{EX}a> <{EX}b> [ <{EX}c> "1" ] .')
    kg = load([data], store=scratch.spec)
    quad = next(kg.store.quads_for_pattern(pyoxigraph.NamedNode(f"{EX}a"), None, None, None))
    label = quad.object.value
    with TestClient(create_app(Settings(store=scratch.spec), kg)) as client:
        page = client.get(f"/id/genid/{label}.nt")
    assert page.status_code == 200
    assert f'<{EX}c> "1" .' in page.text
