"""Template -> filled by a contributor -> import -> validate -> add -> the named queries know
the new city; a planted error on each sheet, reported at its sheet, row and column; and an
earlier template (model v1) that still imports."""

import csv
import shutil

import openpyxl
import pytest

from smartcity_kg.cli.main import main
from smartcity_kg.errors import LoadError
from smartcity_kg.queries import run_named
from smartcity_kg.reason import reason
from smartcity_kg.store import load
from smartcity_kg.store.load import ontology_files
from smartcity_kg.tabular import TemplateError
from smartcity_kg.validate import validate

from .support import (
    LEGACY_HEADERS,
    ROOT,
    SUKAMAJU,
    SUKAMAJU_V1,
    fill_csv,
    fill_xlsx,
    write_legacy_csv,
)

FILL = {"xlsx": fill_xlsx, "csv": fill_csv}
STAGE_KIND = "https://w3id.org/smartcity-kg/id/stage-kind/"
SUKAMAJU_IRI = "https://w3id.org/smartcity-kg/id/city/sukamaju"


def filled_template(folder, fmt, data=SUKAMAJU):
    """A template written by the `template` verb and filled with `data`."""
    path = folder / ("sukamaju.xlsx" if fmt == "xlsx" else "sukamaju")
    assert main(["template", "--format", fmt, "-o", str(path)]) == 0
    FILL[fmt](path, data)
    return path


def planted(sheet: str, row: int, column: str, value: str):
    """SUKAMAJU with one cell changed (`row` counts like the spreadsheet: header = row 1)."""
    data = {name: [dict(r) for r in rows] for name, rows in SUKAMAJU.items()}
    data[sheet][row - 2][column] = value
    return data


