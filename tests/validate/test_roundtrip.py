"""Template -> filled by a contributor -> import -> validate -> add -> the named queries know
the new city; and a planted error on each sheet, reported at its sheet, row and column."""

import shutil

import pytest

from smartcity_kg.cli.main import main
from smartcity_kg.errors import LoadError
from smartcity_kg.queries import run_named
from smartcity_kg.reason import reason
from smartcity_kg.store import load
from smartcity_kg.store.load import ontology_files
from smartcity_kg.tabular import TemplateError
from smartcity_kg.validate import validate

from .support import ROOT, SUKAMAJU, fill_csv, fill_xlsx

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
        f"added 198 triples as <https://w3id.org/smartcity-kg/graph/sukamaju> to "
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
    assert (SUKAMAJU_IRI, "https://w3id.org/smartcity-kg/id/stage/sukamaju-planning", "1") in rows
    assert {city for city, _stage, _years in rows} == {
        SUKAMAJU_IRI,
        "https://w3id.org/smartcity-kg/id/city/tangerang-selatan",
    }


PLANTED = [
    (
        "city",
        2,
        "official_name",
        "",
        "city, row 2, official_name: required: the official name, e.g. Kota Tangerang Selatan",
    ),
    ("stages", 3, "end_year", "20l8", "stages, row 3, end_year: '20l8' is not a year"),
    (
        "transitions",
        2,
        "driven_by",
        "leadership; vision",
        "transitions, row 2, driven_by: 'vision' "
        "is not one of: leadership, sustainable-programmes, civil-servant-capacity, "
        "community-approach, budget, active-community-participation, multi-party-collaboration, "
        "city-problem-priority",
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
        "transitions",
        3,
        "enabled_by",
        "masterplan-2018-2022; http://a b",
        "transitions, row 3, enabled_by: 'http://a b' is not a valid IRI",
    ),
    ("evidence", 4, "locator", "", "evidence, row 4, locator: required for a part"),
]


def test_the_stage_links_the_import_derives_are_marked_as_derived(tmp_path, capsys):
    template = filled_template(tmp_path, "csv")
    turtle = tmp_path / "sukamaju.ttl"
    assert main(["import", str(template), "-o", str(turtle)]) == 0
    stage = "https://w3id.org/smartcity-kg/id/stage/sukamaju-"
    assert turtle.read_text(encoding="utf-8").startswith(
        "# Derived by the import, not stated in the template: sck:nextStage between\n"
        "# consecutive stages, in the order of the stage kinds (e-government, preparation,\n"
        "# planning, implementation):\n"
        f"#   <{stage}planning> sck:nextStage <{stage}implementation>\n"
        f"#   <{stage}preparation> sck:nextStage <{stage}planning>\n\n"
    )


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
    template = filled_template(tmp_path, "xlsx", planted("stages", 3, "begin_year", "2015"))
    report = validate([template], context=context)
    assert [(r.where, r.source_shape.value.rsplit("#")[1]) for r in report.results] == [
        ("stages, row 3, begin_year", "stage-order-violation"),
    ]
    assert "stages, row 3, begin_year" in report.to_text()


def test_a_template_error_can_be_remade_from_its_message(tmp_path, context):
    # The web app renames the temporary file to "the body" by remaking the UserError from
    # its text; a TemplateError must allow that (else a bad cell is an HTTP 500).
    bad = planted("transitions", 3, "enabled_by", "http://a b")
    with pytest.raises(TemplateError) as caught:
        validate([filled_template(tmp_path, "xlsx", bad)], context=context)
    remade = type(caught.value)(str(caught.value).replace(str(tmp_path), "the body"))
    assert isinstance(remade, LoadError)
    assert str(remade).startswith("the body/sukamaju.xlsx: 1 problem in the template:\n")
