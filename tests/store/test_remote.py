"""The remote-store backend against a real SPARQL server (`oxigraph serve`) started here."""

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from smartcity_kg.errors import LoadError
from smartcity_kg.queries import library, run_named
from smartcity_kg.reason import reason
from smartcity_kg.store import KnowledgeGraph, load, open_store
from smartcity_kg.store.remote import GENID, RemoteStore

FIXTURES = Path(__file__).resolve().parents[1] / "core" / "fixtures"
OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """An Oxigraph SPARQL server on a free loopback port, stopped after the module."""
    port = free_port()
    process = subprocess.Popen(
        [
            OXIGRAPH,
            "serve",
            "--location",
            str(tmp_path_factory.mktemp("oxigraph")),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "oxigraph serve did not start"
            time.sleep(0.1)
    yield f"remote:{base}/query;{base}/update"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def remote_kg(server):
    kg = load(store=server)
    reason(kg)
    return kg


def test_the_spec_opens_a_remote_store(server):
    store = open_store(server)
    assert isinstance(store, RemoteStore)
    assert store.query_url.endswith("/query") and store.update_url.endswith("/update")


def test_the_curated_dataset_has_the_same_graphs_remotely(remote_kg, curated_kg):
    remote = {(g.iri, g.triples) for g in remote_kg.graphs()}
    local = {(g.iri, g.triples) for g in curated_kg.graphs()}
    assert remote == local
    assert len(remote_kg) == len(curated_kg)


@pytest.mark.parametrize("name", sorted(library()))
def test_named_queries_answer_as_on_the_embedded_store(remote_kg, curated_kg, name):
    local = run_named(curated_kg, name)
    remote = run_named(remote_kg, name)
    assert remote.variables == local.variables
    assert [tuple(map(str, r)) for r in remote.rows] == [tuple(map(str, r)) for r in local.rows]


def test_a_parameter_is_bound_remotely(remote_kg):
    answer = run_named(remote_kg, "cq10-award-peers", {"city": "tarakan"})
    assert answer.values("peerLabel") == ["Kota Padang Panjang", "Kota Tangerang Selatan"]


def test_blank_nodes_keep_their_identity_as_skolem_iris(server, tmp_path):
    data = tmp_path / "with-blank.ttl"
    data.write_text(
        '<http://example.org/a> <http://example.org/b> [ <http://example.org/c> "1" ] .'
    )
    kg = KnowledgeGraph(open_store(server))
    load([data], into=kg)
    rows = list(
        kg.store.query(
            "SELECT ?node ?c WHERE { <http://example.org/a> <http://example.org/b> ?node . "
            "?node <http://example.org/c> ?c }"
        )
    )
    assert len(rows) == 1
    assert rows[0]["node"].value.startswith(GENID)
    assert rows[0]["c"].value == "1"


def test_a_broken_file_leaves_the_remote_store_as_it_was(server):
    kg = KnowledgeGraph(open_store(server))
    before = {g.iri: g.triples for g in kg.graphs()}
    with pytest.raises(LoadError, match=r"city-broken\.ttl:6:"):
        load([FIXTURES / "stage.nt", FIXTURES / "city-broken.ttl"], into=kg)
    assert {g.iri: g.triples for g in kg.graphs()} == before


def test_an_unreachable_server_is_a_clear_error():
    kg = KnowledgeGraph(open_store("remote:http://127.0.0.1:9/query"))
    with pytest.raises(OSError, match="cannot reach the SPARQL server at http://127.0.0.1:9/query"):
        len(kg)
