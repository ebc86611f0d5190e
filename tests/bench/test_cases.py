"""The benchmark's measurement cases (bench/cases.py), run as bench/run.py runs them:
one process per case, answering in JSON."""

import json
import subprocess
import sys
from pathlib import Path

from smartcity_kg.queries import library
from smartcity_kg.store.load import ontology_files

REPO = Path(__file__).resolve().parents[2]
CITY, OTHER = "kabupaten-purwojaya", "kabupaten-wonotirta-utara"  # the first two, seed 2021


def case(name: str, data: Path, *args: str) -> dict:
    files = [str(p) for p in [*ontology_files(), data]]
    done = subprocess.run(
        [sys.executable, "-m", "bench.cases", name, "--files", *files, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_load_cases_count_the_same_triples(three_cities):
    oxigraph = case("load:oxigraph", three_cities, "--reps", "2")
    rdflib = case("load:rdflib", three_cities, "--reps", "2")
    assert oxigraph["triples"] == rdflib["triples"] > 2664  # the ontology comes with the data
    assert len(oxigraph["runs"]) == len(rdflib["runs"]) == 2
    assert oxigraph["peak_rss_mb"] >= oxigraph["base_rss_mb"] > 0


def test_a_reference_engine_is_stopped_at_the_cap(three_cities):
    result = case("reason:owlrl", three_cities, "--cap", "0.5")
    assert result["stopped_at"] == 0.5
    assert "runs" not in result


def test_queries_run_on_a_synthetic_city_on_both_engines(three_cities):
    names = sorted(library())
    assert names, "no named queries in queries/"
    result = case(
        "queries",
        three_cities,
        "--reps",
        "1",
        "--query-cap",
        "30",
        "--city",
        CITY,
        "--other",
        OTHER,
        "--skip",
        "rdflib:cq02-transitions",
    )
    assert sorted(result["queries"]) == names
    # Every city parameter with a default now names a synthetic city, never a curated one.
    for name, params in result["params"].items():
        for param in library()[name].params:
            if param.kind == "city" and param.default:
                assert params[param.name] in (CITY, OTHER)
        assert not any("tangerang-selatan" in v or "surabaya" in v for v in params.values())
    assert result["params"]["cq01-stages"] == {"city": CITY}
    assert result["queries"]["cq01-stages"]["oxigraph"]["rows"] == 3
    assert list(result["queries"]["cq02-transitions"]) == ["oxigraph"]
    for name, engines in result["queries"].items():
        rows = {e: measured["rows"] for e, measured in engines.items() if "rows" in measured}
        assert len(set(rows.values())) == 1, f"{name}: engines disagree: {rows}"
