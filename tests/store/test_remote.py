"""The remote store on real SPARQL servers (each test runs on every kind in servers.KINDS):
the dataset is recognised by its manifest beside other data, loading resumes, the default
graph needs no writable default graph, reads are whole past the server's row cap, blank
nodes keep their identity, and the dataset equals the embedded store's."""

import json

import pyoxigraph
import pytest

from smartcity_kg.errors import LoadError, TooManyRows
from smartcity_kg.iris import INFERRED_GRAPH
from smartcity_kg.prepare import prepare
from smartcity_kg.query import query
from smartcity_kg.reason import DEFAULT_REASONER, reason
from smartcity_kg.store import KnowledgeGraph, load, open_store
from smartcity_kg.store.manifest import DEFAULT, LAYOUT, MANIFEST
from smartcity_kg.store.remote import GENID, RemoteStore, TruncatedAnswer
from smartcity_kg.update import update

from .conftest import FOREIGN, ask_server
from .servers import REPOSITORY

FIXTURES = REPOSITORY / "tests" / "core" / "fixtures"
EX = "http://example.org/"


def shape(triples) -> list[tuple[str, str, str]]:
    """Triples as sorted strings, every blank node written `_:b` (labels differ by load)."""

    def text(term) -> str:
        return "_:b" if isinstance(term, pyoxigraph.BlankNode) else str(term)

    return sorted((text(t.subject), text(t.predicate), text(t.object)) for t in triples)


def test_the_dataset_is_recognised_by_its_manifest_beside_other_data(server, remote_kg):
    manifest = remote_kg.store.manifest
    assert (manifest.ready, manifest.layout, manifest.reasoner) == (True, LAYOUT, DEFAULT_REASONER)
    assert set(manifest.graphs) == {g.iri for g in remote_kg.graphs()}
    assert all(entry.complete for entry in manifest.graphs.values())
    # The server's other graphs stay out of the dataset's view, and untouched.
    assert FOREIGN not in {g.iri for g in remote_kg.graphs()}
    assert MANIFEST not in {g.iri for g in remote_kg.graphs()}
    raw = json.loads(ask_server(server, f"ASK {{ GRAPH <{FOREIGN}> {{ ?s ?p ?o }} }}"))
    assert raw.get("boolean", raw.get("results", {}).get("bindings")) not in (False, [])


def test_the_dataset_equals_the_embedded_stores(remote_kg, curated_kg):
    remote = {g.iri: g.triples for g in remote_kg.graphs()}
    local = {g.iri: g.triples for g in curated_kg.graphs()}
    assert remote == local
    assert len(remote_kg) == len(curated_kg)
    assert {g.iri: g.source.name for g in remote_kg.graphs() if g.source} == {
        g.iri: g.source.name for g in curated_kg.graphs() if g.source
    }


def test_reasoning_infers_what_the_embedded_store_infers(remote_kg, curated_kg):
    graph = pyoxigraph.NamedNode(INFERRED_GRAPH)
    remote = [q.triple for q in remote_kg.store.quads_for_pattern(None, None, None, graph)]
    local = [q.triple for q in curated_kg.store.quads_for_pattern(None, None, None, graph)]
    assert shape(remote) == shape(local)


def test_a_prepared_store_is_used_as_it_is(server, remote_kg):
    again = prepare(server.spec)
    assert "load" not in again.timings and "reason" not in again.timings
    assert {g.iri for g in again.graphs()} == {g.iri for g in remote_kg.graphs()}


def test_whole_graphs_are_read_past_the_servers_row_cap(server, remote_kg, curated_kg):
    cap = remote_kg.store._row_cap()
    assert cap == (10_000 if server.kind == "virtuoso" else None)
    merged = pyoxigraph.parse(
        remote_kg.store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=None),
        format=pyoxigraph.RdfFormat.N_TRIPLES,
    )
    assert len(list(merged)) == len(curated_kg) > 30_000  # export checks the named graphs


