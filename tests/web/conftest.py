"""Fixtures of the web tests: a small knowledge graph, the app in process (httpx through
Starlette's TestClient, lifespan included) and real `smartcity-kg serve` servers."""

import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from smartcity_kg.settings import Settings
from smartcity_kg.store import KnowledgeGraph, load
from smartcity_kg.web.app import create_app

FIXTURES = Path(__file__).parent / "fixtures"
DATA = sorted((FIXTURES / "data").glob("*.ttl"))
QUERIES = FIXTURES / "queries"
SCRIPT = Path(sys.executable).with_name("smartcity-kg")
GRAPH = "https://w3id.org/smartcity-kg/graph/"
CITY = "https://w3id.org/smartcity-kg/id/city/"
# The cross product of twelve ten-row tables: 10^12 solutions to count, about two days.
TABLES = " ".join(f"VALUES ?v{i} {{ 0 1 2 3 4 5 6 7 8 9 }}" for i in range(12))
ENDLESS = f"SELECT (COUNT(*) AS ?n) WHERE {{ {TABLES} }}"


def fixture_kg() -> KnowledgeGraph:
    """The two fixture graphs (cities, awards), not reasoned."""
    assert [p.name for p in DATA] == ["awards.ttl", "cities.ttl"]
    return load(DATA)


def client_for(settings: Settings, kg: KnowledgeGraph | None = None) -> TestClient:
    return TestClient(create_app(settings, kg if kg is not None else fixture_kg()))


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """The app over the fixture graphs (not reasoned, and said so), in process, with a 5 s
    time limit."""
    settings = Settings(
        queries=str(QUERIES),
        reasoner="none",
        query_timeout=5.0,
        max_rows=50,
        max_body=4096,
    )
    with client_for(settings) as started:
        yield started


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """A `smartcity-kg serve` process on a free port of 127.0.0.1."""

    def __init__(self, *args: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [str(SCRIPT), "serve", "--port", str(self.port), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited: {self.process.stdout.read()}")
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        self.stop()
        raise AssertionError("the server did not answer /health within 120 s")

    def stop(self) -> str:
        """Stop the server; its output."""
        self.process.terminate()
        try:
            out, _ = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, _ = self.process.communicate()
        return out


@pytest.fixture(scope="module")
def serve() -> Iterator[Callable[..., LiveServer]]:
    """Start servers with the given `serve` options; all stopped after the module."""
    started: list[LiveServer] = []

    def start(*args: str) -> LiveServer:
        started.append(LiveServer(*args))
        return started[-1]

    yield start
    for server in started:
        server.stop()


def fixture_server_args(*extra: str) -> tuple[str, ...]:
    """`serve` options for the fixture graphs and queries, without reasoning."""
    data = [str(p) for p in DATA]
    return (
        "--no-curated",
        "--reasoner",
        "none",
        "--data",
        *data,
        "--queries",
        str(QUERIES),
        *extra,
    )
