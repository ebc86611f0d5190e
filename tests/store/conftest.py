"""Fixtures of the remote-store suite: every test that takes `server` runs once on each real
SPARQL server (`servers.KINDS`), which holds other data before the project's is loaded."""

import time
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

from smartcity_kg.prepare import prepare
from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.store.remote import RemoteStore

from .servers import KINDS, Server, start

FOREIGN = "http://example.org/someone-elses-graph"


def foreign_data(server: Server) -> None:
    """Another party's graph, as on a shared server (Virtuoso has its own system graphs)."""
    store = RemoteStore(*server.spec.removeprefix("remote:").split(";", 1))
    store._send(
        f"INSERT DATA {{ GRAPH <{FOREIGN}> {{ <http://example.org/a> "
        '<http://www.w3.org/2000/01/rdf-schema#label> "not ours" } }'
    )


@pytest.fixture(scope="session", params=KINDS)
def server(request, tmp_path_factory) -> Iterator[Server]:
    """A real server of each kind, with a foreign graph in it, for the whole session."""
    running = start(request.param, tmp_path_factory.mktemp(request.param))
    foreign_data(running)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def remote_kg(server) -> KnowledgeGraph:
    """The curated dataset put into the server as the CLI and the web app do (`prepare`:
    load, reason, mark ready); `timings["prepare"]` says how long that took."""
    started = time.perf_counter()
    kg = prepare(server.spec)
    kg.timings["prepare"] = time.perf_counter() - started
    return kg


@pytest.fixture(scope="session")
def _scratch_servers(tmp_path_factory) -> Iterator[dict[str, Server]]:
    running: dict[str, Server] = {}
    yield running
    for one in running.values():
        one.stop()


@pytest.fixture
def scratch(server, _scratch_servers, tmp_path_factory) -> Server:
    """A second server of the same kind, for a test that writes: without the project's
    dataset (dropped before each test), and shared by those tests."""
    if server.kind not in _scratch_servers:
        folder = tmp_path_factory.mktemp(f"scratch-{server.kind}")
        _scratch_servers[server.kind] = start(server.kind, folder)
    running = _scratch_servers[server.kind]
    RemoteStore(*running.spec.removeprefix("remote:").split(";", 1)).drop_dataset()
    return running


def ask_server(server: Server, query: str, accept: str = "application/sparql-results+json"):
    """A query sent straight to the server, past the project's client."""
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(server.query_url, data=body, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()
