"""The service described: service description, VoID, /health, /metrics, and the Graph
Store Protocol's read side."""

import pyoxigraph
import pytest

from smartcity_kg.iris import INFERRED_GRAPH
from smartcity_kg.reason import reason

from .conftest import CITY, GRAPH, QUERIES, Settings, client_for, fixture_kg

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"


def graph_of(response, rdf_format=pyoxigraph.RdfFormat.TURTLE) -> pyoxigraph.Store:
    assert response.status_code == 200, response.text
    store = pyoxigraph.Store()
    store.load(response.content, format=rdf_format)
    return store


def select(store: pyoxigraph.Store, text: str) -> set[tuple]:
    return {tuple(term.value for term in row) for row in store.query(text)}


@pytest.mark.parametrize(
    ("accept", "rdf_format"),
    [
        (None, pyoxigraph.RdfFormat.TURTLE),
        ("application/sparql-results+json", pyoxigraph.RdfFormat.TURTLE),
        ("text/turtle", pyoxigraph.RdfFormat.TURTLE),
        ("application/ld+json", pyoxigraph.RdfFormat.JSON_LD),
        ("*/*", pyoxigraph.RdfFormat.TURTLE),
    ],
)
def test_sparql_without_a_query_is_the_service_description(client, accept, rdf_format):
    headers = {"accept": accept} if accept else {}
    if accept == "application/sparql-results+json":
        assert client.get("/sparql", headers=headers).status_code == 406
        return
    store = graph_of(client.get("/sparql", headers=headers), rdf_format)
    service = f"PREFIX sd: <{SD}> SELECT ?s WHERE {{ ?s a sd:Service ; sd:endpoint ?s }}"
    assert select(store, service) == {("http://testserver/sparql",)}
    languages = f"PREFIX sd: <{SD}> SELECT ?l WHERE {{ ?s sd:supportedLanguage ?l }}"
    assert select(store, languages) == {(SD + "SPARQL11Query",)}
    named = f"""PREFIX sd: <{SD}> PREFIX void: <{VOID}>
    SELECT ?name ?n WHERE {{ ?s sd:defaultDataset/sd:namedGraph [ sd:name ?name ;
      sd:graph/void:triples ?n ] }}"""
    assert select(store, named) == {(GRAPH + "awards", "3"), (GRAPH + "cities", "10")}
    formats = f"PREFIX sd: <{SD}> SELECT ?f WHERE {{ ?s sd:resultFormat ?f }}"
    assert ("http://www.w3.org/ns/formats/SPARQL_Results_JSON",) in select(store, formats)
    assert len(select(store, formats)) == 10


def test_browsers_get_the_html_page_and_others_the_description(client):
    browser = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    response = client.get("/sparql", headers=browser)
    assert response.headers["content-type"] == "text/html; charset=utf-8", response.text
    assert 'id="yasgui-config"' in response.text
    response = client.get("/sparql", headers={"accept": "text/turtle"})
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    assert len(graph_of(response)) > 0


def test_void_counts_each_graph_and_the_inferred_graph_apart():
    kg = fixture_kg()
    reason(kg, "reasonable")
    with client_for(Settings(queries=str(QUERIES)), kg) as reasoned:
        store = graph_of(reasoned.get("/.well-known/void"))
        inferred = len(
            list(kg.store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(INFERRED_GRAPH)))
        )
    base = "http://testserver/.well-known/void"
    counts = f"""PREFIX void: <{VOID}> PREFIX sd: <{SD}>
    SELECT ?name ?triples ?entities ?classes ?properties WHERE {{
      ?d sd:name ?name ; void:triples ?triples ; void:entities ?entities ;
         void:classes ?classes ; void:properties ?properties }}"""
    assert select(store, counts) == {
        (GRAPH + "awards", "3", "1", "0", "2"),
        (GRAPH + "cities", "10", "3", "2", "3"),
        (INFERRED_GRAPH, str(inferred), *counts_of(kg, INFERRED_GRAPH)),
    }
    subsets = f"PREFIX void: <{VOID}> SELECT ?parent ?child WHERE {{ ?parent void:subset ?child }}"
    assert select(store, subsets) == {
        (base + "#dataset", base + "#asserted"),
        (base + "#dataset", base + "#graph-inferred"),
        (base + "#asserted", base + "#graph-awards"),
        (base + "#asserted", base + "#graph-cities"),
    }
    asserted = f"PREFIX void: <{VOID}> SELECT ?n WHERE {{ <{base}#asserted> void:triples ?n }}"
    assert select(store, asserted) == {("13",)}
    endpoint = f"PREFIX void: <{VOID}> SELECT ?e WHERE {{ ?d void:sparqlEndpoint ?e }}"
    assert select(store, endpoint) == {("http://testserver/sparql",)}