def test_an_answer_cut_at_the_cap_fails_loudly(server, remote_kg, curated_kg):
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    if server.kind == "virtuoso":
        with pytest.raises(TooManyRows, match=r"Virtuoso/\S+ at .* stops every answer at 10,000"):
            query(remote_kg, everything)
        with pytest.raises(TruncatedAnswer, match="10,000 triples"):
            query(remote_kg, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(isIRI(?s)) }")
    else:
        assert len(query(remote_kg, everything).rows) == len(curated_kg)
    assert len(query(remote_kg, everything + " LIMIT 10000").rows) == 10_000


def test_the_graph_store_read_of_a_whole_graph_is_paged(remote_kg, curated_kg):
    """`CONSTRUCT WHERE { ?s ?p ?o }`, the Graph Store answer, is read in pages."""
    whole = query(remote_kg, "CONSTRUCT WHERE { ?s ?p ?o }", max_rows=100_000)
    assert len(whole.triples) == len(curated_kg)
    one = "https://w3id.org/smartcity-kg/graph/registry"
    graph = query(remote_kg, "CONSTRUCT WHERE { ?s ?p ?o }", default_graphs=[one])
    local = query(curated_kg, "CONSTRUCT WHERE { ?s ?p ?o }", default_graphs=[one])
    assert shape(graph.triples) == shape(local.triples)


def test_booleans_and_ask_read_as_on_the_embedded_store(remote_kg):
    assert query(remote_kg, "ASK { ?s ?p ?o }").boolean is True
    assert query(remote_kg, f"ASK {{ <{EX}nothing> ?p ?o }}").boolean is False
    deprecated = "http://www.w3.org/2002/07/owl#deprecated"
    found = query(remote_kg, f"SELECT DISTINCT ?v WHERE {{ ?s <{deprecated}> ?v }}")
    assert {row[0].value for row in found.rows} <= {"true", "false"}


def test_a_query_naming_its_own_dataset_keeps_it(remote_kg):
    one = "https://w3id.org/smartcity-kg/graph/sources"
    mine = query(remote_kg, f"SELECT (COUNT(*) AS ?n) FROM <{one}> WHERE {{ ?s ?p ?o }}")
    count = {g.iri: g.triples for g in remote_kg.graphs()}[one]
    assert int(mine.rows[0][0].value) == count


def test_blank_nodes_keep_their_identity_and_come_back_as_blank_nodes(scratch, tmp_path):
    data = tmp_path / "with-blank.ttl"
    data.write_text(f'<{EX}a> <{EX}b> [ <{EX}c> "1" ] .')
    kg = load([data], store=scratch.spec)
    rows = query(kg, f"SELECT ?node ?c WHERE {{ <{EX}a> <{EX}b> ?node . ?node <{EX}c> ?c }}").rows
    assert len(rows) == 1
    node = rows[0][0]
    assert isinstance(node, pyoxigraph.BlankNode) and rows[0][1].value == "1"
    # On the server it is a skolem IRI under the project's /id/, which its server answers.
    raw = json.loads(ask_server(scratch, f"SELECT ?o WHERE {{ GRAPH ?g {{ <{EX}a> ?p ?o }} }}"))
    assert raw["results"]["bindings"][0]["o"]["value"] == GENID + node.value
    # ... and a blank node bound as a parameter finds it again.
    again = query(kg, "SELECT ?c WHERE { ?node ?p ?c }", bindings={"node": node})
    assert [r[0].value for r in again.rows] == ["1"]


def test_a_broken_file_leaves_the_remote_store_as_it_was(scratch):
    kg = load([FIXTURES / "stage.nt"], store=scratch.spec)
    before = ({g.iri: g.triples for g in kg.graphs()}, set(kg.store.manifest.graphs))
    with pytest.raises(LoadError, match=r"city-broken\.ttl:6:"):
        load([FIXTURES / "city.ttl", FIXTURES / "city-broken.ttl"], into=kg)
    assert ({g.iri: g.triples for g in kg.graphs()}, set(kg.store.manifest.graphs)) == before
    fresh = KnowledgeGraph(open_store(scratch.spec))
    assert set(fresh.store.manifest.graphs) == before[1]


