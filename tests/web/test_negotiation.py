"""Content negotiation as a function: q-values, wildcards, specificity, ties, overrides."""

import pytest

from smartcity_kg.web.negotiation import (
    FORMS,
    GRAPH_OFFERS,
    RESULT_OFFERS,
    NotAcceptable,
    answer_form,
    answer_format,
    choose,
    format_names,
    parse_accept,
)


def test_accept_is_parsed_with_q_values_and_malformed_parts_dropped():
    assert parse_accept("text/csv;q=0.5, application/json ,text/*; q=2, bogus, a/b;q=x") == [
        ("text/csv", 0.5),
        ("application/json", 1.0),
        ("text/*", 1.0),
    ]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, ("application/sparql-results+json", "json")),
        ("", ("application/sparql-results+json", "json")),
        ("*/*", ("application/sparql-results+json", "json")),
        ("text/*", ("text/csv", "csv")),
        ("text/*;q=0.9, text/tab-separated-values", ("text/tab-separated-values", "tsv")),
        ("text/*, text/csv;q=0", ("text/tab-separated-values", "tsv")),
        ("application/sparql-results+xml;q=0.4, text/csv;q=0.6", ("text/csv", "csv")),
        ("TEXT/CSV", ("text/csv", "csv")),
        ("text/plain", ("text/plain", "table")),
    ],
)
def test_the_client_preference_wins_then_the_server_order(accept, expected):
    assert choose(accept, RESULT_OFFERS) == expected


def test_a_specific_type_beats_a_wildcard_of_equal_q():
    assert choose("*/*, text/turtle", GRAPH_OFFERS) == ("text/turtle", "ttl")
    assert choose("application/*, text/turtle", GRAPH_OFFERS) == ("text/turtle", "ttl")
    assert choose("*/*, application/n-quads", GRAPH_OFFERS) == ("application/n-quads", "nq")


def test_nothing_acceptable_raises():
    with pytest.raises(NotAcceptable, match="cannot answer in any type of Accept: image/png"):
        choose("image/png", GRAPH_OFFERS)
    with pytest.raises(NotAcceptable):
        choose("text/turtle;q=0", GRAPH_OFFERS[:1])


@pytest.mark.parametrize(
    ("form", "fmt", "expected"),
    [
        ("SELECT", "csv", ("text/csv", "csv")),
        ("ASK", "application/sparql-results+xml", ("application/sparql-results+xml", "xml")),
        ("GRAPH", "turtle", ("text/turtle", "ttl")),
        ("GRAPH", "json-ld", ("application/ld+json", "jsonld")),
        ("GRAPH", "application/x-turtle", ("application/x-turtle", "ttl")),
        ("SELECT", "text", ("text/plain", "table")),
        ("GRAPH", "nquads", ("application/n-quads", "nq")),
    ],
)
def test_format_overrides_accept(form, fmt, expected):
    assert answer_format(form, "image/png", fmt) == expected


def test_a_format_that_does_not_fit_the_answer_is_refused():
    with pytest.raises(NotAcceptable) as refused:
        answer_format("GRAPH", None, "xml")
    assert str(refused.value) == (
        "format=xml does not fit this answer; use one of: "
        "ttl, nt, jsonld, rdfxml, trig, nq, rdfjson, csv, tsv"
    )
    with pytest.raises(NotAcceptable, match="format=ttl does not fit this answer"):
        answer_format("SELECT", None, "ttl")


def test_format_takes_exactly_the_names_the_document_lists():
    assert list(format_names(FORMS["ASK"])) == [
        "json",
        "xml",
        "csv",
        "tsv",
        "table",
        "text",
        "txt",
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
        "application/json",
        "application/xml",
        "text/xml",
        "text/plain",
    ]
    for spelled in ("JSON-LD", "TTL", "Text/Turtle", " ttl"):
        with pytest.raises(NotAcceptable, match=f"format={spelled} does not fit this answer"):
            answer_format("GRAPH", None, spelled)


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("PREFIX s: <urn:s#>\n# CONSTRUCT in a comment\nSELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("ASK { ?s ?p ?o }", "ASK"),
        ("construct where { ?s ?p ?o }", "GRAPH"),
        ("DESCRIBE <urn:x>", "GRAPH"),
    ],
)
def test_the_form_of_an_answer_comes_from_the_query(text, form):
    assert answer_form(text) == form
