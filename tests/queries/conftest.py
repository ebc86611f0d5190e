"""Knowledge graphs for the query tests beyond tests/conftest.py's reasoned curated graph: the
curated graph as asserted (no reasoning), and the curated graphs with the invented cities of
fixtures/ (trajectories that skip, disagree, cycle, run on), both asserted and reasoned.

Every graph is read from the session's temporary copy of the curated graphs (tests/conftest.py
points data_dir("graphs") at it), so no test reads or writes the live graphs/ folder.
"""

from pathlib import Path

import pytest

from smartcity_kg.reason import reason
from smartcity_kg.store import KnowledgeGraph, default_sources, load

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def curated_kg_asserted() -> KnowledgeGraph:
    """Ontology + curated graphs without reasoning: what the queries see before `reason`."""
    return load()


@pytest.fixture(scope="session")
def trajectories_kg_asserted() -> KnowledgeGraph:
    """Ontology + curated graphs + the invented cities of fixtures/, without reasoning."""
    return load([*default_sources(), FIXTURES])


@pytest.fixture(scope="session")
def trajectories_kg_reasoned() -> KnowledgeGraph:
    """The same, closed under OWL 2 RL by the default reasoner."""
    kg = load([*default_sources(), FIXTURES])
    reason(kg)
    return kg


@pytest.fixture(params=["asserted", "reasoned"], scope="module")
def trajectories_kg(request) -> KnowledgeGraph:
    """The curated graphs with the fixture cities, asserted and reasoned in turn."""
    return request.getfixturevalue(f"trajectories_kg_{request.param}")
