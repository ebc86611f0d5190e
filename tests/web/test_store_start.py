"""A store that is whole or refused, and a /health that tells the truth
(docs/decisions/0006-hardening.md): kill -9 during a first start, stores without the
completion marker, an update interrupted half-way, workers that cannot start."""

import gc
import os
import signal
import subprocess
import time

import httpx
import psutil
import pyoxigraph
import pytest

from smartcity_kg.prepare import prepare
from smartcity_kg.settings import Settings
from smartcity_kg.store import marker

from .conftest import DATA, GRAPH, QUERIES, SCRIPT, LiveServer, client_for, fixture_server_args

UPDATE = {"content-type": "application/sparql-update", "authorization": "Bearer t0ken"}
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def counts(health: dict) -> tuple[int, int]:
    return health["triples"], health["inferred"]


def test_kill_9_during_first_starts_never_leaves_a_half_store_to_serve(tmp_path):
    folder = tmp_path / "store"
    reference = prepare("memory")  # what a whole store holds
    graphs = reference.graphs()
    whole = (
        sum(g.triples for g in graphs if not g.inferred),
        sum(g.triples for g in graphs if g.inferred),
    )
    assert whole[1] > 0
    del reference
    command = [str(SCRIPT), "serve", "--port", "1", "--store", str(folder)]
    interrupted = 0
    # Killed as soon as a progress line says a stage is done: while loading (the store was
    # opened), then while reasoning (the files were loaded).
    for stage in ("Opening the store", "Loading "):
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        assert any(line.startswith(stage) for line in process.stderr)
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stderr.close()
        interrupted += any(tmp_path.glob(f".store.building-{process.pid}-*"))  # mid-build
        facts = marker.facts(folder)
        assert not folder.exists() or (facts and facts["state"] == "complete"), facts
    assert interrupted == 2
    server = LiveServer("--store", str(folder))
    try:
        health = httpx.get(server.url + "/health").json()
        assert health["status"] == "ready" and counts(health) == whole
        assert marker.facts(folder)["state"] == "complete"
        live = {name: pool["live"] for name, pool in health["workers"].items()}
        assert live == {"query": 3, "page": 3, "validation": 1}  # every reopen worked
        assert list(tmp_path.glob(".store.building-*")) == []  # the leftovers are gone
    finally:
        server.stop()


def test_a_store_without_the_marker_is_refused(tmp_path):
    folder = tmp_path / "half"
    store = pyoxigraph.Store(str(folder))
    store.add(pyoxigraph.Quad(*(pyoxigraph.NamedNode(f"urn:x:{n}") for n in "spog")))
    del store
    gc.collect()
    done = subprocess.run(
        [str(SCRIPT), "serve", *fixture_server_args("--store", str(folder))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stderr) == (
        2,
        f"smartcity-kg: error: {folder} holds a store that smartcity-kg did not finish building "
        f"(it has no {marker.MARKER}): an earlier first start may have been stopped half-way, or "
        "another program made it. Remove the folder to have it built again.\n",
    )


def test_a_half_build_in_place_is_built_again(tmp_path):
    folder = tmp_path / "store"
    folder.mkdir()
    marker.mark(folder, "building", pid=2**22 + 1)  # a process that is gone
    (folder / "000042.sst").write_bytes(b"half")
    kg = prepare(folder, data=DATA, curated=False, reasoner="none")
    assert len(kg) == 13 and not (folder / "000042.sst").exists()
    assert marker.facts(folder)["state"] == "complete"


def test_an_update_stopped_half_way_is_applied_again_at_the_next_start(tmp_path):
    folder = tmp_path / "store"
    kg = prepare(folder, data=DATA, curated=False, reasoner="none")
    old = next(iter(kg.store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())))
    new = pyoxigraph.Quad(*(pyoxigraph.NamedNode(f"urn:x:{n}") for n in "spo"))
    marker.begin_update(folder, [old], [new])
    kg.store.remove(old)  # the process stops here, before adding
    del kg
    gc.collect()
    again = prepare(folder, data=DATA, curated=False, reasoner="none")
    assert new in again.store and old not in again.store
    assert marker.facts(folder)["state"] == "complete"
    assert not (folder / marker.PENDING).exists()


def workers(server, pool: str) -> list[psutil.Process]:
    found = []
    for child in psutil.Process(server.process.pid).children():
        try:
            if child.name() == f"sck-{pool}" and child.status() != psutil.STATUS_ZOMBIE:
                found.append(child)
        except psutil.NoSuchProcess:
            pass
    return found


def test_an_on_disk_store_serves_every_start_updates_persist_and_lost_workers_are_said(
    tmp_path,
):
    folder = tmp_path / "store"
    token = tmp_path / "token"
    token.write_text("t0ken")
    args = fixture_server_args(
        "--store", str(folder), "--enable-update", "--update-token-file", str(token)
    )
    insert = f"INSERT DATA {{ GRAPH <{GRAPH}cities> {{ <urn:x:s> <urn:x:p> 1 }} }}"
    for start in range(3):  # workers reopen a snapshot: no start loses one to a missing file
        server = LiveServer(*args)
        try:
            health = httpx.get(server.url + "/health").json()
            assert health["status"] == "ready", health
            assert {name: pool["live"] for name, pool in health["workers"].items()} == {
                "query": 3,
                "page": 3,
                "validation": 1,
            }
            answer = httpx.post(server.url + "/sparql", data={"query": COUNT}).json()
            assert answer["results"]["bindings"][0]["n"]["value"] == str(13 + min(start, 1))
            if start == 0:
                response = httpx.post(server.url + "/sparql", content=insert, headers=UPDATE)
                assert response.status_code == 204
        finally:
            server.stop()
    server = LiveServer(*args)
    try:
        for process in workers(server, "query"):  # killed idle: replaced from the snapshot
            process.kill()
        deadline = time.monotonic() + 10
        while httpx.get(server.url + "/health").json()["workers"]["query"]["live"] != 3:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        for snapshot in (folder / marker.SNAPSHOTS).iterdir():  # the store files vanish
            for entry in snapshot.iterdir():
                entry.unlink()
        for process in workers(server, "query"):
            process.kill()
        deadline = time.monotonic() + 10
        while "could not start" not in str((health := httpx.get(server.url + "/health")).json()):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert health.status_code == 503
        facts = health.json()
        assert facts["status"] == "degraded"
        ((problem),) = facts["problems"]
        assert problem["state"] == "no-workers"
        assert problem["detail"].startswith(
            "no query worker is running; the last one could not start: query worker "
        )
        assert facts["workers"]["query"]["live"] == 0
        response = httpx.post(server.url + "/sparql", data={"query": COUNT}, timeout=30)
        assert (response.status_code, response.headers["retry-after"]) == (503, "5")
    finally:
        log = server.stop()
    assert "a query worker could not start: query worker " in log


def test_health_names_reasoning_that_is_pending():
    with client_for(Settings(queries=str(QUERIES), reasoner="reasonable")) as unreasoned:
        response = unreasoned.get("/health")
        assert response.status_code == 503
        assert response.json()["problems"] == [
            {
                "state": "reasoning-pending",
                "detail": "the server is set to reason with reasonable, but the store holds "
                "no inferences (it was built without reasoning)",
            }
        ]


@pytest.fixture(autouse=True)
def _no_stray_processes():
    """Every server a test started is gone after it."""
    yield
    for child in psutil.Process(os.getpid()).children(recursive=True):
        if child.name().startswith("smartcity-kg"):
            child.kill()
