"""Fixtures of the page tests: the curated graphs plus a second city with a stage
(fixtures/second-city.ttl), reasoned; the app over them in process; a real server over
the curated graphs, started as the web tests start theirs."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from smartcity_kg.reason import reason
from smartcity_kg.settings import Settings
from smartcity_kg.store import KnowledgeGraph, load
from smartcity_kg.web.app import create_app
from web.conftest import LiveServer  # tests/web: a `smartcity-kg serve` on a free port

FIXTURES = Path(__file__).parent / "fixtures"
SECOND_CITY = FIXTURES / "second-city.ttl"
ARTIFACTS = Path(__file__).parents[1] / "artifacts"
ID = "https://w3id.org/smartcity-kg/id/"
TANGSEL = ID + "city/tangerang-selatan"


@pytest.fixture(scope="session")
def pages_kg() -> KnowledgeGraph:
    """Ontology, curated graphs and the second city, closed under OWL 2 RL."""
    kg = load()
    load([SECOND_CITY], into=kg)
    reason(kg)
    return kg


@pytest.fixture(scope="module")
def client(pages_kg) -> Iterator[TestClient]:
    """The app in process (its query workers started) over `pages_kg`."""
    with TestClient(create_app(Settings(), pages_kg)) as started:
        yield started


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """A real `smartcity-kg serve` over the curated graphs; its URL."""
    live = LiveServer()
    yield live.url
    live.stop()
