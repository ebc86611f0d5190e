"""POST /validate: a dataset in the body (RDF or an XLSX template), checked with the curated
graph as context; the report negotiated as JSON, Turtle or text, in English or Indonesian."""

import io
import json

import openpyxl
import pyoxigraph
import pytest

from smartcity_kg import tabular
from smartcity_kg.settings import Settings
from smartcity_kg.validate import load_shapes

from .conftest import FIXTURES, client_for

PAIR = FIXTURES / "validation"
TURTLE = {"content-type": "text/turtle"}
REGENCY = "https://w3id.org/smartcity-kg/id/city/kabupaten-contoh"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SH = "http://www.w3.org/ns/shacl#"
OFFICIAL_NAME = (
    "Give exactly one official name in Indonesian that starts with Kota or Kabupaten, "
    'e.g. "Kota Tangerang Selatan"@id.'
)


@pytest.fixture(scope="module")
def validating(curated_kg):
    with client_for(Settings(), curated_kg) as started:
        yield started


def test_the_fixture_pair_is_there():
    assert sorted(p.name for p in PAIR.glob("*.ttl")) == [
        "regency.invalid.ttl",
        "regency.valid.ttl",
    ]


def test_a_valid_dataset_conforms(validating):
    response = validating.post(
        "/validate", content=(PAIR / "regency.valid.ttl").read_bytes(), headers=TURTLE
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "conforms": True,
        "violations": 0,
        "warnings": 0,
        "infos": 0,
        "results": [],
    }


def test_an_invalid_dataset_gets_each_problem_with_its_message(validating):
    body = (PAIR / "regency.invalid.ttl").read_bytes()
    report = validating.post("/validate", content=body, headers=TURTLE).json()
    assert report == {
        "conforms": False,
        "violations": 1,
        "warnings": 0,
        "infos": 0,
        "results": [
            {
                "severity": "Violation",
                "focus": REGENCY,
                "path": "sck:officialName",
                "value": None,
                "message": OFFICIAL_NAME,
                "source_shape": "https://w3id.org/smartcity-kg/shapes#Municipality-officialName",
                "component": SH + "MinCountConstraintComponent",
                "where": None,
            }
        ],
    }


def test_the_report_as_indonesian_text_and_as_turtle(validating):
    body = (PAIR / "regency.invalid.ttl").read_bytes()
    text = validating.post(
        "/validate?lang=id", content=body, headers={**TURTLE, "accept": "text/plain"}
    )
    assert text.headers["content-type"] == "text/plain; charset=utf-8"
    assert text.text.startswith("Sesuai: tidak (1 pelanggaran, 0 peringatan, 0 info)\n")
    assert "Isi tepat satu nama resmi berbahasa Indonesia" in text.text
    turtle = validating.post("/validate?format=ttl", content=body, headers=TURTLE)
    assert turtle.headers["content-type"] == "text/turtle; charset=utf-8"
    store = pyoxigraph.Store()
    store.load(turtle.content, format=pyoxigraph.RdfFormat.TURTLE)
    rows = store.query(
        f"SELECT ?conforms ?focus ?message WHERE {{ ?r <{SH}conforms> ?conforms ; <{SH}result> "
        f"[ <{SH}focusNode> ?focus ; <{SH}resultMessage> ?message ] }}"
    )
    assert [(r["conforms"].value, r["focus"].value, r["message"].value) for r in rows] == [
        ("false", REGENCY, OFFICIAL_NAME)
    ]


@pytest.mark.parametrize(
    ("media", "rdf_format"),
    [
        ("application/n-triples", pyoxigraph.RdfFormat.N_TRIPLES),
        ("application/ld+json", pyoxigraph.RdfFormat.JSON_LD),
    ],
)
def test_n_triples_and_json_ld_bodies(validating, media, rdf_format):
    quads = pyoxigraph.parse(
        path=str(PAIR / "regency.valid.ttl"), format=pyoxigraph.RdfFormat.TURTLE
    )
    body = pyoxigraph.serialize(list(quads), format=rdf_format)
    response = validating.post("/validate", content=body, headers={"content-type": media})
    assert (response.status_code, response.json()["conforms"]) == (200, True)


def test_a_filled_xlsx_template_is_located_by_sheet_row_and_column(validating, tmp_path):
    path = tmp_path / "template.xlsx"
    tabular.write_template(path, "xlsx", load_shapes())
    workbook = openpyxl.load_workbook(path)
    workbook["city"].append(["Contoh", "Example", "Contoh", None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = validating.post(
        "/validate", content=buffer.getvalue(), headers={"content-type": XLSX}
    )
    report = json.loads(response.text)
    assert (report["conforms"], report["violations"], report["warnings"]) == (False, 2, 1)
    assert {(r["where"], r["path"]) for r in report["results"]} == {
        ("city, row 2, official_name", "sck:officialName"),
        ("city, row 2, evidence", "prov:wasDerivedFrom"),
    }


@pytest.mark.parametrize(
    ("url", "headers", "body", "message"),
    [
        (
            "/validate",
            {"content-type": "text/csv"},
            b"a,b",
            "send the dataset as one of text/turtle, application/ld+json, application/n-triples, "
            f"application/rdf+xml, application/trig, application/n-quads, {XLSX}, not text/csv",
        ),
        ("/validate", TURTLE, b"", "the body is empty; send the dataset in it"),
        (
            "/validate?lang=fr",
            TURTLE,
            b"<a> <b> <c> .",
            "lang=fr is not a language of the reports; use one of: en, id",
        ),
        (
            "/validate",
            TURTLE,
            b"@prefix ex: <http://example.org/> .\nex:a ex:b ",
            "the body:2:11: ",
        ),
    ],
)
def test_bad_uploads_are_400_with_a_message(validating, url, headers, body, message):
    response = validating.post(url, content=body, headers=headers)
    assert response.status_code == 400
    assert response.json()["detail"].startswith(message)
