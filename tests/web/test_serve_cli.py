"""`smartcity-kg serve` as a user starts it: options become settings, bad ones exit 2."""

import re
import subprocess
import time

import httpx

from .conftest import SCRIPT, LiveServer, fixture_server_args, free_port


def serve(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPT), "serve", *args], capture_output=True, text=True, timeout=120
    )


def test_help_lists_the_settings():
    done = serve("--help")
    assert done.returncode == 0
    for option in (
        "--port",
        "--timeout",
        "--workers",
        "--max-rows",
        "--max-body",
        "--cache-bytes",
        "--allow-remote",
        "--cors-origin",
        "--enable-update",
        "--update-token-file",
    ):
        assert option in done.stdout


def test_an_unreadable_or_empty_token_file_is_exit_2(tmp_path):
    done = serve("--enable-update", "--update-token-file", str(tmp_path / "missing"))
    assert done.returncode == 2
    assert done.stderr.startswith(f"smartcity-kg: error: {tmp_path / 'missing'}: cannot read: ")
    empty = tmp_path / "empty"
    empty.write_text("\n")
    done = serve("--enable-update", "--update-token-file", str(empty))
    assert (done.returncode, done.stderr) == (
        2,
        f"smartcity-kg: error: {empty}: the update token file is empty\n",
    )


def test_without_a_token_file_a_new_token_is_shown_and_works():
    server = LiveServer(*fixture_server_args("--enable-update"))
    try:
        line = server.process.stdout.readline()
        assert line.startswith("SPARQL Update enabled; bearer token: ")
        token = line.rsplit(" ", 1)[1].strip()
        update = {"content-type": "application/sparql-update"}
        assert (
            httpx.post(
                server.url + "/sparql", content="CLEAR SILENT GRAPH <urn:x:g>", headers=update
            ).status_code
            == 401
        )
        authorized = {**update, "authorization": f"Bearer {token}"}
        assert (
            httpx.post(
                server.url + "/sparql", content="CLEAR SILENT GRAPH <urn:x:g>", headers=authorized
            ).status_code
            == 204
        )
    finally:
        server.stop()


def test_a_remote_store_is_served_by_workers_that_use_it_as_it_is(tmp_path):
    port = free_port()
    oxigraph = subprocess.Popen(
        [str(SCRIPT.with_name("oxigraph")), "serve", "--location", str(tmp_path)]
        + ["--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "oxigraph serve did not start"
                time.sleep(0.1)
        server = LiveServer(*fixture_server_args("--store", f"remote:{base}/query;{base}/update"))
        try:
            health = httpx.get(server.url + "/health").json()
            assert health["network_isolated"] is False  # the workers reach the store
            count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
            response = httpx.get(server.url + "/sparql", params={"query": count}, timeout=30)
            assert response.status_code == 200, response.text
            assert int(response.json()["results"]["bindings"][0]["n"]["value"]) > 0
        finally:
            server.stop()
    finally:
        oxigraph.terminate()
        oxigraph.wait(timeout=10)


def test_each_stage_of_the_start_says_what_it_did_and_how_long_it_took():
    server = LiveServer()  # the curated graphs, in memory, reasoned with the rules
    try:
        assert httpx.get(server.url + "/health").status_code == 200
    finally:
        out = server.stop()
    stages = [line for line in out.splitlines() if re.search(r" in \d+\.\d s$", line)]
    expected = [
        r"Opening the memory store: to be loaded",
        r"Loading (\d+) files: \1 graphs loaded",
        r"Reasoning \(OWL 2 RL, rules\): [1-9][\d,]* triples inferred",
        r"Starting the worker pools: 3 query, 3 page and 1 validation workers",
        rf"Listening on {re.escape(server.url)}: started",
    ]
    assert len(stages) == len(expected), out
    for line, pattern in zip(stages, expected, strict=True):
        assert re.fullmatch(pattern + r" in \d+\.\d s", line), line
