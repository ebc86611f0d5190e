"""Fixtures of the page tests: the curated graphs (the temporary copy that tests/conftest.py
makes and points SMARTCITY_KG_GRAPHS at) plus three fixture graphs - a second city with a
stage (fixtures/second-city.ttl), a fictional city described with model v2
(fixtures/v2-city.ttl) and two deprecated IRIs (fixtures/deprecated-fixture.ttl) - reasoned,
and the same without reasoning; the app over them in process; a real server over the same
graphs, started as the web tests start theirs."""

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
V2_CITY = FIXTURES / "v2-city.ttl"
DEPRECATED = FIXTURES / "deprecated-fixture.ttl"
EXTRA = (SECOND_CITY, V2_CITY, DEPRECATED)
ARTIFACTS = Path(__file__).parents[1] / "artifacts"
ID = "https://w3id.org/smartcity-kg/id/"
TANGSEL = ID + "city/tangerang-selatan"
V2 = ID + "city/kota-contoh-dua"
ACEH_BARAT = ID + "city/kabupaten-aceh-barat"


@pytest.fixture(scope="session")
def pages_kg() -> KnowledgeGraph:
    """Ontology, curated graphs and the fixture graphs, closed under OWL 2 RL."""
    kg = load()
    load(EXTRA, into=kg)
    reason(kg)
    return kg


@pytest.fixture(scope="session")
def plain_kg() -> KnowledgeGraph:
    """The same graphs without reasoning: what the pages show must not depend on it."""
    kg = load()
    load(EXTRA, into=kg)
    return kg


@pytest.fixture(scope="module")
def client(pages_kg) -> Iterator[TestClient]:
    """The app in process (its query workers started) over `pages_kg`."""
    with TestClient(create_app(Settings(), pages_kg)) as started:
        yield started


@pytest.fixture(scope="module")
def plain_client(plain_kg) -> Iterator[TestClient]:
    """The app in process over `plain_kg` (no reasoning)."""
    with TestClient(create_app(Settings(reasoner="none"), plain_kg)) as started:
        yield started


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """A real `smartcity-kg serve` over the curated graphs (the copy) and the fixtures."""
    live = LiveServer("--data", *map(str, EXTRA))
    yield live.url
    live.stop()
