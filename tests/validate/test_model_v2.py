"""Model v2 (docs/decisions/0005-model-v2.md) as a contributor meets it: a skipped stage is
not a missing one, a second cycle is not a step back, and the template says both; the
examples of the template's instructions validate."""

import csv

import openpyxl
import pytest

from smartcity_kg.cli.main import main
from smartcity_kg.report import compact
from smartcity_kg.tabular import read
from smartcity_kg.tabular.layout import EXAMPLE, EXAMPLE_TITLE, SHEETS
from smartcity_kg.validate import load_shapes, validate

from .support import FIXTURES, SUKAMAJU, fill_csv, patched

STAGE = "https://w3id.org/smartcity-kg/id/stage/sukamaju-"
NEXT = "https://w3id.org/smartcity-kg/ontology#nextStage"
NOT_RECORDED = {
    "en": "The planning stage (cycle 1) is not recorded: the municipality has stages before and "
    "after it but neither a planning stage nor a skipped stage. Add the stage, or an "
    "sck:StageSkip (sck:skipOf, sck:skippedKind stage-kind:planning, prov:wasDerivedFrom) if "
    "the source says it was skipped.",
    "id": "Tahap planning (siklus 1) tidak tercatat: kota/kabupaten ini memiliki tahap sebelum "
    "dan sesudahnya tetapi tidak memiliki tahap planning maupun tahap yang dilewati. "
    "Tambahkan tahapnya, atau sck:StageSkip (sck:skipOf, sck:skippedKind "
    "stage-kind:planning, prov:wasDerivedFrom) jika sumber menyatakan tahap itu dilewati.",
}


def _results(report):
    return [
        (r.severity, compact(r.focus), compact(r.source_shape), compact(r.value), r.message)
        for r in report.results
    ]


# ---------------------------------------------------------------------------------------
# In Turtle: the example city changed by the fixtures
# ---------------------------------------------------------------------------------------


def test_a_city_that_skipped_planning_validates_without_a_violation(context, tmp_path):
    fixture = FIXTURES / "stage-not-recorded-violation.valid.ru"
    assert "sck:StageSkip" in fixture.read_text(encoding="utf-8")
    report = validate([patched(fixture, tmp_path)], context=context)
    assert report.results == []


@pytest.mark.parametrize("lang", ["en", "id"])
def test_planning_silently_missing_is_warned_as_not_recorded(context, tmp_path, lang):
    data = patched(FIXTURES / "stage-not-recorded-violation.invalid.ru", tmp_path)
    report = validate([data], context=context, lang=lang)
    assert _results(report) == [
        (
            "Warning",
            "city/contoh",
            "shape:stage-not-recorded-violation",
            "stage-kind/planning",
            NOT_RECORDED[lang],
        ),
    ]
    assert report.conforms


def test_a_second_cycle_validates(context, tmp_path):
    for name in ("next-stage-violation", "transition-stages-violation", "stage-overlap-ongoing"):
        fixture = FIXTURES / f"{name}.valid.ru"
        assert "sck:cycle 2" in fixture.read_text(encoding="utf-8"), name
        assert validate([patched(fixture, tmp_path)], context=context).results == [], name


@pytest.mark.parametrize(
    "lang, message",
    [
        (
            "en",
            "stage/contoh-planning-2 (planning, cycle 1) follows this implementation stage "
            "(cycle 1) but does not come after it: within a cycle the kinds go e-government, "
            "preparation, planning, implementation. A step back to an earlier kind begins a new "
            "round: give the stages of that round sck:cycle 2.",
        ),
        (
            "id",
            "stage/contoh-planning-2 (planning, siklus 1) menyusul tahap implementation ini "
            "(siklus 1) tetapi tidak datang sesudahnya: dalam satu siklus urutan jenis tahap "
            "adalah e-government, persiapan, perencanaan, implementasi. Langkah mundur ke jenis "
            "sebelumnya memulai putaran baru: beri tahap-tahap putaran itu sck:cycle 2.",
        ),
    ],
)
def test_a_backward_step_without_a_cycle_is_a_violation(context, tmp_path, lang, message):
    data = patched(FIXTURES / "next-stage-violation.invalid.ru", tmp_path)
    report = validate([data], context=context, lang=lang)
    assert _results(report) == [
        (
            "Violation",
            "stage/contoh-implementation",
            "shape:next-stage-violation",
            "stage/contoh-planning-2",
            message,
        ),
    ]
    assert not report.conforms


