"""docs/ontology.md names every term of the ontology, and only terms that exist."""

import re
from pathlib import Path

from smartcity_kg.iris import SCK
from smartcity_kg.store import load
from smartcity_kg.store.load import ontology_files

DOC = Path(__file__).resolve().parents[2] / "docs" / "ontology.md"
TERMS = """
SELECT DISTINCT ?term WHERE {
  VALUES ?kind { <http://www.w3.org/2002/07/owl#Class> <http://www.w3.org/2002/07/owl#ObjectProperty>
                 <http://www.w3.org/2002/07/owl#DatatypeProperty> }
  ?term a ?kind .
}
"""


def ontology_terms() -> set[str]:
    kg = load(ontology_files())
    rows = kg.store.query(TERMS)
    return {r["term"].value.removeprefix(SCK) for r in rows if r["term"].value.startswith(SCK)}


def test_docs_and_ontology_name_the_same_terms():
    terms = ontology_terms()
    mentioned = set(re.findall(r"\bsck:([A-Za-z]+)", DOC.read_text(encoding="utf-8")))
    assert len(terms) > 60
    assert sorted(terms - mentioned) == [], "terms the page does not explain"
    assert sorted(mentioned - terms) == [], "terms the page names that do not exist"
