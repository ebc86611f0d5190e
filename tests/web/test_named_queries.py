"""/queries: the listing, one typed OpenAPI operation per .rq file, typed binding that no
value can break out of, and the same negotiation as /sparql."""

import pytest

from .conftest import CITY, QUERIES

AWARD = "https://w3id.org/smartcity-kg/id/award/isna"
GAMMA_LABEL = 'Gamma "quoted" > } UNION {'


def rows(response, *variables) -> list[tuple]:
    assert response.status_code == 200, response.text
    bindings = response.json()["results"]["bindings"]
    return [tuple(b[v]["value"] if v in b else None for v in variables) for b in bindings]


def test_listing_names_every_query_with_its_parameters(client):
    files = sorted(p.stem for p in QUERIES.glob("*.rq"))
    assert files == ["awarded", "founded-since", "label-of", "named"]
    listing = {q["name"]: q for q in client.get("/queries").json()}
    assert sorted(listing) == files
    assert listing["founded-since"] == {
        "name": "founded-since",
        "title": "Cities founded since a year",
        "question": "W1",
        "description": "Which municipalities were founded in or after a year?",
        "parameters": [
            {
                "name": "since",
                "type": "xsd:gYear",
                "kind": None,
                "default": "2000",
                "example": "1990",
                "multiple": False,
                "description": "first year",
            }
        ],
    }


def test_openapi_has_one_typed_operation_per_query_file(client):
    paths = client.get("/openapi.json").json()["paths"]
    for stem in (p.stem for p in QUERIES.glob("*.rq")):
        assert list(paths[f"/queries/{stem}"]) == ["get", "post"]
    since = paths["/queries/founded-since"]["get"]
    assert since["operationId"] == "founded_since"
    assert since["summary"] == "W1: Cities founded since a year"
    assert since["parameters"][0] == {
        "name": "since",
        "in": "query",
        "required": False,
        "description": "first year (xsd:gYear)",
        "schema": {
            "type": "string",
            "pattern": "^(?:-?[0-9]{4,})$",
            "default": "2000",
            "examples": ["1990"],
        },
    }
    assert since["parameters"][-1]["schema"]["enum"][:5] == ["json", "xml", "csv", "tsv", "table"]
    assert "ttl" not in since["parameters"][-1]["schema"]["enum"]  # a SELECT answers no RDF
    assert sorted(since["responses"]) == ["200", "400", "406", "503"]
    assert "text/turtle" not in since["responses"]["200"]["content"]
    city = paths["/queries/label-of"]["get"]["parameters"][0]
    assert city["required"] is True
    assert city["schema"] == {
        "anyOf": [
            {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$"},
            {"$ref": "#/components/schemas/IRI"},
        ],
        "description": "a city slug (e.g. tangerang-selatan) or an IRI",
        "examples": ["alpha"],
    }
    several = paths["/queries/awarded"]["get"]["parameters"][0]
    assert several["schema"]["type"] == "array"
    assert (several["style"], several["explode"]) == ("form", True)
    assert several["schema"]["examples"] == [["beta"]]
    form = paths["/queries/awarded"]["post"]["requestBody"]["content"]
    assert form["application/x-www-form-urlencoded"]["schema"]["additionalProperties"] is False
    assert "/queries/{name}" not in paths


def test_defaults_and_given_values_are_bound_as_typed_terms(client):
    assert rows(client.get("/queries/founded-since"), "city", "since") == [
        (CITY + "beta", "2000"),
        (CITY + "gamma", "2000"),
    ]
    answer = client.get("/queries/founded-since", params={"since": "1990"})
    assert rows(answer, "city") == [(CITY + "alpha",), (CITY + "beta",), (CITY + "gamma",)]
    since = answer.json()["results"]["bindings"][0]["since"]
    assert since == {
        "type": "literal",
        "value": "1990",
        "datatype": "http://www.w3.org/2001/XMLSchema#gYear",
    }


def test_a_slug_or_an_iri_names_the_city(client):
    by_slug = client.get("/queries/label-of", params={"city": "alpha"})
    assert rows(by_slug, "label") == [("Alfa",), ("Alpha",)]
    assert client.get("/queries/label-of", params={"city": CITY + "alpha"}).json() == by_slug.json()


def test_post_takes_the_parameters_as_a_form(client):
    response = client.post("/queries/label-of", data={"city": "beta"})
    assert rows(response, "label") == [("Beta",)]
    response = client.post("/queries/label-of", json={"city": "beta"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "send the parameters as application/x-www-form-urlencoded, not application/json"
    }


def test_multiple_values_become_a_values_clause(client):
    response = client.get("/queries/awarded", params={"city": ["alpha", "beta"]})
    assert rows(response, "city", "award") == [(CITY + "alpha", AWARD), (CITY + "beta", AWARD)]
    response = client.get("/queries/awarded", params={"city": "beta"})
    assert rows(response, "city", "award") == [(CITY + "beta", AWARD)]


def test_a_literal_with_quotes_brackets_and_union_is_matched_literally(client):
    response = client.get("/queries/named", params={"label": GAMMA_LABEL})
    assert rows(response, "label", "thing") == [(GAMMA_LABEL, CITY + "gamma")]
    response = client.get("/queries/named", params={"label": 'x" } UNION { ?thing ?p "y'})
    assert rows(response, "thing") == []
    response = client.get("/queries/named", params={"label": "Beta\n"})
    assert rows(response, "thing") == []


@pytest.mark.parametrize(
    ("city", "message"),
    [
        (
            'alpha" }',
            "parameter city: 'alpha\" }' is not a city slug (like tangerang-selatan) or an IRI",
        ),
        (
            "http://x> } UNION {",
            "parameter city: 'http://x> } UNION {' is not a city slug (like tangerang-selatan) "
            "or an IRI",
        ),
        (
            "http://[x",
            "parameter city: 'http://[x' is not a city slug (like tangerang-selatan) or an IRI",
        ),
        (
            "alpha\nbeta",
            "parameter city: 'alpha\\nbeta' is not a city slug (like tangerang-selatan) or an IRI",
        ),
    ],
)
def test_an_iri_parameter_that_is_no_iri_is_400(client, city, message):
    for name in ("label-of", "awarded"):
        response = client.get(f"/queries/{name}", params={"city": city})
        assert response.status_code == 400
        assert response.json() == {"detail": message}


def test_parameter_errors_and_unknown_queries(client):
    response = client.get("/queries/founded-since", params={"since": "last year"})
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "parameter since: 'last year' is not a valid xsd:gYear"},
    )
    response = client.get("/queries/label-of")
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "query label-of needs parameter city (sck:Municipality: a city slug or an IRI)"},
    )
    response = client.get("/queries/label-of", params={"city": "alpha", "town": "beta"})
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "query label-of has no parameter town (parameters: city)"},
    )
    response = client.get("/queries/no-such-query")
    assert (response.status_code, response.json()) == (
        404,
        {
            "detail": "no query named 'no-such-query'; "
            "known: awarded, founded-since, label-of, named"
        },
    )


def test_named_query_answers_are_negotiated_like_sparql(client):
    response = client.get(
        "/queries/label-of", params={"city": "beta"}, headers={"accept": "text/csv"}
    )
    assert response.status_code == 200
    assert response.text == f"city,label\r\n{CITY}beta,Beta\r\n"
    response = client.get("/queries/label-of", params={"city": "beta", "format": "tsv"})
    assert response.text == f'?city\t?label\n<{CITY}beta>\t"Beta"@en\n'
    response = client.get(
        "/queries/label-of", params={"city": "beta"}, headers={"accept": "text/turtle"}
    )
    assert response.status_code == 406