def test_stages_of_different_kinds_may_run_at_once(context, tmp_path):
    fixture = FIXTURES / "stage-overlap-kinds.valid.ru"
    assert validate([patched(fixture, tmp_path)], context=context).results == []
    fixture = FIXTURES / "next-stage-parallel.valid.ru"
    assert validate([patched(fixture, tmp_path)], context=context).results == []


# ---------------------------------------------------------------------------------------
# In the template
# ---------------------------------------------------------------------------------------


def _without_planning(status: str | None) -> dict:
    """Sukamaju without its planning stage: skipped (status "skipped") or left out (None)."""
    data = {name: [dict(row) for row in rows] for name, rows in SUKAMAJU.items()}
    data["stages"] = [row for row in data["stages"] if row["kind"] != "planning"]
    if status:
        data["stages"].insert(
            1,
            {
                "kind": "planning",
                "status": status,
                "label_en": "Sukamaju skipped planning",
                "label_id": "Kota Sukamaju melewati tahap perencanaan",
                "evidence": "stages",
            },
        )
    data["stages"][-1]["begin"] = "2017"
    data["transitions"] = [
        {
            **data["transitions"][1],
            "from_stage": "preparation",
            "label_en": "Sukamaju: from preparation to implementation (2017)",
            "label_id": "Kota Sukamaju: dari persiapan ke implementasi (2017)",
            "year": "2017",
        }
    ]
    for sheet in ("enablers", "drivers"):
        data[sheet] = [
            {**row, "transition": "preparation-implementation"}
            for row in data[sheet]
            if row["transition"] == "planning-implementation"
        ]
    for row in data["policies"]:
        row["issued_in_stage"] = "preparation"
    data["programmes"][0]["started_in_stage"] = "implementation"
    return data


def _template(tmp_path, data):
    folder = tmp_path / "sukamaju"
    assert main(["template", "--format", "csv", "-o", str(folder)]) == 0
    fill_csv(folder, data)
    return folder


def _next_stages(folder) -> set[tuple[str, str]]:
    triples = read(folder, load_shapes()).triples
    return {
        (t.subject.value.removeprefix(STAGE), t.object.value.removeprefix(STAGE))
        for t in triples
        if t.predicate.value == NEXT
    }