@pytest.fixture
def graphs(tmp_path):
    """A copy of the curated graphs for `add` to write into."""
    copy = tmp_path / "graphs"
    shutil.copytree(ROOT / "graphs", copy)
    return copy


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_filled_template_joins_the_graph_and_the_queries_see_it(fmt, tmp_path, graphs, capsys):
    template = filled_template(tmp_path, fmt)
    turtle = tmp_path / "sukamaju.ttl"
    assert main(["import", str(template), "-o", str(turtle)]) == 0
    assert main(["validate", str(turtle), "--strict"]) == 0
    assert main(["validate", str(template), "--strict"]) == 0
    assert main(["add", str(template), "--graphs-dir", str(graphs)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"added 255 triples as <https://w3id.org/smartcity-kg/graph/sukamaju> to "
        f"{graphs / 'sukamaju.ttl'}"
    )
    kg = load(ontology_files() + sorted(graphs.glob("*.ttl")))
    reason(kg)

    stages = run_named(kg, "cq01-stages", {"city": "sukamaju"})
    assert [
        (
            r["kind"].value.removeprefix(STAGE_KIND),
            r["begin"].value,
            r["end"].value,
            r["ongoing"].value,
        )
        for r in stages.records()
    ] == [
        ("preparation", "2016", "2017", "false"),
        ("planning", "2017", "2018", "false"),
        ("implementation", "2018", "2022", "true"),
    ]
    short = run_named(kg, "cq12-short-stages")
    rows = {(r["city"].value, r["stage"].value, r["years"].value) for r in short.records()}
    # Sukamaju's own rows; the other cities' come from the curated graphs, not the template.
    assert {(stage, years) for city, stage, years in rows if city == SUKAMAJU_IRI} == {
        ("https://w3id.org/smartcity-kg/id/stage/sukamaju-planning", "1"),
    }


PLANTED = [
    (
        "city",
        2,
        "official_name",
        "",
        "city, row 2, official_name: required: the official name, e.g. Kota Tangerang Selatan",
    ),
    (
        "stages",
        3,
        "end",
        "20l8",
        "stages, row 3, end: '20l8' is not a year or a date (2017 or 2017-03-01)",
    ),
    (
        "stages",
        3,
        "begin_qualifier",
        "roughly",
        "stages, row 3, begin_qualifier: 'roughly' is not one of: "
        "exact, approximate, not-before, not-after, unknown",
    ),
    (
        "stages",
        3,
        "status",
        "dropped",
        "stages, row 3, status: 'dropped' is not one of: recorded, skipped, ongoing",
    ),
    (
        "drivers",
        2,
        "factor",
        "vision",
        "drivers, row 2, factor: 'vision' "
        "is not one of: leadership, sustainable-programmes, civil-servant-capacity, "
        "community-approach, budget, active-community-participation, multi-party-collaboration, "
        "city-problem-priority, implementation-guidelines",
    ),
    ("policies", 2, "number", "", "policies, row 2, number: required for a legal-act"),
    (
        "actors",
        3,
        "sector",
        "goverment",
        "actors, row 3, sector: 'goverment' is not one of: "
        "academia, business, community, government, media",
    ),
    (
        "programmes",
        2,
        "type",
        "app",
        "programmes, row 2, type: 'app' is not one of: programme, application",
    ),
    ("factors", 2, "dominant", "maybe", "factors, row 2, dominant: 'maybe' is not true or false"),
    (
        "enablers",
        3,
        "enabler",
        "http://a b",
        "enablers, row 3, enabler: 'http://a b' is not a valid IRI",
    ),
    ("evidence", 4, "locator", "", "evidence, row 4, locator: required for a part"),
    (
        "transitions",
        2,
        "locator",
        "C.1",
        "transitions, row 2, source: required with a locator: its source",
    ),
]


def test_the_stage_links_the_import_derives_are_marked_as_derived(tmp_path, capsys):
    template = filled_template(tmp_path, "csv")
    turtle = tmp_path / "sukamaju.ttl"
    assert main(["import", str(template), "-o", str(turtle)]) == 0
    stage = "https://w3id.org/smartcity-kg/id/stage/sukamaju-"
    text = turtle.read_text(encoding="utf-8")
    header = text[: text.index("@prefix")]
    assert header.startswith(
        "# Derived by the import, not stated in the template: sck:nextStage between the\n"
        "# stages of a cycle in the order of their kinds (e-government, preparation,\n"
    )
    assert f"#   <{stage}planning> sck:nextStage <{stage}implementation>\n" in header
    assert f"#   <{stage}preparation> sck:nextStage <{stage}planning>\n" in header
    assert "Not recorded" not in header


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("sheet, row, column, value, problem", PLANTED, ids=[p[0] for p in PLANTED])
def test_a_planted_error_is_reported_at_its_sheet_row_and_column(
    fmt, sheet, row, column, value, problem, tmp_path, graphs, capsys
):
    template = filled_template(tmp_path, fmt, planted(sheet, row, column, value))
    capsys.readouterr()
    out = tmp_path / "out.ttl"
    before = sorted(graphs.iterdir())
    for argv in (
        ["import", str(template), "-o", str(out)],
        ["validate", str(template)],
        ["add", str(template), "--graphs-dir", str(graphs)],
    ):
        assert main(argv) == 2
        assert capsys.readouterr().err == (
            f"smartcity-kg: error: {template}: 1 problem in the template:\n  {problem}\n"
        )
    assert not out.exists()
    assert sorted(graphs.iterdir()) == before


def test_validation_results_of_a_template_name_sheet_row_and_column(tmp_path, context):
    template = filled_template(tmp_path, "xlsx", planted("stages", 3, "end", "2016"))
    report = validate([template], context=context)
    assert [(r.where, r.source_shape.value.rsplit("#")[1], r.message) for r in report.results] == [
        (
            "stages, row 3, end",
            "interval-order-violation",
            "Its interval interval/sukamaju-planning ends in 2016, before it begins in 2017: "
            "an interval begins no later than it ends.",
        ),
    ]
    assert "stages, row 3, end" in report.to_text()


def test_results_about_what_the_import_made_for_a_row_name_that_row(tmp_path, context):
    # The interval, its instants and the attributions belong to the row that made them.
    data = planted("stages", 3, "evidence", "")
    data["drivers"][0]["evidence"] = ""
    report = validate([filled_template(tmp_path, "csv", data)], context=context, lang="id")
    assert [(r.severity, r.where, r.source_shape.value.rsplit("#")[1]) for r in report.results] == [
        ("Violation", "drivers, row 2, evidence", "EvidencedClaim-evidence-given"),
        ("Violation", "stages, row 3, source", "StageInterval-evidence"),
        ("Warning", "stages, row 3, evidence", "Claim-evidence-given"),
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_earlier_template_still_imports(fmt, tmp_path, capsys):
    """The columns of the model-v1 template (begin_year, end_year, ongoing, enabled_by,
    driven_by) still import, into model v2: own instants, intervals with the row's evidence,
    attributions with the transition row's evidence, and a cohort membership."""
    folder = tmp_path / "old"
    write_legacy_csv(folder, SUKAMAJU_V1)
    source = folder
    if fmt == "xlsx":
        source = tmp_path / "old.xlsx"
        book = openpyxl.Workbook()
        book.remove(book.active)
        for sheet in LEGACY_HEADERS:
            ws = book.create_sheet(sheet)
            with (folder / f"{sheet}.csv").open(encoding="utf-8") as handle:
                for row in csv.reader(handle):
                    ws.append([cell or None for cell in row])
        book.save(source)
    assert main(["validate", str(source), "--strict"]) == 0
    turtle = tmp_path / "old.ttl"
    assert main(["import", str(source), "-o", str(turtle)]) == 0
    text = turtle.read_text(encoding="utf-8")
    for expected in (
        "instant:sukamaju-planning-begin a time:Instant",
        'time:inXSDgYear "2017"^^xsd:gYear',
        "enabling:sukamaju-planning-implementation-perwal-7-2018 a sck:EnablerAttribution",
        "driving:sukamaju-planning-implementation-budget a sck:DriverAttribution",
        "cohortmembership:gerakan-menuju-100-smart-city-2018-sukamaju a sck:CohortMembership",
    ):
        assert expected in text
    assert main(["validate", str(turtle), "--strict"]) == 0


def test_an_earlier_templates_bad_cell_is_named_by_its_old_column(tmp_path, capsys):
    data = {name: [dict(row) for row in rows] for name, rows in SUKAMAJU_V1.items()}
    data["stages"][1]["end_year"] = "20l8"
    data["transitions"][0]["driven_by"] = "leadership; vision"
    write_legacy_csv(tmp_path / "old", data)
    assert main(["import", str(tmp_path / "old"), "-o", str(tmp_path / "x.ttl")]) == 2
    assert capsys.readouterr().err.splitlines()[1:] == [
        "  stages, row 3, end_year: '20l8' is not a year or a date (2017 or 2017-03-01)",
        "  transitions, row 2, driven_by: 'vision' is not one of: leadership, "
        "sustainable-programmes, civil-servant-capacity, community-approach, budget, "
        "active-community-participation, multi-party-collaboration, city-problem-priority, "
        "implementation-guidelines",
    ]


def test_a_template_error_can_be_remade_from_its_message(tmp_path, context):
    # The web app renames the temporary file to "the body" by remaking the UserError from
    # its text; a TemplateError must allow that (else a bad cell is an HTTP 500).
    bad = planted("enablers", 3, "enabler", "http://a b")
    with pytest.raises(TemplateError) as caught:
        validate([filled_template(tmp_path, "xlsx", bad)], context=context)
    remade = type(caught.value)(str(caught.value).replace(str(tmp_path), "the body"))
    assert isinstance(remade, LoadError)
    assert str(remade).startswith("the body/sukamaju.xlsx: 1 problem in the template:\n")
