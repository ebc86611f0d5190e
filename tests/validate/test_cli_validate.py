"""The validate, template, import and add verbs: exit codes, outputs, and bad input (a clear
message, exit 2, nothing written)."""

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from smartcity_kg.cli.main import main
from smartcity_kg.iris import ID

from .support import EXAMPLE, FIXTURES, ROOT, patched

SCRIPT = Path(sys.executable).parent / "smartcity-kg"


@pytest.fixture
def graphs(tmp_path):
    copy = tmp_path / "graphs"
    shutil.copytree(ROOT / "graphs", copy)
    return copy


def test_the_console_script_validates_the_example():
    done = subprocess.run(
        [SCRIPT, "validate", EXAMPLE], capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        "Conforms: yes (0 violation(s), 0 warning(s), 0 info)\n",
        "",
    )


def test_the_console_script_refuses_a_violation_in_indonesian(tmp_path):
    bad = patched(FIXTURES / "stage-kind.invalid.ru", tmp_path)
    done = subprocess.run(
        [SCRIPT, "validate", bad, "--lang", "id", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    # the kind is wrong, so planning is also "not recorded" (a warning)
    (result,) = [r for r in json.loads(done.stdout)["results"] if r["severity"] == "Violation"]
    assert result["message"] == (
        "Tahap memiliki tepat satu jenis (sck:stageKind): e-government, preparation, planning, "
        "atau implementation."
    )


def test_warnings_pass_unless_strict(tmp_path, capsys):
    warned = patched(FIXTURES / "claim-evidence-given.invalid.ru", tmp_path)
    assert main(["validate", str(warned)]) == 0
    assert main(["validate", str(warned), "--strict"]) == 1
    assert "Warning" in capsys.readouterr().out


def test_turtle_report_format(tmp_path, capsys):
    bad = patched(FIXTURES / "legalact-year.invalid.ru", tmp_path)
    assert main(["validate", str(bad), "--format", "ttl"]) == 1
    out = capsys.readouterr().out
    assert "sh:ValidationReport" in out and "sh:sourceShape shape:LegalAct-year" in out


def test_owl_imports_in_the_data_are_not_followed(tmp_path, capsys):
    data = tmp_path / "with-imports.ttl"
    data.write_text(
        EXAMPLE.read_text(encoding="utf-8")
        + "\n<https://example.org/contoh> a <http://www.w3.org/2002/07/owl#Ontology> ;\n"
        "    <http://www.w3.org/2002/07/owl#imports> <http://127.0.0.1:9/never.ttl> .\n",
        encoding="utf-8",
    )
    assert main(["validate", str(data)]) == 0
    assert capsys.readouterr().out == "Conforms: yes (0 violation(s), 0 warning(s), 0 info)\n"


def test_add_refuses_a_dataset_with_violations_and_writes_nothing(tmp_path, graphs, capsys):
    bad = patched(FIXTURES / "stage-cycle.invalid.ru", tmp_path)
    before = sorted(graphs.iterdir())
    assert main(["add", str(bad), "--graphs-dir", str(graphs)]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("Conforms: no (1 violation(s), 0 warning(s), 0 info)")
    assert captured.err == "smartcity-kg: not added: the dataset does not conform\n"
    assert sorted(graphs.iterdir()) == before


def test_add_writes_the_example_as_its_own_graph(graphs, capsys):
    assert main(["add", str(EXAMPLE), "--graphs-dir", str(graphs)]) == 0
    written = graphs / "contoh.ttl"
    assert capsys.readouterr().out == (
        f"added 357 triples as <https://w3id.org/smartcity-kg/graph/contoh> to {written}\n"
    )
    assert written.read_text(encoding="utf-8").startswith(
        "# contoh.ttl\n# Named graph: https://w3id.org/smartcity-kg/graph/contoh\n"
    )
    assert main(["add", str(EXAMPLE), "--graphs-dir", str(graphs)]) == 2
    assert capsys.readouterr().err == (
        "smartcity-kg: error: the graph <https://w3id.org/smartcity-kg/graph/contoh> "
        f"({written}) exists already: to change that city, `smartcity-kg update` replaces "
        "its graph; for another graph, choose --name\n"
    )


def test_add_into_a_store(tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["add", str(EXAMPLE), "--store", str(store)]) == 0
    assert capsys.readouterr().out == (
        f"added 357 triples as <https://w3id.org/smartcity-kg/graph/contoh> to the store {store}\n"
    )
    # The new city is merged into the default graph and reasoned, so the queries see it.
    assert (
        main(
            [
                "query",
                "cq01-stages",
                "--param",
                "city=contoh",
                "--store",
                str(store),
                "--format",
                "csv",
            ]
        )
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(row["stage"], row["begin"], row["end"]) for row in rows] == [
        (f"{ID}stage/contoh-preparation", "2017", "2018"),
        (f"{ID}stage/contoh-planning", "2018", "2019"),
        (f"{ID}stage/contoh-implementation", "2019", "2023"),
    ]
    assert main(["add", str(EXAMPLE), "--store", str(store)]) == 2
    assert capsys.readouterr().err == (
        "smartcity-kg: error: the graph <https://w3id.org/smartcity-kg/graph/contoh> exists "
        "already: to change that city, `smartcity-kg update` replaces its graph; for another "
        "graph, choose --name\n"
    )


def test_template_writes_every_sheet_with_drop_downs(tmp_path, capsys):
    workbook = tmp_path / "template.xlsx"
    assert main(["template", "-o", str(workbook)]) == 0
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames == [
        "instructions",
        "lists",
        "city",
        "stages",
        "transitions",
        "enablers",
        "drivers",
        "policies",
        "actors",
        "memberships",
        "programmes",
        "activities",
        "factors",
        "awards",
        "evidence",
    ]
    stages = book["stages"]
    assert [c.value for c in stages[1]] == [
        "kind",
        "cycle",
        "status",
        "label_en",
        "label_id",
        "begin",
        "begin_qualifier",
        "end",
        "end_qualifier",
        "observed_until",
        "evidence",
        "source",
        "locator",
    ]
    qualifiers = ["exact", "approximate", "not-before", "not-after", "unknown"]
    assert _drop_downs(book, "stages") == {
        "kind": ["e-government", "preparation", "planning", "implementation"],
        "status": ["recorded", "skipped", "ongoing"],
        "begin_qualifier": qualifiers,
        "end_qualifier": qualifiers,
    }
    assert [c.value for c in book["enablers"][1]] == [
        "transition",
        "enabler",
        "evidence",
        "source",
        "locator",
    ]
    assert _drop_downs(book, "transitions") == {"year_qualifier": qualifiers}
    assert _drop_downs(book, "factors")["role"] == ["proposition", "finding"]
    assert _drop_downs(book, "factors")["effect"] == ["enabling", "hindering"]
    assert "implementation-guidelines" in _drop_downs(book, "drivers")["factor"]
    assert [c.value for c in stages[1] if c.font.bold] == ["kind", "begin"]


def _drop_downs(book, sheet: str) -> dict[str, list[str]]:
    """Each column of `sheet` with a drop-down list, and the list's values."""
    ws = book[sheet]
    lists = {}
    for rule in ws.data_validations.dataValidation:
        column = ws.cell(row=1, column=next(iter(rule.sqref.ranges)).min_col).value
        source, cells = rule.formula1.split("!")
        lists[column] = [row[0].value for row in book[source][cells.replace("$", "")]]
    return lists


def test_template_as_csv_files(tmp_path, capsys):
    folder = tmp_path / "template"
    assert main(["template", "--format", "csv", "-o", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "activities.csv",
        "actors.csv",
        "awards.csv",
        "city.csv",
        "drivers.csv",
        "enablers.csv",
        "evidence.csv",
        "factors.csv",
        "instructions.csv",
        "memberships.csv",
        "policies.csv",
        "programmes.csv",
        "stages.csv",
        "transitions.csv",
    ]
    assert (folder / "city.csv").read_text(encoding="utf-8") == (
        "official_name,label_en,label_id,national_programme_cohort,evidence,source,locator\n"
    )


def test_import_takes_only_templates(tmp_path, capsys):
    assert main(["import", str(EXAMPLE), "-o", str(tmp_path / "x.ttl")]) == 2
    assert capsys.readouterr().err == (
        f"smartcity-kg: error: {EXAMPLE}: give a filled .xlsx template or a folder of "
        "template CSV files\n"
    )


BAD = {  # name: (file, its content, or None for a 50 MB file, the message)
    "malformed Turtle": (
        "malformed.ttl",
        b"@prefix ex: <http://example.org/> .\nex:a ex:b ex:c ex:d .\n",
        "malformed.ttl:2:16: Parser error at line 2 between columns 16 and 20: A dot is "
        "expected at the end of statements",
    ),
    "remote JSON-LD context": (
        "remote.jsonld",
        b'{"@context": "https://example.org/context.jsonld", "@id": "x"}',
        "remote.jsonld: the JSON-LD @context is a remote document, which is never fetched; "
        "put the context inline",
    ),
    "not a workbook": (
        "city.xlsx",
        b"official_name\nKota Sukamaju\n",
        "city.xlsx: not an Excel workbook (.xlsx)",
    ),
    "empty file": ("empty.ttl", b"", "empty.ttl: the file is empty"),
    "50 MB file": (
        "huge.xlsx",
        None,
        "huge.xlsx: 52.4 MB is more than the 10 MB a dataset may have",
    ),
}


@pytest.mark.parametrize("name, content, message", BAD.values(), ids=BAD.keys())
def test_bad_input_is_a_clear_error_and_nothing_is_written(
    name, content, message, tmp_path, graphs, capsys
):
    bad = tmp_path / name
    with bad.open("wb") as handle:
        if content is None:
            handle.truncate(50 * 1024 * 1024)
        else:
            handle.write(content)
    before = sorted(graphs.iterdir())
    out = tmp_path / "out.ttl"
    verbs = [["validate", str(bad)], ["add", str(bad), "--graphs-dir", str(graphs)]]
    if bad.suffix == ".xlsx":
        verbs.append(["import", str(bad), "-o", str(out)])
    for argv in verbs:
        assert main(argv) == 2, argv
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err.startswith(f"smartcity-kg: error: {tmp_path}/"), captured.err
        assert message in captured.err, captured.err
        assert "Traceback" not in captured.err
    assert not out.exists()
    assert sorted(graphs.iterdir()) == before


RELATIVE = ROOT / "tests" / "core" / "fixtures" / "relative.ttl"


def test_relative_iris_are_refused_without_a_base_and_resolved_with_one():
    done = subprocess.run(
        [SCRIPT, "validate", RELATIVE], capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        "",
        f"smartcity-kg: error: {RELATIVE}:4:1: relative IRI <#x> and no base IRI to resolve it "
        "against; give one (--data-base with --data; --base with validate, add and update; "
        "base_iri= in Python) or declare @base in the file\n",
    )
    done = subprocess.run(
        [SCRIPT, "validate", RELATIVE, "--base", "https://example.org/data/", "--format", "ttl"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert "sh:conforms true" in done.stdout and "file:" not in done.stdout


@pytest.mark.parametrize("base", ["not an iri", "relative/"])
def test_a_base_that_is_not_an_absolute_iri_is_refused(base, capsys):
    assert main(["validate", str(RELATIVE), "--base", base]) == 2
    assert capsys.readouterr().err.startswith(
        f"smartcity-kg: error: <{base}> is not an absolute base IRI: "
    )


def test_a_curated_file_is_validated_as_the_new_version_of_its_graph(graphs, capsys):
    """A curator checks graphs/bogor.ttl after editing it: it conforms (warnings only), it is
    not refused for describing what its own old version describes; a shared graph (the
    national programme names many municipalities) is checked whole."""
    assert main(["validate", str(graphs / "bogor.ttl"), "--graphs-dir", str(graphs)]) == 0
    assert capsys.readouterr().out.startswith("Conforms: yes (0 violation(s), ")
    shared = graphs / "national-programme.ttl"
    assert main(["validate", str(shared), "--graphs-dir", str(graphs)]) == 0
    assert capsys.readouterr().out.startswith("Conforms: yes (0 violation(s), ")
    assert (
        main(["validate", str(graphs / "bogor.ttl"), str(EXAMPLE), "--graphs-dir", str(graphs)])
        == 2
    )
    assert capsys.readouterr().err == (
        f"smartcity-kg: error: {graphs / 'bogor.ttl'} is a curated graph: validate it alone, "
        "as the new version of its graph, not together with other files\n"
    )
