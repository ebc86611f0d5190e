"""Fixtures shared by every test area: the curated knowledge graph, reasoned both ways.

Every test works on a temporary copy of the curated graphs as the repository tracks them
(`git ls-files graphs`; the whole folder outside a git checkout): SMARTCITY_KG_GRAPHS points
the package, and every server the tests start, at the copy. So a city added to the live
graphs/ folder with `smartcity-kg add` (the README's example) never changes a test's answer,
and no test can write into the live folder.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from smartcity_kg.reason import DEFAULT_REASONER, reason
from smartcity_kg.resources import GRAPHS_VARIABLE
from smartcity_kg.store import KnowledgeGraph, load
from tracked_graphs import LIVE_GRAPHS, tracked_graph_files


def pytest_configure(config):
    copy = Path(tempfile.mkdtemp(prefix="smartcity-kg-graphs-")) / "graphs"
    for path in tracked_graph_files():
        target = copy / path.relative_to(LIVE_GRAPHS)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    os.environ[GRAPHS_VARIABLE] = str(copy)
    config.graphs_copy = copy


def pytest_unconfigure(config):
    shutil.rmtree(config.graphs_copy.parent, ignore_errors=True)


@pytest.fixture(scope="session")
def curated_kg() -> KnowledgeGraph:
    """Ontology + curated graphs, closed under OWL 2 RL by the default reasoner (the
    compiled rules; tests/core/test_rules.py holds them to the references)."""
    kg = load()
    reason(kg, DEFAULT_REASONER)
    return kg


@pytest.fixture(scope="session")
def curated_kg_reasonable() -> KnowledgeGraph:
    """The same data closed by the reference reasoner `reasonable`."""
    kg = load()
    reason(kg, "reasonable")
    return kg


@pytest.fixture(scope="session")
def curated_kg_owlrl() -> KnowledgeGraph:
    """The same data closed by the reference reasoner `owlrl`."""
    kg = load()
    reason(kg, "owlrl")
    return kg