def counts_of(kg, graph) -> tuple[str, str, str]:
    """VoID's entities, classes and properties of `graph`, counted in the store itself."""
    text = f"""SELECT (COUNT(DISTINCT ?s) AS ?e) (COUNT(DISTINCT ?c) AS ?k)
      (COUNT(DISTINCT ?p) AS ?q) WHERE {{
      GRAPH <{graph}> {{ ?s ?p ?o OPTIONAL {{ ?s a ?c }} }} }}"""
    row = next(iter(kg.store.query(text)))
    return tuple(row[name].value for name in ("e", "k", "q"))


def test_health_lists_graphs_and_counts(client):
    response = client.get("/health")
    idle = {"live": 2, "busy": 0, "waiting": 0}
    assert (response.status_code, response.json()) == (
        200,
        {
            "status": "ready",
            "problems": [],
            "network_isolated": client.app.state.service.pool.isolated,
            "store": {"kind": "memory", "state": "complete"},
            "workers": {
                "query": {"size": 3, **idle, "live": 3},
                "page": {"size": 3, **idle, "live": 3},
                "validation": {"size": 1, **idle, "live": 1},
            },
            "triples": 13,
            "inferred": 0,
            "graphs": [
                {"iri": GRAPH + "awards", "triples": 3, "inferred": False},
                {"iri": GRAPH + "cities", "triples": 10, "inferred": False},
            ],
        },
    )


def test_metrics_are_prometheus_text(client):
    client.get("/sparql", params={"query": "ASK {}"})
    response = client.get("/metrics")
    assert response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    lines = response.text.splitlines()
    assert any(
        line.startswith('smartcity_kg_requests_total{method="GET",route="/sparql",status="200"} ')
        for line in lines
    )
    assert (
        'smartcity_kg_request_duration_seconds_bucket{route="/sparql",le="+Inf"}' in response.text
    )
    assert "smartcity_kg_query_timeouts_total 0" in lines
    assert "smartcity_kg_triples 13" in lines
    for line in lines:
        assert line.startswith("#") or line.startswith("smartcity_kg_"), line


def test_graph_store_returns_a_named_graph_or_the_default_graph(client):
    store = graph_of(
        client.get(
            "/store",
            params={"graph": GRAPH + "awards"},
            headers={"accept": "application/n-triples"},
        ),
        pyoxigraph.RdfFormat.N_TRIPLES,
    )
    assert len(store) == 3
    assert select(
        store, "SELECT ?o WHERE { ?s <https://w3id.org/smartcity-kg/ontology#awardedTo> ?o }"
    ) == {
        (CITY + "alpha",),
        (CITY + "beta",),
    }
    assert len(graph_of(client.get("/store?default"))) == 13
    jsonld = client.get("/store", params={"graph": GRAPH + "cities", "format": "jsonld"})
    assert jsonld.headers["content-type"] == "application/ld+json"
    assert len(graph_of(jsonld, pyoxigraph.RdfFormat.JSON_LD)) == 10


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        (
            "graph=http://example.org/none",
            404,
            "this dataset has no graph <http://example.org/none>",
        ),
        ("", 400, "name one graph: ?graph=IRI or ?default"),
        (f"graph={GRAPH}awards&default", 400, "name one graph: ?graph=IRI or ?default"),
    ],
)
def test_graph_store_errors(client, query, status, message):
    response = client.get(f"/store?{query}")
    assert (response.status_code, response.json()) == (status, {"detail": message})
