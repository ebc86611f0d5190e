"""The ontology checklist (ONTOLOGY-GUIDE B.7) as SPARQL checks that must return no row."""

import pytest

from smartcity_kg.queries import library
from smartcity_kg.query import query
from smartcity_kg.resources import data_dir
from smartcity_kg.results import serialize
from smartcity_kg.store import default_sources, load

QUALITY = library(data_dir("queries") / "quality")


@pytest.fixture(scope="module")
def asserted():
    """Ontology, extracts and curated graphs as written, without inferences."""
    return load(default_sources())


def test_the_checks_are_there():
    assert len(QUALITY) >= 14


@pytest.mark.parametrize("name", sorted(QUALITY))
def test_quality_check_finds_nothing(asserted, name):
    result = query(asserted, QUALITY[name].text)
    assert result.rows == [], f"{QUALITY[name].question}\n" + serialize(result, "table").decode()


def test_the_checks_do_catch_a_broken_term(tmp_path):
    """A term with one label, no definition, two ranges and a lower-case class name."""
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        """@prefix sck: <https://w3id.org/smartcity-kg/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix time: <http://www.w3.org/2006/time#> .
sck:badClass a owl:Class ; rdfs:label "bad"@en .
sck:twoRanges a owl:ObjectProperty ; rdfs:domain sck:badClass ;
    rdfs:range sck:badClass, owl:Thing .
time:hasDuration a owl:ObjectProperty .
sck:x time:madeUp sck:y .
"""
    )
    kg = load([broken])
    found = {
        name: query(kg, QUALITY[name].text).rows
        for name in (
            "missing-label",
            "missing-definition",
            "naming-convention",
            "multiple-domains-or-ranges",
            "missing-is-defined-by",
            "namespace-hijacking",
        )
    }
    sck = "https://w3id.org/smartcity-kg/ontology#"
    assert {(r[0].value, r[1].value) for r in found["missing-label"]} >= {
        (sck + "badClass", "id"),
        (sck + "twoRanges", "en"),
        (sck + "twoRanges", "id"),
    }
    assert {r[0].value for r in found["missing-definition"]} >= {sck + "badClass"}
    assert {r[0].value for r in found["naming-convention"]} == {sck + "badClass"}
    assert [(r[0].value, r[2].value) for r in found["multiple-domains-or-ranges"]] == [
        (sck + "twoRanges", "2")
    ]
    assert {r[0].value for r in found["missing-is-defined-by"]} >= {
        sck + "badClass",
        sck + "twoRanges",
    }
    time = "http://www.w3.org/2006/time#"
    assert sorted((r[0].value, r[1].value) for r in found["namespace-hijacking"]) == [
        (time + "hasDuration", "declared outside the extracts, in " + broken_graph()),
        (time + "madeUp", "used but not in any pinned extract"),
    ]


def broken_graph():
    return "https://w3id.org/smartcity-kg/graph/broken"
