"""The three forms of a report (text, SHACL Turtle, JSON), in English and Indonesian."""

import json

import pytest
import rdflib
from rdflib.namespace import RDF, SH

from smartcity_kg.errors import UserError
from smartcity_kg.validate import validate

from .support import FIXTURES, patched

POLICY = "https://w3id.org/smartcity-kg/id/policy/contoh-perwal-5-2019"
MESSAGE = {
    "en": 'A legal act has exactly one number (eli:number), a plain string such as "12".',
    "id": 'Produk hukum memiliki tepat satu nomor (eli:number), berupa teks biasa seperti "12".',
}


@pytest.fixture
def number_given_as_integer(tmp_path):
    """The example with the Perwal's number written 5 (an integer) instead of "5"."""
    return patched(FIXTURES / "legalact-number.invalid.ru", tmp_path)


TABLES = {
    "en": [
        "Conforms: no (1 violation(s), 0 warning(s), 0 info)",
        "",
        "severity   focus                        path        value  message",
        "---------  ---------------------------  ----------  -----  -------",
        f"Violation  policy/contoh-perwal-5-2019  eli:number  5      {MESSAGE['en']}",
    ],
    "id": [
        "Sesuai: tidak (1 pelanggaran, 0 peringatan, 0 info)",
        "",
        "tingkat      node                         jalur       nilai  pesan",
        "-----------  ---------------------------  ----------  -----  -------",
        f"Pelanggaran  policy/contoh-perwal-5-2019  eli:number  5      {MESSAGE['id']}",
    ],
}


@pytest.mark.parametrize("lang", ["en", "id"])
def test_text_report(number_given_as_integer, context, lang):
    report = validate([number_given_as_integer], context=context, lang=lang)
    assert report.to_text().splitlines() == TABLES[lang]


@pytest.mark.parametrize("lang", ["en", "id"])
def test_json_report(number_given_as_integer, context, lang):
    report = validate([number_given_as_integer], context=context, lang=lang)
    assert json.loads(report.to_json()) == {
        "conforms": False,
        "violations": 1,
        "warnings": 0,
        "infos": 0,
        "results": [
            {
                "severity": "Violation",
                "focus": POLICY,
                "path": "eli:number",
                "value": "5",
                "message": MESSAGE[lang],
                "source_shape": "https://w3id.org/smartcity-kg/shapes#LegalAct-number",
                "component": "http://www.w3.org/ns/shacl#DatatypeConstraintComponent",
                "where": None,
            }
        ],
    }


def test_turtle_report_is_a_shacl_validation_report(number_given_as_integer, context):
    report = validate([number_given_as_integer], context=context, lang="id")
    graph = rdflib.Graph().parse(data=report.to_turtle(), format="turtle")
    (node,) = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(node, SH.conforms) == rdflib.Literal(False)
    (result,) = graph.objects(node, SH.result)
    assert dict(graph.predicate_objects(result)) == {
        RDF.type: SH.ValidationResult,
        SH.focusNode: rdflib.URIRef(POLICY),
        SH.resultPath: rdflib.URIRef("http://data.europa.eu/eli/ontology#number"),
        SH.value: rdflib.Literal("5", datatype=rdflib.namespace.XSD.integer),
        SH.resultSeverity: SH.Violation,
        SH.sourceShape: rdflib.URIRef("https://w3id.org/smartcity-kg/shapes#LegalAct-number"),
        SH.sourceConstraintComponent: SH.DatatypeConstraintComponent,
        SH.resultMessage: rdflib.Literal(MESSAGE["id"], lang="id"),
    }


def test_a_conforming_report_in_every_form(context, tmp_path):
    report = validate([patched(FIXTURES / "legalact-number.valid.ru", tmp_path)], context=context)
    assert report.conforms and report.results == []
    assert report.to_text() == "Conforms: yes (0 violation(s), 0 warning(s), 0 info)\n"
    assert json.loads(report.to_json())["conforms"] is True
    graph = rdflib.Graph().parse(data=report.to_turtle(), format="turtle")
    assert set(graph.objects(None, SH.conforms)) == {rdflib.Literal(True)}


def test_warnings_alone_conform_but_shacl_says_not(context, tmp_path):
    report = validate(
        [patched(FIXTURES / "claim-evidence-given.invalid.ru", tmp_path)], context=context
    )
    assert report.conforms
    assert [r.severity for r in report.results] == ["Warning"]
    graph = rdflib.Graph().parse(data=report.to_turtle(), format="turtle")
    assert set(graph.objects(None, SH.conforms)) == {rdflib.Literal(False)}


def test_check_messages_carry_the_values_of_the_row(context, tmp_path):
    report = validate(
        [patched(FIXTURES / "stage-overlap-violation.invalid.ru", tmp_path)], context=context
    )
    (result,) = report.results
    assert result.message == (
        "It begins in 2018, but stage/contoh-planning, a stage of the same kind and cycle of "
        "this municipality, lasts at least until 2019: two stages of one kind and cycle may "
        "share only their boundary year. If they are one stage dated by two sources, make them "
        "one stage with two intervals (time:hasTime twice, each with its own evidence); if the "
        "city went through this kind again, give the later stage sck:cycle 2 (or the next "
        "round's number)."
    )


def test_an_unknown_language_is_refused(number_given_as_integer, context):
    with pytest.raises(UserError, match="unknown language 'fr'; choose one of en, id"):
        validate([number_given_as_integer], context=context, lang="fr")
