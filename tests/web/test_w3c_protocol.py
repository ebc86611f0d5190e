"""The W3C SPARQL 1.1 Protocol tests, replayed request by request against a live server.

The server serves only the manifest's data, each file as the named graph its `ut:graphData`
label names, from a throw-away on-disk store, with SPARQL Update enabled (every request
carries the bearer token). Tests run in manifest order: the update tests change the store.
"""

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx
import pyoxigraph
import pytest
import rdflib

SUITE = Path(__file__).resolve().parents[1] / "data/w3c/rdf-tests/sparql/sparql11/protocol"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
TOKEN = "w3c-protocol-test-token"
RESULTS = "http://www.w3.org/2005/sparql-results#"
FORMATS = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    },
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples"},
}


@dataclass(frozen=True)
class Exchange:
    """One request of a test and what its response must be."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    statuses: frozenset[str]
    boolean: bool | None
    format: str | None


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    title: str
    exchanges: tuple[Exchange, ...]
    graphs: tuple[tuple[str, Path], ...]


@cache
def protocol_tests() -> tuple[ProtocolTest, ...]:
    """Every test of the manifest, in its order."""
    path = SUITE / "manifest.ttl"
    graph = rdflib.Graph().parse(path, format="turtle", publicID=path.as_uri())
    tests = []
    for entries in graph.objects(None, MF.entries):
        for test in graph.items(entries):
            requests = graph.value(graph.value(test, MF.action), HT.requests)
            graphs = tuple(
                sorted(
                    (
                        str(graph.value(data, rdflib.RDFS.label)),
                        Path(unquote(urlsplit(str(graph.value(data, UT.graph))).path)),
                    )
                    for data in graph.objects(test, UT.graphData)
                )
            )
            tests.append(
                ProtocolTest(
                    name=str(test).rpartition("#")[2],
                    title=str(graph.value(test, MF.name)),
                    exchanges=tuple(_exchange(graph, r) for r in graph.items(requests)),
                    graphs=graphs,
                )
            )
    return tuple(tests)


def _exchange(graph: rdflib.Graph, request) -> Exchange:
    body = graph.value(request, HT.body)
    headers = (
        tuple(
            (str(graph.value(h, HT.fieldName)), str(graph.value(h, HT.fieldValue)))
            for h in graph.items(graph.value(request, HT.headers))
        )
        if graph.value(request, HT.headers)
        else ()
    )
    response = graph.value(request, HT.resp)
    boolean = graph.value(response, MF.expectedBoolean)
    fmt = graph.value(response, MF.expectedFormat)
    return Exchange(
        method=str(graph.value(request, HT.methodName)),
        path=str(graph.value(request, HT.absolutePath)).replace("/sparql/", "/sparql", 1),
        headers=headers,
        body=None
        if body is None
        else str(graph.value(body, CNT.chars)).encode(
            str(graph.value(body, CNT.characterEncoding) or "UTF-8")
        ),
        statuses=frozenset(
            str(s).removeprefix(HTS) for s in graph.objects(response, MF.expectedStatus)
        ),
        boolean=None if boolean is None else boolean.toPython(),
        format=None if fmt is None else str(fmt),
    )


@pytest.fixture(scope="module")
def server(serve, tmp_path_factory):
    """The endpoint over the manifest's named graphs, updates enabled, on-disk store."""
    folder = tmp_path_factory.mktemp("w3c-protocol")
    graphs = dict(pair for test in protocol_tests() for pair in test.graphs)
    assert sorted(graphs) == [f"http://kasei.us/2009/09/sparql/data/data{i}.rdf" for i in (1, 2, 3)]
    quads = [
        pyoxigraph.Quad(q.subject, q.predicate, q.object, pyoxigraph.NamedNode(label))
        for label, path in graphs.items()
        for q in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES)
    ]
    data = folder / "protocol-data.nq"
    data.write_bytes(pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS))
    token = folder / "token"
    token.write_text(TOKEN)
    return serve(
        "--no-curated",
        "--reasoner",
        "none",
        "--data",
        str(data),
        "--store",
        str(folder / "store"),
        "--enable-update",
        "--update-token-file",
        str(token),
    )


def test_the_manifest_lists_every_protocol_test():
    names = [t.name for t in protocol_tests()]
    assert len(names) == 34
    assert sum(n.startswith("query_") for n in names) == 13
    assert sum(n.startswith("update_") for n in names) == 7


@pytest.mark.parametrize("test", protocol_tests(), ids=lambda t: t.name)
def test_protocol(server, test):
    for exchange in test.exchanges:
        headers = {**dict(exchange.headers), "authorization": f"Bearer {TOKEN}"}
        response = httpx.request(
            exchange.method, server.url + exchange.path, headers=headers, content=exchange.body
        )
        status_class = f"{response.status_code // 100}xx"
        assert status_class in exchange.statuses, (
            f"{test.title}: {response.status_code} {response.text}"
        )
        if response.status_code >= 400:
            assert response.json()["detail"]
        media = response.headers.get("content-type", "").split(";")[0]
        if exchange.format is not None:
            assert media in FORMATS[exchange.format], f"{test.title}: {media}"
        if exchange.boolean is not None:
            assert boolean(media, response.content) is exchange.boolean, test.title


def boolean(media: str, body: bytes) -> bool:
    """The answer of an ASK response in SPARQL results JSON or XML."""
    if media == "application/sparql-results+json":
        return json.loads(body)["boolean"]
    return ET.fromstring(body).find(f"{{{RESULTS}}}boolean").text == "true"
