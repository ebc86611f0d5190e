"""/sparql in process: the three ways to send a query, the dataset parameters, every answer
format, content negotiation and the 4xx answers that quote the problem."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph
import pytest

from .conftest import CITY, GRAPH

CITIES = (
    "SELECT ?city WHERE { ?city a <https://w3id.org/smartcity-kg/ontology#City> } ORDER BY ?city"
)
FORM = {"content-type": "application/x-www-form-urlencoded"}
DIRECT = {"content-type": "application/sparql-query"}
RESULTS = "http://www.w3.org/2005/sparql-results#"


def cities(response) -> list[str]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/sparql-results+json"
    return [b["city"]["value"] for b in response.json()["results"]["bindings"]]


def test_query_by_get_post_form_and_post_direct_give_the_same_answer(client):
    expected = [CITY + "alpha", CITY + "beta"]
    assert cities(client.get("/sparql", params={"query": CITIES})) == expected
    assert cities(client.post("/sparql", data={"query": CITIES})) == expected
    assert cities(client.post("/sparql", content=CITIES, headers=DIRECT)) == expected
    charset = {"content-type": "application/sparql-query; charset=UTF-8"}
    assert cities(client.post("/sparql", content=CITIES, headers=charset)) == expected


def test_default_graph_is_the_union_unless_the_protocol_restricts_it(client):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def n(**params):
        response = client.get("/sparql", params={"query": count, **params})
        assert response.status_code == 200, response.text
        return int(response.json()["results"]["bindings"][0]["n"]["value"])

    assert n() == 13
    assert n(**{"default-graph-uri": GRAPH + "awards"}) == 3
    assert n(**{"default-graph-uri": [GRAPH + "awards", GRAPH + "cities"]}) == 13
    assert n(**{"named-graph-uri": GRAPH + "awards"}) == 0
    assert n(**{"default-graph-uri": "http://example.org/not-loaded"}) == 0


@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
def test_a_graph_parameter_that_is_no_iri_is_400_naming_it(client, parameter):
    response = client.get("/sparql", params={"query": "ASK {}", parameter: "not an iri"})
    assert response.status_code == 400
    assert response.json() == {"detail": f"{parameter}: 'not an iri' is not an IRI"}


def test_named_graph_uri_limits_what_graph_sees(client):
    text = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    everything = client.get("/sparql", params={"query": text}).json()["results"]["bindings"]
    assert [b["g"]["value"] for b in everything] == [GRAPH + "awards", GRAPH + "cities"]
    only = client.post("/sparql", data={"query": text, "named-graph-uri": GRAPH + "cities"}).json()[
        "results"
    ]["bindings"]
    assert [b["g"]["value"] for b in only] == [GRAPH + "cities"]


def test_from_and_from_named_in_the_query_are_honoured(client):
    text = f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH}awards> WHERE {{ ?s ?p ?o }}"
    answer = client.get("/sparql", params={"query": text}).json()
    assert answer["results"]["bindings"][0]["n"]["value"] == "3"
    text = f"ASK FROM NAMED <{GRAPH}awards> {{ ?s ?p ?o }}"
    assert client.get("/sparql", params={"query": text}).json()["boolean"] is False


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        ("application/json", "application/json"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("text/*;q=0.8, application/sparql-results+json;q=0.2", "text/csv; charset=utf-8"),
        ("*/*", "application/sparql-results+json"),
        ("text/html, application/xhtml+xml, */*;q=0.8", "application/sparql-results+json"),
        (
            "text/turtle, text/tab-separated-values;q=0.1",
            "text/tab-separated-values; charset=utf-8",
        ),
    ],
)
def test_select_answers_follow_accept(client, accept, media):
    response = client.get("/sparql", params={"query": CITIES}, headers={"accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media
    assert "Accept" in response.headers["vary"].split(", ")


def test_select_in_every_results_format_holds_the_answer(client):
    def get(fmt):
        response = client.get("/sparql", params={"query": CITIES, "format": fmt})
        assert response.status_code == 200, response.text
        return response.text

    assert [b["city"]["value"] for b in json.loads(get("json"))["results"]["bindings"]] == [
        CITY + "alpha",
        CITY + "beta",
    ]
    uris = ET.fromstring(get("xml")).findall(f".//{{{RESULTS}}}uri")
    assert [u.text for u in uris] == [CITY + "alpha", CITY + "beta"]
    assert list(csv.reader(io.StringIO(get("csv")))) == [
        ["city"],
        [CITY + "alpha"],
        [CITY + "beta"],
    ]
    assert get("tsv") == f"?city\n<{CITY}alpha>\n<{CITY}beta>\n"


def test_ask_answers_in_json_xml_csv_and_tsv(client):
    text = f"ASK {{ <{CITY}alpha> ?p ?o }}"
    assert client.get("/sparql", params={"query": text}).json() == {"head": {}, "boolean": True}
    xml = client.get("/sparql", params={"query": text, "format": "xml"}).text
    assert ET.fromstring(xml).find(f"{{{RESULTS}}}boolean").text == "true"
    assert (
        client.get("/sparql", params={"query": text, "format": "csv"}).text == "boolean\r\ntrue\r\n"
    )
    assert client.get("/sparql", params={"query": text, "format": "tsv"}).text == "?boolean\ntrue\n"


@pytest.mark.parametrize(
    ("accept", "media", "rdf_format"),
    [
        ("text/turtle", "text/turtle", pyoxigraph.RdfFormat.TURTLE),
        ("application/n-triples", "application/n-triples", pyoxigraph.RdfFormat.N_TRIPLES),
        ("application/ld+json", "application/ld+json", pyoxigraph.RdfFormat.JSON_LD),
        ("application/rdf+xml", "application/rdf+xml", pyoxigraph.RdfFormat.RDF_XML),
        ("application/trig", "application/trig", pyoxigraph.RdfFormat.TRIG),
        ("application/n-quads", "application/n-quads", pyoxigraph.RdfFormat.N_QUADS),
        (None, "text/turtle", pyoxigraph.RdfFormat.TURTLE),
        ("application/sparql-results+json, */*;q=0.1", "text/turtle", pyoxigraph.RdfFormat.TURTLE),
    ],
)
def test_construct_and_describe_answers_in_every_rdf_format(client, accept, media, rdf_format):
    headers = {"accept": accept} if accept else {}
    for text in (
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{GRAPH}awards> {{ ?s ?p ?o }} }}",
        "DESCRIBE <https://w3id.org/smartcity-kg/id/award/isna>",
    ):
        response = client.get("/sparql", params={"query": text}, headers=headers)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] == media
        triples = {q.triple for q in pyoxigraph.parse(response.content, format=rdf_format)}
        assert {(t.predicate.value, t.object.value) for t in triples} == {
            ("http://www.w3.org/2000/01/rdf-schema#label", "ISNA"),
            ("https://w3id.org/smartcity-kg/ontology#awardedTo", CITY + "alpha"),
            ("https://w3id.org/smartcity-kg/ontology#awardedTo", CITY + "beta"),
        }


def test_nothing_acceptable_is_406_naming_what_is_available(client):
    response = client.get(
        "/sparql", params={"query": CITIES}, headers={"accept": "image/png, text/turtle"}
    )
    assert response.status_code == 406
    assert response.json()["detail"] == (
        "cannot answer in any type of Accept: image/png, text/turtle; available: "
        "application/sparql-results+json, application/sparql-results+xml, text/csv, "
        "text/tab-separated-values, application/json, application/xml, text/xml, text/plain"
    )
    response = client.get("/sparql", params={"query": CITIES, "format": "ttl"})
    assert response.status_code == 406
    assert response.json()["detail"] == (
        "format=ttl does not fit this answer; use one of: json, xml, csv, tsv, table"
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda c: c.post("/sparql", data={"default-graph-uri": GRAPH}),
            "the form has no query parameter",
        ),
        (
            lambda c: c.get("/sparql", params={"query": ["ASK {}", "ASK {}"]}),
            "2 query parameters given; send exactly one",
        ),
        (
            lambda c: c.post("/sparql?query=ASK%20%7B%7D", content="ASK {}", headers=DIRECT),
            "the operation is both in the body and in the URL; give it once",
        ),
        (lambda c: c.get("/sparql", params={"query": " "}), "the query parameter is empty"),
        (
            lambda c: c.post("/sparql", content="ASK {}", headers={"content-type": "text/plain"}),
            "a POST to /sparql needs Content-Type application/x-www-form-urlencoded, "
            "application/sparql-query or application/sparql-update, not text/plain",
        ),
        (
            lambda c: c.post("/sparql", content="ASK {}"),
            "a POST to /sparql needs Content-Type application/x-www-form-urlencoded, "
            "application/sparql-query or application/sparql-update, not none",
        ),
        (
            lambda c: c.post(
                "/sparql",
                content="ASK {}".encode("utf-16"),
                headers={"content-type": "application/sparql-query; charset=UTF-16"},
            ),
            "the body is in charset utf-16; send it as UTF-8",
        ),
        (
            lambda c: c.post("/sparql", content=b"ASK { \xff }", headers=DIRECT),
            "the body is not valid UTF-8 (byte 6)",
        ),
        (
            lambda c: c.get("/sparql?query=ASK%20%7B%20%FF%20%7D"),
            "the URL has a parameter that is not percent-encoded UTF-8",
        ),
        (
            lambda c: c.get("/sparql", params={"update": "CLEAR ALL"}),
            "SPARQL Update must be sent by POST, not GET",
        ),
    ],
)
def test_bad_requests_are_400_with_a_message_that_quotes_the_problem(client, call, message):
    response = call(client)
    assert response.status_code == 400
    assert response.json() == {"detail": message}


def test_syntax_error_gives_line_and_column(client):
    response = client.get("/sparql", params={"query": "SELECT ?x\nWHERE { ?x ?y }"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("SPARQL syntax error at line 2, column 16: ")


def test_other_methods_are_405(client):
    response = client.put("/sparql", params={"query": "ASK {}"})
    assert response.status_code == 405
    assert response.json() == {"detail": "Method Not Allowed"}


def test_errors_come_as_text_to_clients_that_prefer_text(client):
    response = client.get("/sparql", params={"query": "ASK {"}, headers={"accept": "text/plain"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text.startswith("SPARQL syntax error at line 1, column 6: ")


def test_update_is_refused_on_a_read_only_endpoint(client):
    response = client.post(
        "/sparql", content="CLEAR ALL", headers={"content-type": "application/sparql-update"}
    )
    assert response.status_code == 403
    assert response.json() == {
        "detail": "this endpoint is read-only; SPARQL Update needs --enable-update"
    }
    assert client.get("/health").json()["triples"] == 13


# Terms of every kind a SELECT answer holds (no blank nodes: their labels differ per run).
TERMS = (
    "SELECT ?city ?label ?year ?note ?missing WHERE { "
    "VALUES (?city ?label ?year ?note) { "
    f'(<{CITY}alpha> "Alpha"@en 2017 "a \\"quoted\\"\\tline\\nbreak, é") '
    f'(<{CITY}beta> "Beta"@id 1.5 UNDEF) }} }}'
)
FORMATS = {
    "json": pyoxigraph.QueryResultsFormat.JSON,
    "xml": pyoxigraph.QueryResultsFormat.XML,
    "csv": pyoxigraph.QueryResultsFormat.CSV,
    "tsv": pyoxigraph.QueryResultsFormat.TSV,
}


def solutions(body: bytes, fmt: str) -> list[list]:
    """The rows of an answer: terms, or the cells of CSV (which pyoxigraph does not read)."""
    if fmt == "csv":
        return list(csv.reader(io.StringIO(body.decode("utf-8"))))
    parsed = pyoxigraph.parse_query_results(body, format=FORMATS[fmt])
    return [[solution[v] for v in parsed.variables] for solution in parsed]


@pytest.mark.parametrize("fmt", FORMATS)
def test_select_answers_hold_what_the_python_writers_wrote(client, fmt):
    from smartcity_kg.query import query
    from smartcity_kg.results import serialize

    from .conftest import fixture_kg

    response = client.get("/sparql", params={"query": TERMS, "format": fmt})
    assert response.status_code == 200, response.text
    before = serialize(query(fixture_kg(), TERMS), fmt)
    assert solutions(response.content, fmt) == solutions(before, fmt)
    assert len(solutions(response.content, fmt)) == (3 if fmt == "csv" else 2)


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_and_post_give_the_same_bytes_and_headers(client, fmt):
    got = client.get("/sparql", params={"query": TERMS, "format": fmt})
    posted = client.post("/sparql", data={"query": TERMS, "format": fmt})
    assert got.status_code == posted.status_code == 200
    assert got.content == posted.content
    assert got.headers == posted.headers


def test_queries_by_get_are_counted_under_their_route(client):
    def answered() -> int:
        lines = client.get("/metrics").text.splitlines()
        label = 'smartcity_kg_requests_total{method="GET",route="/sparql",status="200"} '
        return next((int(line.split()[-1]) for line in lines if line.startswith(label)), 0)

    before = answered()
    assert client.get("/sparql", params={"query": CITIES}).status_code == 200
    assert answered() == before + 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_row_cap_holds_in_every_format_even_for_empty_rows(client, fmt):
    def rows(n: int):
        text = f"SELECT ?x WHERE {{ VALUES ?x {{ {'UNDEF ' * n}}} }}"
        return client.get("/sparql", params={"query": text, "format": fmt})

    for n in (2, 50):  # the cap of the client is 50 rows
        response = rows(n)
        assert response.status_code == 200, response.text
        assert len(solutions(response.content, fmt)) == n + (fmt == "csv")
    assert (rows(51).status_code, rows(51).json()) == (
        400,
        {
            "detail": "the answer has more than 50 rows, the cap here; "
            "use LIMIT and OFFSET to take it in parts"
        },
    )
