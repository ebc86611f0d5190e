"""Facts with sources: every statement about a municipality or province, other than the
registry's own facts (name, code, kind, province), rests on evidence in the graph that
states it. A statement counts as "about" an area when the area is its subject or its object;
the resource that makes it (a stage, a policy, a conferral...) must carry
prov:wasDerivedFrom in the same graph. Enabling activities are PROV activities and carry
their evidence on the attribution that names them (docs/decisions/0005-model-v2.md)."""

import pytest

from smartcity_kg.store import load

PREFIXES = """
PREFIX sck: <https://w3id.org/smartcity-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX graph: <https://w3id.org/smartcity-kg/graph/>
"""
# Statements about an area in a curated graph other than the registry (and the retired
# resources of deprecated.ttl), with the resource that makes them.
ABOUT_AREAS = """
SELECT DISTINCT ?graph ?maker ?p WHERE {
  GRAPH graph:registry { ?area a ?kind FILTER(?kind IN (sck:City, sck:Regency, sck:Province)) }
  GRAPH ?graph { { ?maker ?p ?area } UNION { ?area ?p ?o BIND(?area AS ?maker) } }
  FILTER(?graph NOT IN (graph:registry, graph:deprecated))
  FILTER(?p != prov:wasDerivedFrom)
  FILTER NOT EXISTS { ?maker a sck:Activity }
  %s
}"""
WITHOUT_EVIDENCE = "FILTER NOT EXISTS { GRAPH ?graph { ?maker prov:wasDerivedFrom ?e } }"


@pytest.fixture(scope="module")
def kg():
    return load()


def test_statements_about_areas_are_many(kg):
    rows = list(kg.store.query(PREFIXES + ABOUT_AREAS % ""))
    graphs = {r["graph"].value for r in rows}
    assert len(rows) > 500  # 862 on 2026-12-02: stages, policies, conferrals, memberships
    assert len(graphs) >= 15  # the case study, the cohorts, the awards and the city graphs


def test_every_statement_about_an_area_has_evidence_in_its_graph(kg):
    rows = kg.store.query(PREFIXES + ABOUT_AREAS % WITHOUT_EVIDENCE)
    missing = sorted(f"{r['graph'].value} {r['maker'].value} {r['p'].value}" for r in rows)
    assert missing == []
