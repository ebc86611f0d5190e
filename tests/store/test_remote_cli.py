"""The command line on a remote store, on every server: `info`, `query` (the issue's
`cq02-transitions` that answered nothing), `export` round trips, `add`, and errors as
messages (exit 2, no traceback)."""

import csv
import io
import shutil
from pathlib import Path

import pyoxigraph
import pytest

from smartcity_kg.cli.main import main
from smartcity_kg.prepare import prepare
from smartcity_kg.queries import run_named
from smartcity_kg.resources import data_dir

from .conftest import FOREIGN
from .servers import REPOSITORY
from .test_remote import shape

# The graphs the example city (docs/examples/contoh.ttl) refers to, beside the ontology.
CONTEXT = ("gm100-cohorts.ttl", "national-programme.ttl", "sources.ttl")
EXAMPLE = REPOSITORY / "docs" / "examples" / "contoh.ttl"
INFERRED = "https://w3id.org/smartcity-kg/graph/inferred"


def test_info_lists_the_dataset_and_not_the_servers_other_graphs(server, remote_kg, capsys):
    assert main(["info", "--store", server.spec]) == 0
    out = capsys.readouterr().out
    assert "https://w3id.org/smartcity-kg/graph/inferred" in out
    assert FOREIGN not in out and "store/manifest" not in out


def test_a_named_query_answers_on_the_remote_store(server, remote_kg, curated_kg, capsys):
    assert main(["query", "cq02-transitions", "--store", server.spec, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == len(run_named(curated_kg, "cq02-transitions").rows) > 0


def test_a_query_the_server_refuses_is_a_message(server, remote_kg, capsys):
    assert main(["query", "--sparql", "SELECT ?x WHERE { ?x", "--store", server.spec]) == 2
    err = capsys.readouterr().err
    assert err.startswith("smartcity-kg: error: SPARQL syntax error: the SPARQL server ")
    assert f"at {server.query_url} refused the query" in err and "Traceback" not in err
    assert ("Virtuoso/" in err) == (server.kind == "virtuoso")


def test_an_unreachable_server_is_a_message(capsys):
    assert main(["info", "--store", "remote:http://127.0.0.1:9/query"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("smartcity-kg: error: cannot reach the SPARQL server at ")
    assert "Traceback" not in err


@pytest.fixture(scope="module")
def exported(server, remote_kg, tmp_path_factory) -> Path:
    """The dataset as `export --format nq` writes it from the server."""
    quads = tmp_path_factory.mktemp("export") / "dataset.nq"
    assert main(["export", "--format", "nq", "-o", str(quads), "--store", server.spec]) == 0
    return quads


def test_export_writes_the_whole_dataset(server, remote_kg, curated_kg, exported, tmp_path):
    """Both exports are longer than Virtuoso's 10,000-row cap: read in pages, whole."""
    union = tmp_path / "union.nt"
    assert main(["export", "--format", "nt", "-o", str(union), "--store", server.spec]) == 0
    exported = list(pyoxigraph.parse(path=str(exported), format=pyoxigraph.RdfFormat.N_QUADS))
    local = list(curated_kg.named_quads())
    assert len(exported) == len(local)
    by_graph = {}
    for quad in exported:
        by_graph.setdefault(quad.graph_name.value, []).append(quad.triple)
    for graph in ("https://w3id.org/smartcity-kg/graph/registry", INFERRED):
        mine = [q.triple for q in local if q.graph_name.value == graph]
        assert shape(by_graph[graph]) == shape(mine)
    merged = list(pyoxigraph.parse(path=str(union), format=pyoxigraph.RdfFormat.N_TRIPLES))
    assert len(merged) == len(curated_kg)


def test_an_export_loads_back_into_a_remote_store(scratch, remote_kg, exported, tmp_path):
    """Round trip: the N-Quads export of one server, loaded into another, is the same
    dataset, blank nodes included (the inferred graph left out: `load` refuses to write
    into it; reasoning makes it)."""
    asserted = tmp_path / "dataset.nq"
    asserted.write_bytes(
        pyoxigraph.serialize(
            [
                q
                for q in pyoxigraph.parse(path=str(exported), format=pyoxigraph.RdfFormat.N_QUADS)
                if q.graph_name.value != INFERRED
            ],
            format=pyoxigraph.RdfFormat.N_QUADS,
        )
    )
    again = prepare(scratch.spec, data=[asserted], curated=False, reasoner="none")
    expected = {g.iri: g.triples for g in remote_kg.graphs() if g.iri != INFERRED}
    assert {g.iri: g.triples for g in again.graphs() if g.iri in expected} == expected
    assert len(again) == len(remote_kg) - _inferred_only(remote_kg)
    for graph in (
        "https://w3id.org/smartcity-kg/graph/schemes",
        "https://w3id.org/smartcity-kg/graph/core",
    ):
        node = pyoxigraph.NamedNode(graph)
        assert shape(q.triple for q in again.store.quads_for_pattern(None, None, None, node)) == (
            shape(q.triple for q in remote_kg.store.quads_for_pattern(None, None, None, node))
        )


def _inferred_only(kg) -> int:
    """How many triples of the merged default graph only the inferred graph holds."""
    (row,) = kg.store.query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{INFERRED}> {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{INFERRED}>) }} }}"
    )
    return int(row["n"].value)


def test_add_validates_and_loads_a_city_into_a_remote_store(scratch, tmp_path, capsys):
    graphs = tmp_path / "graphs"
    graphs.mkdir()
    for name in CONTEXT:
        shutil.copy(data_dir("graphs") / name, graphs / name)
    spec = scratch.spec
    assert main(["add", str(EXAMPLE), "--store", spec, "--graphs-dir", str(graphs)]) == 0
    assert capsys.readouterr().out.startswith(
        "added 357 triples as <https://w3id.org/smartcity-kg/graph/contoh> to the store remote:"
    )
    # merged into the default graph and reasoned: the named queries see it at once
    assert main(["query", "cq01-stages", "--param", "city=contoh", "--store", spec]) == 0
    assert "contoh-implementation" in capsys.readouterr().out
    assert main(["add", str(EXAMPLE), "--store", spec, "--graphs-dir", str(graphs)]) == 2
    assert "<https://w3id.org/smartcity-kg/graph/contoh>" in capsys.readouterr().err
