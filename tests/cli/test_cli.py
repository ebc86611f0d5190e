"""The `smartcity-kg` console script, run as a user runs it: exit codes, stdout, stderr."""

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pyoxigraph
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).with_name("smartcity-kg")
CITY = "https://w3id.org/smartcity-kg/id/city/"


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_version_comes_from_pyproject():
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    done = cli("--version")
    assert (done.returncode, done.stdout.strip()) == (0, f"smartcity-kg {version}")


def test_info_lists_graphs_counts_and_timings():
    done = cli("info")
    assert done.returncode == 0, done.stderr
    assert "https://w3id.org/smartcity-kg/graph/tangerang-selatan" in done.stdout
    assert "https://w3id.org/smartcity-kg/graph/inferred" in done.stdout
    summary = re.search(r"^(\d+) graphs, (\d+) triples \((\d+) inferred\)$", done.stdout, re.M)
    graphs, triples, inferred = map(int, summary.groups())
    assert graphs >= 10 and triples > inferred > 0
    assert "load:" in done.stdout and "reason:" in done.stdout


def test_queries_lists_every_competency_question():
    done = cli("queries")
    assert done.returncode == 0
    names = [line.split()[0] for line in done.stdout.splitlines() if line.startswith("cq")]
    assert [n[:4] for n in names] == [f"cq{i:02d}" for i in range(1, 22)]  # CQ1-CQ21
    assert "--param city=..." in done.stdout


def test_named_query_as_sparql_json():
    done = cli("query", "cq01-stages", "--param", "city=tangerang-selatan", "--format", "json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    kinds = [b["kind"]["value"].rsplit("/", 1)[1] for b in answer["results"]["bindings"]]
    assert kinds == ["preparation", "planning", "implementation"]


def test_city_by_full_iri_gives_the_same_answer():
    by_slug = cli("query", "cq01-stages", "--param", "city=tangerang-selatan", "--format", "csv")
    by_iri = cli(
        "query", "cq01-stages", "--param", f"city={CITY}tangerang-selatan", "--format", "csv"
    )
    assert by_slug.returncode == by_iri.returncode == 0
    assert by_slug.stdout == by_iri.stdout
    assert by_slug.stdout.count("\n") == 4


def test_sparql_text_and_file(tmp_path):
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/smartcity-kg/ontology#City> }"
    inline = cli("query", "--sparql", text, "--format", "tsv")
    (tmp_path / "q.rq").write_text(text)
    from_file = cli("query", "--file", str(tmp_path / "q.rq"), "--format", "tsv")
    assert inline.returncode == from_file.returncode == 0
    assert inline.stdout == from_file.stdout
    assert int(inline.stdout.splitlines()[1].split('"')[1]) == 98  # every kota (registry.ttl)


def test_unknown_query_exits_2_and_lists_names():
    done = cli("query", "cq99-nothing")
    assert done.returncode == 2
    assert "no query named 'cq99-nothing'" in done.stderr
    assert "cq01-stages" in done.stderr and "cq14" in done.stderr
    assert "Traceback" not in done.stderr


def test_mistyped_parameter_exits_2_naming_parameter_and_type():
    done = cli("query", "cq01-stages", "--param", "city=Kota Tangerang Selatan")
    assert done.returncode == 2
    assert "parameter city: 'Kota Tangerang Selatan' is not a city slug" in done.stderr


def test_unknown_parameter_exits_2():
    done = cli("query", "cq01-stages", "--param", "town=x")
    assert done.returncode == 2
    assert "has no parameter town" in done.stderr


def test_syntax_error_exits_2_with_line_and_column():
    done = cli("query", "--sparql", "SELECT * WHERE {\n  ?s ?p \n}")
    assert done.returncode == 2
    assert "SPARQL syntax error at line 3, column" in done.stderr


def test_unparsable_data_file_exits_2_with_file_line_column(tmp_path):
    broken = tmp_path / "kota-baru.ttl"
    broken.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c ;\n  ex:d .\n")
    done = cli("info", "--data", str(broken))
    assert done.returncode == 2
    assert f"{broken}:3:" in done.stderr
    assert "Traceback" not in done.stderr


def test_export_round_trips_the_dataset(tmp_path):
    out = tmp_path / "all.nq"
    done = cli("export", "--format", "nq", "-o", str(out))
    assert done.returncode == 0, done.stderr
    quads = list(pyoxigraph.parse(path=str(out), format=pyoxigraph.RdfFormat.N_QUADS))
    graphs = {q.graph_name.value for q in quads}
    assert "https://w3id.org/smartcity-kg/graph/tangerang-selatan" in graphs
    assert "https://w3id.org/smartcity-kg/graph/inferred" in graphs


@pytest.mark.parametrize("reasoner", ["reasonable", "owlrl"])
def test_reason_reports_what_it_inferred(reasoner):
    done = cli("reason", "--reasoner", reasoner)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{reasoner}: ")
    inferred = int(done.stdout.split()[1])
    assert inferred > 100


def test_on_disk_store_is_reused(tmp_path):
    store = tmp_path / "store"
    first = cli("info", "--store", str(store))
    second = cli("info", "--store", str(store))
    assert first.returncode == second.returncode == 0
    total = re.findall(r"^\d+ graphs, .*$", first.stdout, re.M)
    assert len(total) == 1
    assert total == re.findall(r"^\d+ graphs, .*$", second.stdout, re.M)
    assert "load:" not in second.stdout


def test_docs_are_in_step_with_the_code():
    done = cli("docs", "--check")
    assert done.returncode == 0, done.stdout


RELATIVE = ROOT / "tests" / "core" / "fixtures" / "relative.ttl"
SEE_ALSO = (
    "SELECT ?o WHERE { <https://example.org/data/#x> "
    "<http://www.w3.org/2000/01/rdf-schema#seeAlso> ?o }"
)


def test_data_with_relative_iris_needs_a_base_and_gets_none_from_its_path():
    done = cli("query", "--sparql", SEE_ALSO, "--reasoner", "none", "--data", str(RELATIVE))
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        "",
        f"smartcity-kg: error: {RELATIVE}:4:1: relative IRI <#x> and no base IRI to resolve it "
        "against; give one (--data-base with --data; --base with validate, add and update; "
        "base_iri= in Python) or declare @base in the file\n",
    )
    done = cli(
        "query",
        "--sparql",
        SEE_ALSO,
        "--format",
        "csv",
        "--reasoner",
        "none",
        "--data",
        str(RELATIVE),
        "--data-base",
        "https://example.org/data/",
    )
    assert (done.returncode, done.stdout.splitlines()) == (
        0,
        ["o", "https://example.org/data/city/foo"],
    )
