"""A running server takes a new city and a new version of a city without a restart: POST
/cities and PUT /cities/{slug} with the update token, on a real `smartcity-kg serve` over a
copy of the curated graphs. /sparql (a cached answer included), the city's page, /health
and VoID show the change at once, and the file is in the graphs folder."""

import shutil

import httpx
import pytest

from smartcity_kg.resources import GRAPHS_VARIABLE
from smartcity_kg.store import load

from .conftest import LiveServer, fixture_server_args

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "contoh.ttl"
HIJACK = ROOT / "tests" / "validate" / "fixtures" / "contributions" / "ontology-hijack.ttl"
TOKEN = "contribution-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/turtle"}
STAGES = (
    "SELECT ?stage WHERE { ?stage <https://w3id.org/smartcity-kg/ontology#stageOf> "
    "<https://w3id.org/smartcity-kg/id/city/contoh> } ORDER BY ?stage"
)
GRAPH = "https://w3id.org/smartcity-kg/graph/contoh"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A server over its own copy of the curated graphs, taking contributions."""
    folder = tmp_path_factory.mktemp("live") / "graphs"
    shutil.copytree(ROOT / "graphs", folder)
    token = folder.parent / "token"
    token.write_text(TOKEN, encoding="utf-8")
    patch = pytest.MonkeyPatch()
    patch.setenv(GRAPHS_VARIABLE, str(folder))
    try:
        server = LiveServer("--enable-update", "--update-token-file", str(token))
    finally:
        patch.undo()
    yield server, folder
    server.stop()


def _stages(url: str) -> list[str]:
    response = httpx.get(url + "/sparql", params={"query": STAGES}, headers={"Accept": "text/csv"})
    assert response.status_code == 200
    return response.text.split()[1:]


def test_a_new_city_is_served_at_once(live):
    server, folder = live
    assert _stages(server.url) == [] == _stages(server.url)  # the second from the cache
    assert httpx.get(server.url + "/id/city/contoh").status_code == 404
    response = httpx.post(
        server.url + "/cities", content=EXAMPLE.read_bytes(), headers=AUTH, timeout=120
    )
    assert response.status_code == 201, response.text
    assert response.headers["location"] == "https://w3id.org/smartcity-kg/id/city/contoh"
    assert response.json() == {
        "mode": "add",
        "graph": GRAPH,
        "city": "https://w3id.org/smartcity-kg/id/city/contoh",
        "triples": 357,
        "written": True,
        "file": "contoh.ttl",
        "report": {"conforms": True, "violations": 0, "warnings": 0, "infos": 0, "results": []},
    }
    stage = "https://w3id.org/smartcity-kg/id/stage/contoh-"
    assert _stages(server.url) == [
        stage + "implementation",
        stage + "planning",
        stage + "preparation",
    ]
    page = httpx.get(server.url + "/id/city/contoh", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Contoh City" in page.text
    health = httpx.get(server.url + "/health").json()
    assert {"iri": GRAPH, "triples": 357, "inferred": False} in health["graphs"]
    void = httpx.get(server.url + "/.well-known/void", headers={"Accept": "text/turtle"})
    assert GRAPH in void.text
    assert (folder / "contoh.ttl").exists() and not list(folder.glob(".*.tmp"))
    assert GRAPH in {g.iri for g in load([folder / "contoh.ttl"]).graphs()}


def test_an_update_replaces_the_city_and_says_what_changed(live):
    server, folder = live
    body = EXAMPLE.read_bytes().replace(b'"Contoh City"@en', b'"Example City"@en')
    again = httpx.post(server.url + "/cities", content=body, headers=AUTH, timeout=120)
    assert again.status_code == 409
    assert again.json()["detail"].startswith(f"the graph <{GRAPH}>")
    response = httpx.put(server.url + "/cities/contoh", content=body, headers=AUTH, timeout=120)
    assert response.status_code == 200, response.text
    assert response.json()["diff"] == {
        "added": 1,
        "removed": 1,
        "lines": [
            '+ city/contoh rdfs:label "Example City"@en',
            '- city/contoh rdfs:label "Contoh City"@en',
        ],
    }
    page = httpx.get(server.url + "/id/city/contoh", headers={"Accept": "text/html"})
    assert "Example City" in page.text and "Contoh City" not in page.text
    assert b'"Example City"@en' in (folder / "contoh.ttl").read_bytes()


def test_a_dataset_that_changes_the_ontology_is_refused_with_the_report(live):
    server, folder = live
    before = sorted(folder.iterdir())
    response = httpx.post(
        server.url + "/cities", params={"lang": "id"}, content=HIJACK.read_bytes(), headers=AUTH
    )
    assert response.status_code == 422
    answer = response.json()
    assert answer["detail"] == "the dataset does not conform; nothing was changed"
    assert [r["message"] for r in answer["report"]["results"]] == [
        'sck:City rdfs:label "Town"@en ditolak: sck:City milik ontologi, yang boleh dipakai '
        "dataset tetapi tidak boleh diubah.",
        "sck:PlanningStage rdfs:subClassOf sck:ImplementationStage ditolak: sck:PlanningStage "
        "milik ontologi, yang boleh dipakai dataset tetapi tidak boleh diubah.",
    ]
    assert sorted(folder.iterdir()) == before


def test_a_contribution_needs_the_token(live):
    server, _ = live
    for headers in ({"Content-Type": "text/turtle"}, {**AUTH, "Authorization": "Bearer wrong"}):
        response = httpx.post(server.url + "/cities", content=EXAMPLE.read_bytes(), headers=headers)
        assert response.status_code == 401
        assert response.json() == {
            "detail": "a contribution needs the header Authorization: Bearer <token>"
        }


def test_the_text_report_and_read_errors_in_indonesian(live):
    server, _ = live
    text = httpx.post(
        server.url + "/validate",
        params={"format": "text"},
        content=HIJACK.read_bytes(),
        headers={"Content-Type": "text/turtle"},
    )
    assert text.status_code == 200
    assert text.headers["content-type"].startswith("text/plain")
    assert text.text.startswith("Conforms: no (2 violation(s), 0 warning(s), 0 info)")
    bad = httpx.post(
        server.url + "/validate",
        params={"lang": "id"},
        content=b"x y z .",
        headers={"Content-Type": "text/turtle"},
    )
    assert bad.status_code == 400
    assert bad.json() == {
        "detail": "the body:1:1: kesalahan sintaks RDF: Parser error at line 1 column 1: x is "
        "not a valid subject or graph name",
        "problems": [],
    }


def test_a_server_without_updates_takes_no_contributions(serve):
    server = serve(*fixture_server_args())
    response = httpx.post(server.url + "/cities", content=EXAMPLE.read_bytes(), headers=AUTH)
    assert response.status_code == 403
    assert response.json() == {
        "detail": "this server takes no contributions; that needs --enable-update"
    }
