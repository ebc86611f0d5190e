"""The named-query library: headers, typed parameters, binding that never edits the query."""

from pathlib import Path

import pytest

from smartcity_kg.errors import ParameterError, TooManyRows, UnknownQueryError
from smartcity_kg.iris import id_iri
from smartcity_kg.queries import Parameter, find, library
from smartcity_kg.query import query
from smartcity_kg.store import load

FIXTURES = Path(__file__).parent / "fixtures"
QUERIES = library(FIXTURES / "queries")


@pytest.fixture(scope="module")
def kg():
    return load([FIXTURES / "library.ttl"])


def run(kg, name, params, engine="oxigraph"):
    bindings, text = QUERIES[name].bind(params)
    return query(kg, text, bindings=bindings, engine=engine)


def test_headers_are_read():
    assert sorted(QUERIES) == ["many", "named", "stages-of"]
    stages = QUERIES["stages-of"]
    assert (stages.title, stages.question) == ("Stages of a city", "T1")
    assert [(p.name, p.type, p.kind, p.default) for p in stages.params] == [
        ("city", "sck:Municipality", "city", "kota-contoh"),
        ("since", "xsd:gYear", None, "2000"),
    ]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_slug_and_iri_and_typed_literal_bind_the_same(kg, engine):
    by_slug = run(kg, "stages-of", {"city": "kota-contoh", "since": "2017"}, engine)
    by_iri = run(kg, "stages-of", {"city": id_iri("city", "kota-contoh"), "since": "2017"}, engine)
    assert by_slug.values("stage") == by_iri.values("stage") == ["http://example.org/s2"]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_defaults_apply(kg, engine):
    result = run(kg, "stages-of", {}, engine)
    assert sorted(result.values("stage")) == ["http://example.org/s1", "http://example.org/s2"]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_hostile_values_are_matched_literally(kg, engine):
    hostile = 'a "quoted" > name\n} UNION { ?thing ?p ?o }'
    assert run(kg, "named", {"name": hostile}, engine).values("thing") == ["http://example.org/t2"]
    assert run(kg, "named", {"name": "} UNION { ?thing ?p ?o }"}, engine).rows == []


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_multiple_values_join_through_values(kg, engine):
    result = run(kg, "many", {"city": ["kota-contoh", "kota-lain"]}, engine)
    assert result.values("stage") == [
        "http://example.org/s1",
        "http://example.org/s2",
        "http://example.org/s3",
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"since": "2017"}, None),
        ({"city": "kota-contoh", "since": "20l8"}, r"since: '20l8' is not a valid xsd:gYear"),
        ({"city": "<http://x> }"}, r"city: '<http://x> }' is not a city slug .* or an IRI"),
        ({"town": "x"}, r"query stages-of has no parameter town \(parameters: city, since\)"),
        ({"city": ["a", "b"]}, r"parameter city takes one value, got 2"),
    ],
)
def test_bad_parameters_name_the_parameter_and_type(params, message):
    if message is None:
        QUERIES["stages-of"].bind(params)
        return
    with pytest.raises(ParameterError, match=message):
        QUERIES["stages-of"].bind(params)


def test_a_required_parameter_without_default_is_missing():
    with pytest.raises(ParameterError, match=r"query named needs parameter name \(xsd:string\)"):
        QUERIES["named"].bind({})


def test_unknown_query_lists_the_names():
    with pytest.raises(UnknownQueryError, match=r"no query named 'nope'; known: many, named"):
        find("nope", QUERIES)


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_an_answer_over_the_row_cap_is_refused(kg, engine):
    text = "SELECT ?s WHERE { ?s ?p ?o }"
    assert len(query(kg, text, engine=engine, max_rows=8).rows) == 8
    with pytest.raises(TooManyRows, match=r"^the answer has more than 7 rows, the cap here; "):
        query(kg, text, engine=engine, max_rows=7)
    graph = "CONSTRUCT WHERE { ?s ?p ?o }"
    with pytest.raises(TooManyRows, match=r"more than 2 triples"):
        query(kg, graph, engine=engine, max_rows=2)


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        ("xsd:gYear", ["2017", "-0044"], ["٢٠١٧", "17", "2017 "]),
        ("xsd:integer", ["+3", "-12", "0"], ["٣", "1_0", "1.0"]),
        ("xsd:decimal", ["1.5", "-.5", "3."], ["NaN", "1_0", "1e3", "Infinity", "١.٥"]),
        ("xsd:double", ["1e3", "-INF", "NaN", ".5E-2"], ["inf", "1_0", "e3"]),
        ("xsd:date", ["2019-04-01"], ["2019-4-1", "٢٠١٩-٠٤-٠١"]),
        ("xsd:boolean", ["true", "0"], ["True", "yes"]),
    ],
)
def test_literal_parameters_take_the_xsd_lexical_forms_only(kind, good, bad):
    parameter = Parameter(name="x", type=kind)
    assert [parameter.term(raw).value for raw in good] == good
    for raw in bad:
        with pytest.raises(ParameterError, match=rf"parameter x: '{raw}' is not a valid {kind}"):
            parameter.term(raw)
