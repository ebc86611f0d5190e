"""Fixtures shared by every test area: the curated knowledge graph, reasoned both ways."""

import pytest

from smartcity_kg.reason import reason
from smartcity_kg.store import KnowledgeGraph, load


@pytest.fixture(scope="session")
def curated_kg() -> KnowledgeGraph:
    """Ontology + curated graphs, closed under OWL 2 RL by `reasonable` (the default)."""
    kg = load()
    reason(kg, "reasonable")
    return kg


@pytest.fixture(scope="session")
def curated_kg_owlrl() -> KnowledgeGraph:
    """The same data closed by the reference reasoner `owlrl`."""
    kg = load()
    reason(kg, "owlrl")
    return kg
