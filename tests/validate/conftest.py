"""Fixtures of the validation tests."""

import pytest

from smartcity_kg.store import KnowledgeGraph, load


@pytest.fixture(scope="session")
def context() -> KnowledgeGraph:
    """The curated dataset (ontology and graphs), not reasoned: what `validate` sees by default."""
    return load()
