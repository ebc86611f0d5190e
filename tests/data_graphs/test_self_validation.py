"""Every curated municipality graph passes the checks a contribution must pass: validated
as the new version of itself (`validate(..., replacing=its graph)`, what `PUT
/cities/{slug}` and `smartcity-kg validate graphs/<file>` do), it has no violation. So a
curator's own file is never refused for what it shares with the rest of the graph (the
sources and awards it cites), and its shapes hold."""

import pytest

from smartcity_kg.iris import graph_iri
from smartcity_kg.resources import data_dir
from smartcity_kg.store import load
from smartcity_kg.validate import validate

# The graphs that speak for no single municipality: the registry, the national frame and
# the lists that name many municipalities. They are checked whole, without ownership, by
# the shape and fidelity tests.
SHARED = {
    "registry",
    "gm100-cohorts",
    "award-conferrals",
    "legal-frame",
    "national-programme",
    "sources",
    "deprecated",
    "isna-2018",
}
MUNICIPAL = sorted(p.stem for p in data_dir("graphs").glob("*.ttl") if p.stem not in SHARED)


@pytest.fixture(scope="module")
def kg():
    return load()


def test_the_municipal_graphs_are_the_city_files():
    assert {"tangerang-selatan", "surabaya", "makassar", "bandung"} <= set(MUNICIPAL)
    assert len(MUNICIPAL) >= 13


@pytest.mark.parametrize("name", MUNICIPAL)
def test_a_city_graph_validates_as_its_own_new_version(kg, name):
    report = validate([data_dir("graphs") / f"{name}.ttl"], context=kg, replacing=graph_iri(name))
    violations = [r.message for r in report.results if r.severity.endswith("Violation")]
    assert violations == []


@pytest.mark.parametrize("name", sorted(SHARED))
def test_a_shared_graph_validates_whole_as_its_own_new_version(kg, name):
    """The shared graphs speak for many municipalities: checked against the shapes and the
    checks without the ownership rules (as `smartcity-kg validate graphs/<file>` does)."""
    report = validate(
        [data_dir("graphs") / f"{name}.ttl"],
        context=kg,
        replacing=graph_iri(name),
        ownership=False,
    )
    assert [r.message for r in report.results if r.severity.endswith("Violation")] == []
