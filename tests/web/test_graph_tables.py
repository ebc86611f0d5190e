"""Graph results in the other formats SPARQL editors offer (YASGUI among them): RDF/JSON,
and CSV/TSV with one row per triple."""

import csv
import io

from .conftest import CITY, GRAPH

CONSTRUCT = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{GRAPH}awards> {{ ?s ?p ?o }} }}"
AWARD = "https://w3id.org/smartcity-kg/id/award/isna"
AWARDED_TO = "https://w3id.org/smartcity-kg/ontology#awardedTo"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def test_construct_as_rdf_json(client):
    response = client.get(
        "/sparql", params={"query": CONSTRUCT}, headers={"accept": "application/rdf+json"}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == "application/rdf+json"
    tree = response.json()
    assert sorted(tree[AWARD]) == [LABEL, AWARDED_TO]
    assert sorted(o["value"] for o in tree[AWARD][AWARDED_TO]) == [CITY + "alpha", CITY + "beta"]
    assert {o["type"] for o in tree[AWARD][AWARDED_TO]} == {"uri"}
    assert tree[AWARD][LABEL][0]["type"] == "literal"
    assert tree[AWARD][LABEL][0]["value"] == "ISNA"


def test_construct_as_csv_and_tsv_rows_of_triples(client):
    response = client.get("/sparql", params={"query": CONSTRUCT, "format": "csv"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == "text/csv"
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["subject", "predicate", "object"]
    assert sorted(rows[1:]) == [
        [AWARD, LABEL, "ISNA"],
        [AWARD, AWARDED_TO, CITY + "alpha"],
        [AWARD, AWARDED_TO, CITY + "beta"],
    ]
    tsv = client.get(
        "/sparql", params={"query": CONSTRUCT}, headers={"accept": "text/tab-separated-values"}
    )
    assert tsv.status_code == 200
    assert tsv.text.splitlines()[0] == "?subject\t?predicate\t?object"
    assert len(tsv.text.splitlines()) == 4
