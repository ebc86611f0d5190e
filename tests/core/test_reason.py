"""Both reasoners give the entailments the queries rely on, apart from the asserted triples."""

import pyoxigraph
import pytest

from smartcity_kg.iris import INFERRED_GRAPH
from smartcity_kg.query import query
from smartcity_kg.reason import reason
from smartcity_kg.store import load

ID = "https://w3id.org/smartcity-kg/id/"
SCK = "https://w3id.org/smartcity-kg/ontology#"
NEW_BLANKS = f"""
SELECT DISTINCT ?b WHERE {{
  GRAPH <{INFERRED_GRAPH}> {{ {{ ?b ?p ?o }} UNION {{ ?s ?p ?b }} }}
  FILTER(isBlank(?b))
  FILTER NOT EXISTS {{
    GRAPH ?g {{ {{ ?b ?x ?y }} UNION {{ ?y ?x ?b }} }} FILTER(?g != <{INFERRED_GRAPH}>)
  }}
}}"""


@pytest.fixture(params=["reasonable", "owlrl"], scope="module")
def kg(request, curated_kg, curated_kg_owlrl):
    return {"reasonable": curated_kg, "owlrl": curated_kg_owlrl}[request.param]


def holds(kg, s, p, o, graph=INFERRED_GRAPH) -> bool:
    quad = pyoxigraph.Quad(
        pyoxigraph.NamedNode(s),
        pyoxigraph.NamedNode(p),
        pyoxigraph.NamedNode(o),
        pyoxigraph.NamedNode(graph),
    )
    return quad in kg.store


@pytest.mark.parametrize(
    ("s", "p", "o"),
    [
        # a stage class from its kind (owl:hasValue), and the kind from the class
        (
            ID + "stage/tangerang-selatan-planning",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
            SCK + "DevelopmentStage",
        ),
        # the inverse of stageOf
        (ID + "city/tangerang-selatan", SCK + "hasStage", ID + "stage/tangerang-selatan-planning"),
        # the inverse of nextStage
        (
            ID + "stage/tangerang-selatan-planning",
            SCK + "previousStage",
            ID + "stage/tangerang-selatan-preparation",
        ),
        # a legal act is an ELI legal resource
        (
            ID + "policy/tangerang-selatan-perda-12-2019",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
            "http://data.europa.eu/eli/ontology#LegalResource",
        ),
    ],
)
def test_the_entailments_the_queries_use(kg, s, p, o):
    assert holds(kg, s, p, o)


def test_inferences_live_apart_from_assertions(kg):
    asserted = query(
        kg,
        f"ASK {{ GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} "
        f"GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{INFERRED_GRAPH}>) }}",
    )
    assert asserted.boolean is False


def test_the_closure_names_no_blank_node_the_data_does_not_have(kg):
    assert query(kg, NEW_BLANKS).rows == []


def test_kind_and_class_entail_each_other(tmp_path):
    data = tmp_path / "kota-contoh-stages.ttl"
    data.write_text(f"""
<{ID}stage/a> <{SCK}stageKind> <{ID}stage-kind/planning> .
<{ID}stage/b> a <{SCK}ImplementationStage> .
""")
    for reasoner in ("reasonable", "owlrl"):
        kg = load()
        load([data], into=kg)
        reason(kg, reasoner)
        rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
        assert holds(kg, ID + "stage/a", rdf_type, SCK + "PlanningStage"), reasoner
        assert holds(kg, ID + "stage/b", SCK + "stageKind", ID + "stage-kind/implementation"), (
            reasoner
        )


def test_reasoning_again_replaces_the_inferences(curated_kg):
    before = {g.iri: g.triples for g in curated_kg.graphs()}
    size = len(curated_kg)
    reason(curated_kg)
    assert {g.iri: g.triples for g in curated_kg.graphs()} == before
    assert len(curated_kg) == size