def test_a_skipped_stage_in_the_template(context, tmp_path, capsys):
    folder = _template(tmp_path, _without_planning("skipped"))
    assert validate([folder], context=context).results == []
    assert _next_stages(folder) == {("preparation", "implementation")}
    out = tmp_path / "sukamaju.ttl"
    assert main(["import", str(folder), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "stageskip:sukamaju-planning a sck:StageSkip" in text
    assert "Not recorded" not in text[: text.index("@prefix")]


def test_a_stage_left_out_of_the_template_is_not_recorded(context, tmp_path, capsys):
    """The import no longer links the stages around a kind that is not recorded, says so in
    the Turtle it writes, and the validator warns at the city's row."""
    folder = _template(tmp_path, _without_planning(None))
    assert _next_stages(folder) == set()
    report = validate([folder], context=context)
    assert [(r.severity, r.where, r.message) for r in report.results] == [
        ("Warning", "city, row 2", NOT_RECORDED["en"]),
    ]
    out = tmp_path / "sukamaju.ttl"
    assert main(["import", str(folder), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert (
        "# Not recorded: these kinds of stage lie between a city's stages but have neither\n"
        "# a stage nor a skipped stage, so no sck:nextStage was derived across them (the\n"
        "# validator warns). Add the stage, or a stages row with status skipped:\n"
        "#   <https://w3id.org/smartcity-kg/id/city/sukamaju> planning (cycle 1)\n"
    ) in text


def test_a_second_cycle_in_the_template(context, tmp_path):
    data = {name: [dict(row) for row in rows] for name, rows in SUKAMAJU.items()}
    data["stages"].append(
        {
            "kind": "planning",
            "cycle": "2",
            "label_en": "Second planning stage of Sukamaju (2022-2023)",
            "label_id": "Tahap perencanaan kedua Kota Sukamaju (2022-2023)",
            "begin": "2022",
            "begin_qualifier": "not-before",
            "end": "2023",
            "evidence": "stages",
        }
    )
    data["transitions"].append(
        {
            "from_stage": "implementation",
            "to_stage": "planning-cycle-2",
            "label_en": "Sukamaju: back to planning, second round",
            "label_id": "Kota Sukamaju: kembali ke perencanaan, putaran kedua",
            "year_qualifier": "unknown",
            "evidence": "transitions",
        }
    )
    folder = _template(tmp_path, data)
    assert validate([folder], context=context).results == []
    assert _next_stages(folder) == {
        ("preparation", "planning"),
        ("planning", "implementation"),
        ("implementation", "planning-cycle-2"),
    }


def test_a_date_and_a_qualifier_in_the_template(tmp_path):
    data = {name: [dict(row) for row in rows] for name, rows in SUKAMAJU.items()}
    data["stages"][0].update(begin="2016-03-01", end="2017", end_qualifier="approximate")
    triples = read(_template(tmp_path, data), load_shapes()).triples
    instant = "https://w3id.org/smartcity-kg/id/instant/sukamaju-preparation-"
    facts = {(t.subject.value, t.predicate.value.rsplit("#")[-1], t.object.value) for t in triples}
    assert (instant + "begin", "inXSDDate", "2016-03-01") in facts
    assert (instant + "end", "inXSDgYear", "2017") in facts
    assert (
        instant + "end",
        "dateQualifier",
        "https://w3id.org/smartcity-kg/id/date-qualifier/approximate",
    ) in facts


# ---------------------------------------------------------------------------------------
# The examples of the template's instructions
# ---------------------------------------------------------------------------------------


def _examples_of_the_instructions(folder) -> dict[str, list[dict[str, str]]]:
    """The example rows as the instructions sheet prints them."""
    with (folder / "instructions.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    start = rows.index([EXAMPLE_TITLE])
    sheets: dict[str, list[dict[str, str]]] = {}
    header: list[str] = []
    for row in rows[start + 1 :]:
        if row and row[0]:
            header = row[1:]
            sheets[row[0]] = []
        elif row:
            sheets[list(sheets)[-1]].append(dict(zip(header, row[1:], strict=True)))
    return sheets


def test_the_examples_of_the_template_instructions_validate(context, tmp_path):
    template = tmp_path / "template"
    assert main(["template", "--format", "csv", "-o", str(template)]) == 0
    examples = _examples_of_the_instructions(template)
    assert set(examples) == {sheet.name for sheet in SHEETS} == set(EXAMPLE)
    assert any(row.get("status") == "skipped" for row in examples["stages"])
    assert any(row.get("begin_qualifier") == "approximate" for row in examples["stages"])
    folder = _template(tmp_path, examples)
    report = validate([folder], context=context)
    assert report.results == [], report.to_text()
    teladan = "https://w3id.org/smartcity-kg/id/stage/teladan-"
    # linked across the skipped planning stage
    assert _next_stages(folder) == {(teladan + "preparation", teladan + "implementation")}
    triples = read(folder, load_shapes()).triples
    assert any(t.object.value.endswith("#StageSkip") for t in triples)


def _trim(row) -> list[str]:
    cells = ["" if cell is None else str(cell) for cell in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def test_the_xlsx_instructions_carry_the_same_examples(tmp_path):
    workbook = tmp_path / "template.xlsx"
    folder = tmp_path / "template"
    assert main(["template", "-o", str(workbook)]) == 0
    assert main(["template", "--format", "csv", "-o", str(folder)]) == 0
    sheet = openpyxl.load_workbook(workbook)["instructions"]
    with (folder / "instructions.csv").open(newline="", encoding="utf-8") as handle:
        written = [_trim(row) for row in csv.reader(handle)]
    assert [_trim(row) for row in sheet.iter_rows(values_only=True)] == written