def test_an_interrupted_load_resumes_where_it_stopped(scratch, monkeypatch):
    files = [FIXTURES / "stage.nt", FIXTURES / "city.ttl", FIXTURES / "awards.trig"]
    sent: list[str] = []
    send = RemoteStore._send

    def stopping(self, text):
        sent.append(text)
        if sum("INSERT DATA {\nGRAPH" in t for t in sent) == 3:
            raise KeyboardInterrupt  # as if the process were stopped: nothing cleans up
        send(self, text)

    monkeypatch.setattr(RemoteStore, "_send", stopping)
    with pytest.raises(KeyboardInterrupt):
        prepare(scratch.spec, data=files, curated=False, reasoner="none")
    monkeypatch.setattr(RemoteStore, "_send", send)
    manifest = KnowledgeGraph(open_store(scratch.spec)).store.manifest
    assert manifest.state == "loading" and not manifest.ready
    complete = {g for g, e in manifest.graphs.items() if e.complete}
    assert complete and complete != set(manifest.graphs)  # some whole, one half sent

    sent.clear()
    monkeypatch.setattr(
        RemoteStore, "_send", lambda self, text: sent.append(text) or send(self, text)
    )
    kg = prepare(scratch.spec, data=files, curated=False, reasoner="none")
    assert kg.store.manifest.ready
    inserted = "\n".join(t for t in sent if t.startswith("INSERT DATA {\nGRAPH"))
    assert not any(f"GRAPH <{graph}> {{\n" in inserted for graph in complete)
    local = load(files)
    assert {g.iri: g.triples for g in kg.graphs()} == {g.iri: g.triples for g in local.graphs()}
    assert len(kg) == len(local)


def test_updates_see_the_dataset_and_never_the_servers_other_graphs(scratch):
    kg = prepare(scratch.spec, data=[FIXTURES / "stage.nt"], curated=False, reasoner="none")
    from .conftest import foreign_data

    foreign_data(scratch)
    new = "https://w3id.org/smartcity-kg/graph/by-update"
    update(kg, f'INSERT DATA {{ GRAPH <{new}> {{ <{EX}x> <{EX}y> "z" }} }}', reasoner="none")
    assert new in {g.iri for g in kg.graphs()}
    assert query(kg, f'ASK {{ <{EX}x> <{EX}y> "z" }}').boolean  # merged into the default
    update(kg, "CLEAR ALL", reasoner="none")
    assert len(kg) == 0
    raw = ask_server(
        scratch, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{FOREIGN}> {{ ?s ?p ?o }} }}"
    )
    assert '"1"' in raw.decode() or ">1<" in raw.decode()


def test_a_reserved_graph_cannot_be_loaded_into(remote_kg, tmp_path):
    data = tmp_path / "x.ttl"
    data.write_text(f"<{EX}a> <{EX}b> <{EX}c> .")
    with pytest.raises(LoadError, match="already in the store"):
        load([(data, DEFAULT)], into=remote_kg)  # refused before anything is sent


def test_the_rules_reach_their_fixpoint_on_the_server(scratch, tmp_path):
    """A transitive property along a chain of 12 links needs several semi-naive passes
    (each joins the last pass's new links with all): every one of the 78 links of the
    closure is inferred on the server, as in the embedded store."""
    chain = "\n".join(f"<{EX}n{i}> <{EX}next> <{EX}n{i + 1}> ." for i in range(12))
    data = tmp_path / "chain.ttl"
    data.write_text(
        f"<{EX}next> a <http://www.w3.org/2002/07/owl#TransitiveProperty> .\n{chain}\n",
        encoding="utf-8",
    )
    links = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?x <{EX}next> ?y }}"
    counts = {}
    for where in ("memory", scratch.spec):
        kg = load([data], store=where)
        report = reason(kg, "rules")
        counts[where == "memory"] = (query(kg, links).rows[0][0].value, report.rounds >= 4)
    assert counts == {True: ("78", True), False: ("78", True)}
